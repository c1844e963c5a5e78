"""``RandAugment``: apply ``num_ops`` augmentations picked at random from a fixed list (Cubuk et al., 2019)."""

from __future__ import annotations

from brickwork import ops, random
from brickwork.layers.preprocessing.augmentation_choices import build_augmentations
from brickwork.layers.preprocessing.base_image_augmentation import (
    BaseImageAugmentation,
    check_value_range,
    factor_range,
)

_CHOICES = ["random_shear", "random_translation", "random_rotation", "random_brightness",
            "random_color_degeneration", "random_contrast", "random_sharpness", "random_posterization",
            "solarization", "auto_contrast", "equalization"]


class RandAugment(BaseImageAugmentation):
    """Apply, ``num_ops`` times, one augmentation drawn uniformly from: shear, translation, rotation,
    brightness, colour degeneration, contrast, sharpness, posterization, solarization, auto-contrast and
    equalization, each with strength ``factor``.

    One draw per call picks the augmentation for the whole batch (each image then gets its own random
    parameters). All candidates are computed and one is selected, so the layer runs under ``jit``.
    Identity when not training.

    Args:
        value_range: the ``(min, max)`` range of the pixel values.
        num_ops: how many augmentations to apply in a row.
        factor: the strength, a float ``f`` in ``[0, 1]`` (``(0, f)``) or a ``(lower, upper)`` pair, given to
            each augmentation (posterization keeps ``max(1, int(8 * upper))`` bits at most).
        interpolation: ``"bilinear"`` or ``"nearest"``, for the geometric augmentations.
        seed: an integer seed for repeatable draws.
        data_format: ``"channels_last"`` or ``"channels_first"``; default ``image_data_format()``.

    Example:
    >>> RandAugment(num_ops=2, factor=0.3, seed=1)(np.random.rand(4, 16, 16, 3) * 255).shape   # (4, 16, 16, 3)
    """

    def __init__(self, value_range=(0, 255), num_ops: int = 2, factor=0.5, interpolation: str = "bilinear",
                 seed: int | None = None, data_format: str | None = None, **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        if isinstance(num_ops, bool) or not isinstance(num_ops, int) or num_ops < 0:
            raise ValueError(f"RandAugment: `num_ops` must be a non-negative int, received {num_ops!r}.")
        self.value_range = check_value_range(value_range, "RandAugment")
        self.strength = factor_range(factor, (0, 1), "RandAugment")
        self.num_ops = num_ops
        self.factor = factor
        self.interpolation = interpolation
        self.augmentations = build_augmentations(_CHOICES, self.strength, self.value_range, interpolation, seed,
                                                 self.data_format)

    def get_random_transformation(self, data, training: bool = True, seed=None):
        choices = random.randint((self.num_ops,), 0, len(self.augmentations), seed=self._seed(seed))
        return {"layer_idxes": choices}

    def transform_images(self, images, transformation, training: bool = True):
        images = ops.cast(images, self.compute_dtype)
        if not training or transformation is None:
            return images
        choices = transformation["layer_idxes"]
        for step in range(self.num_ops):
            candidates = [ops.cast(layer(images, training=True), self.compute_dtype) for layer in self.augmentations]
            chosen = candidates[0]
            for index, candidate in enumerate(candidates[1:], start=1):
                chosen = ops.where(choices[step] == index, candidate, chosen)
            images = chosen
        return images

    def get_config(self) -> dict:
        return {**super().get_config(), "value_range": list(self.value_range), "num_ops": self.num_ops,
                "factor": self.factor, "interpolation": self.interpolation}
