"""``Solarization``: invert the pixels above a random threshold, after adding a random offset."""

from __future__ import annotations

from brickwork import ops, random
from brickwork.layers.preprocessing.base_image_augmentation import (
    BaseImageAugmentation,
    check_value_range,
    factor_range,
)
from brickwork.layers.preprocessing.color import rescale_values


class Solarization(BaseImageAugmentation):
    """On the ``[0, 255]`` scale: ``x' = clip(x + a, 0, 255)``, then ``x' if x' < t else 255 - x'``.

    ``a`` and ``t`` are drawn per image from ``addition_factor * 255`` and ``threshold_factor * 255``.
    Identity when not training.

    Args:
        addition_factor: a float ``f`` in ``[0, 1]`` (``a`` in ``[0, f] * 255``) or a ``(lower, upper)`` pair.
        threshold_factor: likewise for the threshold ``t``.
        value_range: the ``(min, max)`` range of the pixel values.
        seed: an integer seed for repeatable draws.

    Example:
    >>> layer = Solarization(threshold_factor=(0.5, 0.5), value_range=(0, 1))
    >>> layer(np.full((1, 2, 2, 3), 0.8))   # all 0.2: 0.8 is above the threshold 0.5
    """

    def __init__(self, addition_factor=0.0, threshold_factor=0.0, value_range=(0, 255), seed: int | None = None,
                 **kwargs):
        super().__init__(seed=seed, **kwargs)
        self.addition_range = factor_range(addition_factor, (0, 1), "Solarization", "addition_factor", False)
        self.threshold_range = factor_range(threshold_factor, (0, 1), "Solarization", "threshold_factor", False)
        self.addition_factor = addition_factor
        # Kept as the (lower, upper) pair it means, as Keras's config holds it (a JSON round trip keeps it).
        self.threshold_factor = (tuple(sorted(threshold_factor)) if isinstance(threshold_factor, (list, tuple))
                                 else (0, threshold_factor))
        self.value_range = check_value_range(value_range, "Solarization")

    def get_random_transformation(self, data, training: bool = True, seed=None):
        images = self._images_of(data)
        shape = (self._batch_size(images),)
        seed = self._seed(seed)
        additions = random.uniform(shape, self.addition_range[0] * 255, self.addition_range[1] * 255,
                                   dtype=self.compute_dtype, seed=seed)
        thresholds = random.uniform(shape, self.threshold_range[0] * 255, self.threshold_range[1] * 255,
                                    dtype=self.compute_dtype, seed=seed)
        return {"additions": additions, "thresholds": thresholds}

    def transform_images(self, images, transformation, training: bool = True):
        images = ops.cast(images, self.compute_dtype)
        if not training or transformation is None:
            return images
        pixels = rescale_values(images, self.value_range, (0, 255))
        shifted = ops.clip(pixels + self._per_image(transformation["additions"], images), 0, 255)
        solarized = ops.where(shifted < self._per_image(transformation["thresholds"], images), shifted,
                              255 - shifted)
        return rescale_values(solarized, (0, 255), self.value_range)

    def get_config(self) -> dict:
        return {**super().get_config(), "addition_factor": self.addition_factor,
                "threshold_factor": self.threshold_factor, "value_range": list(self.value_range)}
