"""``GlobalMaxPooling2D``: the maximum over the spatial axes (``GlobalMaxPool2D`` is the same class)."""

from __future__ import annotations

from brickwork import ops
from brickwork.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalMaxPooling2D(BaseGlobalPooling):
    """The maximum of ``(batch, height, width, channels)`` inputs over the spatial axes, per channel.

    Args:
        data_format: ``"channels_last"`` (default) or ``"channels_first"``.
        keepdims: keep the spatial axes with size 1.

    Example:
    >>> GlobalMaxPooling2D()(np.zeros((4, 10, 10, 3))).shape   # (4, 3)
    """

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(pool_dimensions=2, data_format=data_format, keepdims=keepdims, **kwargs)

    def call(self, inputs):
        return ops.max(inputs, axis=self._spatial_axes, keepdims=self.keepdims)


GlobalMaxPool2D = GlobalMaxPooling2D
