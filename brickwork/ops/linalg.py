"""Linear algebra ops (``ops.inv``, ``ops.svd``, ``ops.norm``, …), as in ``keras.ops.linalg``.

Matrices are the last two axes; any leading axes are a batch. Integer inputs are computed in floatx.
"""

from __future__ import annotations

import numpy as _np

from brickwork.backend import KerasTensor as _KerasTensor
from brickwork.backend import floatx as _floatx
from brickwork.backend import is_float as _is_float
from brickwork.backend.common.dtypes import is_complex as _is_complex
from brickwork.ops._dispatch import backend_op


def _float_dtype(dtype: str) -> str:
    return dtype if _is_float(dtype) or _is_complex(dtype) else _floatx()


def _check_square(x) -> None:
    if len(x.shape) < 2:
        raise ValueError(f"expected a matrix of shape (..., M, M), received shape {x.shape}")
    m, n = x.shape[-2:]
    if m is None or n is None:  # as Keras: a symbolic square check needs the matrix size
        raise ValueError(f"expected square matrices (..., M, M) of known size M, received shape {x.shape}")
    if m != n:
        raise ValueError(f"expected square matrices (..., M, M), received shape {x.shape}")


# The NumPy backend's abstract evaluation runs ops on zeros, which inv, cholesky and solve
# reject as singular; these three describe their result directly.
def _square_spec(x, *args, **kwargs):
    _check_square(x)
    return _KerasTensor(x.shape, dtype=_float_dtype(x.dtype))


def _solve_spec(a, b):
    _check_square(a)
    b_shape = tuple(_np.shape(b)) if not hasattr(b, "shape") else tuple(b.shape)
    if not b_shape:
        raise ValueError(f"expected b of shape (..., M) or (..., M, N), received shape {b_shape}")
    vector = len(b_shape) == len(a.shape) - 1
    rows = b_shape[-1] if vector else b_shape[-2] if len(b_shape) > 1 else None
    m = a.shape[-1]
    if rows is None or rows != m:
        raise ValueError(f"a of shape {a.shape} and b of shape {b_shape} do not match: expected {m} rows in b")
    return _KerasTensor(b_shape, dtype=_float_dtype(a.dtype))


@backend_op("linalg", spec=_square_spec)
def cholesky(x, upper: bool = False):
    """Cholesky factor of positive-definite matrices ``(..., M, M)``: lower ``L`` with ``L @ L.T == x``.

    Args:
        x: symmetric positive-definite matrices.
        upper: return the upper factor ``U`` (``U.T @ U == x``) instead.

    Returns:
        A tensor of the shape and dtype of ``x``: the lower factor ``L`` (the upper ``L.T`` with ``upper=True``).

    Example:
    >>> ops.cholesky([[4.0, 2.0], [2.0, 5.0]])   # [[2.0, 0.0], [1.0, 2.0]]
    """


def _det_spec(x):
    _check_square(x)
    return _KerasTensor(x.shape[:-2], dtype=_float_dtype(x.dtype))


@backend_op("linalg", spec=_det_spec)
def det(x):
    """Determinant of square matrices ``(..., M, M)``; shape ``(...)``.

    Args:
        x: a tensor of square matrices, shape ``(..., M, M)``.

    Returns:
        A tensor of shape ``(...)`` in the dtype of ``x``.

    Example:
    >>> ops.det([[1.0, 2.0], [3.0, 4.0]])   # -2.0
    """


@backend_op("linalg")
def eig(x):
    """Eigenvalues ``(..., M)`` and eigenvectors ``(..., M, M)`` (columns) of square matrices, as complex tensors.

    Args:
        x: a tensor of square matrices, shape ``(..., M, M)``.

    Returns:
        A tuple ``(eigenvalues, eigenvectors)`` of complex tensors of shapes ``(..., M)`` and ``(..., M, M)``;
            column ``i`` of the eigenvectors goes with eigenvalue ``i``.

    Example:
    >>> values, vectors = ops.eig([[2.0, 0.0], [0.0, 3.0]])
    >>> values   # [(2.0+0.0j), (3.0+0.0j)]
    """


@backend_op("linalg")
def eigh(x):
    """Eigenvalues (ascending, ``(..., M)``) and eigenvectors (columns, ``(..., M, M)``) of symmetric matrices.

    Args:
        x: a tensor of symmetric (or Hermitian) matrices, shape ``(..., M, M)``.

    Returns:
        A tuple ``(eigenvalues, eigenvectors)`` of shapes ``(..., M)`` (ascending) and ``(..., M, M)``, in
            the dtype of ``x``.

    Example:
    >>> values, vectors = ops.eigh([[2.0, 1.0], [1.0, 2.0]])
    >>> values   # [1.0, 3.0]
    """


