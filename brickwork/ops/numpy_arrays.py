"""NumPy-like shape, indexing, creation, sorting and product ops (``ops.reshape``, ``ops.matmul``, …).

Each op is a documented signature bound to ``brickwork.backend.active.arrays.<name>``; the
symbolic (``KerasTensor``) path comes from the engine's abstract evaluation, except for the
few ops below with a ``spec=`` whose result shape depends on data.
"""

from __future__ import annotations

from brickwork.backend import active as _active
from brickwork.backend import compute_output_spec as _compute_output_spec
from brickwork.backend import convert_to_tensor as _convert_to_tensor
from brickwork.backend.common.keras_tensor import KerasTensor as _KerasTensor
from brickwork.ops import shape_rules as _rules
from brickwork.ops._dispatch import backend_op

# ---- specs for ops abstract evaluation cannot describe ----


def _nonzero_spec(x):
    return tuple(_KerasTensor((None,), dtype="int32") for _ in x.shape)


def _where_spec(condition, x1=None, x2=None):
    if x1 is None and x2 is None:
        return _nonzero_spec(condition)
    return _compute_output_spec(_active.arrays.where, condition, x1, x2)


def _get_item_spec(x, key):
    parts = key if isinstance(key, tuple) else (key,)
    if any(isinstance(k, _KerasTensor) and k.dtype == "bool" for k in parts):
        raise ValueError("a boolean mask on a symbolic tensor gives a data-dependent shape; "
                         "use ops.where or ops.take with integer indices instead")
    _rules.check_index(x.shape, key)
    return _compute_output_spec(_active.arrays.get_item, x, key)


def _broadcast_to_spec(x, shape):
    # From the shapes alone: abstract evaluation would give unknown sizes (``None``) a made-up value.
    shape, x_shape = tuple(shape), tuple(x.shape)
    if len(x_shape) > len(shape) or any(a is not None and b is not None and a not in (1, b)
                                        for a, b in zip(reversed(x_shape), reversed(shape))):
        raise ValueError(f"cannot broadcast a tensor of shape {x_shape} to shape {shape}")
    return _KerasTensor(shape, dtype=x.dtype)


def _ndim_spec(x):
    return len(x.shape)


def _size_spec(x):
    # A symbolic scalar even for a known shape, as Keras gives: the graph records the op either way.
    return _KerasTensor((), dtype="int32")


def _split_shapes(shape, indices_or_sections, axis):
    """Piece shapes of a split along an axis of unknown size (``None``)."""
    if isinstance(indices_or_sections, int):
        return [shape] * indices_or_sections
    edges = [0, *[int(i) for i in indices_or_sections]]
    sizes = [max(b - a, 0) for a, b in zip(edges[:-1], edges[1:])] + [None]
    return [shape[:axis] + (s,) + shape[axis + 1 :] for s in sizes]


def _make_split_spec(name, fixed_axis=None):
    def spec(x, indices_or_sections, axis=0):
        if fixed_axis is not None:
            axis = fixed_axis(x)
        axis = axis + len(x.shape) if axis < 0 else axis
        if x.shape[axis] is not None:
            impl = getattr(_active.arrays, name)
            args = (x, indices_or_sections) if fixed_axis is not None else (x, indices_or_sections, axis)
            return _compute_output_spec(impl, *args)
        return [_KerasTensor(s, dtype=x.dtype) for s in _split_shapes(x.shape, indices_or_sections, axis)]

    return spec


# ---- shape ----


def _reshape_problem(x, newshape):
    shape = (newshape,) if isinstance(newshape, int) else newshape
    if not isinstance(shape, (tuple, list)):
        return None
    sizes = [d for d in shape if isinstance(d, int)]
    if any(d < -1 for d in sizes):
        return ValueError(f"Each size in `newshape` must be a non-negative integer, or -1 for the one inferred "
                          f"size. Received: newshape={tuple(shape)}")
    if sizes.count(-1) > 1:
        return ValueError(f"`newshape` can have at most one unknown dimension (-1). Received: "
                          f"newshape={tuple(shape)}")
    return None


