"""Random ops the NumPy-like engines share, written once against ``xp``.

Included by ``backend/<engine>/random.py`` (see ``common/binding.py``): the engine module binds the
names in ``REQUIRES`` and runs this code in its own namespace. The samplers each engine writes its
own way; ``dropout`` draws its mask with the engine module's ``_keep_mask`` (looked up when called,
so the engine may define it after the include).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

REQUIRES = ("xp", "convert_to_tensor")
if TYPE_CHECKING:  # bound by the including engine module
    import numpy as xp  # or jax.numpy: any NumPy-like namespace

    def convert_to_tensor(x, dtype=None): ...

    def _keep_mask(seed, keep, shape):
        """Booleans of ``shape``, each true with probability ``keep``, drawn from ``seed``."""


def dropout(inputs, rate, noise_shape=None, seed=None):
    inputs = convert_to_tensor(inputs)
    if noise_shape is None:
        noise_shape = inputs.shape
    else:
        noise_shape = tuple(d if n is None else n for n, d in zip(noise_shape, inputs.shape))
    keep = 1.0 - rate
    mask = _keep_mask(seed, keep, noise_shape)
    return xp.where(mask, inputs / keep, xp.zeros((), inputs.dtype)).astype(inputs.dtype)
