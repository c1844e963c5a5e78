"""``ZeroPadding2D``: add zeros at the edges of the 2 spatial axes."""

from __future__ import annotations

from brickwork.layers.convolutional.conv_utils import standardize_pairs
from brickwork.layers.reshaping.base_zero_padding import BaseZeroPadding


class ZeroPadding2D(BaseZeroPadding):
    """Pad ``(batch, height, width, channels)`` inputs with zeros (channels first
    with ``data_format="channels_first"``).

    Args:
        padding: an int, (symmetric_height, symmetric_width), or ((top, bottom), (left, right)).
        data_format: ``"channels_last"`` (default) or ``"channels_first"``.

    Example:
    >>> ZeroPadding2D(((1, 0), (2, 2)))(np.ones((2, 3, 3, 1))).shape   # (2, 4, 7, 1)
    """

    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        self.padding = standardize_pairs(padding, 2, "padding")
        super().__init__(2, self.padding, data_format=data_format, **kwargs)

    def get_config(self) -> dict:
        return {**super().get_config(), "padding": self.padding, "data_format": self.data_format}
