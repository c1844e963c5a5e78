"""``BaseUpSampling``: repeat each element along the spatial axes (``UpSampling1D`` … ``3D``)."""

from __future__ import annotations

from brickwork import backend, ops
from brickwork.layers.input_spec import InputSpec
from brickwork.layers.layer import Layer


class BaseUpSampling(Layer):
    """Repeat each element ``factors[i]`` times along spatial axis ``i`` (nearest-neighbour upsampling).

    Args:
        rank: the number of spatial dims.
        factors: ``rank`` positive ints.
        data_format: ``"channels_last"`` (default) or ``"channels_first"``.
    """

    def __init__(self, rank: int, factors: tuple, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.rank = rank
        self.data_format = backend.standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=rank + 2)
        first = 1 if self.data_format == "channels_last" else 2
        self._factors = {first + i: factor for i, factor in enumerate(factors) if factor != 1}

    def call(self, inputs):
        for axis, factor in self._factors.items():
            inputs = ops.repeat(inputs, factor, axis=axis)
        return inputs

    def compute_output_shape(self, input_shape):
        return tuple(None if size is None else size * self._factors.get(axis, 1)
                     for axis, size in enumerate(input_shape))