def _reshape_spec(x, newshape):
    # A symbolic shape (a KerasTensor, or KerasTensor sizes) gives unknown sizes; abstract evaluation would
    # read the placeholder's zeros as the new shape.
    sparse = getattr(x, "sparse", False)
    if isinstance(newshape, _KerasTensor):
        return _KerasTensor((None,) * newshape.shape[0], dtype=x.dtype, sparse=sparse)
    # So does an input of unknown size: the new shape is taken as given, its -1 unknown (Keras's rule).
    unknown_input = isinstance(x, _KerasTensor) and None in x.shape
    if isinstance(newshape, (tuple, list)) and (
            unknown_input or any(d is None or isinstance(d, _KerasTensor) for d in newshape)):
        problem = _reshape_problem(x, newshape)
        if problem is not None:
            raise problem
        return _KerasTensor(tuple(None if d is None or isinstance(d, _KerasTensor) or d == -1 else d
                                  for d in newshape), dtype=x.dtype, sparse=sparse)
    if not isinstance(x, _KerasTensor):
        x = _convert_to_tensor(x)
    if None in x.shape and _reshape_problem(x, newshape) is None:
        return _rules.reshape_spec(x, newshape)  # a placeholder size would rarely divide into newshape
    return _compute_output_spec(_active.arrays.reshape, x, newshape)


@backend_op("arrays", spec=_reshape_spec, explain=_reshape_problem)
def reshape(x, newshape: int | tuple):
    """Give ``x`` a new shape with the same number of elements; one dimension may be ``-1``.

    Example:
    >>> ops.reshape(ops.arange(6), (2, -1)).shape   # (2, 3)
    """


def _transpose_problem(x, axes=None):
    rank = len(getattr(x, "shape", ()))
    if axes is None or not isinstance(axes, (tuple, list)):
        return None
    if len(axes) != rank:
        return ValueError(f"`axes` must be a list of the same length as the input shape ({rank}). "
                          f"Received: axes={list(axes)}")
    if any(not isinstance(a, int) or not -rank <= a < rank for a in axes):
        return ValueError(f"Each axis in `axes` must be an integer in [{-rank}, {rank}). Received: axes={list(axes)}")
    if len({a % rank for a in axes}) != rank:
        return ValueError(f"`axes` must be a valid permutation of the input's axes. Received: axes={list(axes)}")
    return None


@backend_op("arrays", explain=_transpose_problem)
def transpose(x, axes: tuple | None = None):
    """Permute the axes of ``x`` (reverse them when ``axes`` is ``None``).

    Example:
    >>> ops.transpose([[1, 2, 3]])   # [[1], [2], [3]]
    """


@backend_op("arrays")
def expand_dims(x, axis: int | tuple):
    """Insert size-1 axes at ``axis`` (an int or a tuple of positions in the result).

    Example:
    >>> ops.expand_dims(ops.ones((2, 3)), 0).shape   # (1, 2, 3)
    """


@backend_op("arrays", spec=_rules.squeeze_spec)
def squeeze(x, axis: int | tuple | None = None):
    """Remove size-1 axes: all of them, or the ones in ``axis`` (which must have size 1).

    Example:
    >>> ops.squeeze(ops.zeros((1, 3, 1))).shape   # (3,)
    """


@backend_op("arrays")
def ravel(x):
    """Flatten ``x`` to one dimension, in row-major order.

    Example:
    >>> ops.ravel([[1, 2], [3, 4]])   # [1, 2, 3, 4]
    """


@backend_op("arrays", spec=_broadcast_to_spec)
def broadcast_to(x, shape: tuple):
    """Broadcast ``x`` to ``shape``.

    Example:
    >>> ops.broadcast_to([1, 2, 3], (2, 3)).shape
    (2, 3)
    """


@backend_op("arrays")
def moveaxis(x, source: int | tuple, destination: int | tuple):
    """Move axes of ``x`` from ``source`` to ``destination``; other axes keep their order.

    Example:
    >>> ops.moveaxis(ops.zeros((2, 3, 4)), 0, -1).shape   # (3, 4, 2)
    """


@backend_op("arrays")
def swapaxes(x, axis1: int, axis2: int):
    """Interchange two axes of ``x``.

    Example:
    >>> ops.swapaxes(ops.zeros((2, 3, 4)), 0, 2).shape   # (4, 3, 2)
    """


@backend_op("arrays", spec=_ndim_spec)
def ndim(x) -> int:
    """The number of dimensions of ``x``, as a Python int.

    Example:
    >>> ops.ndim(ops.zeros((2, 3)))   # 2
    """


@backend_op("arrays", spec=_size_spec)
def size(x) -> int:
    """The number of elements of ``x``, as a Python int (symbolic with unknown dims: a scalar tensor).

    Example:
    >>> ops.size(ops.zeros((2, 3)))   # 6
    """


