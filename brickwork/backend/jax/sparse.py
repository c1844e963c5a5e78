"""JAX's sparse tensors: ``jax.experimental.sparse.BCOO``, as Keras's jax backend takes them.

A BCOO holds ``data`` (the stored values) and ``indices`` (one row of coordinates per value) beside
its dense ``shape``. brickwork's jax backend accepts one wherever Keras's does: ``convert_to_tensor``
keeps it sparse unless asked for ``sparse=False``, ``is_tensor`` counts it, ``convert_to_numpy``
returns its dense values.

Example:
    from jax.experimental import sparse
    x = sparse.BCOO.fromdense(jnp.array([[0.0, 2.0], [3.0, 0.0]]))
    is_sparse(x)          # True
    to_dense(x).tolist()  # [[0.0, 2.0], [3.0, 0.0]]
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
from jax.experimental import sparse as jax_sparse

JAXSparse = jax_sparse.JAXSparse
BCOO = jax_sparse.BCOO


def is_sparse(x) -> bool:
    """Whether ``x`` is one of JAX's sparse arrays (BCOO, BCSR)."""
    return isinstance(x, JAXSparse)


def to_dense(x):
    """``x`` as a dense ``jax.Array`` when it is sparse; anything else unchanged."""
    return x.todense() if isinstance(x, JAXSparse) else x


def is_scipy_sparse(x) -> bool:
    """Whether ``x`` is a SciPy sparse matrix or array (any format: it converts through ``tocoo``)."""
    return type(x).__module__.startswith("scipy.sparse") and hasattr(x, "tocoo")


def from_scipy(x, dtype=None) -> BCOO:
    """A SciPy sparse matrix (or N-D ``coo_array``) as a BCOO holding the same stored values.

    Example:
        from_scipy(scipy.sparse.eye(3, format="csr")).todense()  # the 3x3 identity
    """
    import numpy as np

    coo = x.tocoo()
    coords = coo.coords if hasattr(coo, "coords") else (coo.row, coo.col)
    indices = np.stack([np.asarray(c, dtype=np.int32) for c in coords], axis=1).reshape(-1, len(coo.shape))
    data = np.asarray(coo.data) if dtype is None else np.asarray(coo.data).astype(dtype)
    return BCOO((jnp.asarray(data), jnp.asarray(indices)), shape=tuple(coo.shape))


def one_hot(x, num_classes: int, axis: int, dtype) -> BCOO:
    """``jax.nn.one_hot`` as a BCOO: one stored value per entry of ``x``, 1 where ``0 <= x < num_classes``.

    An id out of range stores an explicit 0 (at class 0), so the number of stored values is ``x.size``
    whatever the ids are: the shape stays static under ``jit``.
    """
    rank = x.ndim + 1
    axis = axis + rank if axis < 0 else axis
    if not 0 <= axis < rank:
        raise ValueError(f"one_hot: axis {axis} is out of range for an output of rank {rank}.")
    flat = jnp.ravel(x).astype(jnp.int32)
    valid = (flat >= 0) & (flat < num_classes)
    positions = [p.ravel() for p in jnp.indices(x.shape, dtype=jnp.int32)]
    positions.insert(axis, jnp.where(valid, flat, 0))
    indices = jnp.stack(positions, axis=1)
    shape = tuple(x.shape[:axis]) + (num_classes,) + tuple(x.shape[axis:])
    # Row-major order of x's entries is the sorted order only when the class coordinate comes last.
    return BCOO((valid.astype(dtype), indices), shape=shape,
                indices_sorted=axis == x.ndim, unique_indices=True)


def any_along(x: BCOO, axis: int, dtype) -> BCOO:
    """1 where any value stored along ``axis`` of ``x`` is non-zero, else 0: the multi-hot of one-hot rows.

    Eagerly the result stores each coordinate once; under ``jit`` (where the count cannot depend on the
    values) it keeps ``x``'s count, duplicates summed and the rest padded.
    """
    counts = BCOO(((x.data != 0).astype(jnp.int32), x.indices), shape=x.shape,
                  indices_sorted=x.indices_sorted, unique_indices=x.unique_indices)
    summed = jax_sparse.bcoo_reduce_sum(counts, axes=(axis,))
    nse = summed.nse if isinstance(summed.data, jax.core.Tracer) else None
    summed = jax_sparse.bcoo_sum_duplicates(summed, nse=nse)
    return BCOO(((summed.data > 0).astype(dtype), summed.indices), shape=summed.shape,
                indices_sorted=summed.indices_sorted, unique_indices=summed.unique_indices)
