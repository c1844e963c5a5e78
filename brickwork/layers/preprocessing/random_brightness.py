"""``RandomBrightness``: add a random offset to each image while training."""

from __future__ import annotations

from brickwork import backend, ops, random
from brickwork.layers.layer import Layer


def _factor_range(factor) -> tuple[float, float]:
    lower, upper = (-factor, factor) if isinstance(factor, (int, float)) else tuple(factor)
    if not -1 <= lower <= upper <= 1:
        raise ValueError(f"RandomBrightness: factor must be a float in [0, 1] or (lower, upper) in [-1, 1], "
                         f"received {factor!r}")
    return float(lower), float(upper)


class RandomBrightness(Layer):
    """Add ``delta * (max - min)`` to each image, ``delta ~ U[lower, upper]``, clipped to ``value_range``.

    Identity when not training.

    Args:
        factor: a float ``f`` (``delta`` in ``[-f, f]``) or a ``(lower, upper)`` tuple in ``[-1, 1]``.
        value_range: the ``(min, max)`` range of the pixel values.
        seed: an integer seed for repeatable offsets.
        data_format: ``"channels_last"`` or ``"channels_first"``, kept for Keras (the offset is per image,
            so the layout does not matter); default ``image_data_format()``.

    Example:
    >>> RandomBrightness(0.2, value_range=(0, 1), seed=1)(np.ones((2, 4, 4, 3))).shape   # (2, 4, 4, 3)
    """

    def __init__(self, factor, value_range=(0, 255), seed: int | None = None, data_format: str | None = None,
                 **kwargs):
        super().__init__(**kwargs)
        self.data_format = backend.standardize_data_format(data_format)
        self.lower, self.upper = _factor_range(factor)
        if len(value_range) != 2 or value_range[0] >= value_range[1]:
            raise ValueError(f"RandomBrightness: value_range must be (min, max) with min < max, "
                             f"received {value_range!r}")
        self.factor = factor
        self.value_range = tuple(value_range)
        self.seed = seed
        self.seed_generator = random.SeedGenerator(seed)
        self.supports_masking = False  # as Keras's image layers: a mask is not carried through

    def call(self, inputs, training=None):
        images = ops.cast(inputs, self.compute_dtype)
        if training is False:
            return images
        low, high = self.value_range
        batch_shape = (images.shape[0],) if len(images.shape) == 4 else ()
        delta = random.uniform(batch_shape + (1, 1, 1), self.lower * (high - low), self.upper * (high - low),
                               dtype=self.compute_dtype, seed=self.seed_generator)
        return ops.clip(ops.add(images, delta), low, high)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "factor": self.factor, "value_range": list(self.value_range),
                "seed": self.seed, "data_format": self.data_format}
