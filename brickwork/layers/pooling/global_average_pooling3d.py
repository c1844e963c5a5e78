"""``GlobalAveragePooling3D``: the mean over the spatial axes (``GlobalAvgPool3D`` is the same class)."""

from __future__ import annotations

from brickwork import ops
from brickwork.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalAveragePooling3D(BaseGlobalPooling):
    """The mean of ``(batch, depth, height, width, channels)`` inputs over the spatial axes, per channel.

    Args:
        data_format: ``"channels_last"`` (default) or ``"channels_first"``.
        keepdims: keep the spatial axes with size 1.

    Example:
    >>> GlobalAveragePooling3D()(np.zeros((2, 4, 4, 4, 3))).shape   # (2, 3)
    """

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(pool_dimensions=3, data_format=data_format, keepdims=keepdims, **kwargs)

    def call(self, inputs):
        return ops.mean(inputs, axis=self._spatial_axes, keepdims=self.keepdims)


GlobalAvgPool3D = GlobalAveragePooling3D
