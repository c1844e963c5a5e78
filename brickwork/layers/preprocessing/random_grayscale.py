"""``RandomGrayscale``: turn each image to grayscale with probability ``factor`` while training."""

from __future__ import annotations

from brickwork import ops, random
from brickwork.layers.preprocessing.base_image_augmentation import BaseImageAugmentation
from brickwork.layers.preprocessing.color import rgb_to_grayscale


class RandomGrayscale(BaseImageAugmentation):
    """Replace an RGB image, with probability ``factor``, by its luma repeated on the three channels.

    Identity when not training.

    Args:
        factor: the probability, in ``[0, 1]``, that an image becomes grayscale.
        data_format: ``"channels_last"`` or ``"channels_first"``; default ``image_data_format()``.
        seed: an integer seed for repeatable draws.

    Example:
    >>> RandomGrayscale(factor=1.0)(np.random.rand(2, 4, 4, 3)).shape   # (2, 4, 4, 3), R == G == B
    """

    def __init__(self, factor: float = 0.5, data_format: str | None = None, seed: int | None = None, **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        if not isinstance(factor, (int, float)) or not 0 <= factor <= 1:
            raise ValueError(f"RandomGrayscale: `factor` must be a probability in [0, 1], received {factor!r}.")
        self.factor = factor

    def get_random_transformation(self, data, training: bool = True, seed=None):
        images = self._images_of(data)
        draws = random.uniform((self._batch_size(images),), seed=self._seed(seed))
        return {"apply": draws < self.factor}

    def transform_images(self, images, transformation, training: bool = True):
        images = ops.cast(images, self.compute_dtype)
        if not training or transformation is None:
            return images
        gray = rgb_to_grayscale(images, self.data_format)
        return ops.where(self._per_image(transformation["apply"], images), gray, images)

    def get_config(self) -> dict:
        return {**super().get_config(), "factor": self.factor}
