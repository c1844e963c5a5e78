"""``MaxPooling2D``: 2D max pooling (``MaxPool2D`` is the same class)."""

from __future__ import annotations

from brickwork.layers.pooling.base_pooling import BasePooling


class MaxPooling2D(BasePooling):
    """The maximum of each ``pool_size`` window of ``(batch, height, width, channels)`` inputs.

    Args:
        pool_size: an int or 2 ints: the window size.
        strides: the step between windows; ``None`` (default) means ``pool_size``.
        padding: ``"valid"`` or ``"same"``.
        data_format: ``"channels_last"`` (default) or ``"channels_first"``.

    Example:
    >>> MaxPooling2D()(np.zeros((4, 10, 10, 3))).shape   # (4, 5, 5, 3)
    """

    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None, name=None, **kwargs):
        super().__init__(pool_size, strides, pool_dimensions=2, pool_mode="max", padding=padding,
                         data_format=data_format, name=name, **kwargs)


MaxPool2D = MaxPooling2D
