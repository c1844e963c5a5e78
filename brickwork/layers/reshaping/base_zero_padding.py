"""``BaseZeroPadding``: add zeros at the edges of the spatial axes (``ZeroPadding1D`` … ``3D``)."""

from __future__ import annotations

from brickwork import backend, ops
from brickwork.layers.input_spec import InputSpec
from brickwork.layers.layer import Layer


class BaseZeroPadding(Layer):
    """Pad spatial axis ``i`` with ``pairs[i] = (before, after)`` zeros.

    Args:
        rank: the number of spatial dims.
        pairs: ``rank`` (before, after) pairs of non-negative ints.
        data_format: ``"channels_last"`` (default) or ``"channels_first"``.
    """

    def __init__(self, rank: int, pairs: tuple, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.rank = rank
        self.data_format = backend.standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=rank + 2)
        self._first_spatial = 1 if self.data_format == "channels_last" else 2
        widths = [(0, 0)] * (rank + 2)
        widths[self._first_spatial:self._first_spatial + rank] = pairs
        self._pad_width = tuple(widths)

    def call(self, inputs):
        return ops.pad(inputs, self._pad_width)

    def compute_output_shape(self, input_shape):
        return tuple(None if size is None else size + before + after
                     for size, (before, after) in zip(input_shape, self._pad_width))
