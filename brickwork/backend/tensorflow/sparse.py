"""TensorFlow's sparse tensors: ``tf.SparseTensor``, as Keras's TensorFlow backend takes them.

A ``tf.SparseTensor`` holds ``values`` (the stored values), ``indices`` (one int64 row of coordinates per
value, in row-major order) and ``dense_shape``. TensorFlow stores each position once (``tf.sparse.to_dense``
refuses repeated indices), so the rules below never sum duplicates. ``convert_to_tensor`` keeps a sparse
tensor sparse unless asked for ``sparse=False``, ``is_tensor`` counts it, ``convert_to_numpy`` returns its
dense values.

The op rules are those of ``backend/jax/sparse.py``, as decorators the TensorFlow engine modules put on
their dense functions (a dense call pays one ``isinstance`` check):

- ``densifying``: ``f(0) != 0`` (``cos``, ``exp``): a sparse input gives a dense result.
- ``elementwise_unary``: ``f(0) == 0`` (``sin``, ``abs``): ``f`` of the stored values, same indices.
- ``union``: ``f(0, 0) == 0`` (``add``, ``maximum``): two sparse operands give a sparse result on the
  union of their positions; a dense or scalar operand makes it dense.
- ``intersection``: ``multiply``: sparse wherever either operand is sparse.
- ``division``: a sparse dividend over a dense or scalar divisor stays sparse (with the positions where
  the divisor is 0 or NaN added, so that they read NaN or inf, in a ``tf.function`` too); a sparse divisor
  gives a dense result.

Shape ops (``reshape``, ``expand_dims``, ``squeeze``, ``transpose``, ``concatenate``), reductions
(``reduce_sum``, ``mean``), ``matmul``, ``einsum`` and ``bincount`` have their sparse forms below. All of
them work eagerly and inside a ``tf.function`` (where the number of stored values, and the batch size,
are only known when the graph runs).

Example:
    x = tf.sparse.from_dense([[0.0, 2.0], [3.0, 0.0]])
    is_sparse(x)                  # True
    to_dense(x).numpy().tolist()  # [[0.0, 2.0], [3.0, 0.0]]
"""

from __future__ import annotations

import functools

import numpy as np
import tensorflow as tf
import tensorflow.experimental.numpy as tnp

_SCALARS = (int, float, bool, complex)
# The sparse tensor classes, for the shared rules' ``type(x) in SPARSE_TYPES`` (a set lookup, as on jax).
SPARSE_TYPES = frozenset({tf.SparseTensor})


def is_sparse(x) -> bool:
    """Whether ``x`` is a ``tf.SparseTensor``."""
    return isinstance(x, tf.SparseTensor)


def to_dense(x):
    """``x`` as a dense ``tf.Tensor`` when it is sparse; anything else unchanged."""
    return tf.sparse.to_dense(x) if isinstance(x, tf.SparseTensor) else x


def from_dense(x, n_batch: int = 0) -> tf.SparseTensor:
    """The sparse tensor of the dense ``x``: its non-zero values stored, in row-major order.

    ``n_batch`` is accepted for the engines' common signature (JAX's BCOO lays out batch axes) and
    ignored: a ``tf.SparseTensor`` has no batch layout.

    Example:
        from_dense(np.eye(2)).indices.numpy().tolist()  # [[0, 0], [1, 1]]
    """
    return _stored_non_zeros(tf.convert_to_tensor(x))


def _stored_non_zeros(x) -> tf.SparseTensor:
    """``tf.sparse.from_dense`` for every dtype (TensorFlow's compares with a 0 it cannot make as a bool)."""
    indices = tf.where(tf.not_equal(x, tf.zeros_like(x)))
    return tf.SparseTensor(indices, tf.gather_nd(x, indices), tf.shape(x, out_type=tf.int64))


def placeholder(value) -> tf.SparseTensor:
    """A sparse tensor standing for a sparse ``KerasTensor`` while an op is evaluated abstractly."""
    return _stored_non_zeros(value)


def _with_values(x: tf.SparseTensor, values) -> tf.SparseTensor:
    """``x``'s positions around new stored values."""
    return tf.SparseTensor(x.indices, values, x.dense_shape)


def _rank(x) -> int:
    return x.shape.rank


def _static_shape(x) -> list:
    return x.shape.as_list()


# ---- element-wise rules ----


