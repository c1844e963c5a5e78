"""``GlobalAveragePooling1D``: the mean over the spatial axes (``GlobalAvgPool1D`` is the same class)."""

from __future__ import annotations

from brickwork import ops
from brickwork.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalAveragePooling1D(BaseGlobalPooling):
    """The mean of ``(batch, steps, channels)`` inputs over the spatial axes, per channel.

    Args:
        data_format: ``"channels_last"`` (default) or ``"channels_first"``.
        keepdims: keep the spatial axes with size 1.

    A mask of shape ``(batch, steps)`` (e.g. from ``Embedding(mask_zero=True)``) leaves the masked
    steps out of the mean (all steps masked gives ``nan``).

    Example:
    >>> GlobalAveragePooling1D()(np.zeros((4, 10, 3))).shape   # (4, 3)
    """

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(pool_dimensions=1, data_format=data_format, keepdims=keepdims, **kwargs)
        self.supports_masking = True
        self._channel_axis = 2 if self.data_format == "channels_last" else 1

    def call(self, inputs, mask=None):
        if mask is None:
            return ops.mean(inputs, axis=self._spatial_axes, keepdims=self.keepdims)
        weights = ops.expand_dims(ops.cast(mask, inputs.dtype), self._channel_axis)
        total = ops.sum(ops.multiply(inputs, weights), axis=self._spatial_axes, keepdims=self.keepdims)
        return ops.divide(total, ops.sum(weights, axis=self._spatial_axes, keepdims=self.keepdims))

    def compute_mask(self, inputs, mask=None):
        return None  # the steps axis is gone


GlobalAvgPool1D = GlobalAveragePooling1D
