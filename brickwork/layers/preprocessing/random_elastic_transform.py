"""``RandomElasticTransform``: distort some images with a random smooth displacement field while training."""

from __future__ import annotations

from brickwork import ops, random
from brickwork.layers.preprocessing.base_image_augmentation import (
    BaseImageAugmentation,
    check_value_range,
    factor_range,
)

_INTERPOLATIONS = ("nearest", "bilinear")
_FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")


class RandomElasticTransform(BaseImageAugmentation):
    """Apply ``ops.image.elastic_transform`` to some images of a batch.

    Each image draws a probability ``p`` from ``factor`` and is distorted when a uniform draw falls below
    it; a strength ``s`` is drawn once per batch from ``scale``, giving the displacement
    ``alpha = 0.1 s max(height, width)`` and its smoothness ``sigma = 0.05 s min(height, width)``. The result
    is clipped to ``value_range``. Identity when not training.

    Args:
        factor: a float ``f`` in ``[0, 1]`` (``p`` in ``[0, f]``) or a ``(lower, upper)`` pair.
        scale: a float ``s`` in ``[0, 1]`` (strength in ``[0, s]``) or a ``(lower, upper)`` pair.
        interpolation: ``"bilinear"`` or ``"nearest"``.
        fill_mode: how points outside the image are read: ``"reflect"``, ``"mirror"``, ``"constant"``,
            ``"nearest"`` or ``"wrap"`` (see ``ops.image.map_coordinates``).
        fill_value: the value outside with ``fill_mode="constant"``.
        value_range: the ``(min, max)`` range of the pixel values.
        seed: an integer seed for repeatable draws.
        data_format: ``"channels_last"`` or ``"channels_first"``; default ``image_data_format()``.

    Example:
    >>> layer = RandomElasticTransform(factor=1.0, scale=0.5, seed=1)
    >>> layer(np.random.rand(2, 32, 32, 3) * 255, training=True).shape   # (2, 32, 32, 3)
    """

    def __init__(self, factor=1.0, scale=1.0, interpolation: str = "bilinear", fill_mode: str = "reflect",
                 fill_value: float = 0.0, value_range=(0, 255), seed: int | None = None,
                 data_format: str | None = None, **kwargs):
        if interpolation not in _INTERPOLATIONS:
            raise NotImplementedError(f"RandomElasticTransform: interpolation must be one of {_INTERPOLATIONS}, "
                                      f"received {interpolation!r}.")
        if fill_mode not in _FILL_MODES:
            raise NotImplementedError(f"RandomElasticTransform: fill_mode must be one of {_FILL_MODES}, received "
                                      f"{fill_mode!r}.")
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        self.factor = factor_range(factor, (0, 1), "RandomElasticTransform")
        self.scale = factor_range(scale, (0, 1), "RandomElasticTransform", "scale")
        self.interpolation = interpolation
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.value_range = check_value_range(value_range, "RandomElasticTransform")

    def get_random_transformation(self, data, training: bool = True, seed=None):
        if not training or self.scale[1] == 0 or self.factor[1] == 0:
            return None
        shape, seed = (self._batch_size(self._images_of(data)),), self._seed(seed)
        probability = random.uniform(shape, self.factor[0], self.factor[1], seed=seed)
        apply = random.uniform(shape, seed=seed) < probability
        strength = random.uniform((), self.scale[0], self.scale[1], dtype=self.compute_dtype, seed=seed)
        return {"apply_transform": apply, "distortion_factor": strength, "seed": seed}

    def transform_images(self, images, transformation, training: bool = True):
        images = ops.cast(images, self.compute_dtype)
        if not training or transformation is None:
            return images
        height_axis, width_axis = self._spatial_axes(images)
        height, width = images.shape[height_axis], images.shape[width_axis]
        strength = float(ops.convert_to_numpy(transformation["distortion_factor"]))
        distorted = ops.image.elastic_transform(
            images, alpha=0.1 * strength * max(height, width), sigma=0.05 * strength * min(height, width),
            interpolation=self.interpolation, fill_mode=self.fill_mode, fill_value=self.fill_value,
            seed=transformation["seed"], data_format=self.data_format)
        result = ops.where(self._per_image(transformation["apply_transform"], images), distorted, images)
        return ops.clip(result, self.value_range[0], self.value_range[1])

    def get_config(self) -> dict:
        return {**super().get_config(), "factor": self.factor, "scale": self.scale,
                "interpolation": self.interpolation, "fill_mode": self.fill_mode, "fill_value": self.fill_value,
                "value_range": self.value_range}
