"""jax backend: NumPy-like shape, indexing, creation and linear-algebra-product ops. Each function takes arrays, Variables or scalars."""

from __future__ import annotations

import jax.numpy as jnp

from brickwork.backend import config
from brickwork.backend.common import dtypes
from brickwork.backend.jax.core import convert_to_tensor, standardize_dtype
from brickwork.backend.jax.numpy import _promote  # noqa: F401


def matmul(x1, x2):
    x1, x2 = _promote(x1, x2)
    return jnp.matmul(x1, x2)


def reshape(x, newshape):
    return jnp.reshape(convert_to_tensor(x), newshape)