# ---- joining and splitting ----


def _concatenate_spec(xs, axis=0):
    """The engine's inference, sparse exactly when every input is (Keras's rule, also where the engine is dense)."""
    out = _compute_output_spec(_active.arrays.concatenate, xs, axis)
    sparse = all(getattr(x, "sparse", False) for x in xs)
    return out if out.sparse == sparse else _KerasTensor(out.shape, dtype=out.dtype, sparse=sparse)


@backend_op("arrays", spec=_concatenate_spec)
def concatenate(xs, axis: int | None = 0):
    """Join a sequence of tensors along an existing axis; mixed dtypes promote (int32 + float32 -> float32).

    Example:
    >>> ops.concatenate([[1, 2], [3]])   # [1, 2, 3]
    """


@backend_op("arrays")
def stack(x, axis: int = 0):
    """Join a sequence of same-shape tensors along a new axis; mixed dtypes promote.

    Example:
    >>> ops.stack([[1, 2], [3, 4]], axis=1)   # [[1, 3], [2, 4]]
    """


@backend_op("arrays")
def hstack(xs):
    """Stack tensors column-wise (along axis 1, or axis 0 for 1-D inputs).

    Example:
    >>> ops.hstack([[1, 2], [3]])   # [1, 2, 3]
    """


@backend_op("arrays")
def vstack(xs):
    """Stack tensors row-wise (along axis 0, 1-D inputs become rows).

    Example:
    >>> ops.vstack([[1, 2], [3, 4]])   # [[1, 2], [3, 4]]
    """


@backend_op("arrays")
def append(x1, x2, axis: int | None = None):
    """Append ``x2`` to ``x1`` along ``axis`` (both flattened when ``axis`` is ``None``).

    Example:
    >>> ops.append([1, 2], [3, 4])   # [1, 2, 3, 4]
    """


@backend_op("arrays", spec=_make_split_spec("split"))
def split(x, indices_or_sections: int | list, axis: int = 0) -> list:
    """Split ``x`` into equal sections (an int that divides the axis) or at the given indices.

    Example:
    >>> [p.shape for p in ops.split(ops.zeros((6, 2)), [1, 4])]
    [(1, 2), (3, 2), (2, 2)]
    """


@backend_op("arrays", spec=_make_split_spec("array_split"))
def array_split(x, indices_or_sections: int | list, axis: int = 0) -> list:
    """Like ``split``, but sections may be unequal: the first ``len % n`` pieces get one more.

    Example:
    >>> [p.shape for p in ops.array_split(ops.zeros((5,)), 3)]   # [(2,), (2,), (1,)]
    """


@backend_op("arrays", spec=_make_split_spec("hsplit", lambda x: 1 if len(x.shape) > 1 else 0))
def hsplit(x, indices_or_sections: int | list) -> list:
    """Split column-wise (axis 1, or axis 0 for 1-D inputs).

    Example:
    >>> [p.shape for p in ops.hsplit(ops.zeros((2, 4)), 2)]   # [(2, 2), (2, 2)]
    """


@backend_op("arrays", spec=_make_split_spec("vsplit", lambda x: 0))
def vsplit(x, indices_or_sections: int | list) -> list:
    """Split row-wise (axis 0).

    Example:
    >>> [p.shape for p in ops.vsplit(ops.zeros((4, 2)), 2)]   # [(2, 2), (2, 2)]
    """


def dsplit(x, indices_or_sections: int | list) -> list:
    """Split depth-wise (axis 2) a tensor of rank 3 or more.

    Example:
    >>> [p.shape for p in ops.dsplit(ops.zeros((1, 1, 4)), 2)]
    [(1, 1, 2), (1, 1, 2)]
    """
    if len(x.shape) < 3:
        raise ValueError(f"dsplit takes a tensor of rank 3 or more. Received: shape={tuple(x.shape)}")
    return split(x, indices_or_sections, axis=2)


def dstack(xs):
    """Stack tensors depth-wise (along axis 2): 1-D ``(n,)`` counts as ``(1, n, 1)``, 2-D ``(m, n)`` as ``(m, n, 1)``.

    Example:
    >>> ops.dstack([ops.ones((2, 3)), ops.zeros((2, 3))]).shape
    (2, 3, 2)
    """
    def as_3d(x):
        x = x if hasattr(x, "shape") and hasattr(x, "dtype") else _convert_to_tensor(x)
        if len(x.shape) == 0:
            return reshape(x, (1, 1, 1))
        if len(x.shape) == 1:
            return expand_dims(x, (0, 2))
        return expand_dims(x, 2) if len(x.shape) == 2 else x

    return concatenate([as_3d(x) for x in xs], axis=2)


