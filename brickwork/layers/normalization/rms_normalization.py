"""``RMSNormalization``: divide each sample by its root mean square, then scale (Zhang & Sennrich, 2019)."""

from __future__ import annotations

from brickwork import ops
from brickwork.layers.layer import Layer


class RMSNormalization(Layer):
    """``x / sqrt(mean(x ** 2, axis) + epsilon) * scale``, with a learned ``scale`` shaped like the ``axis`` dims.

    Unlike ``LayerNormalization`` there is no centering and no offset.

    Args:
        axis: the axis or list of axes to normalize over (``-1``: the features).
        epsilon: added to the mean square to avoid dividing by zero.

    Example:
    >>> layer = RMSNormalization()
    >>> layer(np.array([[3.0, 4.0]]))   # ≈ [[0.8485, 1.1314]]: divided by sqrt((9 + 16) / 2)
    """

    def __init__(self, axis: int | list[int] = -1, epsilon: float = 1e-6, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(axis, int) and not (isinstance(axis, (list, tuple))
                                              and all(isinstance(a, int) for a in axis)):
            raise TypeError(f"RMSNormalization: `axis` must be an int or a list of ints, received {axis!r}.")
        self.axis = list(axis) if isinstance(axis, (list, tuple)) else axis
        self.epsilon = epsilon
        self.supports_masking = True

    def _axes(self, input_shape) -> list[int]:
        axes = [self.axis] if isinstance(self.axis, int) else self.axis
        for axis in axes:
            if not -len(input_shape) <= axis < len(input_shape):
                raise ValueError(f"RMSNormalization {self.name!r}: axis {axis} is out of range for inputs of "
                                 f"shape {tuple(input_shape)}.")
        return axes

    def build(self, input_shape):
        # As Keras: after building, ``axis`` is a sorted list (it is what get_config then reports).
        self.axis = sorted(self._axes(input_shape))
        shape = tuple(input_shape[axis] for axis in self.axis)
        self.scale = self.add_weight(name="scale", shape=shape, initializer="ones")
        self.built = True

    def call(self, inputs):
        inputs = ops.cast(inputs, self.compute_dtype)
        return ops.rms_normalization(inputs, scale=self.scale, axis=self.axis, epsilon=self.epsilon)

    def compute_output_shape(self, input_shape):
        self._axes(input_shape)
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis, "epsilon": self.epsilon}
