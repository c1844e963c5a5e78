"""TensorFlow backend: linear algebra. Matrices are the last two axes; leading axes are a batch.

``tf.experimental.numpy`` has no ``linalg``, so the shared ``common/linalg_ops.py`` is not included:
every op is written here on ``tf.linalg``.
"""

from __future__ import annotations

import numpy as np
import optree
import tensorflow as tf

from brickwork.backend.tensorflow.core import convert_to_tensor
from brickwork.backend.tensorflow.math import _float


def _check_mode(mode):
    if mode not in ("reduced", "complete"):
        raise ValueError(f"mode must be 'reduced' or 'complete', received {mode!r}")


def _square(x) -> tf.Tensor:
    """``x`` as float square matrices; TensorFlow would fail on other shapes with a kernel message."""
    x = _float(x)
    if x.shape.rank < 2 or x.shape[-1] != x.shape[-2]:
        raise ValueError(f"expected square matrices of shape (..., M, M), received shape {tuple(x.shape)}")
    return x


def _matrices(name, x) -> tf.Tensor:
    x = _float(x)
    if x.shape.rank < 2:
        raise ValueError(f"{name} expects matrices of rank >= 2, received shape {tuple(x.shape)}")
    return x


def _adjoint(x) -> tf.Tensor:
    return tf.linalg.adjoint(x)


def _broadcast_batch(a, b):
    """``a`` and ``b`` with their leading (batch) axes broadcast together; TensorFlow's solvers need equal ones."""
    batch = tf.broadcast_static_shape(a.shape[:-2], b.shape[:-2])
    if batch.is_fully_defined():
        batch = batch.as_list()
    else:
        batch = tf.broadcast_dynamic_shape(tf.shape(a)[:-2], tf.shape(b)[:-2])
    return (tf.broadcast_to(a, tf.concat([batch, tf.shape(a)[-2:]], 0)),
            tf.broadcast_to(b, tf.concat([batch, tf.shape(b)[-2:]], 0)))


def _as_matrix(a, b):
    """``b`` as a matrix right-hand side; True when it was a (batch of) vector(s)."""
    vector = b.shape.rank == a.shape.rank - 1
    return (b[..., None] if vector else b), vector


def _same_float(a, b):
    a, b = _float(a), _float(b)
    if a.dtype != b.dtype:
        wide = tf.float64 if tf.float64 in (a.dtype, b.dtype) else tf.float32
        a, b = tf.cast(a, wide), tf.cast(b, wide)
    return a, b


def cholesky(x, upper=False):
    x = _square(x)
    try:
        out = tf.linalg.cholesky(x)
    except tf.errors.InvalidArgumentError as error:
        raise ValueError(f"the matrix is not positive definite ({error.message})") from None
    # On some devices TensorFlow signals a matrix that is not positive definite with NaNs.
    if tf.executing_eagerly() and bool(tf.reduce_any(tf.math.is_nan(out))):
        raise ValueError("the matrix is not positive definite")
    return _adjoint(out) if upper else out


def det(x):
    return tf.linalg.det(_square(x))


def eig(x):
    return tuple(tf.linalg.eig(_square(x)))


def eigh(x):
    return tuple(tf.linalg.eigh(_square(x)))


def inv(x):
    return tf.linalg.inv(_square(x))


def lu_factor(x):
    """LU with partial pivoting, LAPACK's layout (``L`` below the diagonal, ``U`` on and above it) and its
    0-based row-swap pivots; written out on TensorFlow ops because ``tf.linalg.lu`` gives a permutation
    and takes square matrices only."""
    a = _matrices("lu_factor", x)
    rows, cols = a.shape[-2], a.shape[-1]
    if rows is None or cols is None:
        raise ValueError(f"lu_factor needs the matrix sizes known when traced; received shape {tuple(a.shape)}")
    batch_rank = a.shape.rank - 2
    row_index = tf.range(rows)
    pivots = []
    for k in range(min(rows, cols)):
        pivot = tf.argmax(tf.abs(a[..., k:, k]), axis=-1, output_type=tf.int32) + k
        pivots.append(pivot)
        pivot = pivot[..., None]
        order = tf.where(row_index == k, pivot, tf.where(row_index == pivot, k, row_index))  # swap rows k, pivot
        a = tf.gather(a, order, axis=-2, batch_dims=batch_rank)
        head = a[..., k, k]
        safe = tf.where(head == 0, tf.ones_like(head), head)  # a zero column stays zero, as in LAPACK
        below = a[..., k + 1:, k] / safe[..., None]
        trailing = a[..., k + 1:, k + 1:] - below[..., :, None] * a[..., k, None, k + 1:]
        lower_rows = tf.concat([a[..., k + 1:, :k], below[..., None], trailing], axis=-1)
        a = tf.concat([a[..., :k + 1, :], lower_rows], axis=-2)
    return a, tf.stack(pivots, axis=-1) if pivots else tf.zeros(a.shape[:-2] + (0,), tf.int32)


