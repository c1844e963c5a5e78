"""JAX's sparse tensors: ``jax.experimental.sparse.BCOO``, as Keras's jax backend takes them.

A BCOO holds ``data`` (the stored values) and ``indices`` (one row of coordinates per value) beside
its dense ``shape``. brickwork's jax backend accepts one wherever Keras's does: ``convert_to_tensor``
keeps it sparse unless asked for ``sparse=False``, ``is_tensor`` counts it, ``convert_to_numpy``
returns its dense values.

The op rules live here, as decorators the jax engine modules put on their dense functions (a dense
call pays one ``isinstance`` check):

- ``densifying``: ``f(0) != 0`` (``cos``, ``exp``): a sparse input gives a dense result.
- ``elementwise_unary``: ``f(0) == 0`` (``sin``, ``abs``): ``f`` of the stored values, same indices.
- ``union``: ``f(0, 0) == 0`` (``add``, ``maximum``): two sparse operands give a sparse result on the
  union of their indices; a dense or scalar operand makes it dense.
- ``intersection``: ``multiply``: sparse wherever either operand is sparse.
- ``division``: a sparse dividend over a dense or scalar divisor stays sparse (with the positions where
  the divisor is 0 or NaN added, eagerly); a sparse divisor gives a dense result.

Shape ops (``reshape``, ``expand_dims``, ``squeeze``, ``transpose``, ``concatenate``), reductions
(``reduce_sum``, ``mean``), ``matmul`` and ``bincount`` have their sparse forms below.

Example:
    from jax.experimental import sparse
    x = sparse.BCOO.fromdense(jnp.array([[0.0, 2.0], [3.0, 0.0]]))
    is_sparse(x)          # True
    to_dense(x).tolist()  # [[0.0, 2.0], [3.0, 0.0]]
"""

from __future__ import annotations

import functools
import importlib
import importlib.abc
import importlib.util
import math
import sys

import jax
import jax.numpy as jnp
import numpy as np

_SCALARS = (int, float, bool, complex)
_JAX_SPARSE = "jax.experimental.sparse"

# JAX's sparse array classes (BCOO, BCSR, ...). Dense calls test ``type(x) in SPARSE_TYPES``: a set lookup
# costs nothing, where ``isinstance`` against the abstract ``JAXSparse`` costs about 0.35 us a call.
# ``jax.experimental.sparse`` imports SciPy (~0.1 s), so ``import brickwork`` leaves it alone: the set stays
# empty, and the names below unbound, until that module is imported, by brickwork creating a sparse tensor
# (``_load``) or by the program (no sparse array exists before). Either way ``_bind`` fills them in.
SPARSE_TYPES: set = set()
jax_sparse = JAXSparse = BCOO = _sparse_matmul = None


def _subclasses(cls) -> set:
    return {cls}.union(*(_subclasses(sub) for sub in cls.__subclasses__()))


def _bind(module) -> None:
    global jax_sparse, JAXSparse, BCOO, _sparse_matmul
    jax_sparse, JAXSparse, BCOO = module, module.JAXSparse, module.BCOO
    _sparse_matmul = module.sparsify(jnp.matmul)
    SPARSE_TYPES.update(_subclasses(JAXSparse))


def _load() -> None:
    """Import ``jax.experimental.sparse`` (binding its classes here): before brickwork creates a sparse tensor."""
    if jax_sparse is None:
        _bind(importlib.import_module(_JAX_SPARSE))


class _BindOnImport(importlib.abc.MetaPathFinder):
    """Binds ``jax.experimental.sparse``'s classes here once anything imports it (a program's own BCOO)."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname != _JAX_SPARSE:
            return None
        sys.meta_path.remove(self)  # once: the other finders find the module itself
        spec = importlib.util.find_spec(fullname)
        if spec is not None and spec.loader is not None and hasattr(spec.loader, "exec_module"):
            run = spec.loader.exec_module

            def exec_module(module):
                run(module)
                _bind(module)

            spec.loader.exec_module = exec_module
        return spec


if _JAX_SPARSE in sys.modules:
    _bind(sys.modules[_JAX_SPARSE])
else:
    sys.meta_path.insert(0, _BindOnImport())


def is_sparse(x) -> bool:
    """Whether ``x`` is one of JAX's sparse arrays (BCOO, BCSR)."""
    return type(x) in SPARSE_TYPES


