"""``UpSampling1D``: repeat each step of a sequence."""

from __future__ import annotations

from brickwork.layers.convolutional.conv_utils import standardize_tuple
from brickwork.layers.reshaping.base_up_sampling import BaseUpSampling


class UpSampling1D(BaseUpSampling):
    """Repeat each step of ``(batch, steps, features)`` inputs ``size`` times.

    Example:
    >>> UpSampling1D(2)(np.array([[[1.0], [2.0]]])).shape   # (1, 4, 1): steps 1, 1, 2, 2
    """

    def __init__(self, size=2, **kwargs):
        (self.size,) = standardize_tuple(size, 1, "size")
        super().__init__(1, (self.size,), data_format="channels_last", **kwargs)

    def get_config(self) -> dict:
        return {**super().get_config(), "size": self.size}