# ---- indexing ----


@backend_op("arrays", spec=_get_item_spec)
def get_item(x, key):
    """``x[key]``: ints, slices, ``None``, ``Ellipsis``, integer or boolean index tensors.

    Example:
    >>> ops.get_item([[1, 2], [3, 4]], (1, 0))   # 3
    """


@backend_op("arrays", spec=_rules.take_spec)
def take(x, indices, axis: int | None = None):
    """Gather elements of ``x`` at ``indices`` along ``axis`` (of the flattened ``x`` when ``None``).

    Negative indices count from the end. The result shape is
    ``x.shape[:axis] + indices.shape + x.shape[axis + 1:]``.

    Example:
    >>> ops.take([10, 20, 30], [2, 0])   # [30, 10]
    """


@backend_op("arrays", spec=_rules.take_along_axis_spec)
def take_along_axis(x, indices, axis: int | None = None):
    """Pick values of ``x`` at ``indices`` matched along ``axis`` (as from ``argsort``).

    Args:
        x: the source tensor.
        indices: integer tensor of ``x``'s rank (other axes broadcast against ``x``'s).
        axis: the axis to pick along; ``None`` flattens ``x`` and takes 1-D ``indices``.

    Example:
    >>> ops.take_along_axis([[30, 10, 20]], ops.argsort([[30, 10, 20]]), axis=1)   # [[10, 20, 30]]
    """


@backend_op("arrays", spec=_where_spec)
def where(condition, x1=None, x2=None):
    """Elements of ``x1`` where ``condition`` holds, else of ``x2`` (dtypes promote).

    With ``condition`` alone, the same as ``nonzero(condition)``.

    Example:
    >>> ops.where([True, False], [1, 2], [10, 20])   # [1, 20]
    """


@backend_op("arrays")
def select(condlist, choicelist, default=0):
    """Per element, the choice of the first true condition, else ``default``.

    Example:
    >>> x = ops.arange(5)
    >>> ops.select([x < 2, x > 3], [x, x * 10], default=-1)   # [0, 1, -1, -1, 40]
    """


@backend_op("arrays", spec=_nonzero_spec)
def nonzero(x) -> tuple:
    """Indices of the non-zero elements: a tuple of int32 index tensors, one per dimension.

    Example:
    >>> ops.nonzero([[0, 1], [2, 0]])   # ([0, 1], [1, 0])
    """


@backend_op("arrays", spec=_rules.unravel_index_spec)
def unravel_index(indices, shape: tuple) -> tuple:
    """Convert flat indices into a tuple of coordinate tensors for an array of ``shape``.

    Example:
    >>> ops.unravel_index([5, 1], (2, 3))   # ([1, 0], [2, 1])
    """


# ---- rearranging ----


@backend_op("arrays")
def pad(x, pad_width, mode: str = "constant", constant_values=None):
    """Pad ``x``.

    Args:
        x: the tensor.
        pad_width: ``((before, after), ...)`` per axis, or one pair / one int for every axis.
        mode: ``"constant"``, ``"edge"``, ``"reflect"``, ``"symmetric"`` or ``"wrap"`` (the jax and
            numpy backends accept every NumPy mode).
        constant_values: the fill of ``"constant"`` mode (default 0).

    Example:
    >>> ops.pad([[1, 2]], ((0, 0), (1, 1)))   # [[0, 1, 2, 0]]
    """


@backend_op("arrays")
def tile(x, repeats: int | tuple):
    """Repeat ``x`` as a whole ``repeats`` times along each axis.

    Example:
    >>> ops.tile([1, 2], 2)   # [1, 2, 1, 2]
    """


@backend_op("arrays", spec=_rules.repeat_spec)
def repeat(x, repeats, axis: int | None = None):
    """Repeat each element of ``x`` ``repeats`` times (an int, or one count per element).

    Example:
    >>> ops.repeat([1, 2], 2)   # [1, 1, 2, 2]
    """


@backend_op("arrays")
def flip(x, axis: int | tuple | None = None):
    """Reverse the order of elements along ``axis`` (all axes when ``None``).

    Example:
    >>> ops.flip([[1, 2], [3, 4]], axis=1)   # [[2, 1], [4, 3]]
    """


