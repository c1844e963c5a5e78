"""jax backend: NumPy-like shape, indexing, creation, sorting and product ops.

Written once in ``common/array_ops.py`` against ``xp`` and included here with ``xp = jax.numpy``
(see ``common/binding.py``); what follows the include is what jax does differently. Each function
returns ``jax.Array``s with Keras 3's result dtypes; the shape ops, ``concatenate``, ``matmul``,
``einsum``, ``copy`` and ``digitize`` keep a sparse ``BCOO`` sparse (see ``sparse.py``).
"""

from __future__ import annotations

import builtins

import jax
import jax.numpy as jnp
import numpy as np

from brickwork.backend.common.binding import include
from brickwork.backend.jax import sparse as sparse_ops
from brickwork.backend.jax.core import convert_to_tensor, standardize_dtype, to_jax_dtype  # noqa: F401 - bound for the include

# ruff: noqa: F821 - the functions include() defines are unknown to linters
xp = jnp  # the array namespace common/array_ops.py runs on
to_engine_dtype = to_jax_dtype


def _index_part(key):
    if key is None or key is Ellipsis or isinstance(key, (int, slice, jax.Array, np.ndarray)):
        return key
    return convert_to_tensor(key)


include("array_ops", globals())


def _int8_accumulation(arrays) -> dict:
    """Keras accumulates int8 x int8 products in int32."""
    int8 = all(standardize_dtype(getattr(a, "dtype", "float32")) == "int8" for a in arrays)
    return {"preferred_element_type": jnp.int32} if int8 else {}


def take(x, indices, axis=None):
    x = convert_to_tensor(x)
    indices = convert_to_tensor(indices, sparse=False)
    if axis is None:
        x, axis = x.reshape(-1), 0
    # Negative indices count from the end, as in NumPy; "clip" keeps it gather-only (and differentiable).
    indices = jnp.where(indices < 0, indices + x.shape[axis], indices)
    return jnp.take(x, indices, axis=axis, mode="clip")


def take_along_axis(x, indices, axis=None):
    x = convert_to_tensor(x)
    indices = convert_to_tensor(indices, sparse=False)
    if axis is None:
        x, axis = x.reshape(-1), 0
    indices = jnp.where(indices < 0, indices + x.shape[axis], indices)
    return jnp.take_along_axis(x, indices, axis=axis, mode="clip")


def matmul(x1, x2):
    accumulation = _int8_accumulation((x1, x2))  # judged on the inputs: int8 x bool stays int8
    x1, x2 = _promote_many((x1, x2))
    if type(x1) in sparse_ops.SPARSE_TYPES or type(x2) in sparse_ops.SPARSE_TYPES:
        return sparse_ops.matmul(x1, x2, **accumulation)
    return jnp.matmul(x1, x2, **accumulation)


def einsum(subscripts, *operands, **kwargs):
    accumulation = _int8_accumulation(operands)
    operands = _promote_many(operands)
    if builtins.any(type(x) in sparse_ops.SPARSE_TYPES for x in operands):
        return sparse_ops.einsum(subscripts, *operands, **accumulation, **kwargs)
    return jnp.einsum(subscripts, *operands, **accumulation, **kwargs)


# ---- sparse (BCOO) inputs ----

copy = sparse_ops.elementwise_unary(linear=True)(copy)
digitize = sparse_ops.elementwise_unary(linear=False)(digitize)


reshape = sparse_ops.sparse_form(sparse_ops.reshape)(reshape)
expand_dims = sparse_ops.sparse_form(sparse_ops.expand_dims)(expand_dims)
squeeze = sparse_ops.sparse_form(sparse_ops.squeeze)(squeeze)
transpose = sparse_ops.sparse_form(sparse_ops.transpose)(transpose)
moveaxis = sparse_ops.sparse_form(sparse_ops.moveaxis)(moveaxis)
_dense_concatenate = concatenate


def concatenate(xs, axis=0):
    """All sparse: a sparse result; some sparse: densified and joined densely."""
    sparse_count = builtins.sum(type(x) in sparse_ops.SPARSE_TYPES for x in xs)
    if not sparse_count:
        return _dense_concatenate(xs, axis)
    if sparse_count == len(xs):
        return sparse_ops.concatenate(_promote_many(xs), axis)
    return _dense_concatenate([sparse_ops.to_dense(x) for x in xs], axis)
