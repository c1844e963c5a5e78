"""``BaseCropping``: remove rows/columns at the edges of the spatial axes (``Cropping1D`` … ``3D``)."""

from __future__ import annotations

from brickwork import backend
from brickwork.layers.input_spec import InputSpec
from brickwork.layers.layer import Layer


class BaseCropping(Layer):
    """Crop ``pairs[i] = (before, after)`` elements from spatial axis ``i``.

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
        first = 1 if self.data_format == "channels_last" else 2
        self._first_spatial = first
        # The index of the cropped view, built once: a slice per axis.
        index = [slice(None)] * (rank + 2)
        for axis, (before, after) in enumerate(pairs):
            index[first + axis] = slice(before, -after if after else None)
        self._index = tuple(index)
        self._pairs = pairs

    def call(self, inputs):
        self._check(inputs.shape)
        return inputs[self._index]

    def _check(self, shape) -> list:
        sizes = list(shape)
        for axis, (before, after) in enumerate(self._pairs):
            size = sizes[self._first_spatial + axis]
            if size is not None:
                if before + after >= size:
                    layer = type(self).__name__
                    raise ValueError(
                        f"{layer} {self.name!r}: `cropping` parameter of `{layer}` layer must be smaller than the "
                        f"input. Values in `cropping` argument should be smaller than the corresponding spatial "
                        f"dimension of the input: cropping {(before, after)} removes {before + after} of {size} "
                        f"on spatial axis {axis}. Received: cropping={self._pairs}, inputs of shape {tuple(shape)}"
                    )
                sizes[self._first_spatial + axis] = size - before - after
        return sizes

    def compute_output_shape(self, input_shape):
        return tuple(self._check(input_shape))
