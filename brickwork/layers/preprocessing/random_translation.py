"""``RandomTranslation``: shift each image by a random offset while training."""

from __future__ import annotations

from brickwork import backend, ops, random
from brickwork.layers.layer import Layer


def _factor_range(factor, name: str) -> tuple[float, float]:
    lower, upper = (-factor, factor) if isinstance(factor, (int, float)) else tuple(factor)
    if not -1 <= lower <= upper <= 1:
        raise ValueError(f"RandomTranslation: {name} must be a float in [0, 1] or (lower, upper) in [-1, 1], "
                         f"received {factor!r}")
    return float(lower), float(upper)


class RandomTranslation(Layer):
    """Shift each image by random fractions of its height and width (down and right > 0).

    Identity when not training.

    Args:
        height_factor: a float ``f`` (shifts in ``[-f, f] * height``) or a ``(lower, upper)`` tuple.
        width_factor: the same for the width.
        fill_mode: ``"reflect"``, ``"wrap"``, ``"constant"`` or ``"nearest"``.
        interpolation: ``"bilinear"`` or ``"nearest"``.
        seed: an integer seed for repeatable shifts.
        fill_value: the value outside the image when ``fill_mode="constant"``.
        data_format: ``"channels_last"`` or ``"channels_first"``; default ``image_data_format()``.

    Example:
    >>> RandomTranslation(0.2, 0.2, seed=1)(np.ones((2, 4, 4, 3))).shape   # (2, 4, 4, 3)
    """

    def __init__(self, height_factor, width_factor, fill_mode: str = "reflect", interpolation: str = "bilinear",
                 seed: int | None = None, fill_value: float = 0.0, data_format: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.height_range = _factor_range(height_factor, "height_factor")
        self.width_range = _factor_range(width_factor, "width_factor")
        self.height_factor = height_factor
        self.width_factor = width_factor
        self.fill_mode = fill_mode
        self.interpolation = interpolation
        self.seed = seed
        self.fill_value = fill_value
        self.data_format = backend.standardize_data_format(data_format)
        self.seed_generator = random.SeedGenerator(seed)

    def call(self, inputs, training=None):
        images = ops.cast(inputs, self.compute_dtype)
        if training is False:
            return images
        ndim = len(images.shape)
        axis = ndim - 3 if self.data_format == "channels_last" else ndim - 2
        height, width = images.shape[axis], images.shape[axis + 1]
        batch = images.shape[0] if ndim == 4 else 1
        dy = random.uniform((batch,), self.height_range[0] * height, self.height_range[1] * height,
                            dtype=self.compute_dtype, seed=self.seed_generator)
        dx = random.uniform((batch,), self.width_range[0] * width, self.width_range[1] * width,
                            dtype=self.compute_dtype, seed=self.seed_generator)
        one, zero = ops.ones_like(dx), ops.zeros_like(dx)
        transform = ops.stack([one, zero, -dx, zero, one, -dy, zero, zero], axis=1)
        return ops.image.affine_transform(images, transform, interpolation=self.interpolation,
                                          fill_mode=self.fill_mode, fill_value=self.fill_value,
                                          data_format=self.data_format)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "height_factor": self.height_factor, "width_factor": self.width_factor,
                "fill_mode": self.fill_mode, "interpolation": self.interpolation, "seed": self.seed,
                "fill_value": self.fill_value, "data_format": self.data_format}