def to_dense(x):
    """``x`` as a dense ``jax.Array`` when it is sparse; anything else unchanged."""
    return x.todense() if type(x) in SPARSE_TYPES else x


def is_bcoo(x) -> bool:
    """Whether ``x`` is a ``BCOO`` (the sparse format a sparse ``KerasTensor`` stands for)."""
    return BCOO is not None and isinstance(x, BCOO)


def from_dense(x, n_batch: int = 0) -> BCOO:
    """The sparse tensor of the dense ``x`` (its non-zero values stored), the first ``n_batch`` axes as batches."""
    _load()
    return BCOO.fromdense(jnp.asarray(x), n_batch=n_batch)


def placeholder(value):
    """A BCOO standing for a sparse ``KerasTensor`` while an op is evaluated abstractly (one stored value)."""
    _load()
    return BCOO.fromdense(value, nse=1)


def _is_traced(x) -> bool:
    return isinstance(x, jax.core.Tracer)


def _as_bcoo(x) -> BCOO:
    """``x`` as a BCOO whose batch axes are full size (a BCOO may store size-1 batches broadcast over them)."""
    x = x if isinstance(x, BCOO) else x.to_bcoo()
    batches = tuple(x.shape[:x.n_batch])
    if x.data.shape[:x.n_batch] == batches and x.indices.shape[:x.n_batch] == batches:
        return x
    data = jnp.broadcast_to(x.data, batches + x.data.shape[x.n_batch:])
    indices = jnp.broadcast_to(x.indices, batches + x.indices.shape[x.n_batch:])
    return BCOO((data, indices), shape=x.shape, indices_sorted=x.indices_sorted, unique_indices=x.unique_indices)


def _with_data(x: BCOO, data) -> BCOO:
    """``x``'s indices and flags around new stored values."""
    return BCOO((data, x.indices), shape=x.shape, indices_sorted=x.indices_sorted, unique_indices=x.unique_indices)


def _sum_duplicates(x: BCOO) -> BCOO:
    """``x`` with one stored value per position; traced (jit), as many stored values as before (padded)."""
    return jax_sparse.bcoo_sum_duplicates(x, nse=x.nse if _is_traced(x.data) else None)


def _unique(x: BCOO) -> BCOO:
    """``x`` with one stored value per position, as a non-linear function of the values needs."""
    return x if x.unique_indices else _sum_duplicates(x)


# ---- element-wise rules ----


def densifying(function):
    """For a unary ``function`` with ``function(0) != 0``: a sparse input is densified first."""

    @functools.wraps(function)
    def op(x, *args, **kwargs):
        if type(x) in SPARSE_TYPES:
            x = x.todense()
        return function(x, *args, **kwargs)

    return op


def elementwise_unary(linear: bool):
    """For a unary ``function`` with ``function(0) == 0``: applied to the stored values, indices kept.

    Args:
        linear: ``f(a + b) == f(a) + f(b)``; a non-linear function first sums duplicate positions.
    """

    def decorate(function):
        @functools.wraps(function)
        def op(x, *args, **kwargs):
            if type(x) in SPARSE_TYPES:
                x = _as_bcoo(x)
                if not linear:
                    x = _unique(x)
                return _with_data(x, function(x.data, *args, **kwargs))
            return function(x, *args, **kwargs)

        return op

    return decorate


