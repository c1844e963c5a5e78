"""Linear algebra the NumPy-like engines share, written once against ``xp``.

Included by ``backend/<engine>/linalg.py`` (see ``common/binding.py``): the engine module binds the
names in ``REQUIRES`` (``_float`` is its math module's) and runs this code in its own namespace.
Matrices are the last two axes; leading axes are a batch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

REQUIRES = ("xp", "_float")
if TYPE_CHECKING:  # bound by the including engine module
    import numpy as xp  # or jax.numpy: any NumPy-like namespace

    def _float(x):
        """``x`` as an array of a floating dtype: integers and bools become floatx."""


def _check_mode(mode):
    if mode not in ("reduced", "complete"):
        raise ValueError(f"mode must be 'reduced' or 'complete', received {mode!r}")


def qr(x, mode="reduced"):
    _check_mode(mode)
    return tuple(xp.linalg.qr(_float(x), mode=mode))


def _as_matrix(a, b):
    """``b`` as a matrix right-hand side; True when it was a (batch of) vector(s)."""
    vector = b.ndim == a.ndim - 1
    return (b[..., None] if vector else b), vector


def solve(a, b):
    a, b = _float(a), _float(b)
    b, vector = _as_matrix(a, b)
    out = xp.linalg.solve(a, b)
    return out[..., 0] if vector else out


def svd(x, full_matrices=True, compute_uv=True):
    out = xp.linalg.svd(_float(x), full_matrices=full_matrices, compute_uv=compute_uv)
    return tuple(out) if compute_uv else out


def lstsq(a, b, rcond=None):
    return xp.linalg.lstsq(_float(a), _float(b), rcond=rcond)[0]


def _matrices(name, x):
    x = _float(x)
    if x.ndim < 2:
        raise ValueError(f"{name} expects matrices of rank >= 2, received shape {tuple(x.shape)}")
    return x


def pinv(x, rcond=None):
    return xp.linalg.pinv(_matrices("pinv", x), rcond=rcond)


def matrix_rank(x, tol=None):
    return xp.linalg.matrix_rank(_matrices("matrix_rank", x), tol=tol).astype("int32")


def cholesky_inverse(x, upper=False):
    factor = _matrices("cholesky_inverse", x)
    factor_inv = xp.linalg.inv(factor)  # triangular, so its inverse is too
    adjoint = xp.conj(xp.swapaxes(factor_inv, -1, -2))
    # x = L L^H (lower) or U^H U (upper): the inverse is L^-H L^-1 or U^-1 U^-H.
    return factor_inv @ adjoint if upper else adjoint @ factor_inv


def slogdet(x):
    return tuple(xp.linalg.slogdet(_float(x)))