@backend_op("linalg", spec=_square_spec)
def inv(x):
    """Inverse of square matrices ``(..., M, M)``.

    Args:
        x: a tensor of invertible square matrices, shape ``(..., M, M)``.

    Returns:
        A tensor of the shape and dtype of ``x``.

    Example:
    >>> ops.inv([[2.0, 0.0], [0.0, 4.0]])   # [[0.5, 0.0], [0.0, 0.25]]
    """


@backend_op("linalg")
def lu_factor(x):
    """LU decomposition with partial pivoting, as ``scipy.linalg.lu_factor``.

    Args:
        x: a tensor of matrices, shape ``(..., M, N)``.

    Returns:
        ``(lu, pivots)``: ``lu`` ``(..., M, N)`` holds ``U`` and the strictly lower part of ``L``
            (unit diagonal); ``pivots`` ``(..., min(M, N))`` int32: row ``i`` was swapped with ``pivots[i]``.

    Example:
    >>> lu, pivots = ops.lu_factor([[1.0, 2.0], [3.0, 4.0]])
    >>> lu, pivots   # ([[3.0, 4.0], [0.3333, 0.6667]], [1, 1])
    """


@backend_op("linalg")
def norm(x, ord=None, axis=None, keepdims: bool = False):
    """Vector or matrix norm, as ``numpy.linalg.norm``.

    Args:
        x: input tensor; integer inputs give floatx.
        ord: order of the norm. Vectors: ``None``/2, any number, ``inf``, ``-inf``, 0 (count of
            non-zeros). Matrices: ``None``/``"fro"``, ``"nuc"``, 1, -1, 2, -2, ``inf``, ``-inf``.
        axis: an int (vector norms), a pair of ints (matrix norms), or ``None``: all of ``x``
            as a vector (``ord=None``), else ``x`` must be 1-D or 2-D.
        keepdims: keep the reduced axes with size 1.

    Returns:
        A float tensor: ``x`` without the reduced axes (kept with length 1 under ``keepdims``).

    Example:
    >>> ops.norm([[3.0, 4.0]], axis=-1)   # [5.0]
    """


def _check_qr(x, mode="reduced"):
    if mode not in ("reduced", "complete"):
        raise ValueError(f"ops.qr: `mode` argument value not supported. Expected one of {{'reduced', 'complete'}}. "
                         f"Received: mode={mode}")
    shape = tuple(getattr(x, "shape", _np.shape(x)))
    if len(shape) < 2:
        raise ValueError(f"ops.qr: Input should have rank >= 2. Received: input.shape={shape}")


@backend_op("linalg", check=_check_qr)
def qr(x, mode: str = "reduced"):
    """QR decomposition ``x = q @ r`` of matrices ``(..., M, N)``, ``K = min(M, N)``.

    Args:
        mode: ``"reduced"`` (``q`` ``(..., M, K)``, ``r`` ``(..., K, N)``) or ``"complete"``
            (``q`` ``(..., M, M)``, ``r`` ``(..., M, N)``).

    Returns:
        ``(q, r)`` with orthonormal columns in ``q`` and upper-triangular ``r``.

    Example:
    >>> q, r = ops.qr(np.random.default_rng(0).normal(size=(4, 3)))
    >>> q.shape, r.shape   # ((4, 3), (3, 3))
    """


@backend_op("linalg", spec=_solve_spec)
def solve(a, b):
    """Solve ``a @ x = b`` for square ``a`` ``(..., M, M)``.

    Args:
        a: coefficient matrices.
        b: right-hand sides ``(..., M)`` (vectors when ``b`` has one axis fewer than ``a``) or
            ``(..., M, N)``.

    Returns:
        ``x``, shaped like ``b``.

    Example:
    >>> ops.solve([[2.0, 0.0], [0.0, 4.0]], [[2.0], [8.0]])   # [[1.0], [2.0]]
    """


@backend_op("linalg", spec=lambda a, b, lower=False: _solve_spec(a, b))
def solve_triangular(a, b, lower: bool = False):
    """Solve ``a @ x = b`` for triangular ``a``, reading only its upper (or, with ``lower=True``, lower) triangle.

    Args: as ``solve``, plus ``lower``.

    Returns:
        A tensor of the shape of ``b``: the solution ``x``.

    Example:
    >>> ops.solve_triangular([[2.0, 0.0], [1.0, 1.0]], [[2.0], [3.0]], lower=True)   # [[1.0], [2.0]]
    """