def _same_layout(x1: BCOO, x2: BCOO) -> tuple[BCOO, BCOO]:
    if (x1.n_batch, x1.n_dense) == (x2.n_batch, x2.n_dense):
        return x1, x2
    return (jax_sparse.bcoo_update_layout(x1, n_batch=0, n_dense=0),
            jax_sparse.bcoo_update_layout(x2, n_batch=0, n_dense=0))


def _aligned(x1: BCOO, x2: BCOO, sum_duplicates: bool) -> tuple[BCOO, BCOO]:
    """``x1`` and ``x2`` stored on the union of their positions, in the same order (explicit zeros added)."""
    if x1.indices is x2.indices and (x1.n_batch, x1.n_dense) == (x2.n_batch, x2.n_dense):
        if sum_duplicates and not x1.unique_indices:
            x1, x2 = _sum_duplicates(x1), _sum_duplicates(x2)
        return x1, x2
    x1, x2 = _same_layout(x1, x2)
    axis = x1.n_batch  # the stored-values axis of data and indices
    indices = jnp.concatenate([x1.indices, x2.indices], axis=axis)
    data1 = jnp.concatenate([x1.data, jnp.zeros(x2.data.shape, x1.dtype)], axis=axis)
    data2 = jnp.concatenate([jnp.zeros(x1.data.shape, x2.dtype), x2.data], axis=axis)
    x1, x2 = BCOO((data1, indices), shape=x1.shape), BCOO((data2, indices), shape=x2.shape)
    if sum_duplicates:  # the same positions on both sides sort the same way
        x1, x2 = _sum_duplicates(x1), _sum_duplicates(x2)
    return x1, x2


def broadcast_to(x: BCOO, shape) -> BCOO:
    """``x`` broadcast to ``shape`` (NumPy's rules), still sparse: stored values repeat along stretched axes."""
    shape = tuple(shape)
    if tuple(x.shape) == shape:
        return x
    x = jax_sparse.bcoo_update_layout(_as_bcoo(x), n_batch=0, n_dense=0)
    data, indices = x.data, x.indices
    leading = len(shape) - x.ndim  # new leading axes, at position 0
    indices = jnp.concatenate([jnp.zeros((indices.shape[0], leading), indices.dtype), indices], axis=1)
    for axis, (size, target) in enumerate(zip((1,) * leading + tuple(x.shape), shape)):
        if size != target:  # size 1 stretched to target: one copy of every stored value per position
            copies = [indices.at[:, axis].set(position) for position in range(target)]
            indices, data = jnp.concatenate(copies), jnp.concatenate([data] * target)
    return BCOO((data, indices), shape=shape)


def _on_union(function, x1, x2, linear: bool):
    """``function`` of two sparse operands, stored on the union of their positions."""
    x1, x2 = _as_bcoo(x1), _as_bcoo(x2)
    if x1.shape != x2.shape:
        shape = jnp.broadcast_shapes(x1.shape, x2.shape)
        x1, x2 = broadcast_to(x1, shape), broadcast_to(x2, shape)
    x1, x2 = _aligned(x1, x2, sum_duplicates=not linear)
    return _with_data(x1, function(x1.data, x2.data))


def union(linear: bool):
    """For a binary ``function`` with ``function(0, 0) == 0`` (``add``, ``subtract``, ``maximum``).

    Two sparse operands give a sparse result on the union of their positions; with one dense or scalar
    operand the result is dense.

    Args:
        linear: ``f`` is linear in each operand, so duplicate positions need not be summed first.
    """

    def decorate(function):
        @functools.wraps(function)
        def op(x1, x2):
            if type(x1) in SPARSE_TYPES:
                if type(x2) in SPARSE_TYPES:
                    return _on_union(function, x1, x2, linear)
                return function(x1.todense(), x2)
            if type(x2) in SPARSE_TYPES:
                return function(x1, x2.todense())
            return function(x1, x2)

        return op

    return decorate


