"""``RandomPerspective``: move the image corners at random and warp the image to follow them."""

from __future__ import annotations

from brickwork import ops, random
from brickwork.layers.preprocessing.base_image_augmentation import (
    BaseImageAugmentation,
    factor_range,
)

_INTERPOLATIONS = ("nearest", "bilinear")


def homography(start_points, end_points):
    """The 8 projective coefficients (as ``ops.image.affine_transform`` takes them) mapping each of the four
    ``end_points`` ``(batch, 4, 2)`` (x, y) to the matching ``start_points``: an output pixel at an end point
    reads the input at the start point."""
    sx, sy = start_points[..., 0], start_points[..., 1]
    ex, ey = end_points[..., 0], end_points[..., 1]
    zeros, ones = ops.zeros_like(ex), ops.ones_like(ex)
    # Two equations per point: a0 ex + a1 ey + a2 - sx (a6 ex + a7 ey) = sx, and likewise for sy.
    x_rows = ops.stack([ex, ey, ones, zeros, zeros, zeros, -sx * ex, -sx * ey], axis=-1)
    y_rows = ops.stack([zeros, zeros, zeros, ex, ey, ones, -sy * ex, -sy * ey], axis=-1)
    system = ops.reshape(ops.stack([x_rows, y_rows], axis=2), (-1, 8, 8))
    targets = ops.reshape(ops.stack([sx, sy], axis=2), (-1, 8, 1))
    return ops.linalg.solve(system, targets)[..., 0]


class RandomPerspective(BaseImageAugmentation):
    """Warp some images so that their corners move by up to ``scale / 2`` of their coordinates.

    Each image draws a probability ``p`` from ``factor`` and is warped when a uniform draw falls below it;
    the corner ``c`` moves to ``c + c * d``, ``d ~ U(-scale / 2, scale / 2)`` per coordinate (so, as in Keras,
    the top-left corner stays). Points from outside the image are ``fill_value``. Identity when not training.

    Args:
        factor: a float ``f`` in ``[0, 1]`` (``p`` in ``[0, f]``) or a ``(lower, upper)`` pair.
        scale: the distortion strength, in ``[0, 1]``.
        interpolation: ``"bilinear"`` or ``"nearest"``.
        fill_value: the value of points outside the image.
        seed: an integer seed for repeatable draws.
        data_format: ``"channels_last"`` or ``"channels_first"``; default ``image_data_format()``.

    Example:
    >>> RandomPerspective(factor=1.0, scale=0.4, seed=1)(np.random.rand(2, 16, 16, 3)).shape   # (2, 16, 16, 3)
    """

    def __init__(self, factor=1.0, scale: float = 1.0, interpolation: str = "bilinear", fill_value: float = 0.0,
                 seed: int | None = None, data_format: str | None = None, **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        self.lower, self.upper = factor_range(factor, (0, 1), "RandomPerspective")
        if not isinstance(scale, (int, float)) or not 0 <= scale <= 1:
            raise ValueError(f"RandomPerspective: `scale` must be a number in [0, 1], received {scale!r}.")
        if interpolation not in _INTERPOLATIONS:
            raise ValueError(f"RandomPerspective: `interpolation` must be one of {_INTERPOLATIONS}, "
                             f"received {interpolation!r}.")
        self.factor = factor
        self.scale = scale
        self.interpolation = interpolation
        self.fill_value = fill_value

    def get_random_transformation(self, data, training: bool = True, seed=None):
        images = self._images_of(data)
        batch, seed = self._batch_size(images), self._seed(seed)
        height_axis, width_axis = self._spatial_axes(images)
        height, width = images.shape[height_axis], images.shape[width_axis]
        probability = random.uniform((batch,), self.lower, self.upper, seed=seed)
        apply = random.uniform((batch,), seed=seed) < probability
        shifts = random.uniform((batch, 4, 2), -0.5 * self.scale, 0.5 * self.scale, dtype=self.compute_dtype,
                                seed=seed)
        corners = ops.convert_to_tensor([[0.0, 0.0], [width - 1.0, 0.0], [0.0, height - 1.0],
                                         [width - 1.0, height - 1.0]], dtype=self.compute_dtype)
        start_points = ops.broadcast_to(corners, (batch, 4, 2))
        return {"apply_perspective": apply, "start_points": start_points,
                "end_points": start_points + start_points * shifts}

    def transform_images(self, images, transformation, training: bool = True):
        images = ops.cast(images, self.compute_dtype)
        if not training or transformation is None:
            return images
        batched = images if len(images.shape) == 4 else ops.expand_dims(images, 0)
        coefficients = homography(ops.cast(transformation["start_points"], "float32"),
                                  ops.cast(transformation["end_points"], "float32"))
        warped = ops.image.affine_transform(batched, ops.cast(coefficients, self.compute_dtype),
                                            interpolation=self.interpolation, fill_mode="constant",
                                            fill_value=self.fill_value, data_format=self.data_format)
        apply = ops.reshape(transformation["apply_perspective"], (-1, 1, 1, 1))
        result = ops.where(apply, warped, batched)
        return result if len(images.shape) == 4 else result[0]

    def get_config(self) -> dict:
        return {**super().get_config(), "factor": self.factor, "scale": self.scale,
                "interpolation": self.interpolation, "fill_value": self.fill_value}
