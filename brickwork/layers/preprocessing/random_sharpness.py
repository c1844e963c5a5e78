"""``RandomSharpness``: sharpen or blur each image by a random amount while training."""

from __future__ import annotations

from brickwork import ops, random
from brickwork.layers.preprocessing.base_image_augmentation import (
    BaseImageAugmentation,
    check_value_range,
    factor_range,
)

# The smoothing filter of PIL's ImageEnhance.Sharpness (and of Keras): centre weight 5, neighbours 1.
_SMOOTH = [[1.0, 1.0, 1.0], [1.0, 5.0, 1.0], [1.0, 1.0, 1.0]]


class RandomSharpness(BaseImageAugmentation):
    """``x + (1 - s) * (smooth(x) - x)``, clipped to ``value_range``, with ``s = 2 u``, ``u`` drawn from ``factor``.

    ``u = 0.5`` keeps the image, smaller ``u`` blurs it towards a 3x3 smoothing, larger ``u`` sharpens it.
    Identity when not training.

    Args:
        factor: a float ``f`` in ``[0, 1]`` (``u`` in ``[0, f]``) or a ``(lower, upper)`` pair.
        value_range: the ``(min, max)`` range of the pixel values.
        data_format: ``"channels_last"`` or ``"channels_first"``; default ``image_data_format()``.
        seed: an integer seed for repeatable draws.

    Example:
    >>> RandomSharpness(factor=(0.5, 0.5))(np.random.rand(1, 4, 4, 3) * 255)   # unchanged
    """

    def __init__(self, factor, value_range=(0, 255), data_format: str | None = None, seed: int | None = None,
                 **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        self.lower, self.upper = factor_range(factor, (0, 1), "RandomSharpness")
        self.factor = factor
        self.value_range = check_value_range(value_range, "RandomSharpness")

    def get_random_transformation(self, data, training: bool = True, seed=None):
        shape = (self._batch_size(self._images_of(data)),)
        return {"factor": random.uniform(shape, self.lower, self.upper, seed=self._seed(seed))}

    def transform_images(self, images, transformation, training: bool = True):
        images = ops.cast(images, self.compute_dtype)
        if not training or transformation is None:
            return images
        batched = images if len(images.shape) == 4 else ops.expand_dims(images, 0)
        channels = batched.shape[-1 if self.data_format == "channels_last" else 1]
        kernel = ops.convert_to_tensor(_SMOOTH, dtype=self.compute_dtype) / 13.0
        kernel = ops.tile(ops.reshape(kernel, (3, 3, 1, 1)), (1, 1, channels, 1))
        smoothed = ops.depthwise_conv(batched, kernel, padding="same", data_format=self.data_format)
        if len(images.shape) == 3:
            smoothed = smoothed[0]
        sharpness = self._per_image(ops.cast(transformation["factor"], self.compute_dtype) * 2.0, images)
        return ops.clip(images + (1.0 - sharpness) * (smoothed - images), self.value_range[0], self.value_range[1])

    def get_config(self) -> dict:
        return {**super().get_config(), "factor": self.factor, "value_range": list(self.value_range)}
