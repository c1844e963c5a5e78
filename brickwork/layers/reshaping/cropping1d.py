"""``Cropping1D``: remove steps at the start and end of a sequence."""

from __future__ import annotations

from brickwork.layers.convolutional.conv_utils import standardize_tuple
from brickwork.layers.reshaping.base_cropping import BaseCropping


class Cropping1D(BaseCropping):
    """Crop ``(batch, steps, features)`` inputs along the steps axis.

    Args:
        cropping: an int (the same at both ends) or ``(start, end)``.

    Example:
    >>> Cropping1D((1, 2))(np.zeros((2, 6, 3))).shape   # (2, 3, 3)
    """

    def __init__(self, cropping=(1, 1), **kwargs):
        self.cropping = standardize_tuple(cropping, 2, "cropping", allow_zero=True)
        super().__init__(1, (self.cropping,), data_format="channels_last", **kwargs)

    def get_config(self) -> dict:
        return {**super().get_config(), "cropping": self.cropping}
