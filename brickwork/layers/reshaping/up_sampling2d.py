"""``UpSampling2D``: enlarge images by integer factors: nearest-neighbour, bilinear, or ``ops.image.resize``'s
other methods (bicubic, lanczos3, lanczos5)."""

from __future__ import annotations

import functools

import numpy as np

from brickwork import backend, ops
from brickwork.layers.convolutional.conv_utils import standardize_tuple
from brickwork.layers.reshaping.base_up_sampling import BaseUpSampling

_INTERPOLATIONS = ("nearest", "bilinear", "bicubic", "lanczos3", "lanczos5")


class UpSampling2D(BaseUpSampling):
    """Upsample ``(batch, height, width, channels)`` inputs by ``size = (rows, cols)``.

    Args:
        size: an int or 2 ints: the upsampling factors.
        data_format: ``"channels_last"`` (default) or ``"channels_first"``.
        interpolation: ``"nearest"`` (repeat rows and columns), ``"bilinear"`` (half-pixel centres,
            edges clamped, as ``torch.nn.functional.interpolate(..., align_corners=False)``), or
            ``"bicubic"``, ``"lanczos3"``, ``"lanczos5"`` (through ``ops.image.resize``; the torch backend has
            no Lanczos, as in Keras).

    Example:
    >>> UpSampling2D(2)(np.ones((1, 3, 3, 1))).shape   # (1, 6, 6, 1)
    """

    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        self.size = standardize_tuple(size, 2, "size")
        self.interpolation = str(interpolation).lower()
        if self.interpolation not in _INTERPOLATIONS:
            raise ValueError(
                f"UpSampling2D: `interpolation` must be one of {_INTERPOLATIONS}, received {interpolation!r}."
            )
        super().__init__(2, self.size, data_format=data_format, **kwargs)

    def call(self, inputs):
        if self.interpolation == "nearest":
            return super().call(inputs)
        if not backend.is_float(backend.standardize_dtype(inputs.dtype)):
            inputs = ops.cast(inputs, self.compute_dtype)
        if self.interpolation != "bilinear":
            rows, cols = (1, 2) if self.data_format == "channels_last" else (2, 3)
            size = (inputs.shape[rows] * self.size[0], inputs.shape[cols] * self.size[1])
            return ops.image.resize(inputs, size, interpolation=self.interpolation, data_format=self.data_format)
        for axis, factor in self._factors.items():
            inputs = _linear_upsample(inputs, axis, factor)
        return inputs

    def get_config(self) -> dict:
        return {**super().get_config(), "size": self.size, "data_format": self.data_format,
                "interpolation": self.interpolation}


@functools.lru_cache(maxsize=64)
def _linear_taps(size: int, factor: int):
    """For each output position: the two input neighbours and the weight of the second."""
    centres = np.clip((np.arange(size * factor) + 0.5) / factor - 0.5, 0, size - 1)
    low = np.floor(centres).astype("int32")
    high = np.minimum(low + 1, size - 1)
    return low, high, centres - low


def _linear_upsample(x, axis: int, factor: int):
    low, high, weight = _linear_taps(int(x.shape[axis]), factor)
    shape = [1] * len(x.shape)
    shape[axis] = -1
    weight = ops.cast(weight.reshape(shape), x.dtype)
    below = ops.take(x, low, axis=axis)
    return ops.add(below, ops.multiply(ops.subtract(ops.take(x, high, axis=axis), below), weight))
