"""``RandomSaturation``: scale the colour saturation of each image by a random factor while training."""

from __future__ import annotations

from brickwork import backend, ops, random
from brickwork.layers.preprocessing.base_image_augmentation import (
    BaseImageAugmentation,
    check_value_range,
    factor_range,
)
from brickwork.layers.preprocessing.color import channel_axis, hsv_to_rgb, rgb_to_hsv


class RandomSaturation(BaseImageAugmentation):
    """Multiply the HSV saturation of each image by ``u / (1 - u)``, ``u`` drawn per image from ``factor``.

    ``u = 0.5`` leaves the image as it is, ``u = 0`` makes it gray, ``u`` near 1 saturates it fully.
    Identity when not training.

    Args:
        factor: a float ``f`` (``u`` in ``[-f, f]``, as Keras draws it; negative ``u`` gives gray) or a
            ``(lower, upper)`` pair in ``[-1, 1]``.
        value_range: the ``(min, max)`` range of the pixel values (the conversion to HSV does not depend on it).
        data_format: ``"channels_last"`` or ``"channels_first"``; default ``image_data_format()``.
        seed: an integer seed for repeatable draws.

    Example:
    >>> RandomSaturation(factor=(0.5, 0.5))(np.random.rand(1, 4, 4, 3) * 255)   # unchanged
    """

    def __init__(self, factor, value_range=(0, 255), data_format: str | None = None, seed: int | None = None,
                 **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        self.lower, self.upper = factor_range(factor, (-1, 1), "RandomSaturation")
        self.factor = factor
        self.value_range = check_value_range(value_range, "RandomSaturation")

    def get_random_transformation(self, data, training: bool = True, seed=None):
        shape = (self._batch_size(self._images_of(data)),)
        amount = random.uniform(shape, self.lower, self.upper, seed=self._seed(seed))
        return {"factor": amount / (1.0 - amount + backend.epsilon())}

    def transform_images(self, images, transformation, training: bool = True):
        images = ops.cast(images, self.compute_dtype)
        if not training or transformation is None:
            return images
        axis = channel_axis(self.data_format)
        hue, saturation, value = ops.split(rgb_to_hsv(images, self.data_format), 3, axis=axis)
        saturation = saturation * self._per_image(ops.cast(transformation["factor"], images.dtype), images)
        # Saturation is a fraction: clip to [0, 1] (Keras clips to value_range, which for (0, 255) lets a
        # saturation above 1 push channels below zero).
        saturation = ops.clip(saturation, 0.0, 1.0)
        return hsv_to_rgb(ops.concatenate([hue, saturation, value], axis=axis), self.data_format)

    def get_config(self) -> dict:
        return {**super().get_config(), "factor": self.factor, "value_range": list(self.value_range)}
