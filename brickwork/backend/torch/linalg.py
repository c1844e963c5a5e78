"""torch backend: linear algebra. Matrices are the last two axes; leading axes are a batch."""

from __future__ import annotations

import torch

from brickwork.backend import config
from brickwork.backend.torch.core import convert_to_tensor, to_torch_dtype

def _float(x) -> torch.Tensor:
    """``x`` as a tensor of a floating dtype: integers and bools become floatx."""
    x = convert_to_tensor(x)
    if x.is_floating_point() or x.is_complex():
        return x
    return x.to(to_torch_dtype(config.floatx()))


def _check_mode(mode):
    if mode not in ("reduced", "complete"):
        raise ValueError(f"mode must be 'reduced' or 'complete', received {mode!r}")


def cholesky(x, upper=False):
    return torch.linalg.cholesky(_float(x), upper=upper)


def det(x):
    return torch.linalg.det(_float(x))


def eig(x):
    return tuple(torch.linalg.eig(_float(x)))


def eigh(x):
    return tuple(torch.linalg.eigh(_float(x)))


def inv(x):
    return torch.linalg.inv(_float(x))


def lu_factor(x):
    lu, pivots = torch.linalg.lu_factor(_float(x))
    return lu, pivots - 1  # torch counts pivots from 1, LAPACK-style; Keras from 0


class _InvalidNorm(ValueError, RuntimeError):
    """An ``ord``/``axis`` pair with no norm: a ValueError to brickwork, torch's RuntimeError to its callers."""


_MATRIX_ORDS = (None, "fro", "nuc", 1, -1, 2, -2, float("inf"), -float("inf"))


def norm(x, ord=None, axis=None, keepdims=False):
    x = _float(x)
    if isinstance(axis, list):
        axis = tuple(axis)
    axes = (axis,) if isinstance(axis, int) else axis
    if axes is not None and any(not -x.ndim <= a < max(x.ndim, 1) for a in axes):
        if ord in ("fro", "nuc") or (isinstance(axis, tuple) and ord is not None):
            raise _InvalidNorm(f"axis {axis} is out of bounds for a tensor of rank {x.ndim} (ord={ord!r})")
        raise IndexError(f"axis {axis} is out of bounds for a tensor of rank {x.ndim}")
    rank = x.ndim if axes is None else len(axes)
    if ord is not None and rank == 1 and ord in ("fro", "nuc"):
        raise _InvalidNorm(f"ord={ord!r} is a matrix norm; a vector norm takes a number or inf")
    if ord is not None and rank == 2 and ord not in _MATRIX_ORDS:
        raise _InvalidNorm(f"ord={ord!r} is not a matrix norm; use one of {_MATRIX_ORDS}")
    return torch.linalg.norm(x, ord=ord, dim=axis, keepdim=keepdims)


def qr(x, mode="reduced"):
    _check_mode(mode)
    return tuple(torch.linalg.qr(_float(x), mode=mode))


def _as_matrix(a, b):
    """``b`` as a matrix right-hand side; True when it was a (batch of) vector(s)."""
    vector = b.ndim == a.ndim - 1
    return (b.unsqueeze(-1) if vector else b), vector


def solve(a, b):
    a, b = _float(a), _float(b)
    b, vector = _as_matrix(a, b)
    out = torch.linalg.solve(a, b)
    return out.squeeze(-1) if vector else out


def solve_triangular(a, b, lower=False):
    a, b = _float(a), _float(b)
    b, vector = _as_matrix(a, b)
    out = torch.linalg.solve_triangular(a, b, upper=not lower)
    return out.squeeze(-1) if vector else out


def svd(x, full_matrices=True, compute_uv=True):
    x = _float(x)
    if not compute_uv:
        return torch.linalg.svdvals(x)
    return tuple(torch.linalg.svd(x, full_matrices=full_matrices))


def lstsq(a, b, rcond=None):
    a, b = _float(a), _float(b)
    b, vector = _as_matrix(a, b)
    # Through the SVD, as NumPy does: the minimum-norm solution on every device and rank.
    u, s, vh = torch.linalg.svd(a, full_matrices=False)
    if rcond is None:
        rcond = torch.finfo(s.dtype).eps * max(a.shape[-2:])
    keep = s > rcond * s[..., :1]
    s_inv = torch.where(keep, 1 / torch.where(keep, s, torch.ones_like(s)), torch.zeros_like(s))
    out = vh.mT @ (s_inv.unsqueeze(-1) * (u.mT @ b))
    return out.squeeze(-1) if vector else out


def _matrices(name, x) -> torch.Tensor:
    x = _float(x)
    if x.ndim < 2:
        raise ValueError(f"{name} expects matrices of rank >= 2, received shape {tuple(x.shape)}")
    return x


def pinv(x, rcond=None):
    # torch's relative tolerance is NumPy's rcond; NumPy's default is 1e-15, torch's eps * max(M, N).
    return torch.linalg.pinv(_matrices("pinv", x), rtol=rcond)


def matrix_rank(x, tol=None):
    return torch.linalg.matrix_rank(_matrices("matrix_rank", x), atol=tol).to(torch.int32)


def cholesky_inverse(x, upper=False):
    return torch.cholesky_inverse(_matrices("cholesky_inverse", x), upper=upper)


def jvp(fun, primals, tangents, has_aux=False):
    primals = tuple(convert_to_tensor(p) for p in primals) if isinstance(primals, (list, tuple)) else primals
    tangents = tuple(convert_to_tensor(t) for t in tangents) if isinstance(tangents, (list, tuple)) else tangents
    return torch.func.jvp(fun, primals, tangents, has_aux=has_aux)


def slogdet(x):
    return tuple(torch.linalg.slogdet(_float(x)))
