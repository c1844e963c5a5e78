"""``UpSampling3D``: repeat each element along the 3 spatial axes."""

from __future__ import annotations

from brickwork.layers.convolutional.conv_utils import standardize_tuple
from brickwork.layers.reshaping.base_up_sampling import BaseUpSampling


class UpSampling3D(BaseUpSampling):
    """Repeat the elements of ``(batch, dim1, dim2, dim3, channels)`` inputs ``size[i]`` times along axis ``i``.

    Args:
        size: an int or 3 ints: the upsampling factors.
        data_format: ``"channels_last"`` (default) or ``"channels_first"``.

    Example:
    >>> UpSampling3D(2)(np.ones((1, 2, 2, 2, 3))).shape   # (1, 4, 4, 4, 3)
    """

    def __init__(self, size=(2, 2, 2), data_format=None, **kwargs):
        self.size = standardize_tuple(size, 3, "size")
        super().__init__(3, self.size, data_format=data_format, **kwargs)

    def get_config(self) -> dict:
        return {**super().get_config(), "size": self.size, "data_format": self.data_format}
