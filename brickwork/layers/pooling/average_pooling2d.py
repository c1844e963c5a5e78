"""``AveragePooling2D``: 2D average pooling (``AvgPool2D`` is the same class)."""

from __future__ import annotations

from brickwork.layers.pooling.base_pooling import BasePooling


class AveragePooling2D(BasePooling):
    """The mean of each ``pool_size`` window of ``(batch, height, width, channels)`` inputs.

    Args:
        pool_size: an int or 2 ints: the window size.
        strides: the step between windows; ``None`` (default) means ``pool_size``.
        padding: ``"valid"`` or ``"same"`` (the mean of each window counts only real elements).
        data_format: ``"channels_last"`` (default) or ``"channels_first"``.

    Example:
    >>> AveragePooling2D()(np.zeros((4, 10, 10, 3))).shape   # (4, 5, 5, 3)
    """

    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None, name=None, **kwargs):
        super().__init__(pool_size, strides, pool_dimensions=2, pool_mode="average", padding=padding,
                         data_format=data_format, name=name, **kwargs)


AvgPool2D = AveragePooling2D
