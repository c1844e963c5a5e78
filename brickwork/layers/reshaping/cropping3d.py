"""``Cropping3D``: remove elements at the edges of the 3 spatial axes."""

from __future__ import annotations

from brickwork.layers.convolutional.conv_utils import standardize_pairs
from brickwork.layers.reshaping.base_cropping import BaseCropping


class Cropping3D(BaseCropping):
    """Crop ``(batch, dim1, dim2, dim3, channels)`` inputs (channels first with ``data_format="channels_first"``).

    Args:
        cropping: an int, 3 ints (symmetric per axis), or 3 (start, end) pairs.
        data_format: ``"channels_last"`` (default) or ``"channels_first"``.

    Example:
    >>> Cropping3D(1)(np.zeros((2, 4, 4, 4, 3))).shape   # (2, 2, 2, 2, 3)
    """

    def __init__(self, cropping=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        self.cropping = standardize_pairs(cropping, 3, "cropping")
        super().__init__(3, self.cropping, data_format=data_format, **kwargs)

    def get_config(self) -> dict:
        return {**super().get_config(), "cropping": self.cropping, "data_format": self.data_format}
