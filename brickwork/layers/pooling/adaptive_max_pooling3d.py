"""``AdaptiveMaxPooling3D``: max pooling of 3D data to a fixed output size."""

from __future__ import annotations

from brickwork.layers.pooling.base_adaptive_pooling import BaseAdaptiveMaxPooling


class AdaptiveMaxPooling3D(BaseAdaptiveMaxPooling):
    """The maximum of each of ``output_size`` bins per axis, for ``(batch, depth, height, width, channels)`` inputs.

    Args:
        output_size: an int, or a tuple ``(depth, height, width)``.
        data_format: ``"channels_last"`` or ``"channels_first"``; default ``image_data_format()``.

    Example:
    >>> layer = AdaptiveMaxPooling3D(output_size=4)
    >>> layer(np.random.rand(1, 8, 8, 8, 2)).shape   # (1, 4, 4, 4, 2)
    """

    pool_dimensions = 3
