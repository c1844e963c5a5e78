"""``UnitNormalization``: scale each sample to unit L2 norm along the given axes."""

from __future__ import annotations

from brickwork import ops
from brickwork.layers.layer import Layer


class UnitNormalization(Layer):
    """``x / max(||x||_2, 1e-6)`` along ``axis``.

    Args:
        axis: the axis or list of axes whose L2 norm becomes 1 (default ``-1``).

    Example:
    >>> UnitNormalization()(np.array([[3.0, 4.0]]))   # [[0.6, 0.8]]
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)):
            self.axis = list(axis)
        elif isinstance(axis, int):
            self.axis = axis
        else:
            raise TypeError(f"UnitNormalization: Invalid value for `axis` argument: expected an int or a list/tuple of "
                            f"ints. Received: axis={axis!r}")
        self.supports_masking = True
        self._build_at_init()

    def call(self, inputs):
        x = ops.cast(inputs, self.compute_dtype)
        axis = tuple(self.axis) if isinstance(self.axis, list) else self.axis
        square_sum = ops.sum(ops.square(x), axis=axis, keepdims=True)
        return ops.multiply(x, ops.rsqrt(ops.maximum(square_sum, 1e-12)))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis}
