"""``GlobalMaxPooling3D``: the maximum over the spatial axes (``GlobalMaxPool3D`` is the same class)."""

from __future__ import annotations

from brickwork import ops
from brickwork.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalMaxPooling3D(BaseGlobalPooling):
    """The maximum of ``(batch, depth, height, width, channels)`` inputs over the spatial axes, per channel.

    Args:
        data_format: ``"channels_last"`` (default) or ``"channels_first"``.
        keepdims: keep the spatial axes with size 1.

    Example:
    >>> GlobalMaxPooling3D()(np.zeros((2, 4, 4, 4, 3))).shape   # (2, 3)
    """

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(pool_dimensions=3, data_format=data_format, keepdims=keepdims, **kwargs)

    def call(self, inputs):
        return ops.max(inputs, axis=self._spatial_axes, keepdims=self.keepdims)


GlobalMaxPool3D = GlobalMaxPooling3D
