"""``Cropping2D``: remove elements at the edges of the 2 spatial axes."""

from __future__ import annotations

from brickwork.layers.convolutional.conv_utils import standardize_pairs
from brickwork.layers.reshaping.base_cropping import BaseCropping


class Cropping2D(BaseCropping):
    """Crop ``(batch, height, width, channels)`` inputs (channels first with ``data_format="channels_first"``).

    Args:
        cropping: an int, (symmetric_height, symmetric_width), or ((top, bottom), (left, right)).
        data_format: ``"channels_last"`` (default) or ``"channels_first"``.

    Example:
    >>> Cropping2D(((1, 1), (2, 0)))(np.zeros((2, 6, 6, 3))).shape   # (2, 4, 4, 3)
    """

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        self.cropping = standardize_pairs(cropping, 2, "cropping")
        super().__init__(2, self.cropping, data_format=data_format, **kwargs)

    def get_config(self) -> dict:
        return {**super().get_config(), "cropping": self.cropping, "data_format": self.data_format}
