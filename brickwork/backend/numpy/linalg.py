"""numpy backend: linear algebra. Matrices are the last two axes; leading axes are a batch.

Written once where shared in ``common/linalg_ops.py`` against ``xp`` and included here with
``xp = numpy`` (see ``common/binding.py``); the rest is numpy's own.
"""

from __future__ import annotations

import numpy as np

from brickwork.backend.common.binding import include
from brickwork.backend.numpy.math import _float

# ruff: noqa: F821 - the functions include() defines are unknown to linters
xp = np  # the array namespace common/linalg_ops.py runs on
include("linalg_ops", globals())


def cholesky(x, upper=False):
    return np.linalg.cholesky(_float(x), upper=upper)


def det(x):
    return np.linalg.det(_float(x))


def eig(x):
    x = _float(x)
    values, vectors = np.linalg.eig(x)
    # NumPy returns real results when it can; torch and jax always return complex ones.
    complex_dtype = np.result_type(x.dtype, np.complex64)
    return values.astype(complex_dtype, copy=False), vectors.astype(complex_dtype, copy=False)


def eigh(x):
    return tuple(np.linalg.eigh(_float(x)))


def inv(x):
    return np.linalg.inv(_float(x))


def lu_factor(x):
    """LU with partial pivoting (LAPACK's getrf), vectorised over the batch."""
    x = _float(x)
    *batch, m, n = x.shape
    k = min(m, n)
    a = x.reshape((-1, m, n)).copy()
    pivots = np.zeros((a.shape[0], k), dtype=np.int32)
    rows = np.arange(a.shape[0])
    for j in range(k):
        p = j + np.argmax(np.abs(a[:, j:, j]), axis=1)
        pivots[:, j] = p
        a[rows, j], a[rows, p] = a[rows, p].copy(), a[rows, j].copy()
        pivot = a[:, j, j]
        # A zero pivot leaves its column as is (getrf reports it instead of dividing by zero).
        scale = np.where(pivot != 0, pivot, 1)
        a[:, j + 1 :, j] /= scale[:, None]
        a[:, j + 1 :, j + 1 :] -= a[:, j + 1 :, j, None] * a[:, j, None, j + 1 :]
    return a.reshape(x.shape), pivots.reshape(tuple(batch) + (k,))


def norm(x, ord=None, axis=None, keepdims=False):
    x = _float(x)
    if isinstance(axis, list):
        axis = tuple(axis)
    return np.asarray(np.linalg.norm(x, ord=ord, axis=axis, keepdims=keepdims)).astype(
        x.real.dtype, copy=False
    )


def solve_triangular(a, b, lower=False):
    """Substitution row by row, vectorised over the batch and the right-hand sides."""
    a, b = _float(a), _float(b)
    b, vector = _as_matrix(a, b)
    n = a.shape[-1]
    out = np.zeros(np.broadcast_shapes(a.shape[:-2], b.shape[:-2]) + b.shape[-2:],
                   dtype=np.result_type(a.dtype, b.dtype))
    order = range(n) if lower else range(n - 1, -1, -1)
    with np.errstate(divide="ignore", invalid="ignore"):
        for i in order:
            done = slice(0, i) if lower else slice(i + 1, n)
            partial = np.einsum("...k,...kj->...j", a[..., i, done], out[..., done, :])
            out[..., i, :] = (b[..., i, :] - partial) / a[..., i, i, None]
    return out[..., 0] if vector else out


def jvp(fun, primals, tangents, has_aux=False):
    raise NotImplementedError("jvp: the numpy backend has no automatic differentiation; use the jax or torch backend.")
