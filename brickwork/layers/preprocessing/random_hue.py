"""``RandomHue``: rotate the hue of each image by a random amount while training."""

from __future__ import annotations

from brickwork import ops, random
from brickwork.layers.preprocessing.base_image_augmentation import (
    BaseImageAugmentation,
    check_value_range,
    factor_range,
)
from brickwork.layers.preprocessing.color import (
    channel_axis,
    hsv_to_rgb,
    rescale_values,
    rgb_to_hsv,
)


class RandomHue(BaseImageAugmentation):
    """Shift the hue of each RGB image by ``±u / 2`` of a turn, ``u`` drawn from ``factor``, the sign at random.

    ``factor=1.0`` can move a colour half way round the colour wheel. Identity when not training.

    Args:
        factor: a float ``f`` in ``[0, 1]`` (``u`` in ``[0, f]``) or a ``(lower, upper)`` pair.
        value_range: the ``(min, max)`` range of the pixel values.
        data_format: ``"channels_last"`` or ``"channels_first"``; default ``image_data_format()``.
        seed: an integer seed for repeatable draws.

    Example:
    >>> RandomHue(factor=0.5, value_range=(0, 1), seed=1)(np.random.rand(2, 4, 4, 3)).shape   # (2, 4, 4, 3)
    """

    def __init__(self, factor, value_range=(0, 255), data_format: str | None = None, seed: int | None = None,
                 **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        self.lower, self.upper = factor_range(factor, (0, 1), "RandomHue")
        self.factor = factor
        self.value_range = check_value_range(value_range, "RandomHue")

    def get_random_transformation(self, data, training: bool = True, seed=None):
        shape = (self._batch_size(self._images_of(data)),)
        seed = self._seed(seed)
        sign = ops.where(random.uniform(shape, seed=seed) > 0.5, -1.0, 1.0)
        amount = random.uniform(shape, self.lower, self.upper, seed=seed)
        return {"factor": sign * amount * 0.5}

    def transform_images(self, images, transformation, training: bool = True):
        images = ops.cast(images, self.compute_dtype)
        if not training or transformation is None:
            return images
        hsv = rgb_to_hsv(rescale_values(images, self.value_range, (0, 1)), self.data_format)
        hue, saturation, value = ops.split(hsv, 3, axis=channel_axis(self.data_format))
        hue = hue + self._per_image(ops.cast(transformation["factor"], images.dtype), images)
        hue = ops.where(hue > 1.0, hue - 1.0, ops.where(hue < 0.0, hue + 1.0, hue))
        rgb = hsv_to_rgb(ops.concatenate([hue, saturation, value], axis=channel_axis(self.data_format)),
                         self.data_format)
        return rescale_values(ops.clip(rgb, 0.0, 1.0), (0, 1), self.value_range)

    def get_config(self) -> dict:
        return {**super().get_config(), "factor": self.factor, "value_range": list(self.value_range)}
