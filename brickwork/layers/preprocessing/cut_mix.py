"""``CutMix``: paste a random box from another image of the batch, mixing the labels by area (Yun et al., 2019)."""

from __future__ import annotations

from brickwork import ops, random
from brickwork.layers.preprocessing.base_image_augmentation import (
    BaseImageAugmentation,
    factor_range,
)


class CutMix(BaseImageAugmentation):
    """Replace a box of each image by the same box of another image of the batch (a random permutation).

    The box covers a fraction ``1 - w`` of the image, ``w ~ Beta(a, a)`` per image with ``a`` drawn from
    ``factor``; given a dict with ``"labels"`` (one-hot or soft), the labels become
    ``w * labels + (1 - w) * labels[permutation]`` with ``w`` the share of the image kept. A single image
    (rank 3) is left as is. Identity when not training.

    Args:
        factor: a float ``f`` in ``[0, 1]`` (``a`` in ``[0, f]``) or a ``(lower, upper)`` pair.
        seed: an integer seed for repeatable draws.
        data_format: ``"channels_last"`` or ``"channels_first"``; default ``image_data_format()``.

    Example:
    >>> batch = {"images": np.random.rand(4, 8, 8, 3), "labels": np.eye(4)}
    >>> mixed = CutMix(seed=1)(batch)   # mixed["labels"] rows still sum to 1
    """

    def __init__(self, factor=1.0, seed: int | None = None, data_format: str | None = None, **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        self.lower, self.upper = factor_range(factor, (0, 1), "CutMix")
        self.factor = factor

    def _box_bounds(self, batch: int, length: int, ratio, seed):
        size = ratio * length
        start = random.uniform((batch,), dtype=self.compute_dtype, seed=seed) * (length - size)
        return start, start + size

    def get_random_transformation(self, data, training: bool = True, seed=None):
        images = self._images_of(data)
        if len(images.shape) == 3:
            return None
        batch, seed = images.shape[0], self._seed(seed)
        height_axis, width_axis = self._spatial_axes(images)
        height, width = images.shape[height_axis], images.shape[width_axis]
        alpha = random.uniform((), self.lower, self.upper, dtype=self.compute_dtype, seed=seed) + 1e-6
        kept = random.beta((batch,), alpha, alpha, dtype=self.compute_dtype, seed=seed)
        ratio = ops.sqrt(1.0 - kept)
        left, right = self._box_bounds(batch, width, ratio, seed)
        top, bottom = self._box_bounds(batch, height, ratio, seed)
        rows = ops.reshape(ops.arange(height, dtype=self.compute_dtype), (1, height, 1))
        columns = ops.reshape(ops.arange(width, dtype=self.compute_dtype), (1, 1, width))
        inside = ((columns >= left[:, None, None]) & (columns < right[:, None, None])
                  & (rows >= top[:, None, None]) & (rows < bottom[:, None, None]))
        inside = ops.expand_dims(inside, -1 if self.data_format == "channels_last" else 1)
        permutation = random.shuffle(ops.arange(batch, dtype="int32"), seed=seed)
        # The labels' weight is the share of the image kept (the box's exact area, not the draw).
        mix_weight = 1.0 - (right - left) * (bottom - top) / (height * width)
        return {"permutation_order": permutation, "batch_masks": inside, "mix_weight": mix_weight}

    def transform_images(self, images, transformation, training: bool = True):
        images = ops.cast(images, self.compute_dtype)
        if not training or transformation is None:
            return images
        others = ops.take(images, transformation["permutation_order"], axis=0)
        return ops.where(transformation["batch_masks"], others, images)

    def transform_labels(self, labels, transformation, training: bool = True):
        if not training or transformation is None:
            return labels
        labels = ops.cast(labels, self.compute_dtype)
        others = ops.take(labels, transformation["permutation_order"], axis=0)
        weight = ops.reshape(ops.cast(transformation["mix_weight"], self.compute_dtype), (-1, 1))
        return weight * labels + (1.0 - weight) * others

    def get_config(self) -> dict:
        return {**super().get_config(), "factor": self.factor}
