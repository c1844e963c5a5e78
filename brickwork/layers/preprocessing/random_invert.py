"""``RandomInvert``: invert the pixel values of some images while training."""

from __future__ import annotations

from brickwork import ops, random
from brickwork.layers.preprocessing.base_image_augmentation import (
    BaseImageAugmentation,
    check_value_range,
    factor_range,
)


class RandomInvert(BaseImageAugmentation):
    """Replace an image ``x`` by ``max - x`` (``max = value_range[1]``), with a random probability per image.

    Each image draws a probability ``p`` from ``factor`` and is inverted when a uniform draw is below ``p``.
    Identity when not training.

    Args:
        factor: a float ``f`` in ``[0, 1]`` (``p`` in ``[0, f]``) or a ``(lower, upper)`` pair.
        value_range: the ``(min, max)`` range of the pixel values.
        seed: an integer seed for repeatable draws.
        data_format: ``"channels_last"`` or ``"channels_first"``; default ``image_data_format()``.

    Example:
    >>> RandomInvert(factor=(1.0, 1.0), value_range=(0, 1))(np.full((1, 2, 2, 3), 0.25))   # all 0.75
    """

    def __init__(self, factor=1.0, value_range=(0, 255), seed: int | None = None, data_format: str | None = None,
                 **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        self.lower, self.upper = factor_range(factor, (0, 1), "RandomInvert", symmetric=False)
        self.factor = factor
        self.value_range = check_value_range(value_range, "RandomInvert")

    def get_random_transformation(self, data, training: bool = True, seed=None):
        shape = (self._batch_size(self._images_of(data)),)
        seed = self._seed(seed)
        probability = random.uniform(shape, self.lower, self.upper, seed=seed)
        return {"apply_inversion": random.uniform(shape, seed=seed) < probability}

    def transform_images(self, images, transformation, training: bool = True):
        images = ops.cast(images, self.compute_dtype)
        if not training or transformation is None:
            return images
        apply = self._per_image(transformation["apply_inversion"], images)
        return ops.where(apply, self.value_range[1] - images, images)

    def get_config(self) -> dict:
        return {**super().get_config(), "factor": self.factor, "value_range": list(self.value_range)}
