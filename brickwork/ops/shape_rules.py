"""Shape rules for ops whose symbolic result cannot come from the engine's abstract evaluation.

On ``KerasTensor`` inputs an op's result usually comes from running the engine op on placeholders
(``ops/_dispatch.py``). The ops below take a rule written on shapes instead, as Keras 3 does:

- integer-only ops (``bitwise_and``, ``gcd``, ``ldexp``) and index ops (``take``, ``take_along_axis``)
  accept symbolic inputs of any dtype: a ``KerasTensor``'s dtype defaults to float32, and the engine
  would refuse it before any value exists;
- products (``matmul``, ``dot``, ``inner``, ``cross``) report known sizes that cannot meet as a
  ``ValueError`` naming both shapes, and let an unknown size (``None``) match anything;
- ``repeat``, ``reshape`` and ``squeeze`` decide from the shapes where a placeholder size would make
  the engine guess.

Each rule returns the ``KerasTensor`` the op gives; concrete inputs never reach this file.

Example:
    >>> from brickwork import KerasTensor, ops
    >>> ops.bitwise_and(KerasTensor((None, 3), "int32"), KerasTensor((1, 3), "int32")).shape
    (None, 3)
"""

from __future__ import annotations

import math

import numpy as np

from brickwork.backend.common import dtypes
from brickwork.backend.common.backend_utils import canonicalize_axis
from brickwork.backend.common.keras_tensor import KerasTensor
from brickwork.ops.operation_utils import broadcast_shapes, compute_reshape_output_shape


def _shape(x) -> tuple:
    return tuple(x.shape) if hasattr(x, "shape") else np.shape(x)


def _dtype(x):
    """A tensor's dtype, or a Python scalar itself (weakly typed in ``result_type``)."""
    return getattr(x, "dtype", x)


# ---- element-wise ops on integers ----


def elementwise_spec(x1, x2):
    """Two inputs broadcast; the dtypes promote (``bitwise_and``, ``gcd``, ``lcm``)."""
    shape = broadcast_shapes(_shape(x1), _shape(x2))
    return KerasTensor(shape, dtype=dtypes.promote_types(_dtype(x1), _dtype(x2)))


def same_spec(x):
    """The input's shape and dtype (``bitwise_invert``)."""
    return KerasTensor(_shape(x), dtype=dtypes.promote_types(_dtype(x)))


def shift_spec(x, y):
    """A shift keeps ``x``'s dtype for a Python int count, else the dtypes promote."""
    if isinstance(y, int) and not isinstance(y, bool):
        return KerasTensor(_shape(x), dtype=dtypes.promote_types(_dtype(x)))
    return elementwise_spec(x, y)


def ldexp_spec(x1, x2):
    """``x1 * 2 ** x2``: broadcast, and a float result (floatx for integer ``x1``)."""
    shape = broadcast_shapes(_shape(x1), _shape(x2))
    return KerasTensor(shape, dtype=dtypes.promote_types(_dtype(x1), _dtype(x2), float))


# ---- indexing ----


def take_spec(x, indices, axis=None):
    """``x.shape[:axis] + indices.shape + x.shape[axis + 1:]``; the indices' shape alone when ``axis`` is None."""
    indices_shape = _shape(indices)
    if axis is None:
        return KerasTensor(indices_shape, dtype=x.dtype)
    shape = _shape(x)
    axis = canonicalize_axis(axis, len(shape))
    return KerasTensor(shape[:axis] + indices_shape + shape[axis + 1:], dtype=x.dtype)


def take_along_axis_spec(x, indices, axis=None):
    """The indices' size along ``axis``, the other axes broadcast (``x`` flattened when ``axis`` is None)."""
    shape, indices_shape = list(_shape(x)), list(_shape(indices))
    if axis is None:
        shape, axis = [None if None in shape else math.prod(shape)], 0
    if len(shape) != len(indices_shape):
        raise ValueError(f"take_along_axis: `x` and `indices` must have the same number of dimensions. Received: "
                         f"x.shape={tuple(_shape(x))}, indices.shape={tuple(indices_shape)}")
    axis = canonicalize_axis(axis, len(shape))
    shape[axis] = indices_shape[axis]
    return KerasTensor(broadcast_shapes(shape, indices_shape), dtype=x.dtype)


def argpartition_spec(x, kth, axis=-1):
    """int32 indices of ``x``'s shape (flattened when ``axis`` is None); ``kth`` must be one integer.

    Keras checks only the type of ``kth`` symbolically: its range is the engine's to judge at run time.
    """
    if not isinstance(kth, (int, np.integer)) or isinstance(kth, bool):
        raise ValueError(f"argpartition: `kth` must be an integer. Received: kth={kth!r}")
    shape = _shape(x)
    if axis is None:
        shape = (None if None in shape else int(np.prod(shape)),)
    return KerasTensor(shape, dtype="int32")


