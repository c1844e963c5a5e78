"""``RandomErasing``: blank out a random rectangle of some images while training (Zhong et al., 2017)."""

from __future__ import annotations

from brickwork import ops, random
from brickwork.layers.preprocessing.base_image_augmentation import (
    BaseImageAugmentation,
    check_value_range,
    factor_range,
)


class RandomErasing(BaseImageAugmentation):
    """Fill a random box of an image with noise or a constant, with a random probability per image.

    Each image draws a probability ``p`` from ``factor`` and is erased when a uniform draw falls below it.
    The box's height and width are ``sqrt(s)`` of the image's, each ``s`` drawn from ``scale``, at a
    uniform position. Identity when not training.

    Args:
        factor: a float ``f`` in ``[0, 1]`` (``p`` in ``[0, f]``) or a ``(lower, upper)`` pair.
        scale: the ``(lower, upper)`` range of ``s`` (a float ``s`` means ``(0, s)``).
        fill_value: the value inside the box (a number, or one per channel); ``None`` for Gaussian noise
            scaled by ``value_range[1]``. Clipped to ``value_range``.
        value_range: the ``(min, max)`` range of the pixel values.
        seed: an integer seed for repeatable draws.
        data_format: ``"channels_last"`` or ``"channels_first"``; default ``image_data_format()``.

    Example:
    >>> RandomErasing(factor=(1.0, 1.0), fill_value=0.0, seed=1)(np.ones((2, 8, 8, 3)))   # a zero box per image
    """

    def __init__(self, factor=1.0, scale=(0.02, 0.33), fill_value=None, value_range=(0, 255),
                 seed: int | None = None, data_format: str | None = None, **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        self.lower, self.upper = factor_range(factor, (0, 1), "RandomErasing")
        self.scale_range = factor_range(scale, (0, 1), "RandomErasing", "scale")
        if fill_value is not None and not isinstance(fill_value, (int, float)) and not (
                isinstance(fill_value, (list, tuple)) and len(fill_value) == 3):
            raise ValueError(f"RandomErasing: `fill_value` must be None, a number or three numbers, "
                             f"received {fill_value!r}.")
        self.factor = factor
        self.scale = scale
        self.fill_value = fill_value
        self.value_range = check_value_range(value_range, "RandomErasing")

    def _box_bounds(self, batch: int, length: int, ratio, seed):
        size = ratio * length
        start = random.uniform((batch,), dtype=self.compute_dtype, seed=seed) * (length - size)
        return start, start + size

    def get_random_transformation(self, data, training: bool = True, seed=None):
        images = self._images_of(data)
        batch, seed = self._batch_size(images), self._seed(seed)
        height_axis, width_axis = self._spatial_axes(images)
        height, width = images.shape[height_axis], images.shape[width_axis]
        ratios = ops.sqrt(random.uniform((batch, 2), self.scale_range[0], self.scale_range[1],
                                         dtype=self.compute_dtype, seed=seed))
        left, right = self._box_bounds(batch, width, ratios[:, 0], seed)
        top, bottom = self._box_bounds(batch, height, ratios[:, 1], seed)
        rows = ops.reshape(ops.arange(height, dtype=self.compute_dtype), (1, height, 1))
        columns = ops.reshape(ops.arange(width, dtype=self.compute_dtype), (1, 1, width))
        inside = ((columns >= left[:, None, None]) & (columns < right[:, None, None])
                  & (rows >= top[:, None, None]) & (rows < bottom[:, None, None]))
        inside = ops.expand_dims(inside, -1 if self.data_format == "channels_last" else 1)  # (batch, h, w, 1)
        probability = random.uniform((batch,), self.lower, self.upper, seed=seed)
        apply = random.uniform((batch,), seed=seed) < probability
        batched_shape = (batch, *images.shape[-3:])
        if self.fill_value is None:
            fill = random.normal(batched_shape, dtype=self.compute_dtype, seed=seed) * self.value_range[1]
        else:
            value = ops.convert_to_tensor(self.fill_value, dtype=self.compute_dtype)
            if isinstance(self.fill_value, (list, tuple)) and self.data_format == "channels_first":
                value = ops.reshape(value, (3, 1, 1))
            fill = ops.broadcast_to(value, batched_shape)
        fill = ops.clip(fill, self.value_range[0], self.value_range[1])
        return {"apply_erasing": apply, "batch_masks": inside, "fill_value": fill}

    def transform_images(self, images, transformation, training: bool = True):
        images = ops.cast(images, self.compute_dtype)
        if not training or transformation is None:
            return images
        batched = images if len(images.shape) == 4 else ops.expand_dims(images, 0)
        erased = ops.where(transformation["batch_masks"], transformation["fill_value"], batched)
        apply = ops.reshape(transformation["apply_erasing"], (-1, 1, 1, 1))
        result = ops.where(apply, erased, batched)
        return result if len(images.shape) == 4 else result[0]

    def get_config(self) -> dict:
        return {**super().get_config(), "factor": self.factor, "scale": self.scale, "fill_value": self.fill_value,
                "value_range": list(self.value_range)}
