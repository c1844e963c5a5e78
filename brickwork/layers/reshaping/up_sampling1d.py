"""``UpSampling1D``: repeat each step of a sequence."""

from __future__ import annotations

from brickwork.layers.convolutional.conv_utils import is_int
from brickwork.layers.reshaping.base_up_sampling import BaseUpSampling


class UpSampling1D(BaseUpSampling):
    """Repeat each step of ``(batch, steps, features)`` inputs ``size`` times.

    Args:
        size: how many times each step is repeated along the steps axis (default 2).
        **kwargs: ``Layer`` arguments (``name``, ``dtype``, ``trainable``, …).

    Example:
    >>> UpSampling1D(2)(np.array([[[1.0], [2.0]]])).shape   # (1, 4, 1): steps 1, 1, 2, 2
    """

    def __init__(self, size=2, **kwargs):
        if not is_int(size):
            raise TypeError(f"UpSampling1D: Expected an integer value for `size`. Received: size={size!r}")
        if size < 1:
            raise ValueError(f"UpSampling1D: `size` should be a positive integer. Received: size={size}")
        self.size = int(size)
        super().__init__(1, (self.size,), data_format="channels_last", **kwargs)

    def get_config(self) -> dict:
        return {**super().get_config(), "size": self.size}
