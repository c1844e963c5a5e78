"""``ActivityRegularization``: add an L1/L2 penalty on the activations to the loss."""

from __future__ import annotations

from brickwork import regularizers
from brickwork.layers.layer import Layer


class ActivityRegularization(Layer):
    """Return the inputs unchanged and add ``l1 * sum(|x|) + l2 * sum(x**2)`` to ``losses``.

    Args:
        l1, l2: the penalty factors (non-negative).

    Example:
    >>> layer = ActivityRegularization(l2=0.01)
    >>> y = layer(np.ones((2, 3)))   # layer.losses == [0.06]
    """

    def __init__(self, l1=0.0, l2=0.0, **kwargs):
        kwargs.pop("activity_regularizer", None)  # present in configs of other writers; ours is fixed
        super().__init__(activity_regularizer=regularizers.L1L2(l1=l1, l2=l2), **kwargs)
        self.supports_masking = True
        self.l1 = l1
        self.l2 = l2
        self._build_at_init()

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("activity_regularizer", None)
        return {**config, "l1": self.l1, "l2": self.l2}