def _values_at(x: BCOO, dense):
    """``dense`` (broadcast to ``x``'s shape) read at ``x``'s stored positions, shaped as ``x.data``.

    A Python scalar or a 0-d array is returned as it is (it broadcasts against the values).
    """
    if isinstance(dense, _SCALARS) or jnp.ndim(dense) == 0:
        return dense
    return jax_sparse.bcoo_extract(x, jnp.broadcast_to(jnp.asarray(dense), x.shape)).data


def _broadcast_against(x: BCOO, dense) -> BCOO:
    """``x`` broadcast to the shape it has with ``dense`` (where the result is larger than ``x``)."""
    if isinstance(dense, _SCALARS):
        return x
    return broadcast_to(x, jnp.broadcast_shapes(x.shape, jnp.shape(dense)))


def _sparse_times_dense(function, x: BCOO, dense, swap: bool):
    values = _values_at(x, dense)
    return _with_data(x, function(values, x.data) if swap else function(x.data, values))


def intersection(function):
    """For ``multiply``: sparse whenever one operand is; a dense or scalar factor is read at its positions."""

    @functools.wraps(function)
    def op(x1, x2):
        if type(x1) in SPARSE_TYPES:
            if type(x2) in SPARSE_TYPES:
                return _on_union(function, x1, x2, linear=False)
            return _sparse_times_dense(function, _broadcast_against(_as_bcoo(x1), x2), x2, swap=False)
        if type(x2) in SPARSE_TYPES:
            return _sparse_times_dense(function, _broadcast_against(_as_bcoo(x2), x1), x1, swap=True)
        return function(x1, x2)

    return op


def _with_zero_divisors(x: BCOO, divisor) -> BCOO:
    """``x`` with explicit zeros added where ``divisor`` is 0 or NaN, so that ``0 / 0`` shows as NaN there."""
    divisor = jnp.broadcast_to(jnp.asarray(divisor), x.shape)
    bad = divisor == 0
    if jnp.issubdtype(divisor.dtype, jnp.inexact):
        bad = bad | jnp.isnan(divisor)
    bad = jax_sparse.bcoo_fromdense(bad, n_batch=x.n_batch, n_dense=x.n_dense, index_dtype=x.indices.dtype)
    return _aligned(x, bad, sum_duplicates=True)[0]


def division(function):
    """For ``divide``: a sparse dividend over a dense or scalar divisor stays sparse; a sparse divisor densifies.

    Eagerly, positions where a dense divisor is 0 or NaN are added to the result so they read NaN or inf as
    NumPy's; traced (jit), the divisor's values are unknown and only the dividend's positions are kept. A zero
    scalar divisor gives a sparse result whose implicit zeros stay 0, as in Keras.
    """

    @functools.wraps(function)
    def op(x1, x2):
        if type(x2) in SPARSE_TYPES:
            return function(to_dense(x1), x2.todense())
        if type(x1) in SPARSE_TYPES:
            x1 = _broadcast_against(_as_bcoo(x1), x2)
            if not (isinstance(x2, _SCALARS) or jnp.ndim(x2) == 0 or _is_traced(x2)):
                x1 = _with_zero_divisors(x1, x2)
            return _sparse_times_dense(function, x1, x2, swap=False)
        return function(x1, x2)

    return op


# ---- shapes ----


def sparse_form(sparse_version):
    """For an op whose sparse form is written apart: a sparse first argument goes to ``sparse_version``."""

    def decorate(function):
        @functools.wraps(function)
        def op(x, *args, **kwargs):
            if type(x) in SPARSE_TYPES:
                return sparse_version(x, *args, **kwargs)
            return function(x, *args, **kwargs)

        return op

    return decorate


def _canonical_axes(axis, rank: int) -> tuple[int, ...]:
    axes = range(rank) if axis is None else (axis,) if isinstance(axis, int) else axis
    canonical = tuple(sorted(a + rank if a < 0 else a for a in axes))
    for given, a in zip(axes, canonical):
        if not 0 <= a < rank:
            raise np.exceptions.AxisError(given, rank)
    if len(set(canonical)) != len(canonical):
        raise ValueError(f"repeated axis in `axis`: {axis}")
    return canonical


