"""``AdaptiveAveragePooling2D``: average pooling of 2D data to a fixed output size."""

from __future__ import annotations

from brickwork.layers.pooling.base_adaptive_pooling import BaseAdaptiveAveragePooling


class AdaptiveAveragePooling2D(BaseAdaptiveAveragePooling):
    """The mean of each of ``output_size`` bins per spatial axis, for ``(batch, height, width, channels)`` inputs.

    Args:
        output_size: an int, or a tuple ``(height, width)``.
        data_format: ``"channels_last"`` or ``"channels_first"``; default ``image_data_format()``.

    Example:
    >>> layer = AdaptiveAveragePooling2D(output_size=32)
    >>> layer(np.random.rand(1, 64, 64, 3)).shape   # (1, 32, 32, 3)
    """

    pool_dimensions = 2
