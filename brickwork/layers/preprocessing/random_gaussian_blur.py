"""``RandomGaussianBlur``: blur some images with a Gaussian of random width while training."""

from __future__ import annotations

from brickwork import ops, random
from brickwork.layers.preprocessing.base_image_augmentation import (
    BaseImageAugmentation,
    check_value_range,
    factor_range,
)


def _kernel_size(kernel_size) -> tuple[int, int]:
    sizes = tuple(kernel_size) if isinstance(kernel_size, (list, tuple)) else (kernel_size, kernel_size)
    if len(sizes) != 2 or any(not isinstance(s, int) or s < 1 or s % 2 == 0 for s in sizes):
        raise ValueError(f"RandomGaussianBlur: `kernel_size` must be an odd int or two odd ints, "
                         f"received {kernel_size!r}.")
    return sizes


def _gaussian(size: int, sigma):
    offsets = ops.arange(size, dtype=sigma.dtype) - (size - 1) / 2.0
    weights = ops.exp(-0.5 * ops.square(offsets / sigma))
    return weights / ops.sum(weights)


class RandomGaussianBlur(BaseImageAugmentation):
    """Convolve some images with a ``kernel_size`` Gaussian (zero padding, same size out).

    Each image draws a probability ``p`` from ``factor`` and is blurred when a uniform draw falls below it;
    the standard deviations along x and y are drawn once per batch from ``sigma``. The result is clipped to
    ``value_range``. Identity when not training.

    Args:
        factor: a float ``f`` in ``[0, 1]`` (``p`` in ``[0, f]``) or a ``(lower, upper)`` pair.
        kernel_size: an odd int or ``(width, height)`` odd ints.
        sigma: a float ``s`` (standard deviations in ``[0, s]``) or a ``(lower, upper)`` pair.
        value_range: the ``(min, max)`` range of the pixel values.
        data_format: ``"channels_last"`` or ``"channels_first"``; default ``image_data_format()``.
        seed: an integer seed for repeatable draws.

    Example:
    >>> RandomGaussianBlur(factor=(1.0, 1.0), kernel_size=5, sigma=2.0, seed=1)(np.random.rand(2, 8, 8, 3) * 255)
    """

    def __init__(self, factor=1.0, kernel_size=3, sigma=1.0, value_range=(0, 255), data_format: str | None = None,
                 seed: int | None = None, **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        self.lower, self.upper = factor_range(factor, (0, 1), "RandomGaussianBlur")
        self.kernel_sizes = _kernel_size(kernel_size)
        self.sigma_range = factor_range(sigma, (0, float("inf")), "RandomGaussianBlur", "sigma")
        self.factor = factor
        self.kernel_size = kernel_size
        self.sigma = sigma
        self.value_range = check_value_range(value_range, "RandomGaussianBlur")

    def get_random_transformation(self, data, training: bool = True, seed=None):
        shape, seed = (self._batch_size(self._images_of(data)),), self._seed(seed)
        probability = random.uniform(shape, self.lower, self.upper, seed=seed)
        apply = random.uniform(shape, seed=seed) < probability
        sigma = random.uniform((2,), self.sigma_range[0], self.sigma_range[1], dtype=self.compute_dtype,
                               seed=seed) + 1e-6
        return {"should_apply_blur": apply, "blur_factor": sigma}

    def transform_images(self, images, transformation, training: bool = True):
        images = ops.cast(images, self.compute_dtype)
        if not training or transformation is None:
            return images
        batched = images if len(images.shape) == 4 else ops.expand_dims(images, 0)
        sigma = ops.cast(transformation["blur_factor"], self.compute_dtype)
        size_x, size_y = self.kernel_sizes
        kernel = ops.expand_dims(_gaussian(size_y, sigma[1]), 1) * ops.expand_dims(_gaussian(size_x, sigma[0]), 0)
        channels = batched.shape[-1 if self.data_format == "channels_last" else 1]
        kernel = ops.tile(ops.reshape(kernel, (size_y, size_x, 1, 1)), (1, 1, channels, 1))
        blurred = ops.depthwise_conv(batched, kernel, padding="same", data_format=self.data_format)
        apply = ops.reshape(transformation["should_apply_blur"], (-1, 1, 1, 1))
        result = ops.clip(ops.where(apply, blurred, batched), self.value_range[0], self.value_range[1])
        return result if len(images.shape) == 4 else result[0]

    def get_config(self) -> dict:
        return {**super().get_config(), "factor": self.factor, "kernel_size": self.kernel_size, "sigma": self.sigma,
                "value_range": list(self.value_range)}