@backend_op("linalg")
def svd(x, full_matrices: bool = True, compute_uv: bool = True):
    """Singular value decomposition ``x = u @ diag(s) @ vh`` of matrices ``(..., M, N)``.

    Args:
        full_matrices: ``u`` ``(..., M, M)`` and ``vh`` ``(..., N, N)``; else ``(..., M, K)`` and
            ``(..., K, N)`` with ``K = min(M, N)``.
        compute_uv: return ``(u, s, vh)``; when False, only ``s``.

    Returns:
        ``(u, s, vh)`` or ``s`` ``(..., K)``, singular values in descending order.

    Example:
    >>> ops.svd([[3.0, 0.0], [0.0, -2.0]], compute_uv=False)   # [3.0, 2.0]
    """


@backend_op("linalg")
def lstsq(a, b, rcond: float | None = None):
    """Least-squares (minimum-norm) solution ``x`` of ``a @ x ≈ b``.

    Args:
        a: matrix ``(M, N)``.
        b: ``(M,)`` or ``(M, K)``.
        rcond: singular values below ``rcond * largest`` count as zero (default: machine
            epsilon times ``max(M, N)``).

    Returns:
        ``x`` of shape ``(N,)`` or ``(N, K)``. Unlike ``numpy.linalg.lstsq``, only the solution.

    Example:
    >>> ops.lstsq([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], [[1.0], [2.0], [3.0]])   # [[1.0], [2.0]]
    """


@backend_op("linalg")
def pinv(x, rcond: float | None = None):
    """Moore-Penrose pseudo-inverse of matrices ``(..., M, N)``, of shape ``(..., N, M)``, through the SVD.

    Args:
        x: matrices of rank >= 2; integer inputs give floatx.
        rcond: singular values below ``rcond`` times the largest count as zero (default: machine
            epsilon times ``max(M, N)``).

    Returns:
        A tensor of shape ``(..., N, M)`` in the dtype of ``x``.

    Example:
    >>> ops.pinv([[1.0, 0.0], [0.0, 2.0], [0.0, 0.0]])   # [[1, 0, 0], [0, 0.5, 0]]
    """


@backend_op("linalg")
def matrix_rank(x, tol: float | None = None):
    """Rank of matrices ``(..., M, N)`` as int32: how many singular values exceed ``tol``.

    Args:
        x: matrices of rank >= 2.
        tol: the threshold (default: the largest singular value times ``max(M, N)`` times machine epsilon).

    Returns:
        An ``int32`` tensor of shape ``(...)``.

    Example:
    >>> ops.matrix_rank([[1.0, 2.0], [2.0, 4.0]])   # 1
    """


@backend_op("linalg", spec=_square_spec)
def cholesky_inverse(x, upper: bool = False):
    """Inverse of a symmetric positive-definite matrix from its Cholesky factor.

    Args:
        x: the triangular factor ``L`` (``a = L @ L^H``) or, with ``upper=True``, ``U`` (``a = U^H @ U``).
        upper: whether ``x`` is upper triangular.

    Returns:
        ``inv(a)``, of ``x``'s shape.

    Example:
    >>> ops.cholesky_inverse(ops.cholesky([[4.0, 2.0], [2.0, 3.0]]))   # inv([[4, 2], [2, 3]])
    """


def _jvp_spec(fun, primals, tangents, has_aux=False):
    from brickwork import tree
    from brickwork.backend import compute_output_spec

    outputs = compute_output_spec(fun, *primals)
    primals_out, aux = outputs if has_aux else (outputs, None)
    tangents_out = tree.map_structure(lambda t: _KerasTensor(t.shape, dtype=t.dtype), primals_out)
    return (primals_out, tangents_out, aux) if has_aux else (primals_out, tangents_out)


@backend_op("linalg", spec=_jvp_spec)
def jvp(fun, primals: tuple | list, tangents: tuple | list, has_aux: bool = False):
    """Forward-mode Jacobian-vector product of ``fun`` at ``primals`` along ``tangents`` (``jax.jvp``,
    ``torch.func.jvp``; the NumPy backend has no automatic differentiation and raises).

    Args:
        fun: a function of ``len(primals)`` tensors (or nested structures of tensors).
        primals: the point, a tuple or list with one entry per argument of ``fun``.
        tangents: the direction, of the same structure and shapes as ``primals``.
        has_aux: whether ``fun`` returns ``(output, aux)``, ``aux`` passed through undifferentiated.

    Returns:
        ``(fun(*primals), jvp)``, or ``(fun(*primals), jvp, aux)`` with ``has_aux``.

    Example:
    >>> out, tangent = ops.jvp(ops.sin, (ops.convert_to_tensor(0.1),), (ops.convert_to_tensor(0.2),))
    >>> float(tangent)   # 0.2 * cos(0.1) = 0.19900
    """
