"""jax backend: linear algebra. Matrices are the last two axes; leading axes are a batch."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import jax.scipy.linalg as jsp_linalg

from brickwork.backend import config
from brickwork.backend.jax.core import convert_to_tensor


def _float(x) -> jax.Array:
    """``x`` as an array of a floating dtype: integers and bools become floatx."""
    x = convert_to_tensor(x)
    if jnp.issubdtype(x.dtype, jnp.inexact):
        return x
    return x.astype(config.floatx())


def _square(x) -> jax.Array:
    """``x`` as float square matrices; jnp would fail on other shapes with a broadcasting message."""
    x = _float(x)
    if x.ndim < 2 or x.shape[-1] != x.shape[-2]:
        raise ValueError(f"expected square matrices of shape (..., M, M), received shape {x.shape}")
    return x


def _check_mode(mode):
    if mode not in ("reduced", "complete"):
        raise ValueError(f"mode must be 'reduced' or 'complete', received {mode!r}")


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


def qr(x, mode="reduced"):
    _check_mode(mode)
    return tuple(jnp.linalg.qr(_float(x), mode=mode))


def _as_matrix(a, b):
    """``b`` as a matrix right-hand side; True when it was a (batch of) vector(s)."""
    vector = b.ndim == a.ndim - 1
    return (b[..., None] if vector else b), vector


def solve(a, b):
    a, b = _float(a), _float(b)
    b, vector = _as_matrix(a, b)
    out = jnp.linalg.solve(a, b)
    return out[..., 0] if vector else out


def solve_triangular(a, b, lower=False):
    a, b = _float(a), _float(b)
    b, vector = _as_matrix(a, b)
    out = jsp_linalg.solve_triangular(a, b, lower=lower)
    return out[..., 0] if vector else out


def svd(x, full_matrices=True, compute_uv=True):
    out = jnp.linalg.svd(_float(x), full_matrices=full_matrices, compute_uv=compute_uv)
    return tuple(out) if compute_uv else out


def lstsq(a, b, rcond=None):
    return jnp.linalg.lstsq(_float(a), _float(b), rcond=rcond)[0]