def densifying(function):
    """For a unary ``function`` with ``function(0) != 0``: a sparse input is densified first."""

    @functools.wraps(function)
    def op(x, *args, **kwargs):
        if isinstance(x, tf.SparseTensor):
            x = tf.sparse.to_dense(x)
        return function(x, *args, **kwargs)

    return op


def elementwise_unary(linear: bool):
    """For a unary ``function`` with ``function(0) == 0``: applied to the stored values, indices kept.

    Args:
        linear: ``f(a + b) == f(a) + f(b)``; taken for the rule table the engines share (on JAX a
            non-linear function first sums duplicate positions, which a ``tf.SparseTensor`` never has).
    """
    del linear

    def decorate(function):
        @functools.wraps(function)
        def op(x, *args, **kwargs):
            if isinstance(x, tf.SparseTensor):
                return _with_values(x, function(x.values, *args, **kwargs))
            return function(x, *args, **kwargs)

        return op

    return decorate


def broadcast_to(x: tf.SparseTensor, shape) -> tf.SparseTensor:
    """``x`` broadcast to ``shape`` (NumPy's rules), still sparse: stored values repeat along stretched axes.

    Every axis of static size 1 (and every new leading axis) is stretched to ``shape``'s size there, which
    may be known only when the graph runs; a size of 1 repeats the values once.
    """
    shape = tf.cast(shape, tf.int64)
    rank = int(shape.shape[0])
    leading = rank - _rank(x)
    indices, values = x.indices, x.values
    indices = tf.concat([tf.zeros([tf.shape(indices)[0], leading], tf.int64), indices], axis=1)
    for axis, size in enumerate([1] * leading + _static_shape(x)):
        if size == 1:
            copies, count = shape[axis], tf.shape(indices, out_type=tf.int64)[0]
            tiled = tf.tile(indices, tf.stack([copies, 1]))
            position = tf.repeat(tf.range(copies), count)[:, None]
            indices = tf.concat([tiled[:, :axis], position, tiled[:, axis + 1:]], axis=1)
            values = tf.tile(values, [copies])
    return tf.sparse.reorder(tf.SparseTensor(indices, values, shape))


def _needs_broadcast(small: list, large: list) -> bool:
    """Whether a tensor of static shape ``small`` must be stretched to meet one of static shape ``large``."""
    if len(small) < len(large):
        return True
    return any(s == 1 and l != 1 for s, l in zip(small[len(small) - len(large):], large))


def _broadcast_pair(x1: tf.SparseTensor, x2: tf.SparseTensor) -> tuple[tf.SparseTensor, tf.SparseTensor]:
    shape1, shape2 = _static_shape(x1), _static_shape(x2)
    if not (_needs_broadcast(shape1, shape2) or _needs_broadcast(shape2, shape1)):
        return x1, x2
    shape = tf.broadcast_dynamic_shape(x1.dense_shape, x2.dense_shape)
    return broadcast_to(x1, shape), broadcast_to(x2, shape)


def _tags(x: tf.SparseTensor, counting: bool) -> tf.SparseTensor:
    """int64 values at ``x``'s positions: each value's place in ``x`` plus one, or 0 (``counting=False``)."""
    count = tf.shape(x.indices, out_type=tf.int64)[0]
    return tf.SparseTensor(x.indices, tf.range(1, count + 1) if counting else tf.zeros([count], tf.int64),
                           x.dense_shape)


def _spread(x: tf.SparseTensor, picks: tf.SparseTensor) -> tf.SparseTensor:
    """``x``'s values at the positions of ``picks`` (from ``_tags``): 0 where ``picks`` holds 0."""
    padded = tf.concat([tf.zeros([1], x.dtype), x.values], axis=0)
    return tf.SparseTensor(picks.indices, tf.gather(padded, picks.values), picks.dense_shape)


def _aligned(x1: tf.SparseTensor, x2: tf.SparseTensor) -> tuple[tf.SparseTensor, tf.SparseTensor]:
    """``x1`` and ``x2`` stored on the union of their positions, in the same order (explicit zeros added).

    ``tf.sparse.add`` merges two row-major position lists (keeping explicit zeros), so both sums list the
    same positions in the same order. It adds int64 tags that say where each value comes from, not the
    values themselves: it has no kernel for bool, uint8 or half floats.
    """
    x1, x2 = tf.sparse.reorder(x1), tf.sparse.reorder(x2)
    picks1 = tf.sparse.add(_tags(x1, counting=True), _tags(x2, counting=False))
    picks2 = tf.sparse.add(_tags(x1, counting=False), _tags(x2, counting=True))
    return _spread(x1, picks1), _spread(x2, picks2)


