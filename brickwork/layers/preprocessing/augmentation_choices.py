"""The augmentations that ``RandAugment`` and ``AugMix`` pick from, built once with a shared strength."""

from __future__ import annotations

from brickwork.layers.layer import Layer
from brickwork.layers.preprocessing.auto_contrast import AutoContrast
from brickwork.layers.preprocessing.equalization import Equalization
from brickwork.layers.preprocessing.random_brightness import RandomBrightness
from brickwork.layers.preprocessing.random_color_degeneration import (
    RandomColorDegeneration,
)
from brickwork.layers.preprocessing.random_contrast import RandomContrast
from brickwork.layers.preprocessing.random_posterization import RandomPosterization
from brickwork.layers.preprocessing.random_rotation import RandomRotation
from brickwork.layers.preprocessing.random_sharpness import RandomSharpness
from brickwork.layers.preprocessing.random_shear import RandomShear
from brickwork.layers.preprocessing.random_translation import RandomTranslation
from brickwork.layers.preprocessing.solarization import Solarization


def build_augmentations(names: list[str], strength: tuple[float, float], value_range: tuple, interpolation: str,
                        seed: int | None, data_format: str) -> list[Layer]:
    """The layers called ``names`` (Keras's snake-case names), each with ``strength`` as its factor.

    Posterization keeps at most ``max(1, int(8 * strength[1]))`` bits.
    """
    geometry = {"interpolation": interpolation, "seed": seed, "data_format": data_format}
    colour = {"value_range": value_range, "seed": seed}
    makers = {
        "random_shear": lambda: RandomShear(strength, strength, **geometry),
        "random_translation": lambda: RandomTranslation(strength, strength, **geometry),
        "random_rotation": lambda: RandomRotation(strength, **geometry),
        "random_brightness": lambda: RandomBrightness(strength, **colour),
        "random_color_degeneration": lambda: RandomColorDegeneration(strength, **colour, data_format=data_format),
        "random_contrast": lambda: RandomContrast(strength, **colour),
        "random_sharpness": lambda: RandomSharpness(strength, **colour, data_format=data_format),
        "random_posterization": lambda: RandomPosterization(max(1, int(8 * strength[1])), **colour,
                                                            data_format=data_format),
        "solarization": lambda: Solarization(strength, strength, **colour, data_format=data_format),
        "auto_contrast": lambda: AutoContrast(value_range=value_range, data_format=data_format),
        "equalization": lambda: Equalization(value_range=value_range, data_format=data_format),
    }
    return [makers[name]() for name in names]
