"""``AutoContrast``: stretch each image's channels to the full value range."""

from __future__ import annotations

from brickwork import ops
from brickwork.layers.preprocessing.base_image_augmentation import (
    BaseImageAugmentation,
    check_value_range,
)
from brickwork.layers.preprocessing.color import rescale_values


class AutoContrast(BaseImageAugmentation):
    """Map each channel of each image linearly so that its darkest pixel becomes ``min`` and its brightest ``max``.

    Not random, and applied at inference too (as in Keras). A flat channel (all pixels equal) is left as is.

    Args:
        value_range: the ``(min, max)`` range of the pixel values.
        data_format: ``"channels_last"`` or ``"channels_first"``; default ``image_data_format()``.

    Example:
    >>> AutoContrast(value_range=(0, 1))(np.array([[[[0.2], [0.4]], [[0.3], [0.6]]]]))   # [[[[0], [.5]], [[.25], [1]]]]
    """

    def __init__(self, value_range=(0, 255), **kwargs):
        super().__init__(**kwargs)
        self.value_range = check_value_range(value_range, "AutoContrast")

    def call(self, inputs, training=None):
        return super().call(inputs, training=True)

    def transform_images(self, images, transformation=None, training: bool = True):
        images = ops.cast(images, self.compute_dtype)
        pixels = rescale_values(images, self.value_range, (0, 255))
        axes = self._spatial_axes(images)
        low = ops.min(pixels, axis=axes, keepdims=True)
        high = ops.max(pixels, axis=axes, keepdims=True)
        spread = high - low
        stretched = (pixels - low) * (255.0 / ops.where(spread > 0, spread, 1.0))
        stretched = rescale_values(ops.clip(stretched, 0.0, 255.0), (0, 255), self.value_range)
        return ops.where(spread > 0, stretched, images)

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("seed")
        return {**config, "value_range": list(self.value_range)}