def _on_union(function, x1: tf.SparseTensor, x2: tf.SparseTensor) -> tf.SparseTensor:
    """``function`` of two sparse operands, stored on the union of their positions."""
    x1, x2 = _aligned(*_broadcast_pair(x1, x2))
    return _with_values(x1, function(x1.values, x2.values))


def union(linear: bool):
    """For a binary ``function`` with ``function(0, 0) == 0`` (``add``, ``subtract``, ``maximum``).

    Two sparse operands give a sparse result on the union of their positions; with one dense or scalar
    operand the result is dense.

    Args:
        linear: ``f`` is linear in each operand; taken for the rule table the engines share (see
            ``elementwise_unary``).
    """
    del linear

    def decorate(function):
        @functools.wraps(function)
        def op(x1, x2):
            if isinstance(x1, tf.SparseTensor):
                if isinstance(x2, tf.SparseTensor):
                    return _on_union(function, x1, x2)
                return function(tf.sparse.to_dense(x1), x2)
            if isinstance(x2, tf.SparseTensor):
                return function(x1, tf.sparse.to_dense(x2))
            return function(x1, x2)

        return op

    return decorate


def _is_scalar(x) -> bool:
    if isinstance(x, tf.Tensor):
        return x.shape.rank == 0
    return isinstance(x, _SCALARS) or np.ndim(x) == 0


def _values_at(x: tf.SparseTensor, dense):
    """``dense`` (broadcast to ``x``'s shape) read at ``x``'s stored positions, shaped as ``x.values``.

    A Python scalar or a 0-d tensor is returned as it is (it broadcasts against the values).
    """
    if _is_scalar(dense):
        return dense
    return tf.gather_nd(tf.broadcast_to(dense, x.dense_shape), x.indices)


def _broadcast_against(x: tf.SparseTensor, dense) -> tf.SparseTensor:
    """``x`` broadcast to the shape it has with ``dense`` (where the result is larger than ``x``)."""
    if _is_scalar(dense) or not _needs_broadcast(_static_shape(x), list(dense.shape)):
        return x
    return broadcast_to(x, tf.broadcast_dynamic_shape(x.dense_shape, tf.shape(dense, out_type=tf.int64)))


def _sparse_times_dense(function, x: tf.SparseTensor, dense, swap: bool) -> tf.SparseTensor:
    values = _values_at(x, dense)
    return _with_values(x, function(values, x.values) if swap else function(x.values, values))


def _as_tensor(x):
    return x if isinstance(x, (tf.Tensor, *_SCALARS)) else tf.convert_to_tensor(x)


def intersection(function):
    """For ``multiply``: sparse whenever one operand is; a dense or scalar factor is read at its positions."""

    @functools.wraps(function)
    def op(x1, x2):
        if isinstance(x1, tf.SparseTensor):
            if isinstance(x2, tf.SparseTensor):
                return _on_union(function, x1, x2)
            x2 = _as_tensor(x2)
            return _sparse_times_dense(function, _broadcast_against(x1, x2), x2, swap=False)
        if isinstance(x2, tf.SparseTensor):
            x1 = _as_tensor(x1)
            return _sparse_times_dense(function, _broadcast_against(x2, x1), x1, swap=True)
        return function(x1, x2)

    return op


def _with_zero_divisors(x: tf.SparseTensor, divisor) -> tf.SparseTensor:
    """``x`` with explicit zeros added where ``divisor`` is 0 or NaN, so that ``0 / 0`` shows as NaN there."""
    divisor = tf.broadcast_to(divisor, x.dense_shape)
    bad = tf.equal(divisor, tf.zeros([], divisor.dtype))
    if divisor.dtype.is_floating or divisor.dtype.is_complex:
        bad = bad | tf.math.is_nan(tf.math.real(divisor) if divisor.dtype.is_complex else divisor)
    return _aligned(x, _stored_non_zeros(bad))[0]


