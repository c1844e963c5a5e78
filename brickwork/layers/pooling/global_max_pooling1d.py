"""``GlobalMaxPooling1D``: the maximum over the spatial axes (``GlobalMaxPool1D`` is the same class)."""

from __future__ import annotations

import numpy as np

from brickwork import backend, ops
from brickwork.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalMaxPooling1D(BaseGlobalPooling):
    """The maximum of ``(batch, steps, channels)`` inputs over the spatial axes, per channel.

    Args:
        data_format: ``"channels_last"`` (default) or ``"channels_first"``.
        keepdims: keep the spatial axes with size 1.

    A mask of shape ``(batch, steps)`` (e.g. from ``Embedding(mask_zero=True)``) leaves the masked
    steps out of the maximum (all steps masked gives ``-inf``; Keras 3 ignores the mask here).

    Example:
    >>> GlobalMaxPooling1D()(np.zeros((4, 10, 3))).shape   # (4, 3)
    """

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(pool_dimensions=1, data_format=data_format, keepdims=keepdims, **kwargs)
        # As in Keras: the output has no mask to pass on, though ``call`` honours the input's.
        self.supports_masking = False
        self._channel_axis = 2 if self.data_format == "channels_last" else 1

    def call(self, inputs, mask=None):
        if mask is not None:
            keep = ops.expand_dims(mask, self._channel_axis)
            inputs = ops.where(keep, inputs, _lowest(inputs.dtype))
        return ops.max(inputs, axis=self._spatial_axes, keepdims=self.keepdims)

    def compute_mask(self, inputs, mask=None):
        return None  # the steps axis is gone


def _lowest(dtype):
    """The value no real element is below: -inf for floats, the smallest integer otherwise."""
    dtype = backend.standardize_dtype(dtype)
    return float("-inf") if backend.is_float(dtype) else int(np.iinfo(dtype).min)


GlobalMaxPool1D = GlobalMaxPooling1D
