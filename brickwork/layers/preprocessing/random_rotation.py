"""``RandomRotation``: rotate each image by a random angle while training."""

from __future__ import annotations

import math

from brickwork import backend, ops, random
from brickwork.layers.layer import Layer


class RandomRotation(Layer):
    """Rotate each image about its centre by ``factor * 2 pi`` radians, drawn per image (counter-clockwise > 0).

    Identity when not training.

    Args:
        factor: a float ``f`` (angles in ``[-f, f] * 2 pi``) or a ``(lower, upper)`` tuple.
        fill_mode: how points outside the image are filled: ``"reflect"``, ``"wrap"``, ``"constant"``,
            ``"nearest"`` (see ``ops.image.affine_transform``).
        interpolation: ``"bilinear"`` or ``"nearest"``.
        seed: an integer seed for repeatable angles.
        fill_value: the value outside the image when ``fill_mode="constant"``.
        data_format: ``"channels_last"`` or ``"channels_first"``; default ``image_data_format()``.

    Example:
    >>> RandomRotation(0.1, seed=1)(np.ones((2, 4, 4, 3))).shape   # (2, 4, 4, 3)
    """

    def __init__(self, factor, fill_mode: str = "reflect", interpolation: str = "bilinear", seed: int | None = None,
                 fill_value: float = 0.0, data_format: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.lower, self.upper = (-factor, factor) if isinstance(factor, (int, float)) else map(float, factor)
        if self.lower > self.upper:
            raise ValueError(f"RandomRotation: factor must be a float or (lower, upper) with lower <= upper, "
                             f"received {factor!r}")
        self.factor = factor
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
        angle = random.uniform((batch,), self.lower * 2 * math.pi, self.upper * 2 * math.pi,
                               dtype=self.compute_dtype, seed=self.seed_generator)
        cos, sin = ops.cos(angle), ops.sin(angle)
        # Rotate about the centre: the source point of each output pixel, as tf's angles_to_projective_transforms.
        x_offset = (width - (cos * width - sin * height)) / 2.0
        y_offset = (height - (sin * width + cos * height)) / 2.0
        zero = ops.zeros_like(angle)
        transform = ops.stack([cos, -sin, x_offset, sin, cos, y_offset, zero, zero], axis=1)
        return ops.image.affine_transform(images, transform, interpolation=self.interpolation,
                                          fill_mode=self.fill_mode, fill_value=self.fill_value,
                                          data_format=self.data_format)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "factor": self.factor, "fill_mode": self.fill_mode,
                "interpolation": self.interpolation, "seed": self.seed, "fill_value": self.fill_value,
                "data_format": self.data_format}