def division(function):
    """For ``divide``: a sparse dividend over a dense or scalar divisor stays sparse; a sparse divisor densifies.

    The positions where a dense divisor is 0 or NaN are added to the result so they read NaN or inf as
    NumPy's. A zero scalar divisor gives a sparse result whose implicit zeros stay 0, as in Keras.
    """

    @functools.wraps(function)
    def op(x1, x2):
        if isinstance(x2, tf.SparseTensor):
            return function(to_dense(x1), tf.sparse.to_dense(x2))
        if isinstance(x1, tf.SparseTensor):
            x2 = _as_tensor(x2)
            x1 = _broadcast_against(x1, x2)
            if not _is_scalar(x2):
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
            if isinstance(x, tf.SparseTensor):
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


def _on_axes(x: tf.SparseTensor, kept: list[int], static: list) -> tf.SparseTensor:
    """``x`` keeping only the coordinate columns ``kept`` (dropped axes hold only 0), of static shape ``static``."""
    out = tf.SparseTensor(tf.gather(x.indices, kept, axis=1), x.values, tf.gather(x.dense_shape, kept))
    out.set_shape(static)
    return out


def expand_dims(x: tf.SparseTensor, axis) -> tf.SparseTensor:
    """``x`` with size-1 axes inserted at ``axis`` (an int or a tuple), still sparse."""
    rank = _rank(x) + (1 if isinstance(axis, int) else len(axis))
    for new_axis in _canonical_axes(axis, rank):  # ascending: each position counts the axes inserted before
        x = tf.sparse.expand_dims(x, new_axis)
    return x


def reshape(x: tf.SparseTensor, newshape) -> tf.SparseTensor:
    """``x`` in ``newshape`` (one ``-1`` allowed), still sparse."""
    return tf.sparse.reshape(x, (newshape,) if isinstance(newshape, int) else newshape)


def squeeze(x: tf.SparseTensor, axis=None) -> tf.SparseTensor:
    """``x`` without its size-1 axes (those in ``axis``), still sparse."""
    shape = _static_shape(x)
    axes = [i for i, d in enumerate(shape) if d == 1] if axis is None else _canonical_axes(axis, len(shape))
    for a in axes:
        if shape[a] not in (1, None):
            raise ValueError(f"cannot select an axis to squeeze out which has size not equal to one: axis {a} "
                             f"of shape {tuple(shape)}")
    kept = [i for i in range(len(shape)) if i not in axes]
    return _on_axes(x, kept, [shape[i] for i in kept])


def transpose(x: tf.SparseTensor, axes=None) -> tf.SparseTensor:
    """``x`` with its axes permuted (reversed by default), still sparse."""
    rank = _rank(x)
    permutation = list(reversed(range(rank))) if axes is None else [a % rank for a in axes]
    return tf.sparse.transpose(x, permutation)


def moveaxis(x: tf.SparseTensor, source, destination) -> tf.SparseTensor:
    """``x`` with the axes ``source`` moved to ``destination`` (ints or sequences), still sparse."""
    rank = _rank(x)
    source, destination = _canonical_order(source, rank), _canonical_order(destination, rank)
    order = [a for a in range(rank) if a not in source]
    for target, axis in sorted(zip(destination, source)):
        order.insert(target, axis)
    return transpose(x, order)


def _canonical_order(axes, rank: int) -> list[int]:
    return [a % rank for a in ((axes,) if isinstance(axes, int) else axes)]


def concatenate(xs, axis: int = 0) -> tf.SparseTensor:
    """Sparse tensors of one dtype joined along ``axis``, still sparse."""
    return tf.sparse.concat(axis % _rank(xs[0]), list(xs))


# ---- reductions and products ----


def reduce_sum(x: tf.SparseTensor, axis=None, keepdims: bool = False) -> tf.SparseTensor:
    """The sum over ``axis`` (all by default, ``()`` for none), still sparse."""
    axes = _canonical_axes(axis, _rank(x))
    if not axes:
        return x
    return tf.sparse.reduce_sum(x, axis=list(axes), keepdims=keepdims, output_is_sparse=True)


def mean(x: tf.SparseTensor, axis=None, keepdims: bool = False) -> tf.SparseTensor:
    """The mean over ``axis`` in ``x``'s (floating) dtype, still sparse."""
    axes = _canonical_axes(axis, _rank(x))
    count = tf.cast(tf.reduce_prod(tf.gather(x.dense_shape, list(axes))), x.dtype)
    total = reduce_sum(x, axes, keepdims)
    return _with_values(total, total.values / count)