def searchsorted_spec(sorted_sequence, values, side="left"):
    """The values' shape; int32 positions, int64 when the sequence's length is unknown (it may not fit)."""
    if len(_shape(sorted_sequence)) != 1:
        raise ValueError(f"searchsorted: `sorted_sequence` must be 1-D (use ops.vectorized_map for N-D). "
                         f"Received: sorted_sequence.shape={_shape(sorted_sequence)}")
    length = _shape(sorted_sequence)[0]
    fits = length is not None and length <= np.iinfo(np.int32).max
    return KerasTensor(_shape(values), dtype="int32" if fits else "int64")


# ---- products ----


def _sparse(x) -> bool:
    """Whether ``x`` is a sparse symbolic tensor (shape-only ops keep it sparse)."""
    return bool(getattr(x, "sparse", False))


def _sizes_meet(a, b) -> bool:
    return a is None or b is None or a == b


def _product_dtype(x1, x2) -> str:
    names = [dtypes.standardize_dtype(x.dtype) if hasattr(x, "dtype") else None for x in (x1, x2)]
    if names == ["int8", "int8"]:
        return "int32"  # an int8 product accumulates in int32, as Keras's matmul does
    return dtypes.promote_types(_dtype(x1), _dtype(x2))


def matmul_spec(x1, x2):
    """NumPy's ``matmul`` shape: batch dimensions broadcast, a 1-D operand's temporary axis dropped."""
    shape1, shape2 = list(_shape(x1)), list(_shape(x2))
    if not shape1 or not shape2:
        raise ValueError(f"matmul: the operands must have at least one dimension. Received: x1.shape="
                         f"{tuple(shape1)}, x2.shape={tuple(shape2)}")
    vector1, vector2 = len(shape1) == 1, len(shape2) == 1
    if vector1:
        shape1 = [1] + shape1
    if vector2:
        shape2 = shape2 + [1]
    if not _sizes_meet(shape1[-1], shape2[-2]):
        raise ValueError(f"matmul: the last dimension of `x1` must match the second-to-last of `x2`. Received: "
                         f"x1.shape={_shape(x1)}, x2.shape={_shape(x2)}")
    try:
        batch = broadcast_shapes(shape1[:-2], shape2[:-2])
    except ValueError as error:
        raise ValueError(f"matmul: the batch dimensions do not broadcast. Received: x1.shape={_shape(x1)}, "
                         f"x2.shape={_shape(x2)}") from error
    shape = batch + ([] if vector1 else [shape1[-2]]) + ([] if vector2 else [shape2[-1]])
    # sparse only when both operands are (Keras's rule; the engine's sparse matmul agrees)
    return KerasTensor(shape, dtype=_product_dtype(x1, x2), sparse=_sparse(x1) and _sparse(x2))


def dot_spec(x1, x2):
    """NumPy's ``dot`` shape: a scalar multiplies, else ``x1``'s last axis meets ``x2``'s second-to-last."""
    shape1, shape2 = list(_shape(x1)), list(_shape(x2))
    dtype = dtypes.promote_types(_dtype(x1), _dtype(x2))
    if not shape1 or not shape2:
        return KerasTensor(broadcast_shapes(shape1, shape2), dtype=dtype)
    contracted = shape2[0] if len(shape2) == 1 else shape2[-2]
    if not _sizes_meet(shape1[-1], contracted):
        raise ValueError(f"dot: the last dimension of `x1` must match the "
                         f"{'only' if len(shape2) == 1 else 'second-to-last'} dimension of `x2`. Received: "
                         f"x1.shape={tuple(shape1)}, x2.shape={tuple(shape2)}")
    if len(shape2) == 1:
        return KerasTensor(shape1[:-1], dtype=dtype)
    return KerasTensor(shape1[:-1] + shape2[:-2] + shape2[-1:], dtype=dtype)


def inner_spec(x1, x2):
    """NumPy's ``inner`` shape: ``x1.shape[:-1] + x2.shape[:-1]``; a scalar operand multiplies."""
    shape1, shape2 = tuple(_shape(x1)), tuple(_shape(x2))
    dtype = dtypes.promote_types(_dtype(x1), _dtype(x2))
    if not shape1 or not shape2:
        return KerasTensor(shape2 or shape1, dtype=dtype)
    if not _sizes_meet(shape1[-1], shape2[-1]):
        raise ValueError(f"inner: the last dimension of `x1` and `x2` must match. Received: x1.shape={shape1}, "
                         f"x2.shape={shape2}")
    return KerasTensor(shape1[:-1] + shape2[:-1], dtype=dtype)