def fliplr(x):
    """Reverse the columns (axis 1) of a tensor of rank 2 or more.

    Example:
    >>> ops.fliplr([[1, 2], [3, 4]])   # [[2, 1], [4, 3]]
    """
    x = x if hasattr(x, "shape") and hasattr(x, "dtype") else _convert_to_tensor(x)
    if len(x.shape) < 2:
        raise ValueError(f"fliplr takes a tensor of rank 2 or more. Received: shape={tuple(x.shape)}")
    return flip(x, axis=1)


def flipud(x):
    """Reverse the rows (axis 0) of a tensor of rank 1 or more.

    Example:
    >>> ops.flipud([[1, 2], [3, 4]])   # [[3, 4], [1, 2]]
    """
    x = x if hasattr(x, "shape") and hasattr(x, "dtype") else _convert_to_tensor(x)
    if len(x.shape) < 1:
        raise ValueError("flipud takes a tensor of rank 1 or more. Received: a scalar")
    return flip(x, axis=0)


@backend_op("arrays")
def roll(x, shift: int | tuple, axis: int | tuple | None = None):
    """Roll elements along ``axis`` by ``shift``; elements leaving one end come back at the other.

    Example:
    >>> ops.roll([1, 2, 3, 4], 1)   # [4, 1, 2, 3]
    """


@backend_op("arrays")
def rot90(array, k: int = 1, axes: tuple = (0, 1)):
    """Rotate ``array`` by 90 degrees ``k`` times in the plane of ``axes``.

    Example:
    >>> ops.rot90([[1, 2], [3, 4]])   # [[2, 4], [1, 3]]
    """


# ---- sorting and searching ----


@backend_op("arrays")
def sort(x, axis: int | None = -1):
    """Sorted copy of ``x`` along ``axis`` (of the flattened ``x`` when ``None``).

    Example:
    >>> ops.sort([3, 1, 2])   # [1, 2, 3]
    """


@backend_op("arrays")
def argsort(x, axis: int | None = -1):
    """The int32 indices that sort ``x`` along ``axis`` (stable: ties keep their order).

    Example:
    >>> ops.argsort([3, 1, 2])   # [1, 2, 0]
    """


@backend_op("arrays", spec=_rules.argpartition_spec)
def argpartition(x, kth: int, axis: int = -1):
    """int32 indices that put the ``kth`` element in sorted position, smaller ones before, larger after.

    Args:
        x: the tensor.
        kth: the position that must hold the element sorting would put there.
        axis: the axis to partition along.

    Example:
    >>> ops.argpartition([3, 1, 2], 1)[1]   # 2
    """


@backend_op("arrays", spec=_rules.searchsorted_spec)
def searchsorted(sorted_sequence, values, side: str = "left"):
    """int32 insertion points of ``values`` into the 1-D ``sorted_sequence`` that keep it sorted.

    Args:
        sorted_sequence: a 1-D tensor in increasing order.
        values: the values to place, any shape.
        side: ``"left"`` gives the first suitable index, ``"right"`` the last (they differ for values
            equal to an element).

    Returns:
        int32 indices of ``values``' shape.

    Example:
    >>> ops.searchsorted([1, 3, 5], [0, 3, 6])   # [0, 1, 3]
    """


@backend_op("arrays")
def digitize(x, bins):
    """int32 index of the bin of increasing ``bins`` each element of ``x`` falls into.

    Args:
        x: the values, any shape.
        bins: 1-D increasing bin edges; index ``i`` means ``bins[i - 1] <= x < bins[i]``, 0 below the
            first edge and ``len(bins)`` from the last one on.

    Returns:
        int32 indices of ``x``'s shape.

    Example:
    >>> ops.digitize([0.5, 1.5, 3.0], [1.0, 2.0])   # [0, 1, 2]
    """


def _histogram_problem(x, bins=10, range=None):
    if not isinstance(bins, int) or isinstance(bins, bool) or bins < 0:
        return ValueError(f"Argument `bins` should be a non-negative integer. Received: bins={bins!r}")
    if range is not None:
        if not isinstance(range, (tuple, list)) or len(range) != 2:
            return ValueError(f"Argument `range` must be a tuple of two elements. Received: range={range!r}")
        if range[1] <= range[0]:
            return ValueError(f"The second element of `range` must be greater than the first. Received: "
                              f"range={tuple(range)}")
    return None


