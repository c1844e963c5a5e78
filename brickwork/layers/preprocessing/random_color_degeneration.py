"""``RandomColorDegeneration``: blend each image with its grayscale version by a random amount."""

from __future__ import annotations

from brickwork import ops, random
from brickwork.layers.preprocessing.base_image_augmentation import (
    BaseImageAugmentation,
    check_value_range,
    factor_range,
)
from brickwork.layers.preprocessing.color import rgb_to_grayscale


class RandomColorDegeneration(BaseImageAugmentation):
    """``x + u * (gray(x) - x)``, clipped to ``value_range``, ``u`` drawn per image from ``factor``.

    ``u = 0`` keeps the colours, ``u = 1`` gives the grayscale image. Identity when not training.

    Args:
        factor: a float ``f`` (``u`` in ``[-f, f]``, as Keras draws it) or a ``(lower, upper)`` pair in
            ``[-1, 1]``.
        value_range: the ``(min, max)`` range of the pixel values.
        data_format: ``"channels_last"`` or ``"channels_first"``; default ``image_data_format()``.
        seed: an integer seed for repeatable draws.

    Example:
    >>> RandomColorDegeneration(factor=(1.0, 1.0))(np.random.rand(1, 4, 4, 3) * 255)   # grayscale
    """

    def __init__(self, factor, value_range=(0, 255), data_format: str | None = None, seed: int | None = None,
                 **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        self.lower, self.upper = factor_range(factor, (-1, 1), "RandomColorDegeneration")
        self.factor = factor
        self.value_range = check_value_range(value_range, "RandomColorDegeneration")

    def get_random_transformation(self, data, training: bool = True, seed=None):
        shape = (self._batch_size(self._images_of(data)),)
        return {"factor": random.uniform(shape, self.lower, self.upper, seed=self._seed(seed))}

    def transform_images(self, images, transformation, training: bool = True):
        images = ops.cast(images, self.compute_dtype)
        if not training or transformation is None:
            return images
        amount = self._per_image(ops.cast(transformation["factor"], images.dtype), images)
        blended = images + amount * (rgb_to_grayscale(images, self.data_format) - images)
        return ops.clip(blended, self.value_range[0], self.value_range[1])

    def get_config(self) -> dict:
        return {**super().get_config(), "factor": self.factor, "value_range": list(self.value_range)}
