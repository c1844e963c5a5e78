"""jax backend: the NumPy-like element-wise math, reductions, comparisons and logic.

Written once in ``common/numpy_ops.py`` against ``xp`` and included here with ``xp = jax.numpy``
(see ``common/binding.py``); what follows the include is what jax does differently. Each function
returns a ``jax.Array`` of Keras's dtype; 64-bit mode is on, so the shared code spells out every
dtype JAX would widen.

jax also takes sparse ``BCOO`` tensors where Keras's jax backend does: ``common/sparse_numpy_ops.py`` puts
the rules of ``sparse_ops`` (which ops keep a tensor sparse, which densify it) on the shared functions.
"""

from __future__ import annotations

import jax.numpy as jnp

from brickwork.backend.common.binding import include
from brickwork.backend.jax import sparse as sparse_ops  # noqa: F401 - bound for the include
from brickwork.backend.jax.core import convert_to_tensor, standardize_dtype  # noqa: F401 - bound for the include

# ruff: noqa: F821 - the functions include() defines are unknown to linters
xp = jnp  # the array namespace common/numpy_ops.py runs on
include("numpy_ops", globals())


def _bincount(x, weights, length):
    return jnp.bincount(x, weights=weights, length=length)


# ---- sparse (BCOO) inputs: the rules shared with TensorFlow ----

include("sparse_numpy_ops", globals())


def _without_negative_zero(x):
    """``x`` with -0.0 made the smallest negative normal: XLA on CPU flushes subnormals to zero, so a tiny
    positive value would otherwise tie with -0.0 in ``argmax``/``argmin`` (jax-ml/jax#24280)."""
    x = convert_to_tensor(x)
    if not jnp.issubdtype(x.dtype, jnp.floating) or x.ndim == 0:
        return x
    x = x.astype(jnp.promote_types(x.dtype, jnp.float32))
    return jnp.where((x == 0.0) & jnp.signbit(x), -jnp.finfo(x.dtype).tiny, x)


def argmax(x, axis=None, keepdims=False):
    return jnp.argmax(_without_negative_zero(x), axis=axis, keepdims=keepdims).astype("int32")


def argmin(x, axis=None, keepdims=False):
    return jnp.argmin(_without_negative_zero(x), axis=axis, keepdims=keepdims).astype("int32")