@backend_op("arrays", explain=_histogram_problem)
def histogram(x, bins: int = 10, range: tuple | None = None) -> tuple:
    """Counts of the 1-D ``x`` in ``bins`` equal bins over ``range``, and the ``bins + 1`` edges.

    Both come back as floats (floatx for integer input).

    Args:
        x: a 1-D tensor.
        bins: the number of equal-width bins.
        range: ``(low, high)`` of the bins; values outside are not counted. Default ``(min(x), max(x))``.

    Returns:
        A tuple ``(counts, edges)`` of lengths ``bins`` and ``bins + 1``.

    Example:
    >>> ops.histogram([1.0, 2.0, 2.5, 4.0], bins=3)[0]   # [1.0, 2.0, 1.0]
    """


# ---- products ----


@backend_op("arrays", spec=_rules.matmul_spec)
def matmul(x1, x2):
    """Matrix product of two tensors, batched over leading dimensions; int8 x int8 gives int32.

    Example:
    >>> ops.matmul(ops.ones((2, 3)), ops.ones((3, 4))).shape
    (2, 4)
    """


@backend_op("arrays", spec=_rules.dot_spec)
def dot(x1, x2):
    """NumPy's ``dot``: scalars multiply, else a sum over the last axis of ``x1`` and second-to-last of ``x2``.

    Example:
    >>> ops.dot([1.0, 2.0], [3.0, 4.0])   # 11.0
    """


@backend_op("arrays")
def tensordot(x1, x2, axes: int | tuple = 2):
    """Sum products over ``axes``: the last/first ``axes`` dims, or ``(axes_of_x1, axes_of_x2)``.

    Example:
    >>> ops.tensordot(ops.ones((2, 3)), ops.ones((3, 4)), axes=1).shape   # (2, 4)
    """


@backend_op("arrays")
def einsum(subscripts: str, *operands, **kwargs):
    """Einstein summation, e.g. ``ops.einsum("ij,jk->ik", a, b)``; operands' dtypes promote.

    Example:
    >>> ops.einsum("ij,j->i", [[1.0, 2.0], [3.0, 4.0]], [1.0, 1.0])   # [3.0, 7.0]
    """


@backend_op("arrays", spec=_rules.inner_spec)
def inner(x1, x2):
    """Inner product over the last axes of ``x1`` and ``x2``.

    Example:
    >>> ops.inner([1.0, 2.0], [3.0, 4.0])   # 11.0
    """


@backend_op("arrays")
def outer(x1, x2):
    """Outer product of the flattened ``x1`` and ``x2``.

    Example:
    >>> ops.outer([1, 2], [3, 4])   # [[3, 4], [6, 8]]
    """


@backend_op("arrays")
def vdot(x1, x2):
    """Dot product of the flattened ``x1`` (conjugated) and ``x2``.

    Example:
    >>> ops.vdot([1.0, 2.0], [3.0, 4.0])   # 11.0
    """


@backend_op("arrays")
def kron(x1, x2):
    """Kronecker product of ``x1`` and ``x2``.

    Example:
    >>> ops.kron([1, 2], [1, 10])   # [1, 10, 2, 20]
    """


@backend_op("arrays", spec=_rules.cross_spec)
def cross(x1, x2, axisa: int = -1, axisb: int = -1, axisc: int = -1, axis: int | None = None):
    """Cross product of 3-vectors along the given axes (``axis`` sets all three).

    Example:
    >>> ops.cross([1.0, 0.0, 0.0], [0.0, 1.0, 0.0])   # [0.0, 0.0, 1.0]
    """


@backend_op("arrays")
def correlate(x1, x2, mode: str = "valid"):
    """Cross-correlation of two 1-D tensors; ``mode`` is ``"valid"``, ``"same"`` or ``"full"``.

    Example:
    >>> ops.correlate([1.0, 2.0, 3.0], [0.0, 1.0])   # [2.0, 3.0]
    """


# ---- diagonals and triangles ----


@backend_op("arrays")
def diag(x, k: int = 0):
    """The ``k``-th diagonal of a 2-D ``x``, or a 2-D tensor with the 1-D ``x`` on its ``k``-th diagonal.

    Example:
    >>> ops.diag([1, 2])   # [[1, 0], [0, 2]]
    """


@backend_op("arrays")
def diagflat(x, k: int = 0):
    """A 2-D tensor with the flattened ``x`` on its ``k``-th diagonal.

    Example:
    >>> ops.diagflat([[1, 2]])   # [[1, 0], [0, 2]]
    """