def _sparse_dense_matmul(x1: tf.SparseTensor, x2):
    """``x1 @ x2`` for a sparse ``x1`` of rank >= 2 and a dense ``x2`` of rank 2 or of ``x1``'s rank (same
    batch axes): each stored value scales a row of ``x2``, and the rows are summed into the output."""
    indices = x1.indices
    rows, inner = indices[:, :-1], indices[:, -1:]
    if x2.shape.rank == 2:
        picked = tf.gather(x2, inner[:, 0])
    else:
        picked = tf.gather_nd(x2, tf.concat([indices[:, :-2], inner], axis=1))
    scaled = tf.cast(x1.values, picked.dtype)[:, None] * picked
    shape = tf.concat([x1.dense_shape[:-1], tf.shape(x2, out_type=tf.int64)[-1:]], axis=0)
    out = tf.scatter_nd(rows, scaled, shape)
    out.set_shape(_static_shape(x1)[:-1] + x2.shape.as_list()[-1:])
    return out


def _swap_last(x):
    rank = x.shape.rank
    permutation = list(range(rank - 2)) + [rank - 1, rank - 2]
    return tf.sparse.transpose(x, permutation) if isinstance(x, tf.SparseTensor) else tf.transpose(x, permutation)


def _supported_product(sparse_x: tf.SparseTensor, dense_x) -> bool:
    rank = _rank(sparse_x)
    return rank >= 2 and (dense_x.shape.rank == 2 or dense_x.shape.rank == rank)


def matmul(x1, x2):
    """``x1 @ x2`` with either operand sparse: dense, or sparse (the product's non-zeros) when both are.

    A sparse operand meets a dense one of rank 2 or of its own rank (the same batch axes) through gathers
    and a scatter, which differentiate with respect to both; other ranks are densified. Of two sparse
    operands, ``x2`` is densified and the product stored sparse again.

    Example:
        matmul(from_dense([[0.0, 2.0]]), tf.ones((2, 3))).numpy().tolist()  # [[2.0, 2.0, 2.0]]
    """
    if isinstance(x1, tf.SparseTensor) and isinstance(x2, tf.SparseTensor):
        return _stored_non_zeros(matmul(x1, tf.sparse.to_dense(x2)))
    if isinstance(x1, tf.SparseTensor):
        x2 = tf.convert_to_tensor(x2)
        if _supported_product(x1, x2):
            return _sparse_dense_matmul(x1, x2)
    else:
        x1 = tf.convert_to_tensor(x1)
        if _supported_product(x2, x1) and x1.shape.rank >= 2:
            return _swap_last(_sparse_dense_matmul(_swap_last(x2), _swap_last(x1)))
    return tnp.matmul(to_dense(x1), to_dense(x2))


def einsum(subscripts: str, *operands):
    """``tf.einsum`` with sparse operands, computed densely (TensorFlow has no sparse einsum); when every
    operand is sparse the result is stored sparse (its non-zeros), as the symbolic rule says."""
    out = tf.einsum(subscripts, *[to_dense(x) for x in operands])
    return _stored_non_zeros(out) if all(isinstance(x, tf.SparseTensor) for x in operands) else out


def bincount(x, weights, minlength: int, dtype) -> tf.SparseTensor:
    """Counts (or summed ``weights``) of the non-negative ints ``x`` per value, as a sparse tensor.

    ``x`` is 1-D (one row of counts) or 2-D (a row of counts per row); a sparse ``x`` counts its stored
    values only, and sparse ``weights`` must be stored at the same positions.
    """
    if isinstance(x, tf.SparseTensor) and weights is not None and not isinstance(weights, tf.SparseTensor):
        raise ValueError("bincount: a sparse `x` needs `weights` sparse too, at the same positions.")
    if not isinstance(x, tf.SparseTensor) and isinstance(weights, tf.SparseTensor):
        weights = tf.sparse.to_dense(weights)
    axis = -1 if _rank(x) == 2 else 0
    counts = tf.sparse.bincount(x, weights=weights, minlength=minlength, axis=axis)
    return _with_values(counts, tf.cast(counts.values, dtype))


def row_major(x: tf.SparseTensor) -> tf.SparseTensor:
    """``x`` with its stored values in row-major order, as ``take_rows`` reads them (a hand-built tensor may not
    be); the data adapter calls it once per dataset."""
    return tf.sparse.reorder(x)


