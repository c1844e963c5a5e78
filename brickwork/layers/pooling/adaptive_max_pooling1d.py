"""``AdaptiveMaxPooling1D``: max pooling of 1D data to a fixed output size."""

from __future__ import annotations

from brickwork.layers.pooling.base_adaptive_pooling import BaseAdaptiveMaxPooling


class AdaptiveMaxPooling1D(BaseAdaptiveMaxPooling):
    """The maximum of each of ``output_size`` bins per spatial axis, for ``(batch, length, channels)`` inputs.

    Args:
        output_size: an int, or a tuple ``(length)``.
        data_format: ``"channels_last"`` or ``"channels_first"``; default ``image_data_format()``.

    Example:
    >>> layer = AdaptiveMaxPooling1D(output_size=4)
    >>> layer(np.random.rand(1, 10, 3)).shape   # (1, 4, 3)
    """

    pool_dimensions = 1