@backend_op("arrays", check=_rules.check_diagonal)
def diagonal(x, offset: int = 0, axis1: int = 0, axis2: int = 1):
    """The diagonal at ``offset`` of the planes spanned by ``axis1`` and ``axis2``, as the last axis.

    Example:
    >>> ops.diagonal([[1, 2], [3, 4]])   # [1, 4]
    """


@backend_op("arrays")
def trace(x, offset: int = 0, axis1: int = 0, axis2: int = 1):
    """Sum along a diagonal; small integer and bool inputs sum in int32.

    Example:
    >>> ops.trace([[1, 2], [3, 4]])   # 5
    """


@backend_op("arrays")
def diff(a, n: int = 1, axis: int = -1):
    """The ``n``-th discrete difference along ``axis``.

    Example:
    >>> ops.diff([1, 4, 9, 16])   # [3, 5, 7]
    """


@backend_op("arrays")
def triu(x, k: int = 0):
    """``x`` with the elements below the ``k``-th diagonal zeroed (over the last two axes).

    Example:
    >>> ops.triu([[1, 2], [3, 4]])   # [[1, 2], [0, 4]]
    """


@backend_op("arrays")
def tril(x, k: int = 0):
    """``x`` with the elements above the ``k``-th diagonal zeroed (over the last two axes).

    Example:
    >>> ops.tril([[1, 2], [3, 4]])   # [[1, 0], [3, 4]]
    """


# ---- creation ----


@backend_op("arrays")
def zeros(shape: int | tuple, dtype=None):
    """A tensor of zeros (dtype floatx unless given).

    Example:
    >>> ops.zeros((2, 3)).shape   # (2, 3)
    """


@backend_op("arrays")
def ones(shape: int | tuple, dtype=None):
    """A tensor of ones (dtype floatx unless given).

    Example:
    >>> ops.ones((2, 3)).shape   # (2, 3)
    """


@backend_op("arrays")
def empty(shape: int | tuple, dtype=None):
    """An uninitialised tensor (dtype floatx unless given).

    Example:
    >>> ops.empty((2, 3)).shape   # (2, 3)
    """


@backend_op("arrays")
def full(shape: int | tuple, fill_value, dtype=None):
    """A tensor of ``shape`` filled with ``fill_value`` (dtype floatx unless given).

    Example:
    >>> ops.full((2,), 7.0)   # [7.0, 7.0]
    """


@backend_op("arrays")
def zeros_like(x, dtype=None):
    """Zeros with the shape and (unless given) the dtype of ``x``.

    Example:
    >>> ops.zeros_like([[1, 2]])   # [[0, 0]]
    """


@backend_op("arrays")
def ones_like(x, dtype=None):
    """Ones with the shape and (unless given) the dtype of ``x``.

    Example:
    >>> ops.ones_like([[1, 2]])   # [[1, 1]]
    """


@backend_op("arrays")
def empty_like(x, dtype=None):
    """An uninitialised tensor with the shape and (unless given) the dtype of ``x``.

    Example:
    >>> ops.empty_like(ops.ones((2, 3))).shape   # (2, 3)
    """


@backend_op("arrays")
def full_like(x, fill_value, dtype=None):
    """``fill_value`` in the shape and (unless given) the dtype of ``x``.

    Example:
    >>> ops.full_like([1, 2, 3], 5)   # [5, 5, 5]
    """


@backend_op("arrays")
def array(x, dtype=None):
    """A tensor from ``x`` (Python ints give int32, floats floatx).

    Example:
    >>> ops.array([[1, 2], [3, 4]]).shape   # (2, 2)
    """


@backend_op("arrays")
def copy(x):
    """A copy of ``x``.

    Example:
    >>> ops.copy([1.0, 2.0])   # [1.0, 2.0]
    """


@backend_op("arrays")
def eye(N: int, M: int | None = None, k: int = 0, dtype=None):
    """An ``N x M`` tensor with ones on the ``k``-th diagonal (dtype floatx unless given).

    Example:
    >>> ops.eye(2, 3)   # [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
    """


@backend_op("arrays")
def identity(n: int, dtype=None):
    """The ``n x n`` identity matrix (dtype floatx unless given).

    Example:
    >>> ops.identity(2)   # [[1.0, 0.0], [0.0, 1.0]]
    """


