"""jax backend: the NumPy-like element-wise math, reductions, comparisons and logic.

Written once in ``common/numpy_ops.py`` against ``xp`` and included here with ``xp = jax.numpy``
(see ``common/binding.py``); what follows the include is what jax does differently. Each function
returns a ``jax.Array`` of Keras's dtype; 64-bit mode is on, so the shared code spells out every
dtype JAX would widen.
"""

from __future__ import annotations

import builtins

import jax.numpy as jnp

from brickwork.backend.common import dtypes
from brickwork.backend.common.binding import include
from brickwork.backend.jax.core import convert_to_tensor, standardize_dtype

# ruff: noqa: F821 - the functions include() defines are unknown to linters
xp = jnp  # the array namespace common/numpy_ops.py runs on
include("numpy_ops", globals())


def bincount(x, weights=None, minlength=0, sparse=False):
    if sparse:
        raise ValueError("bincount: sparse=True is not supported by the jax backend.")
    x = convert_to_tensor(x)
    dtype = "int32"
    if weights is not None:
        weights = convert_to_tensor(weights)
        dtype = dtypes.result_type(standardize_dtype(x.dtype), standardize_dtype(weights.dtype))
    # The length is data-dependent: bincount is eager-only, as in Keras.
    length = builtins.max(int(jnp.max(x)) + 1 if x.size else 0, minlength)
    if x.ndim == 1:
        return jnp.bincount(x, weights=weights, length=length).astype(dtype)
    rows = [
        jnp.bincount(row, weights=None if weights is None else weights[i], length=length)
        for i, row in enumerate(x)
    ]
    return jnp.stack(rows).astype(dtype)
