"""``AveragePooling1D``: 1D average pooling (``AvgPool1D`` is the same class)."""

from __future__ import annotations

from brickwork.layers.pooling.base_pooling import BasePooling


class AveragePooling1D(BasePooling):
    """The mean of each ``pool_size`` window of ``(batch, steps, channels)`` inputs.

    Args:
        pool_size: an int or 1 int: the window size.
        strides: the step between windows; ``None`` (default) means ``pool_size``.
        padding: ``"valid"`` or ``"same"`` (the mean of each window counts only real elements).
        data_format: ``"channels_last"`` (default) or ``"channels_first"``.

    Example:
    >>> AveragePooling1D()(np.zeros((4, 10, 3))).shape   # (4, 5, 3)
    """

    def __init__(self, pool_size=2, strides=None, padding="valid", data_format=None, name=None, **kwargs):
        super().__init__(pool_size, strides, pool_dimensions=1, pool_mode="average", padding=padding,
                         data_format=data_format, name=name, **kwargs)


AvgPool1D = AveragePooling1D