def expand_dims(x: BCOO, axis) -> BCOO:
    """``x`` with size-1 axes inserted at ``axis`` (an int or a tuple), still sparse."""
    rank = x.ndim + (1 if isinstance(axis, int) else len(axis))
    new_axes = _canonical_axes(axis, rank)
    kept = [i for i in range(rank) if i not in new_axes]
    shape = [1] * rank
    for i, size in zip(kept, x.shape):
        shape[i] = size
    return jax_sparse.bcoo_broadcast_in_dim(_as_bcoo(x), shape=tuple(shape), broadcast_dimensions=tuple(kept))


def reshape(x: BCOO, newshape) -> BCOO:
    """``x`` in ``newshape`` (one ``-1`` allowed), still sparse."""
    newshape = (newshape,) if isinstance(newshape, int) else tuple(newshape)
    if -1 in newshape:
        known = math.prod(d for d in newshape if d != -1)
        newshape = tuple(math.prod(x.shape) // known if d == -1 else d for d in newshape)
    return jax_sparse.bcoo_reshape(_as_bcoo(x), new_sizes=newshape)


def squeeze(x: BCOO, axis=None) -> BCOO:
    """``x`` without its size-1 axes (those in ``axis``), still sparse."""
    axes = tuple(i for i, d in enumerate(x.shape) if d == 1) if axis is None else _canonical_axes(axis, x.ndim)
    return jax_sparse.bcoo_squeeze(_as_bcoo(x), dimensions=axes)


def transpose(x: BCOO, axes=None) -> BCOO:
    """``x`` with its axes permuted (reversed by default), still sparse."""
    permutation = tuple(reversed(range(x.ndim))) if axes is None else tuple(a % x.ndim for a in axes)
    return jax_sparse.bcoo_transpose(_as_bcoo(x), permutation=permutation)


def moveaxis(x: BCOO, source, destination) -> BCOO:
    """``x`` with the axes ``source`` moved to ``destination`` (ints or sequences), still sparse."""
    source = _canonical_order(source, x.ndim)
    destination = _canonical_order(destination, x.ndim)
    order = [a for a in range(x.ndim) if a not in source]
    for target, axis in sorted(zip(destination, source)):
        order.insert(target, axis)
    return transpose(x, order)


def _canonical_order(axes, rank: int) -> list[int]:
    return [a % rank for a in ((axes,) if isinstance(axes, int) else axes)]


def concatenate(xs, axis: int = 0) -> BCOO:
    """Sparse tensors of one dtype joined along ``axis``, still sparse."""
    xs = [_as_bcoo(x) for x in xs]
    return jax_sparse.bcoo_concatenate(xs, dimension=axis % xs[0].ndim)


# ---- reductions and products ----


def reduce_sum(x: BCOO, axis=None, keepdims: bool = False) -> BCOO:
    """The sum over ``axis`` (all by default, ``()`` for none), still sparse."""
    axes = _canonical_axes(axis, x.ndim)
    output = jax_sparse.bcoo_reduce_sum(_as_bcoo(x), axes=axes)
    output = _with_data(output, output.data.astype(x.dtype))  # JAX's sum widens ints (in 64-bit mode)
    if keepdims:
        shape = tuple(1 if i in axes else d for i, d in enumerate(x.shape))
        kept = tuple(i for i in range(x.ndim) if i not in axes)
        output = jax_sparse.bcoo_broadcast_in_dim(output, shape=shape, broadcast_dimensions=kept)
    return output


def mean(x: BCOO, axis=None, keepdims: bool = False) -> BCOO:
    """The mean over ``axis`` in ``x``'s (floating) dtype, still sparse."""
    count = math.prod(x.shape[i] for i in _canonical_axes(axis, x.ndim))
    total = reduce_sum(x, axis, keepdims)
    return _with_data(total, total.data / jnp.asarray(count, total.dtype))


def matmul(x1, x2, **kwargs):
    """``x1 @ x2`` with either operand sparse (batch dimensions laid out as batches); sparse when both are."""
    if type(x1) in SPARSE_TYPES:
        x1 = jax_sparse.bcoo_update_layout(_as_bcoo(x1), n_batch=x1.ndim - 2, on_inefficient="warn")
    if type(x2) in SPARSE_TYPES:
        x2 = jax_sparse.bcoo_update_layout(_as_bcoo(x2), n_batch=x2.ndim - 2, on_inefficient="warn")
    return _sparse_matmul(x1, x2, **kwargs)


def einsum(subscripts: str, *operands, **kwargs):
    """``jnp.einsum`` with sparse operands (through JAX's ``sparsify``): sparse where the product of sparse
    operands is (a contraction of two sparse tensors), dense otherwise."""
    return jax_sparse.sparsify(functools.partial(jnp.einsum, subscripts, **kwargs))(*operands)


def bincount(x, weights, minlength: int, dtype) -> BCOO:
    """Counts (or summed ``weights``) of the non-negative ints ``x`` per value, as a sparse tensor.

    ``x`` is 1-D (one row of counts) or 2-D (a row of counts per row); a sparse ``x`` counts its stored
    values only, and sparse ``weights`` must be stored at the same positions.
    """
    _load()
    if type(x) in SPARSE_TYPES:
        x = jax_sparse.bcoo_update_layout(_as_bcoo(x), n_batch=0, n_dense=0)
        if type(weights) in SPARSE_TYPES:
            weights = jax_sparse.bcoo_update_layout(_as_bcoo(weights), n_batch=0, n_dense=0).data
        elif weights is not None:
            raise ValueError("bincount: a sparse `x` needs `weights` sparse too, at the same positions.")
        rows = x.indices[:, 0] if x.ndim == 2 else None
        values = x.data
    else:
        values = jnp.asarray(x)
        rows = jnp.repeat(jnp.arange(values.shape[0]), values.shape[1]) if values.ndim == 2 else None
        values = values.reshape(-1)
        weights = None if weights is None else to_dense(weights).reshape(-1)
    length = max(int(jnp.max(values)) + 1 if values.size else 0, minlength)
    data = jnp.ones(values.shape, dtype) if weights is None else jnp.asarray(weights).reshape(-1).astype(dtype)
    if rows is None:
        indices, shape = values[:, None], (length,)
    else:
        indices, shape = jnp.stack([rows, values], axis=1), (x.shape[0], length)
    return _sum_duplicates(BCOO((data, indices.astype("int32")), shape=shape))


def row_major(x):
    """``x`` as it is: ``take_rows`` indexes a BCOO in any order (tensorflow's engine sorts here)."""
    return x


def take_rows(x, key):
    """The rows (first-axis entries) of ``x`` at ``key``, a slice or a 1-D int array: a batch, still sparse.

    Example:
        take_rows(from_dense(jnp.eye(3)), jnp.array([2, 0])).todense()  # rows 2 and 0 of the identity
    """
    return x[key]


def is_scipy_sparse(x) -> bool:
    """Whether ``x`` is a SciPy sparse matrix or array (any format: it converts through ``tocoo``)."""
    return type(x).__module__.startswith("scipy.sparse") and hasattr(x, "tocoo")


def from_scipy(x, dtype=None) -> BCOO:
    """A SciPy sparse matrix (or N-D ``coo_array``) as a BCOO holding the same stored values.

    Example:
        from_scipy(scipy.sparse.eye(3, format="csr")).todense()  # the 3x3 identity
    """
    _load()
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
    _load()
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
    counts = _with_data(x, (x.data != 0).astype(jnp.int32))
    summed = _sum_duplicates(jax_sparse.bcoo_reduce_sum(counts, axes=(axis,)))
    return _with_data(summed, (summed.data > 0).astype(dtype))