_MATRIX_ORDS = (None, "fro", "nuc", 1, -1, 2, -2, float("inf"), -float("inf"))


def _vector_norm(x, ord, axis, keepdims):
    size = tf.abs(x)
    if ord is None or ord == 2:
        return tf.sqrt(tf.reduce_sum(tf.math.real(x * tf.math.conj(x)) if x.dtype.is_complex else x * x,
                                     axis=axis, keepdims=keepdims))
    if ord == float("inf"):
        return tf.reduce_max(size, axis=axis, keepdims=keepdims)
    if ord == -float("inf"):
        return tf.reduce_min(size, axis=axis, keepdims=keepdims)
    if ord == 0:
        return tf.reduce_sum(tf.cast(size != 0, size.dtype), axis=axis, keepdims=keepdims)
    if ord == 1:
        return tf.reduce_sum(size, axis=axis, keepdims=keepdims)
    if ord in ("fro", "nuc"):
        raise ValueError(f"ord={ord!r} is a matrix norm; a vector norm takes a number or inf")
    return tf.reduce_sum(size ** ord, axis=axis, keepdims=keepdims) ** (1.0 / ord)


def _matrix_norm(x, ord, axes, keepdims):
    row, col = axes
    if ord not in _MATRIX_ORDS:
        raise ValueError(f"ord={ord!r} is not a matrix norm; use one of {_MATRIX_ORDS}")
    if ord in (None, "fro"):
        out = _vector_norm(x, None, axes, keepdims=True)
    elif ord in ("nuc", 2, -2):
        rest = [a for a in range(x.shape.rank) if a not in axes]
        values = tf.linalg.svd(tf.transpose(x, rest + [row, col]), compute_uv=False)
        reduce = {"nuc": tf.reduce_sum, 2: tf.reduce_max, -2: tf.reduce_min}[ord]
        out = reduce(values, axis=-1)
        for a in sorted(axes):
            out = tf.expand_dims(out, a)
    else:
        # 1/-1: the largest/smallest column sum (over rows); inf/-inf: the largest/smallest row sum.
        over, across = (row, col) if abs(ord) == 1 else (col, row)
        sums = tf.reduce_sum(tf.abs(x), axis=over, keepdims=True)
        out = (tf.reduce_max if ord > 0 else tf.reduce_min)(sums, axis=across, keepdims=True)
    return out if keepdims else tf.squeeze(out, axis=list(axes))


def norm(x, ord=None, axis=None, keepdims=False):
    x = _float(x)
    rank = x.shape.rank
    if isinstance(axis, list):
        axis = tuple(axis)
    if axis is None:
        if ord is None:
            out = _vector_norm(tf.reshape(x, [-1]), None, 0, False)
            return tf.reshape(out, [1] * rank) if keepdims else out
        if rank not in (1, 2):
            raise ValueError(f"with axis=None and ord={ord!r}, x must be 1-D or 2-D, received shape {tuple(x.shape)}")
        axis = tuple(range(rank))
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    for a in axes:
        if not -rank <= a < max(rank, 1):
            raise np.exceptions.AxisError(a, rank)
    axes = tuple(a % rank for a in axes)
    if len(axes) == 1:
        return _vector_norm(x, ord, axes[0], keepdims)
    if len(axes) == 2 and axes[0] != axes[1]:
        return _matrix_norm(x, ord, axes, keepdims)
    raise ValueError(f"axis must be an int or a pair of distinct ints, received axis={axis!r}")


