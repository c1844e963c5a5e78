"""``RandomContrast``: scale each image's deviation from its mean by a random factor while training."""

from __future__ import annotations

from brickwork import backend, ops, random
from brickwork.layers.layer import Layer


def _factor_range(factor, layer: str) -> tuple[float, float]:
    lower, upper = (factor, factor) if isinstance(factor, (int, float)) else tuple(factor)
    if not (0 <= lower <= 1 and upper >= 0):
        raise ValueError(f"{layer}: factor must be a float or (lower, upper) with lower in [0, 1] and "
                         f"upper >= 0, received {factor!r}")
    return float(lower), float(upper)


class RandomContrast(Layer):
    """Adjust contrast: ``(x - mean) * c + mean`` per image and channel, ``c ~ U[1 - lower, 1 + upper]``.

    The result is clipped to ``value_range``. Identity when not training.

    Args:
        factor: a float (``lower = upper = factor``) or a ``(lower, upper)`` tuple.
        value_range: the ``(min, max)`` range of the pixel values.
        seed: an integer seed for repeatable factors.
        data_format: ``"channels_last"`` or ``"channels_first"`` (where the spatial axes are); default
            ``image_data_format()``.

    Example:
    >>> RandomContrast(0.2, seed=1)(np.ones((2, 4, 4, 3))).shape   # (2, 4, 4, 3)
    """

    def __init__(self, factor, value_range=(0, 255), seed: int | None = None, data_format: str | None = None,
                 **kwargs):
        super().__init__(**kwargs)
        self.data_format = backend.standardize_data_format(data_format)
        self.lower, self.upper = _factor_range(factor, "RandomContrast")
        self.factor = factor
        self.value_range = tuple(value_range)
        self.seed = seed
        self.seed_generator = random.SeedGenerator(seed)
        self.supports_masking = False  # as Keras's image layers: a mask is not carried through

    def call(self, inputs, training=None):
        images = ops.cast(inputs, self.compute_dtype)
        if training is False:
            return images
        # Spatial axes are the two before the channels (channels_last) or the last two (channels_first).
        ndim = len(images.shape)
        spatial = (ndim - 3, ndim - 2) if self.data_format == "channels_last" else (ndim - 2, ndim - 1)
        batch_shape = (images.shape[0],) if ndim == 4 else ()
        contrast = random.uniform(batch_shape + (1, 1, 1), 1.0 - self.lower, 1.0 + self.upper,
                                  dtype=self.compute_dtype, seed=self.seed_generator)
        mean = ops.mean(images, axis=spatial, keepdims=True)
        adjusted = ops.add(ops.multiply(ops.subtract(images, mean), contrast), mean)
        return ops.clip(adjusted, self.value_range[0], self.value_range[1])

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "factor": self.factor, "value_range": list(self.value_range),
                "seed": self.seed, "data_format": self.data_format}
