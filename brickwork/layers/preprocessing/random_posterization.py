"""``RandomPosterization``: keep only the top bits of each pixel (on the 8-bit scale) while training."""

from __future__ import annotations

from brickwork import ops, random
from brickwork.layers.preprocessing.base_image_augmentation import (
    BaseImageAugmentation,
    check_value_range,
    factor_range,
)
from brickwork.layers.preprocessing.color import rescale_values

_BITS = 8


class RandomPosterization(BaseImageAugmentation):
    """Reduce each image to ``b`` bits per channel, ``b`` drawn per image from ``[1, factor)``.

    Pixels are mapped to ``[0, 255]``, truncated to integers, their lowest ``8 - b`` bits cleared, and
    mapped back to ``value_range``. Identity when not training.

    Args:
        factor: an int ``f`` in ``[1, 8]`` (``b`` in ``[1, f)``, or ``1`` when ``f == 1``) or a
            ``(lower, upper)`` pair (the same ``b`` everywhere when ``lower == upper``).
        value_range: the ``(min, max)`` range of the pixel values.
        data_format: ``"channels_last"`` or ``"channels_first"``; default ``image_data_format()``.
        seed: an integer seed for repeatable draws.

    Example:
    >>> RandomPosterization(factor=(2, 2))(np.full((1, 2, 2, 3), 200.0))   # all 192: 0b11001000 -> 0b11000000
    """

    def __init__(self, factor, value_range=(0, 255), data_format: str | None = None, seed: int | None = None,
                 **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        self.lower, self.upper = (int(v) for v in factor_range(factor, (1, _BITS), "RandomPosterization"))
        self.factor = factor
        self.value_range = check_value_range(value_range, "RandomPosterization")

    def get_random_transformation(self, data, training: bool = True, seed=None):
        shape = (self._batch_size(self._images_of(data)),)
        if self.lower == self.upper:
            bits = ops.full(shape, self.lower, dtype="int32")
        else:
            bits = random.randint(shape, self.lower, self.upper, dtype="int32", seed=self._seed(seed))
        return {"shift_factor": _BITS - bits}

    def transform_images(self, images, transformation, training: bool = True):
        images = ops.cast(images, self.compute_dtype)
        if not training or transformation is None:
            return images
        shift = self._per_image(ops.cast(transformation["shift_factor"], "int32"), images)
        pixels = ops.cast(ops.clip(rescale_values(images, self.value_range, (0, 255)), 0, 255), "int32")
        pixels = ops.bitwise_left_shift(ops.bitwise_right_shift(pixels, shift), shift)
        return rescale_values(ops.cast(pixels, self.compute_dtype), (0, 255), self.value_range)

    def get_config(self) -> dict:
        return {**super().get_config(), "factor": self.factor, "value_range": list(self.value_range)}
