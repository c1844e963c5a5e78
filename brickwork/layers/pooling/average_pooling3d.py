"""``AveragePooling3D``: 3D average pooling (``AvgPool3D`` is the same class)."""

from __future__ import annotations

from brickwork.layers.pooling.base_pooling import BasePooling


class AveragePooling3D(BasePooling):
    """The mean of each ``pool_size`` window of ``(batch, depth, height, width, channels)`` inputs.

    Args:
        pool_size: an int or 3 ints: the window size.
        strides: the step between windows; ``None`` (default) means ``pool_size``.
        padding: ``"valid"`` or ``"same"`` (the mean of each window counts only real elements).
        data_format: ``"channels_last"`` (default) or ``"channels_first"``.

    Example:
    >>> AveragePooling3D()(np.zeros((2, 4, 4, 4, 3))).shape   # (2, 2, 2, 2, 3)
    """

    def __init__(self, pool_size=(2, 2, 2), strides=None, padding="valid", data_format=None, name=None, **kwargs):
        super().__init__(pool_size, strides, pool_dimensions=3, pool_mode="average", padding=padding,
                         data_format=data_format, name=name, **kwargs)


AvgPool3D = AveragePooling3D
