"""``ZeroPadding3D``: add zeros at the edges of the 3 spatial axes."""

from __future__ import annotations

from brickwork.layers.convolutional.conv_utils import standardize_pairs
from brickwork.layers.reshaping.base_zero_padding import BaseZeroPadding


class ZeroPadding3D(BaseZeroPadding):
    """Pad ``(batch, dim1, dim2, dim3, channels)`` inputs with zeros (channels first
    with ``data_format="channels_first"``).

    Args:
        padding: an int, 3 ints (symmetric per axis), or 3 (start, end) pairs.
        data_format: ``"channels_last"`` (default) or ``"channels_first"``.

    Example:
    >>> ZeroPadding3D(1)(np.ones((2, 2, 2, 2, 3))).shape   # (2, 4, 4, 4, 3)
    """

    def __init__(self, padding=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        self.padding = standardize_pairs(padding, 3, "padding")
        super().__init__(3, self.padding, data_format=data_format, **kwargs)

    def get_config(self) -> dict:
        return {**super().get_config(), "padding": self.padding, "data_format": self.data_format}
