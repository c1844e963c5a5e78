"""``RandomColorJitter``: random brightness, contrast, saturation and hue, one after the other."""

from __future__ import annotations

from brickwork import ops
from brickwork.layers.preprocessing.base_image_augmentation import (
    BaseImageAugmentation,
    check_value_range,
)
from brickwork.layers.preprocessing.random_brightness import RandomBrightness
from brickwork.layers.preprocessing.random_contrast import RandomContrast
from brickwork.layers.preprocessing.random_hue import RandomHue
from brickwork.layers.preprocessing.random_saturation import RandomSaturation


class RandomColorJitter(BaseImageAugmentation):
    """Apply, in this order, those of ``RandomBrightness``, ``RandomContrast``, ``RandomSaturation`` and
    ``RandomHue`` whose factor is given. Identity when not training.

    Args:
        value_range: the ``(min, max)`` range of the pixel values.
        brightness_factor, contrast_factor, saturation_factor, hue_factor: each layer's ``factor``
            (``None`` leaves that step out).
        seed: an integer seed for repeatable draws.
        data_format: ``"channels_last"`` or ``"channels_first"``; default ``image_data_format()``.

    Example:
    >>> jitter = RandomColorJitter(value_range=(0, 1), brightness_factor=0.2, hue_factor=0.1, seed=1)
    >>> jitter(np.random.rand(2, 4, 4, 3)).shape   # (2, 4, 4, 3)
    """

    def __init__(self, value_range=(0, 255), brightness_factor=None, contrast_factor=None, saturation_factor=None,
                 hue_factor=None, seed: int | None = None, data_format: str | None = None, **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        self.value_range = check_value_range(value_range, "RandomColorJitter")
        self.brightness_factor = brightness_factor
        self.contrast_factor = contrast_factor
        self.saturation_factor = saturation_factor
        self.hue_factor = hue_factor
        common = {"value_range": self.value_range, "seed": seed}
        steps = [(RandomBrightness, brightness_factor, {}), (RandomContrast, contrast_factor, {}),
                 (RandomSaturation, saturation_factor, {"data_format": self.data_format}),
                 (RandomHue, hue_factor, {"data_format": self.data_format})]
        self.steps = [layer_cls(factor, **common, **extra) for layer_cls, factor, extra in steps if factor is not None]

    def transform_images(self, images, transformation, training: bool = True):
        images = ops.cast(images, self.compute_dtype)
        if not training:
            return images
        for step in self.steps:
            images = step(images, training=True)
        return images

    def get_config(self) -> dict:
        return {**super().get_config(), "value_range": list(self.value_range),
                "brightness_factor": self.brightness_factor, "contrast_factor": self.contrast_factor,
                "saturation_factor": self.saturation_factor, "hue_factor": self.hue_factor}
