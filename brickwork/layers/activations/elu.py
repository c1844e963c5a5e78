"""``ELU``: the exponential linear unit as a layer."""

from __future__ import annotations

from brickwork import activations
from brickwork.layers.layer import Layer


class ELU(Layer):
    """``x`` for ``x > 0``, ``alpha * (exp(x) - 1)`` below.

    Args:
        alpha: the scale of the negative part (default 1.0).

    Example:
    >>> ELU()(np.array([-1.0, 2.0]))   # [-0.632, 2.]
    """

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self.alpha = alpha
        self.supports_masking = True
        self._build_at_init()

    def call(self, inputs):
        return activations.elu(inputs, alpha=self.alpha)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "alpha": self.alpha}
