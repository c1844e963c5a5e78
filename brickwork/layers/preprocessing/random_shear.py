"""``RandomShear``: shear each image by a random amount along x and y while training."""

from __future__ import annotations

from brickwork import ops, random
from brickwork.layers.preprocessing.base_image_augmentation import (
    BaseImageAugmentation,
    factor_range,
)

_FILL_MODES = ("reflect", "wrap", "constant", "nearest")
_INTERPOLATIONS = ("nearest", "bilinear")


class RandomShear(BaseImageAugmentation):
    """Shear each image: the output pixel ``(x, y)`` samples the input at ``(x + s_x y, s_y x + y)``.

    ``s_x`` and ``s_y`` are drawn per image from ``x_factor`` and ``y_factor``, then both negated for a
    random half of the images. Identity when not training.

    Args:
        x_factor, y_factor: a float ``f`` in ``[0, 1]`` (shear in ``[-f, f]``) or a ``(lower, upper)`` pair.
        interpolation: ``"bilinear"`` or ``"nearest"``.
        fill_mode: how points outside the image are filled: ``"reflect"``, ``"wrap"``, ``"constant"``,
            ``"nearest"`` (see ``ops.image.affine_transform``).
        fill_value: the value outside the image when ``fill_mode="constant"``.
        data_format: ``"channels_last"`` or ``"channels_first"``; default ``image_data_format()``.
        seed: an integer seed for repeatable draws.

    Example:
    >>> RandomShear(x_factor=0.3, seed=1)(np.random.rand(2, 8, 8, 3)).shape   # (2, 8, 8, 3)
    """

    def __init__(self, x_factor=0.0, y_factor=0.0, interpolation: str = "bilinear", fill_mode: str = "reflect",
                 fill_value: float = 0.0, data_format: str | None = None, seed: int | None = None, **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        for value in ([x_factor, y_factor] + [v for f in (x_factor, y_factor) if isinstance(f, (list, tuple))
                                              for v in f]):
            if isinstance(value, (int, float)) and not 0 <= value <= 1:
                raise ValueError(f"RandomShear: factors must lie in [0, 1], received x_factor={x_factor!r}, "
                                 f"y_factor={y_factor!r}.")
        self.x_range = factor_range(x_factor, (-1, 1), "RandomShear", "x_factor")
        self.y_range = factor_range(y_factor, (-1, 1), "RandomShear", "y_factor")
        if fill_mode not in _FILL_MODES:
            raise ValueError(f"RandomShear: `fill_mode` must be one of {_FILL_MODES}, received {fill_mode!r}.")
        if interpolation not in _INTERPOLATIONS:
            raise ValueError(f"RandomShear: `interpolation` must be one of {_INTERPOLATIONS}, "
                             f"received {interpolation!r}.")
        self.x_factor = x_factor
        self.y_factor = y_factor
        self.interpolation = interpolation
        self.fill_mode = fill_mode
        self.fill_value = fill_value

    def get_random_transformation(self, data, training: bool = True, seed=None):
        shape = (self._batch_size(self._images_of(data)), 1)
        seed = self._seed(seed)
        sign = ops.where(random.uniform(shape, dtype=self.compute_dtype, seed=seed) > 0.5, -1.0, 1.0)
        shear_y = random.uniform(shape, self.y_range[0], self.y_range[1], dtype=self.compute_dtype, seed=seed)
        shear_x = random.uniform(shape, self.x_range[0], self.x_range[1], dtype=self.compute_dtype, seed=seed)
        return {"shear_factor": ops.concatenate([shear_x, shear_y], axis=1) * sign}

    def transform_images(self, images, transformation, training: bool = True):
        images = ops.cast(images, self.compute_dtype)
        if not training or transformation is None:
            return images
        shear = ops.cast(transformation["shear_factor"], self.compute_dtype)
        ones, zeros = ops.ones_like(shear[:, 0]), ops.zeros_like(shear[:, 0])
        matrix = ops.stack([ones, shear[:, 0], zeros, shear[:, 1], ones, zeros, zeros, zeros], axis=1)
        batched = images if len(images.shape) == 4 else ops.expand_dims(images, 0)
        result = ops.image.affine_transform(batched, matrix, interpolation=self.interpolation,
                                            fill_mode=self.fill_mode, fill_value=self.fill_value,
                                            data_format=self.data_format)
        return result if len(images.shape) == 4 else result[0]

    def get_config(self) -> dict:
        return {**super().get_config(), "x_factor": self.x_factor, "y_factor": self.y_factor,
                "interpolation": self.interpolation, "fill_mode": self.fill_mode, "fill_value": self.fill_value}
