"""``Equalization``: histogram equalization of each channel of each image while training."""

from __future__ import annotations

from brickwork import ops
from brickwork.layers.preprocessing.base_image_augmentation import (
    BaseImageAugmentation,
    check_value_range,
)
from brickwork.layers.preprocessing.color import rescale_values


class Equalization(BaseImageAugmentation):
    """Spread each channel's values so that its cumulative histogram (over ``bins`` bins) becomes linear.

    On the ``[0, 255]`` scale a value in bin ``i`` becomes ``round(255 * (cdf[i] - cdf_min) / (n - cdf_min))``,
    ``n`` the number of pixels and ``cdf_min`` the count up to the first non-empty bin; a channel with a
    single non-empty bin is left as is. Each image has its own histograms (Keras pools a batch's pixels:
    the two agree on a single image). Identity when not training.

    Args:
        value_range: the ``(min, max)`` range of the pixel values.
        bins: the number of histogram bins.
        data_format: ``"channels_last"`` or ``"channels_first"``; default ``image_data_format()``.

    Example:
    >>> Equalization()(np.random.rand(2, 8, 8, 3) * 64).shape   # (2, 8, 8, 3), values spread over [0, 255]
    """

    def __init__(self, value_range=(0, 255), bins: int = 256, data_format: str | None = None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        if isinstance(bins, bool) or not isinstance(bins, int) or bins < 2:
            raise ValueError(f"Equalization: `bins` must be an int >= 2, received {bins!r}.")
        self.value_range = check_value_range(value_range, "Equalization")
        self.bins = bins

    def transform_images(self, images, transformation=None, training: bool = True):
        images = ops.cast(images, self.compute_dtype)
        if not training:
            return images
        batched = images if len(images.shape) == 4 else ops.expand_dims(images, 0)
        if self.data_format == "channels_last":
            batched = ops.transpose(batched, (0, 3, 1, 2))
        batch, channels, height, width = batched.shape
        pixels = rescale_values(ops.reshape(batched, (batch * channels, height * width)), self.value_range, (0, 255))
        bins = self.bins
        index = ops.clip(ops.cast(pixels * ((bins - 1) / 255.0), "int32"), 0, bins - 1)
        # Histograms of every (image, channel) row at once: one segment per row and bin.
        rows = ops.expand_dims(ops.arange(batch * channels, dtype="int32") * bins, 1)
        counts = ops.math.segment_sum(ops.ones((batch * channels * height * width,), self.compute_dtype),
                                      ops.reshape(index + rows, (-1,)),
                                      num_segments=batch * channels * bins)
        counts = ops.reshape(counts, (batch * channels, bins))
        cdf = ops.cumsum(counts, axis=1)
        cdf_min = ops.min(ops.where(cdf > 0, cdf, float(height * width)), axis=1, keepdims=True)
        spread = cdf[:, -1:] - cdf_min
        table = ops.clip(ops.round((cdf - cdf_min) * 255.0 / ops.where(spread == 0, 1.0, spread)), 0, 255)
        equalized = ops.take_along_axis(table, index, axis=1)
        flat = ops.sum(ops.cast(counts > 0, "int32"), axis=1, keepdims=True) <= 1
        equalized = ops.where(flat, pixels, equalized)
        result = ops.reshape(rescale_values(equalized, (0, 255), self.value_range), (batch, channels, height, width))
        if self.data_format == "channels_last":
            result = ops.transpose(result, (0, 2, 3, 1))
        return result if len(images.shape) == 4 else result[0]

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("seed")
        return {**config, "bins": self.bins, "value_range": list(self.value_range)}