def solve_triangular(a, b, lower=False):
    a, b = _same_float(a, b)
    b, vector = _as_matrix(a, b)
    a, b = _broadcast_batch(a, b)
    out = tf.linalg.triangular_solve(a, b, lower=lower)  # reads only the named triangle of ``a``
    return out[..., 0] if vector else out


def qr(x, mode="reduced"):
    _check_mode(mode)
    return tuple(tf.linalg.qr(_float(x), full_matrices=mode == "complete"))


def solve(a, b):
    a, b = _same_float(_square(a), b)
    b, vector = _as_matrix(a, b)
    a, b = _broadcast_batch(a, b)
    out = tf.linalg.solve(a, b)
    return out[..., 0] if vector else out


def svd(x, full_matrices=True, compute_uv=True):
    x = _float(x)
    if not compute_uv:
        return tf.linalg.svd(x, compute_uv=False)
    s, u, v = tf.linalg.svd(x, full_matrices=full_matrices)  # TensorFlow gives v, not its adjoint
    return u, s, _adjoint(v)


def _reciprocal_above(s, cutoff):
    keep = s > cutoff
    return tf.where(keep, 1 / tf.where(keep, s, tf.ones_like(s)), tf.zeros_like(s))


def lstsq(a, b, rcond=None):
    a, b = _same_float(a, b)
    b, vector = _as_matrix(a, b)
    # Through the SVD, as NumPy does: the minimum-norm solution whatever the rank.
    s, u, v = tf.linalg.svd(a, full_matrices=False)
    if rcond is None:
        rcond = np.finfo(a.dtype.as_numpy_dtype).eps * tf.cast(tf.reduce_max(tf.shape(a)[-2:]), a.dtype)
    s_inv = _reciprocal_above(s, rcond * s[..., :1])
    out = v @ (s_inv[..., None] * (_adjoint(u) @ b))
    return out[..., 0] if vector else out


def pinv(x, rcond=None):
    x = _matrices("pinv", x)
    s, u, v = tf.linalg.svd(x, full_matrices=False)
    if rcond is None:  # NumPy's default relative cutoff
        rcond = 1e-15
    s_inv = _reciprocal_above(s, rcond * tf.reduce_max(s, axis=-1, keepdims=True))
    return v @ (s_inv[..., None] * _adjoint(u))


def matrix_rank(x, tol=None):
    x = _matrices("matrix_rank", x)
    s = tf.linalg.svd(x, compute_uv=False)
    if tol is None:  # NumPy's default: the largest singular value times max(M, N) times eps
        eps = np.finfo(x.dtype.as_numpy_dtype).eps
        tol = tf.reduce_max(s, axis=-1, keepdims=True) * eps * tf.cast(tf.reduce_max(tf.shape(x)[-2:]), s.dtype)
    else:
        tol = tf.cast(tol, s.dtype)
        tol = tol[..., None] if tol.shape.rank else tol
    return tf.reduce_sum(tf.cast(s > tol, tf.int32), axis=-1)


def cholesky_inverse(x, upper=False):
    factor = _matrices("cholesky_inverse", x)
    eye = tf.eye(factor.shape[-1], batch_shape=factor.shape[:-2], dtype=factor.dtype)
    factor_inv = tf.linalg.triangular_solve(factor, eye, lower=not upper)
    adjoint = _adjoint(factor_inv)
    # x = L L^H (lower) or U^H U (upper): the inverse is L^-H L^-1 or U^-1 U^-H.
    return factor_inv @ adjoint if upper else adjoint @ factor_inv


def slogdet(x):
    return tuple(tf.linalg.slogdet(_square(x)))


def jvp(fun, primals, tangents, has_aux=False):
    primals = tuple(convert_to_tensor(p) for p in primals)
    tangents = tuple(convert_to_tensor(t, dtype=p.dtype) for p, t in zip(primals, tangents))
    with tf.autodiff.ForwardAccumulator(primals, tangents) as accumulator:
        result = fun(*primals)
    out, aux = result if has_aux else (result, None)
    derivative = optree.tree_map(
        lambda y: accumulator.jvp(y, unconnected_gradients=tf.UnconnectedGradients.ZERO), out)
    return (out, derivative, aux) if has_aux else (out, derivative)
