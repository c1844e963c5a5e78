"""jax backend: linear algebra. Matrices are the last two axes; leading axes are a batch.

Written once where shared in ``common/linalg_ops.py`` against ``xp`` and included here with
``xp = jax.numpy`` (see ``common/binding.py``); the rest is jax's own.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import jax.scipy.linalg as jsp_linalg

from brickwork.backend.common.binding import include
from brickwork.backend.jax.math import _float

# ruff: noqa: F821 - the functions include() defines are unknown to linters
xp = jnp  # the array namespace common/linalg_ops.py runs on
include("linalg_ops", globals())


def _square(x) -> jax.Array:
    """``x`` as float square matrices; jnp would fail on other shapes with a broadcasting message."""
    x = _float(x)
    if x.ndim < 2 or x.shape[-1] != x.shape[-2]:
        raise ValueError(f"expected square matrices of shape (..., M, M), received shape {x.shape}")
    return x


def cholesky(x, upper=False):
    out = jnp.linalg.cholesky(_square(x), upper=upper)
    # JAX signals a matrix that is not positive definite with NaNs; raise like the other
    # backends when the values are concrete (inside a trace there is nothing to check).
    if not isinstance(out, jax.core.Tracer) and bool(jnp.any(jnp.isnan(out))):
        raise ValueError("the matrix is not positive definite")
    return out


def det(x):
    return jnp.linalg.det(_square(x))


def eig(x):
    return tuple(jnp.linalg.eig(_square(x)))


def eigh(x):
    return tuple(jnp.linalg.eigh(_square(x)))


def inv(x):
    return jnp.linalg.inv(_square(x))


def lu_factor(x):
    lu, pivots, _ = jax.lax.linalg.lu(_float(x))
    return lu, pivots


def norm(x, ord=None, axis=None, keepdims=False):
    if isinstance(axis, list):
        axis = tuple(axis)
    return jnp.linalg.norm(_float(x), ord=ord, axis=axis, keepdims=keepdims)


def solve_triangular(a, b, lower=False):
    a, b = _float(a), _float(b)
    b, vector = _as_matrix(a, b)
    out = jsp_linalg.solve_triangular(a, b, lower=lower)
    return out[..., 0] if vector else out


def jvp(fun, primals, tangents, has_aux=False):
    return jax.jvp(fun, tuple(primals), tuple(tangents), has_aux=has_aux)
