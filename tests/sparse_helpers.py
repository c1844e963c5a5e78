"""Sparse test inputs for the engines that have sparse tensors (jax's BCOO, TensorFlow's ``tf.SparseTensor``),
built and recognized through the engine's own ``backend.active.sparse``; the values they hold come from
NumPy arrays, so a test can compare against NumPy on the same arrays.

Example:
    x = to_sparse(np.eye(3))
    assert is_sparse(ops.abs(x))
"""

from __future__ import annotations

import numpy as np
import pytest

from brickwork import backend

requires_sparse = pytest.mark.skipif(not backend.SUPPORTS_SPARSE_TENSORS,
                                     reason=f"the {backend.backend()} backend has no sparse tensors")


def to_sparse(dense, n_batch: int = 0):
    """The engine's sparse tensor holding ``dense``'s non-zero values (``n_batch``: a BCOO's batch axes)."""
    return backend.active.sparse.from_dense(np.asarray(dense), n_batch=n_batch)


def from_coordinates(values, coordinates, shape):
    """The engine's sparse tensor storing ``values`` at ``coordinates`` (one row each), zeros included."""
    import scipy.sparse

    coordinates = np.asarray(coordinates).reshape(len(values), len(shape))
    return backend.active.sparse.from_scipy(scipy.sparse.coo_array((np.asarray(values), tuple(coordinates.T)),
                                                                   shape=shape))


def is_sparse(x) -> bool:
    """Whether ``x`` is the engine's sparse tensor (never, on an engine without them)."""
    return backend.SUPPORTS_SPARSE_TENSORS and backend.active.sparse.is_sparse(x)


def stored_count(x) -> int:
    """How many values ``x`` stores (explicit zeros included)."""
    return int(np.size(x.data if backend.backend() == "jax" else x.values))