def take_rows(x: tf.SparseTensor, key) -> tf.SparseTensor:
    """The rows (first-axis entries) of ``x`` at ``key``, a slice or a 1-D int tensor: a batch, still sparse.

    ``x`` is in row-major order (as ``from_dense``, ``from_scipy`` and TensorFlow's sparse ops leave it):
    each row's stored values are found by a binary search, so a batch costs its own stored values.

    Example:
        take_rows(from_dense(np.eye(3)), tf.constant([2, 0]))  # rows 2 and 0 of the identity
    """
    if isinstance(key, slice):
        key = tf.range(*key.indices(int(x.shape[0])))
    rows = tf.cast(key, tf.int64)
    row_of_value = x.indices[:, 0]
    spans = tf.ragged.range(tf.searchsorted(row_of_value, rows, side="left"),
                            tf.searchsorted(row_of_value, rows, side="right"))
    picked = spans.flat_values
    indices = tf.concat([spans.value_rowids()[:, None], tf.gather(x.indices[:, 1:], picked)], axis=1)
    shape = tf.concat([tf.shape(rows, out_type=tf.int64), x.dense_shape[1:]], axis=0)
    return tf.sparse.reorder(tf.SparseTensor(indices, tf.gather(x.values, picked), shape))


def is_scipy_sparse(x) -> bool:
    """Whether ``x`` is a SciPy sparse matrix or array (any format: it converts through ``tocoo``)."""
    return type(x).__module__.startswith("scipy.sparse") and hasattr(x, "tocoo")


def from_scipy(x, dtype=None) -> tf.SparseTensor:
    """A SciPy sparse matrix (or N-D ``coo_array``) as a ``tf.SparseTensor`` of the same stored values.

    Example:
        to_dense(from_scipy(scipy.sparse.eye(3, format="csr")))  # the 3x3 identity
    """
    coo = x.tocoo()
    coords = coo.coords if hasattr(coo, "coords") else (coo.row, coo.col)
    indices = np.stack([np.asarray(c, dtype=np.int64) for c in coords], axis=1).reshape(-1, len(coo.shape))
    data = np.asarray(coo.data) if dtype is None else np.asarray(coo.data).astype(dtype)
    return tf.sparse.reorder(tf.SparseTensor(indices, data, [int(d) for d in coo.shape]))


def one_hot(x, num_classes: int, axis: int, dtype) -> tf.SparseTensor:
    """``tf.one_hot`` as a sparse tensor: one stored value per entry of ``x``, 1 where ``0 <= x < num_classes``.

    An id out of range stores an explicit 0 (at class 0), so the number of stored values is ``x``'s size
    whatever the ids are, as on JAX.
    """
    rank = _rank(x) + 1
    axis = axis + rank if axis < 0 else axis
    if not 0 <= axis < rank:
        raise ValueError(f"one_hot: axis {axis} is out of range for an output of rank {rank}.")
    flat = tf.reshape(tf.cast(x, tf.int64), [-1])
    valid = (flat >= 0) & (flat < num_classes)
    positions = tf.where(tf.ones_like(x, dtype=tf.bool))  # every entry's coordinates, row-major
    classes = tf.where(valid, flat, tf.zeros_like(flat))[:, None]
    indices = tf.concat([positions[:, :axis], classes, positions[:, axis:]], axis=1)
    shape = tf.shape(x, out_type=tf.int64)
    shape = tf.concat([shape[:axis], [num_classes], shape[axis:]], axis=0)
    out = tf.SparseTensor(indices, tf.cast(valid, dtype), shape)
    # Row-major order of x's entries is the sorted order only when the class coordinate comes last.
    return out if axis == rank - 1 else tf.sparse.reorder(out)


def any_along(x: tf.SparseTensor, axis: int, dtype) -> tf.SparseTensor:
    """1 where any value stored along ``axis`` of ``x`` is non-zero, else 0: the multi-hot of one-hot rows."""
    nonzero = _with_values(x, tf.cast(tf.not_equal(x.values, tf.zeros([], x.dtype)), tf.int32))
    found = tf.sparse.reduce_max(nonzero, axis=axis, output_is_sparse=True)
    return _with_values(found, tf.cast(found.values, dtype))
