"""``MaxPooling3D``: 3D max pooling (``MaxPool3D`` is the same class)."""

from __future__ import annotations

from brickwork.layers.pooling.base_pooling import BasePooling


class MaxPooling3D(BasePooling):
    """The maximum of each ``pool_size`` window of ``(batch, depth, height, width, channels)`` inputs.

    Args:
        pool_size: an int or 3 ints: the window size.
        strides: the step between windows; ``None`` (default) means ``pool_size``.
        padding: ``"valid"`` or ``"same"``.
        data_format: ``"channels_last"`` (default) or ``"channels_first"``.

    Example:
    >>> MaxPooling3D()(np.zeros((2, 4, 4, 4, 3))).shape   # (2, 2, 2, 2, 3)
    """

    def __init__(self, pool_size=(2, 2, 2), strides=None, padding="valid", data_format=None, name=None, **kwargs):
        super().__init__(pool_size, strides, pool_dimensions=3, pool_mode="max", padding=padding,
                         data_format=data_format, name=name, **kwargs)


MaxPool3D = MaxPooling3D
