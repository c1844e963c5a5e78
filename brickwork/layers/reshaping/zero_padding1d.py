"""``ZeroPadding1D``: add zero steps at the start and end of a sequence."""

from __future__ import annotations

from brickwork.layers.convolutional.conv_utils import standardize_tuple
from brickwork.layers.reshaping.base_zero_padding import BaseZeroPadding


class ZeroPadding1D(BaseZeroPadding):
    """Pad ``(batch, steps, features)`` inputs with zeros along the steps axis.

    Args:
        padding: an int (the same at both ends) or ``(start, end)``.
        data_format: ``"channels_last"`` (default) or ``"channels_first"`` (``(batch, features, steps)``).

    Example:
    >>> ZeroPadding1D(2)(np.ones((2, 3, 4))).shape   # (2, 7, 4)
    """

    def __init__(self, padding=1, data_format=None, **kwargs):
        self.padding = standardize_tuple(padding, 2, "padding", allow_zero=True)
        super().__init__(1, (self.padding,), data_format=data_format, **kwargs)

    def get_config(self) -> dict:
        return {**super().get_config(), "padding": self.padding, "data_format": self.data_format}
