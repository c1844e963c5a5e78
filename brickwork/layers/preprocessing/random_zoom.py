"""``RandomZoom``: zoom each image in or out about its centre by a random factor while training."""

from __future__ import annotations

from brickwork import backend, ops, random
from brickwork.layers.layer import Layer


def _factor_range(factor, name: str) -> tuple[float, float]:
    lower, upper = (-factor, factor) if isinstance(factor, (int, float)) else tuple(factor)
    if not -1 <= lower <= upper:
        raise ValueError(f"RandomZoom: {name} must be a float or (lower, upper) with -1 <= lower <= upper, "
                         f"received {factor!r}")
    return float(lower), float(upper)


class RandomZoom(Layer):
    """Scale each image about its centre by ``1 + u``, ``u`` drawn in the factor's range per image.

    Positive factors zoom out (the image shrinks), negative ones zoom in. Identity when not training.

    Args:
        height_factor: a float ``f`` (``u`` in ``[-f, f]``) or a ``(lower, upper)`` tuple.
        width_factor: the same for the width; ``None`` keeps the aspect ratio (the height's draw).
        fill_mode: ``"reflect"``, ``"wrap"``, ``"constant"`` or ``"nearest"``.
        interpolation: ``"bilinear"`` or ``"nearest"``.
        seed: an integer seed for repeatable zooms.
        fill_value: the value outside the image when ``fill_mode="constant"``.
        data_format: ``"channels_last"`` or ``"channels_first"``; default ``image_data_format()``.

    Example:
    >>> RandomZoom(0.2, seed=1)(np.ones((2, 4, 4, 3))).shape   # (2, 4, 4, 3)
    """

    def __init__(self, height_factor, width_factor=None, fill_mode: str = "reflect", interpolation: str = "bilinear",
                 seed: int | None = None, fill_value: float = 0.0, data_format: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.height_range = _factor_range(height_factor, "height_factor")
        self.width_range = None if width_factor is None else _factor_range(width_factor, "width_factor")
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
        height, width = images.shape[axis] - 1.0, images.shape[axis + 1] - 1.0
        batch = images.shape[0] if ndim == 4 else 1
        zoom_y = 1.0 + random.uniform((batch,), *self.height_range, dtype=self.compute_dtype,
                                      seed=self.seed_generator)
        zoom_x = zoom_y if self.width_range is None else 1.0 + random.uniform(
            (batch,), *self.width_range, dtype=self.compute_dtype, seed=self.seed_generator)
        zero = ops.zeros_like(zoom_y)
        transform = ops.stack([zoom_x, zero, width / 2.0 * (1.0 - zoom_x),
                               zero, zoom_y, height / 2.0 * (1.0 - zoom_y), zero, zero], axis=1)
        return ops.image.affine_transform(images, transform, interpolation=self.interpolation,
                                          fill_mode=self.fill_mode, fill_value=self.fill_value,
                                          data_format=self.data_format)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "height_factor": self.height_factor, "width_factor": self.width_factor,
                "fill_mode": self.fill_mode, "interpolation": self.interpolation, "seed": self.seed,
                "fill_value": self.fill_value, "data_format": self.data_format}