@backend_op("arrays")
def tri(N: int, M: int | None = None, k: int = 0, dtype=None):
    """An ``N x M`` tensor with ones at and below the ``k``-th diagonal (dtype floatx unless given).

    Example:
    >>> ops.tri(2, 3)   # [[1.0, 0.0, 0.0], [1.0, 1.0, 0.0]]
    """


@backend_op("arrays")
def arange(start, stop=None, step=1, dtype=None):
    """Evenly spaced values in ``[start, stop)``.

    Without ``dtype``: int32 for Python ints, floatx once a float is involved.

    Example:
    >>> ops.arange(3)        # [0, 1, 2], int32
    >>> ops.arange(0, 1, 0.25)   # [0., .25, .5, .75], float32
    """


@backend_op("arrays")
def linspace(start, stop, num: int = 50, endpoint: bool = True, retstep: bool = False, dtype=None,
             axis: int = 0):
    """``num`` evenly spaced values from ``start`` to ``stop`` (``stop`` left out unless ``endpoint``).

    Returns the values, and with ``retstep=True`` the pair ``(values, step)``. Without ``dtype``
    the result is floatx for Python numbers.

    Example:
    >>> ops.linspace(0.0, 1.0, 5)   # [0.0, 0.25, 0.5, 0.75, 1.0]
    """


@backend_op("arrays")
def logspace(start, stop, num: int = 50, endpoint: bool = True, base: float = 10, dtype=None,
             axis: int = 0):
    """``base ** linspace(start, stop, ...)``: numbers spaced evenly on a log scale.

    Example:
    >>> ops.logspace(0.0, 2.0, 3)   # [1.0, 10.0, 100.0]
    """


@backend_op("arrays")
def meshgrid(*x, indexing: str = "xy") -> list:
    """Coordinate grids from 1-D coordinate vectors (``"xy"`` Cartesian or ``"ij"`` matrix indexing).

    Example:
    >>> [g.shape for g in ops.meshgrid(ops.arange(3), ops.arange(2))]   # [(2, 3), (2, 3)]
    """


# ---- bit views and unique values ----


@backend_op("arrays")
def view(x, dtype=None):
    """The same bits as ``x`` read as ``dtype``; with a different item size the last axis scales.

    Example:
    >>> ops.view(np.ones((2, 4), "int16"), "int32").shape   # (2, 2)
    """


def _unique_spec(x, sorted=True, return_index=False, return_inverse=False, return_counts=False, axis=None,
                 size=None, fill_value=None):
    # How many values are unique depends on the data: that size is unknown unless ``size`` fixes it.
    shape = list(x.shape)
    if axis is None:
        values_shape, inverse_shape = (size,), tuple(shape)
    else:
        axis = axis % len(shape)
        inverse_shape = (shape[axis],)
        shape[axis] = size
        values_shape = tuple(shape)
    outputs = [_KerasTensor(values_shape, dtype=x.dtype)]
    if return_index:
        outputs.append(_KerasTensor((size,), dtype="int32"))
    if return_inverse:
        outputs.append(_KerasTensor(inverse_shape, dtype="int32"))
    if return_counts:
        outputs.append(_KerasTensor((size,), dtype="int32"))
    return outputs[0] if len(outputs) == 1 else tuple(outputs)


@backend_op("arrays", spec=_unique_spec)
def unique(x, sorted: bool = True, return_index: bool = False, return_inverse: bool = False,
           return_counts: bool = False, axis: int | None = None, size: int | None = None, fill_value=None):
    """The sorted unique values of ``x`` (flattened), or its unique slices along ``axis``.

    Args:
        x: the tensor.
        sorted: kept for Keras; the values always come sorted.
        return_index: also return where each value first occurs (int32).
        return_inverse: also return, for each element (or slice along ``axis``), the index of its
            value among the unique ones (int32): ``take(values, inverse, axis)`` rebuilds ``x``.
        return_counts: also return how often each value occurs (int32).
        axis: the axis whose slices are compared; ``None`` compares elements.
        size: a fixed number of values: fewer are padded with ``fill_value`` (default 0, counts
            and indices with 0), more are cut. Gives a static shape.
        fill_value: the padding value with ``size``.

    Returns:
        The values, followed by the index, inverse and counts that were asked for. NaNs are not
        merged: each NaN is a value of its own.

    Example:
    >>> ops.unique(np.array([3, 1, 2, 1]), return_counts=True)   # ([1, 2, 3], [2, 1, 1])
    """
