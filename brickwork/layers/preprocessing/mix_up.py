"""``MixUp``: blend each image (and its label) with another of the batch (Zhang et al., 2018)."""

from __future__ import annotations

from brickwork import ops, random
from brickwork.layers.preprocessing.base_image_augmentation import BaseImageAugmentation


class MixUp(BaseImageAugmentation):
    """``w * x + (1 - w) * x[permutation]``, ``w ~ Beta(alpha, alpha)`` per image, the same for ``"labels"``.

    Given a dict with ``"images"`` and ``"labels"`` (one-hot or soft), both are mixed with the same
    weights and permutation. Identity when not training.

    Args:
        alpha: the Beta distribution's parameter (small: weights near 0 or 1).
        data_format: ``"channels_last"`` or ``"channels_first"``; default ``image_data_format()``.
        seed: an integer seed for repeatable draws.

    Example:
    >>> batch = {"images": np.random.rand(4, 8, 8, 3), "labels": np.eye(4)}
    >>> mixed = MixUp(alpha=0.2, seed=1)(batch)   # mixed["labels"] rows still sum to 1
    """

    def __init__(self, alpha: float = 0.2, data_format: str | None = None, seed: int | None = None, **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        if not isinstance(alpha, (int, float)) or alpha <= 0:
            raise ValueError(f"MixUp: `alpha` must be a positive number, received {alpha!r}.")
        self.alpha = alpha

    def get_random_transformation(self, data, training: bool = True, seed=None):
        batch, seed = self._batch_size(self._images_of(data)), self._seed(seed)
        permutation = random.shuffle(ops.arange(batch, dtype="int32"), seed=seed)
        weight = random.beta((batch,), self.alpha, self.alpha, dtype=self.compute_dtype, seed=seed)
        return {"mix_weight": weight, "permutation_order": permutation}

    def transform_images(self, images, transformation, training: bool = True):
        images = ops.cast(images, self.compute_dtype)
        if not training or transformation is None:
            return images
        if len(images.shape) == 3:  # one image mixes with itself
            return images
        weight = ops.reshape(ops.cast(transformation["mix_weight"], self.compute_dtype), (-1, 1, 1, 1))
        others = ops.take(images, transformation["permutation_order"], axis=0)
        return weight * images + (1.0 - weight) * others

    def transform_labels(self, labels, transformation, training: bool = True):
        if not training or transformation is None:
            return labels
        labels = ops.cast(labels, self.compute_dtype)
        weight = ops.reshape(ops.cast(transformation["mix_weight"], self.compute_dtype), (-1, 1))
        others = ops.take(labels, transformation["permutation_order"], axis=0)
        return weight * labels + (1.0 - weight) * others

    def get_config(self) -> dict:
        return {**super().get_config(), "alpha": self.alpha}