def cross_spec(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """NumPy's ``cross`` shape: vectors of 2 or 3 along ``axisa``/``axisb``, the rest broadcast."""
    if axis is not None:
        axisa = axisb = axisc = axis
    shape1, shape2 = list(_shape(x1)), list(_shape(x2))
    sizes = []
    for name, shape, vector_axis in (("x1", shape1, axisa), ("x2", shape2, axisb)):
        size = shape.pop(canonicalize_axis(vector_axis, len(shape)))
        if size is not None and size not in (2, 3):
            raise ValueError(f"cross: `{name}`'s vectors (axis {vector_axis}) must have 2 or 3 components. "
                             f"Received: x1.shape={_shape(x1)}, x2.shape={_shape(x2)}")
        sizes.append(size)
    try:
        shape = broadcast_shapes(shape1, shape2)
    except ValueError as error:
        raise ValueError(f"cross: the dimensions other than the vectors' do not broadcast. Received: "
                         f"x1.shape={_shape(x1)}, x2.shape={_shape(x2)}") from error
    if 3 in sizes:
        shape.insert(canonicalize_axis(axisc, len(shape) + 1), 3)
    return KerasTensor(shape, dtype=dtypes.promote_types(_dtype(x1), _dtype(x2)))


# ---- shape ----


def repeat_spec(x, repeats, axis=None):
    """Each element ``repeats`` times along ``axis`` (of the flattened ``x`` when None); unknown sizes stay unknown."""
    shape = list(_shape(x))
    counts = [repeats] if isinstance(repeats, int) else list(np.ravel(repeats))
    if axis is None:
        shape, axis = [None if None in shape else math.prod(shape)], 0
    axis = canonicalize_axis(axis, len(shape))
    size = shape[axis]
    if size is not None:
        if len(counts) == 1:
            shape[axis] = size * int(counts[0])
        elif len(counts) == size:
            shape[axis] = int(sum(counts))
        else:
            raise ValueError(f"repeat: `repeats` must be one count or one per element along axis {axis} "
                             f"({size}). Received: {len(counts)} counts for x.shape={_shape(x)}")
    return KerasTensor(shape, dtype=x.dtype)


def squeeze_spec(x, axis=None):
    """``x`` without its size-1 axes; an axis named in ``axis`` must be known to be 1."""
    shape = list(_shape(x))
    if axis is None:
        return KerasTensor([d for d in shape if d != 1], dtype=x.dtype, sparse=_sparse(x))
    axes = {canonicalize_axis(a, len(shape)) for a in ((axis,) if isinstance(axis, int) else axis)}
    for a in sorted(axes):
        if shape[a] != 1:
            raise ValueError(f"squeeze: cannot squeeze axis {a}, whose size is {shape[a]}, not 1. Received: "
                             f"x.shape={tuple(shape)}")
    return KerasTensor([d for i, d in enumerate(shape) if i not in axes], dtype=x.dtype, sparse=_sparse(x))


def reshape_spec(x, newshape):
    """The new shape, with a ``-1`` resolved where the input's size is known."""
    return KerasTensor(compute_reshape_output_shape(_shape(x), newshape), dtype=x.dtype, sparse=_sparse(x))


# ---- indexing with a key ----


class IndexingError(IndexError, ValueError):
    """A key that cannot index the tensor: NumPy's IndexError, and the ValueError Keras raises symbolically."""


def check_index(shape, key) -> None:
    """Raise ``IndexingError`` for a key that cannot index ``shape``: two ellipses, more indices than axes,
    or an integer outside a known size (jax would clamp it silently).

    Example:
        >>> check_index((None, 5), (slice(None), 7))  # IndexingError: index 7 ... axis 1 with size 5
    """
    parts = key if isinstance(key, tuple) else (key,)
    if sum(part is Ellipsis for part in parts) > 1:
        raise IndexingError("an index can have only one ellipsis ('...').")
    indexed = [p for p in parts if p is not None and p is not Ellipsis]
    used = sum(len(getattr(p, "shape", ())) if getattr(p, "dtype", None) == "bool" else 1 for p in indexed)
    if used > len(shape):
        raise IndexingError(f"too many indices: the tensor has {len(shape)} dimensions, {used} were indexed.")
    if any(hasattr(p, "shape") for p in indexed):
        return  # how many axes a tensor index takes (a boolean mask: its rank) is the engine's to say
    split = next((i for i, p in enumerate(parts) if p is Ellipsis), len(parts))
    for parts_side, axes in ((parts[:split], range(len(shape))),
                             (parts[split + 1:][::-1], range(len(shape) - 1, -1, -1))):
        axis_iter = iter(axes)
        for part in parts_side:
            if part is None:
                continue
            axis = next(axis_iter)
            size = shape[axis]
            is_int = isinstance(part, (int, np.integer)) and not isinstance(part, bool)
            if is_int and size is not None and not -size <= part < size:
                raise IndexingError(f"index {part} is out of bounds for axis {axis} with size {size}.")


def unravel_index_spec(indices, shape):
    """One coordinate tensor per dimension of ``shape``, each of the indices' shape and dtype."""
    return tuple(KerasTensor(_shape(indices), dtype=dtypes.promote_types(_dtype(indices))) for _ in shape)


def check_diagonal(x, offset=0, axis1=0, axis2=1):
    """``diagonal`` needs two axes to span its planes."""
    if len(_shape(x)) < 2:
        raise ValueError(f"diagonal: `x` must have at least two dimensions. Received: x.shape={_shape(x)}")
