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

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        newshape: the new shape, an int or a tuple; one entry may be -1 to be inferred.

    Returns:
        A tensor of shape ``newshape`` holding the elements of ``x`` in row-major order.

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

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        axes: the new order of the axes, a permutation of ``range(x.ndim)``; ``None`` (default) reverses them.

    Returns:
        A tensor with the axes of ``x`` permuted.

    Example:
    >>> ops.transpose([[1, 2, 3]])   # [[1], [2], [3]]
    """


@backend_op("arrays")
def expand_dims(x, axis: int | tuple):
    """Insert size-1 axes at ``axis`` (an int or a tuple of positions in the result).

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        axis: the position (or tuple of positions) of the new axes in the result; negative counts from the end.

    Returns:
        A tensor of the data of ``x`` with one more axis of length 1 per position in ``axis``.

    Example:
    >>> ops.expand_dims(ops.ones((2, 3)), 0).shape   # (1, 2, 3)
    """


@backend_op("arrays", spec=_rules.squeeze_spec)
def squeeze(x, axis: int | tuple | None = None):
    """Remove size-1 axes: all of them, or the ones in ``axis`` (which must have size 1).

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        axis: the axis or tuple of axes to remove, each of length 1; ``None`` (default) removes every
            axis of length 1.

    Returns:
        A tensor of the data of ``x`` without those axes.

    Example:
    >>> ops.squeeze(ops.zeros((1, 3, 1))).shape   # (3,)
    """


@backend_op("arrays")
def ravel(x):
    """Flatten ``x`` to one dimension, in row-major order.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A 1-D tensor of ``x.size`` elements in the dtype of ``x``.

    Example:
    >>> ops.ravel([[1, 2], [3, 4]])   # [1, 2, 3, 4]
    """


@backend_op("arrays", spec=_broadcast_to_spec)
def broadcast_to(x, shape: tuple):
    """Broadcast ``x`` to ``shape``.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        shape: the target shape; aligned from the right, each axis of ``x`` must be 1 or match it.

    Returns:
        A tensor of ``shape`` in the dtype of ``x``.

    Example:
    >>> ops.broadcast_to([1, 2, 3], (2, 3)).shape
    (2, 3)
    """


@backend_op("arrays")
def moveaxis(x, source: int | tuple, destination: int | tuple):
    """Move axes of ``x`` from ``source`` to ``destination``; other axes keep their order.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        source: the original position of the axis (or a tuple of them).
        destination: the new position of each axis in ``source``.

    Returns:
        A tensor with the axes of ``x`` reordered.

    Example:
    >>> ops.moveaxis(ops.zeros((2, 3, 4)), 0, -1).shape   # (3, 4, 2)
    """


@backend_op("arrays")
def swapaxes(x, axis1: int, axis2: int):
    """Interchange two axes of ``x``.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        axis1: the first axis.
        axis2: the second axis.

    Returns:
        A tensor with ``axis1`` and ``axis2`` of ``x`` exchanged.

    Example:
    >>> ops.swapaxes(ops.zeros((2, 3, 4)), 0, 2).shape   # (4, 3, 2)
    """


@backend_op("arrays", spec=_ndim_spec)
def ndim(x) -> int:
    """The number of dimensions of ``x``, as a Python int.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        The rank of ``x``, a Python int.

    Example:
    >>> ops.ndim(ops.zeros((2, 3)))   # 2
    """


@backend_op("arrays", spec=_size_spec)
def size(x) -> int:
    """The number of elements of ``x``, as a Python int (symbolic with unknown dims: a scalar tensor).

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        The number of elements of ``x``, a Python int (a scalar tensor for a symbolic input of unknown shape).

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

    Args:
        xs: a list or tuple of tensors with the same shape except along ``axis``; their dtypes promote to one.
        axis: the axis to join along (default 0); ``None`` flattens each input first.

    Returns:
        A tensor whose length along ``axis`` is the sum of the inputs' lengths.

    Example:
    >>> ops.concatenate([[1, 2], [3]])   # [1, 2, 3]
    """


@backend_op("arrays")
def stack(x, axis: int = 0):
    """Join a sequence of same-shape tensors along a new axis; mixed dtypes promote.

    Args:
        x: a list or tuple of tensors of one shape; their dtypes promote to one.
        axis: the position of the new axis in the result (default 0).

    Returns:
        A tensor one rank above the inputs, of length ``len(x)`` along ``axis``.

    Example:
    >>> ops.stack([[1, 2], [3, 4]], axis=1)   # [[1, 3], [2, 4]]
    """


@backend_op("arrays")
def hstack(xs):
    """Stack tensors column-wise (along axis 1, or axis 0 for 1-D inputs).

    Args:
        xs: a list or tuple of tensors (or array-likes); their dtypes promote to one.

    Returns:
        A tensor of the inputs joined along axis 1 (axis 0 for 1-D inputs).

    Example:
    >>> ops.hstack([[1, 2], [3]])   # [1, 2, 3]
    """


@backend_op("arrays")
def vstack(xs):
    """Stack tensors row-wise (along axis 0, 1-D inputs become rows).

    Args:
        xs: a list or tuple of tensors (or array-likes); their dtypes promote to one.

    Returns:
        A tensor of the inputs joined along axis 0 (1-D inputs become rows of a 2-D tensor).

    Example:
    >>> ops.vstack([[1, 2], [3, 4]])   # [[1, 2], [3, 4]]
    """


@backend_op("arrays")
def append(x1, x2, axis: int | None = None):
    """Append ``x2`` to ``x1`` along ``axis`` (both flattened when ``axis`` is ``None``).

    Args:
        x1: the tensor appended to.
        x2: the values to append; with an ``axis`` they must match ``x1``'s shape except along it.
        axis: the axis to append along; ``None`` (default) flattens both first.

    Returns:
        A tensor of ``x1`` followed by ``x2`` (1-D when ``axis`` is ``None``), in the dtype they promote to.

    Example:
    >>> ops.append([1, 2], [3, 4])   # [1, 2, 3, 4]
    """


@backend_op("arrays", spec=_make_split_spec("split"))
def split(x, indices_or_sections: int | list, axis: int = 0) -> list:
    """Split ``x`` into equal sections (an int that divides the axis) or at the given indices.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        indices_or_sections: an int ``n`` to cut the axis into ``n`` equal pieces (it must divide the axis), or a
            sorted list of indices to cut at.
        axis: the axis to split along (default 0).

    Returns:
        A list of tensors of the rank and dtype of ``x``, which concatenated along ``axis`` give ``x`` back.

    Example:
    >>> [p.shape for p in ops.split(ops.zeros((6, 2)), [1, 4])]
    [(1, 2), (3, 2), (2, 2)]
    """


@backend_op("arrays", spec=_make_split_spec("array_split"))
def array_split(x, indices_or_sections: int | list, axis: int = 0) -> list:
    """Like ``split``, but sections may be unequal: the first ``len % n`` pieces get one more.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        indices_or_sections: an int ``n`` for ``n`` pieces as equal as possible, or a sorted list of indices to cut
            at.
        axis: the axis to split along (default 0).

    Returns:
        A list of tensors of the rank and dtype of ``x``, which concatenated along ``axis`` give ``x`` back.

    Example:
    >>> [p.shape for p in ops.array_split(ops.zeros((5,)), 3)]   # [(2,), (2,), (1,)]
    """


@backend_op("arrays", spec=_make_split_spec("hsplit", lambda x: 1 if len(x.shape) > 1 else 0))
def hsplit(x, indices_or_sections: int | list) -> list:
    """Split column-wise (axis 1, or axis 0 for 1-D inputs).

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        indices_or_sections: an int ``n`` to cut the axis into ``n`` equal pieces (it must divide the axis), or a
            sorted list of indices to cut at.

    Returns:
        A list of tensors of the rank and dtype of ``x``, which concatenated along axis 1 (axis 0 for 1-D ``x``)
            give ``x`` back.

    Example:
    >>> [p.shape for p in ops.hsplit(ops.zeros((2, 4)), 2)]   # [(2, 2), (2, 2)]
    """


@backend_op("arrays", spec=_make_split_spec("vsplit", lambda x: 0))
def vsplit(x, indices_or_sections: int | list) -> list:
    """Split row-wise (axis 0).

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        indices_or_sections: an int ``n`` to cut the axis into ``n`` equal pieces (it must divide the axis), or a
            sorted list of indices to cut at.

    Returns:
        A list of tensors of the rank and dtype of ``x``, which concatenated along axis 0 give ``x`` back.

    Example:
    >>> [p.shape for p in ops.vsplit(ops.zeros((4, 2)), 2)]   # [(2, 2), (2, 2)]
    """


def dsplit(x, indices_or_sections: int | list) -> list:
    """Split depth-wise (axis 2) a tensor of rank 3 or more.

    Args:
        x: a tensor of rank 3 or more.
        indices_or_sections: an int ``n`` to cut the axis into ``n`` equal pieces (it must divide the axis), or a
            sorted list of indices to cut at.

    Returns:
        A list of tensors of the rank and dtype of ``x``, which concatenated along axis 2 give ``x`` back.

    Example:
    >>> [p.shape for p in ops.dsplit(ops.zeros((1, 1, 4)), 2)]
    [(1, 1, 2), (1, 1, 2)]
    """
    if len(x.shape) < 3:
        raise ValueError(f"dsplit takes a tensor of rank 3 or more. Received: shape={tuple(x.shape)}")
    return split(x, indices_or_sections, axis=2)


def dstack(xs):
    """Stack tensors depth-wise (along axis 2): 1-D ``(n,)`` counts as ``(1, n, 1)``, 2-D ``(m, n)`` as ``(m, n, 1)``.

    Args:
        xs: a list or tuple of tensors (or array-likes); their dtypes promote to one.

    Returns:
        A tensor of rank 3 or more, the inputs joined along axis 2.

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

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        key: what indexes ``x``, as in ``x[key]``: an int, slice, ``None``, ``Ellipsis``, an integer or boolean
            index tensor, or a tuple of these.

    Returns:
        The selected elements, in the dtype of ``x``.

    Example:
    >>> ops.get_item([[1, 2], [3, 4]], (1, 0))   # 3
    """


@backend_op("arrays", spec=_rules.take_spec)
def take(x, indices, axis: int | None = None):
    """Gather elements of ``x`` at ``indices`` along ``axis`` (of the flattened ``x`` when ``None``).

    Negative indices count from the end. The result shape is
    ``x.shape[:axis] + indices.shape + x.shape[axis + 1:]``.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        indices: an integer tensor of the positions to take; negative ones count from the end.
        axis: the axis to take along; ``None`` (default) takes from the flattened input.

    Returns:
        A tensor of shape ``x.shape[:axis] + indices.shape + x.shape[axis + 1:]`` in the dtype of ``x``.

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

    Returns:
        A tensor of the broadcast shape of ``x`` and ``indices`` (along ``axis``, the length of ``indices``), in the
            dtype of ``x``.

    Example:
    >>> ops.take_along_axis([[30, 10, 20]], ops.argsort([[30, 10, 20]]), axis=1)   # [[10, 20, 30]]
    """


@backend_op("arrays", spec=_where_spec)
def where(condition, x1=None, x2=None):
    """Elements of ``x1`` where ``condition`` holds, else of ``x2`` (dtypes promote).

    With ``condition`` alone, the same as ``nonzero(condition)``.

    Args:
        condition: a boolean tensor (or one read as boolean).
        x1: the values where ``condition`` is true; it broadcasts with the others.
        x2: the values where ``condition`` is false. Give both ``x1`` and ``x2``, or neither.

    Returns:
        A tensor of the broadcast shape of the three inputs, in the dtype ``x1`` and ``x2`` promote to; with
            ``condition`` alone, the tuple ``nonzero(condition)``.

    Example:
    >>> ops.where([True, False], [1, 2], [10, 20])   # [1, 20]
    """


@backend_op("arrays")
def select(condlist, choicelist, default=0):
    """Per element, the choice of the first true condition, else ``default``.

    Args:
        condlist: a list of boolean tensors, checked in order.
        choicelist: a list of tensors, one per condition, giving the value where it is the first true one.
        default: the value where no condition holds (default 0).

    Returns:
        A tensor of the broadcast shape of the conditions and choices, in the dtype the choices promote to.

    Example:
    >>> x = ops.arange(5)
    >>> ops.select([x < 2, x > 3], [x, x * 10], default=-1)   # [0, 1, -1, -1, 40]
    """


@backend_op("arrays", spec=_nonzero_spec)
def nonzero(x) -> tuple:
    """Indices of the non-zero elements: a tuple of int32 index tensors, one per dimension.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tuple of ``x.ndim`` 1-D ``int32`` tensors: the coordinates of the non-zero elements, in row-major order.

    Example:
    >>> ops.nonzero([[0, 1], [2, 0]])   # ([0, 1], [1, 0])
    """


@backend_op("arrays", spec=_rules.unravel_index_spec)
def unravel_index(indices, shape: tuple) -> tuple:
    """Convert flat indices into a tuple of coordinate tensors for an array of ``shape``.

    Args:
        indices: an integer tensor of positions in the flattened array.
        shape: the shape of the array the positions index.

    Returns:
        A tuple of ``len(shape)`` integer tensors, each of the shape of ``indices``.

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

    Returns:
        A tensor of the rank and dtype of ``x``, each axis longer by its ``before + after``.

    Example:
    >>> ops.pad([[1, 2]], ((0, 0), (1, 1)))   # [[0, 1, 2, 0]]
    """


@backend_op("arrays")
def tile(x, repeats: int | tuple):
    """Repeat ``x`` as a whole ``repeats`` times along each axis.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        repeats: the number of copies along each axis (an int for the last axis, or a tuple; the shorter of it and
            the shape is padded with leading 1s).

    Returns:
        A tensor in the dtype of ``x``, each axis its length times its repeat count.

    Example:
    >>> ops.tile([1, 2], 2)   # [1, 2, 1, 2]
    """


@backend_op("arrays", spec=_rules.repeat_spec)
def repeat(x, repeats, axis: int | None = None):
    """Repeat each element of ``x`` ``repeats`` times (an int, or one count per element).

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        repeats: how many times to repeat each element: an int, or one count per element along ``axis``.
        axis: the axis to repeat along; ``None`` (default) repeats the elements of the flattened input.

    Returns:
        A tensor in the dtype of ``x``, longer along ``axis`` (1-D when ``axis`` is ``None``).

    Example:
    >>> ops.repeat([1, 2], 2)   # [1, 1, 2, 2]
    """


@backend_op("arrays")
def flip(x, axis: int | tuple | None = None):
    """Reverse the order of elements along ``axis`` (all axes when ``None``).

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        axis: the axis or tuple of axes to reverse; ``None`` (default) reverses all of them.

    Returns:
        A tensor of the shape and dtype of ``x``.

    Example:
    >>> ops.flip([[1, 2], [3, 4]], axis=1)   # [[2, 1], [4, 3]]
    """


def fliplr(x):
    """Reverse the columns (axis 1) of a tensor of rank 2 or more.

    Args:
        x: a tensor of rank 2 or more.

    Returns:
        A tensor of the shape and dtype of ``x``.

    Example:
    >>> ops.fliplr([[1, 2], [3, 4]])   # [[2, 1], [4, 3]]
    """
    x = x if hasattr(x, "shape") and hasattr(x, "dtype") else _convert_to_tensor(x)
    if len(x.shape) < 2:
        raise ValueError(f"fliplr takes a tensor of rank 2 or more. Received: shape={tuple(x.shape)}")
    return flip(x, axis=1)


def flipud(x):
    """Reverse the rows (axis 0) of a tensor of rank 1 or more.

    Args:
        x: a tensor of rank 1 or more.

    Returns:
        A tensor of the shape and dtype of ``x``.

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

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        shift: how many places to shift (an int, or one per axis in ``axis``).
        axis: the axis or tuple of axes to roll; ``None`` (default) rolls the flattened input and restores the
            shape.

    Returns:
        A tensor of the shape and dtype of ``x``.

    Example:
    >>> ops.roll([1, 2, 3, 4], 1)   # [4, 1, 2, 3]
    """


@backend_op("arrays")
def rot90(array, k: int = 1, axes: tuple = (0, 1)):
    """Rotate ``array`` by 90 degrees ``k`` times in the plane of ``axes``.

    Args:
        array: a tensor of rank 2 or more.
        k: the number of quarter turns (default 1), counter-clockwise from the first axis toward the second.
        axes: the two axes of the plane of rotation (default ``(0, 1)``).

    Returns:
        A tensor in the dtype of ``array``, with the two axes swapped when ``k`` is odd.

    Example:
    >>> ops.rot90([[1, 2], [3, 4]])   # [[2, 4], [1, 3]]
    """


# ---- sorting and searching ----


@backend_op("arrays")
def sort(x, axis: int | None = -1):
    """Sorted copy of ``x`` along ``axis`` (of the flattened ``x`` when ``None``).

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        axis: the axis to sort along (default -1, the last); ``None`` sorts the flattened input.

    Returns:
        A tensor of the shape and dtype of ``x`` (1-D when ``axis`` is ``None``), sorted in ascending order.

    Example:
    >>> ops.sort([3, 1, 2])   # [1, 2, 3]
    """


@backend_op("arrays")
def argsort(x, axis: int | None = -1):
    """The int32 indices that sort ``x`` along ``axis`` (stable: ties keep their order).

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        axis: the axis to sort along (default -1, the last); ``None`` sorts the flattened input.

    Returns:
        An ``int32`` tensor of the shape of ``x`` (1-D when ``axis`` is ``None``): the indices that sort it in
            ascending order.

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

    Returns:
        An ``int32`` tensor of the shape of ``x``: indices along ``axis`` that partition it.

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

    Args:
        x1: the first tensor, of rank 1 or more.
        x2: the second tensor, whose second-to-last axis (its only one if 1-D) matches the last axis of ``x1``.

    Returns:
        A tensor of shape ``batch + (n, p)`` for ``x1`` of shape ``batch + (n, m)`` and ``x2`` of ``batch + (m, p)``
            (1-D inputs lose their added axis), in the dtype they promote to.

    Example:
    >>> ops.matmul(ops.ones((2, 3)), ops.ones((3, 4))).shape
    (2, 4)
    """


@backend_op("arrays", spec=_rules.dot_spec)
def dot(x1, x2):
    """NumPy's ``dot``: scalars multiply, else a sum over the last axis of ``x1`` and second-to-last of ``x2``.

    Args:
        x1: the first input tensor or array-like.
        x2: the second input tensor or array-like.

    Returns:
        A tensor in the dtype the inputs promote to: a scalar for two 1-D inputs, else ``x1.shape[:-1] +
            x2.shape[:-2] + x2.shape[-1:]``.

    Example:
    >>> ops.dot([1.0, 2.0], [3.0, 4.0])   # 11.0
    """


@backend_op("arrays")
def tensordot(x1, x2, axes: int | tuple = 2):
    """Sum products over ``axes``: the last/first ``axes`` dims, or ``(axes_of_x1, axes_of_x2)``.

    Args:
        x1: the first tensor.
        x2: the second tensor.
        axes: an int ``n`` to contract the last ``n`` axes of ``x1`` with the first ``n`` of ``x2`` (default 2), or
            a pair of axis lists ``(axes_of_x1, axes_of_x2)``.

    Returns:
        A tensor of the axes of ``x1`` not contracted followed by those of ``x2``, in the dtype the inputs promote
            to.

    Example:
    >>> ops.tensordot(ops.ones((2, 3)), ops.ones((3, 4)), axes=1).shape   # (2, 4)
    """


@backend_op("arrays")
def einsum(subscripts: str, *operands, **kwargs):
    """Einstein summation, e.g. ``ops.einsum("ij,jk->ik", a, b)``; operands' dtypes promote.

    Args:
        subscripts: the labels of each operand's axes and of the result, e.g. ``"ij,jk->ik"``; without ``->``, the
            labels seen once in alphabetical order.
        *operands: the tensors, one per comma-separated group of labels.
        **kwargs: passed on to the engine's einsum on jax and numpy (``optimize``, …); torch ignores them.

    Returns:
        A tensor with the result's labels as axes, in the dtype the operands promote to.

    Example:
    >>> ops.einsum("ij,j->i", [[1.0, 2.0], [3.0, 4.0]], [1.0, 1.0])   # [3.0, 7.0]
    """


@backend_op("arrays", spec=_rules.inner_spec)
def inner(x1, x2):
    """Inner product over the last axes of ``x1`` and ``x2``.

    Args:
        x1: the first tensor.
        x2: the second tensor; its last axis matches the last axis of ``x1``.

    Returns:
        A tensor of shape ``x1.shape[:-1] + x2.shape[:-1]`` (a scalar for two 1-D inputs), in the dtype they promote
            to.

    Example:
    >>> ops.inner([1.0, 2.0], [3.0, 4.0])   # 11.0
    """


@backend_op("arrays")
def outer(x1, x2):
    """Outer product of the flattened ``x1`` and ``x2``.

    Args:
        x1: the first input tensor or array-like.
        x2: the second input tensor or array-like.

    Returns:
        A 2-D tensor of shape ``(x1.size, x2.size)`` in the dtype the inputs promote to.

    Example:
    >>> ops.outer([1, 2], [3, 4])   # [[3, 4], [6, 8]]
    """


@backend_op("arrays")
def vdot(x1, x2):
    """Dot product of the flattened ``x1`` (conjugated) and ``x2``.

    Args:
        x1: the first input tensor or array-like.
        x2: the second input tensor or array-like.

    Returns:
        A scalar tensor in the dtype the inputs promote to.

    Example:
    >>> ops.vdot([1.0, 2.0], [3.0, 4.0])   # 11.0
    """


@backend_op("arrays")
def kron(x1, x2):
    """Kronecker product of ``x1`` and ``x2``.

    Args:
        x1: the first input tensor or array-like.
        x2: the second input tensor or array-like.

    Returns:
        A tensor in the dtype the inputs promote to, each axis the product of the inputs' axes (the lower rank
            padded with leading 1s).

    Example:
    >>> ops.kron([1, 2], [1, 10])   # [1, 10, 2, 20]
    """


@backend_op("arrays", spec=_rules.cross_spec)
def cross(x1, x2, axisa: int = -1, axisb: int = -1, axisc: int = -1, axis: int | None = None):
    """Cross product of 3-vectors along the given axes (``axis`` sets all three).

    Args:
        x1: the first tensor of 3-vectors along ``axisa``.
        x2: the second tensor of 3-vectors along ``axisb``; the other axes broadcast.
        axisa: the axis of ``x1`` holding the vectors (default -1).
        axisb: the axis of ``x2`` holding the vectors (default -1).
        axisc: the axis of the result holding the vectors (default -1).
        axis: if given, used for ``axisa``, ``axisb`` and ``axisc`` alike.

    Returns:
        A tensor of cross products, in the dtype the inputs promote to.

    Example:
    >>> ops.cross([1.0, 0.0, 0.0], [0.0, 1.0, 0.0])   # [0.0, 0.0, 1.0]
    """


@backend_op("arrays")
def correlate(x1, x2, mode: str = "valid"):
    """Cross-correlation of two 1-D tensors; ``mode`` is ``"valid"``, ``"same"`` or ``"full"``.

    Args:
        x1: the first 1-D tensor.
        x2: the second 1-D tensor, slid along ``x1``.
        mode: ``"valid"`` (default): only full overlaps; ``"same"``: the length of the longer input; ``"full"``:
            every partial overlap.

    Returns:
        A 1-D tensor of the correlation, floating (``int64`` gives ``float64``, other integers floatx).

    Example:
    >>> ops.correlate([1.0, 2.0, 3.0], [0.0, 1.0])   # [2.0, 3.0]
    """


# ---- diagonals and triangles ----


@backend_op("arrays")
def diag(x, k: int = 0):
    """The ``k``-th diagonal of a 2-D ``x``, or a 2-D tensor with the 1-D ``x`` on its ``k``-th diagonal.

    Args:
        x: a 1-D tensor to place on a diagonal, or a 2-D tensor to read a diagonal from.
        k: the diagonal: 0 (default) the main one, positive above it, negative below it.

    Returns:
        For 2-D ``x``, a 1-D tensor of the diagonal; for 1-D ``x`` of length ``n``, a square 2-D tensor of side ``n
            + |k|``.

    Example:
    >>> ops.diag([1, 2])   # [[1, 0], [0, 2]]
    """


@backend_op("arrays")
def diagflat(x, k: int = 0):
    """A 2-D tensor with the flattened ``x`` on its ``k``-th diagonal.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        k: the diagonal: 0 (default) the main one, positive above it, negative below it.

    Returns:
        A square 2-D tensor of side ``x.size + |k|`` in the dtype of ``x``, zero off the diagonal.

    Example:
    >>> ops.diagflat([[1, 2]])   # [[1, 0], [0, 2]]
    """


@backend_op("arrays", check=_rules.check_diagonal)
def diagonal(x, offset: int = 0, axis1: int = 0, axis2: int = 1):
    """The diagonal at ``offset`` of the planes spanned by ``axis1`` and ``axis2``, as the last axis.

    Args:
        x: a tensor of rank 2 or more.
        offset: the diagonal: 0 (default) the main one, positive above it, negative below it.
        axis1: the first axis of the planes (default 0).
        axis2: the second axis of the planes (default 1).

    Returns:
        A tensor of the other axes of ``x`` followed by the diagonal as the last axis, in the dtype of ``x``.

    Example:
    >>> ops.diagonal([[1, 2], [3, 4]])   # [1, 4]
    """


@backend_op("arrays")
def trace(x, offset: int = 0, axis1: int = 0, axis2: int = 1):
    """Sum along a diagonal; small integer and bool inputs sum in int32.

    Args:
        x: a tensor of rank 2 or more.
        offset: the diagonal: 0 (default) the main one, positive above it, negative below it.
        axis1: the first axis of the planes (default 0).
        axis2: the second axis of the planes (default 1).

    Returns:
        A tensor of the other axes of ``x`` (a scalar for 2-D ``x``), in the dtype of ``x`` (bool and integers
            narrower than 32 bits give ``int32``).

    Example:
    >>> ops.trace([[1, 2], [3, 4]])   # 5
    """


@backend_op("arrays")
def diff(a, n: int = 1, axis: int = -1):
    """The ``n``-th discrete difference along ``axis``.

    Args:
        a: the input tensor.
        n: how many times to take differences (default 1).
        axis: the axis to difference along (default -1).

    Returns:
        A tensor of the shape of ``a`` with ``n`` fewer elements along ``axis``, in the dtype of ``a``.

    Example:
    >>> ops.diff([1, 4, 9, 16])   # [3, 5, 7]
    """


@backend_op("arrays")
def triu(x, k: int = 0):
    """``x`` with the elements below the ``k``-th diagonal zeroed (over the last two axes).

    Args:
        x: a tensor of rank 2 or more (a batch of matrices over the last two axes).
        k: the diagonal: 0 (default) the main one, positive above it, negative below it.

    Returns:
        A tensor of the shape and dtype of ``x``.

    Example:
    >>> ops.triu([[1, 2], [3, 4]])   # [[1, 2], [0, 4]]
    """


@backend_op("arrays")
def tril(x, k: int = 0):
    """``x`` with the elements above the ``k``-th diagonal zeroed (over the last two axes).

    Args:
        x: a tensor of rank 2 or more (a batch of matrices over the last two axes).
        k: the diagonal: 0 (default) the main one, positive above it, negative below it.

    Returns:
        A tensor of the shape and dtype of ``x``.

    Example:
    >>> ops.tril([[1, 2], [3, 4]])   # [[1, 0], [3, 4]]
    """


# ---- creation ----


@backend_op("arrays")
def zeros(shape: int | tuple, dtype=None):
    """A tensor of zeros (dtype floatx unless given).

    Args:
        shape: the shape of the result, an int or a tuple of ints.
        dtype: the dtype of the result; ``None`` (default) gives floatx.

    Returns:
        A tensor of ``shape`` filled with zeros.

    Example:
    >>> ops.zeros((2, 3)).shape   # (2, 3)
    """


@backend_op("arrays")
def ones(shape: int | tuple, dtype=None):
    """A tensor of ones (dtype floatx unless given).

    Args:
        shape: the shape of the result, an int or a tuple of ints.
        dtype: the dtype of the result; ``None`` (default) gives floatx.

    Returns:
        A tensor of ``shape`` filled with ones.

    Example:
    >>> ops.ones((2, 3)).shape   # (2, 3)
    """


@backend_op("arrays")
def empty(shape: int | tuple, dtype=None):
    """An uninitialised tensor (dtype floatx unless given).

    Args:
        shape: the shape of the result, an int or a tuple of ints.
        dtype: the dtype of the result; ``None`` (default) gives floatx.

    Returns:
        A tensor of ``shape`` whose values are not set (they may be anything).

    Example:
    >>> ops.empty((2, 3)).shape   # (2, 3)
    """


@backend_op("arrays")
def full(shape: int | tuple, fill_value, dtype=None):
    """A tensor of ``shape`` filled with ``fill_value`` (dtype floatx unless given).

    Args:
        shape: the shape of the result, an int or a tuple of ints.
        fill_value: the value of every element (a scalar, or a tensor broadcasting to ``shape``).
        dtype: the dtype of the result; ``None`` (default) gives floatx.

    Returns:
        A tensor of ``shape``.

    Example:
    >>> ops.full((2,), 7.0)   # [7.0, 7.0]
    """


@backend_op("arrays")
def zeros_like(x, dtype=None):
    """Zeros with the shape and (unless given) the dtype of ``x``.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        dtype: the dtype of the result; ``None`` (default) keeps the dtype of ``x``.

    Returns:
        A tensor of zeros of the shape of ``x``.

    Example:
    >>> ops.zeros_like([[1, 2]])   # [[0, 0]]
    """


@backend_op("arrays")
def ones_like(x, dtype=None):
    """Ones with the shape and (unless given) the dtype of ``x``.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        dtype: the dtype of the result; ``None`` (default) keeps the dtype of ``x``.

    Returns:
        A tensor of ones of the shape of ``x``.

    Example:
    >>> ops.ones_like([[1, 2]])   # [[1, 1]]
    """


@backend_op("arrays")
def empty_like(x, dtype=None):
    """An uninitialised tensor with the shape and (unless given) the dtype of ``x``.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        dtype: the dtype of the result; ``None`` (default) keeps the dtype of ``x``.

    Returns:
        A tensor of the shape of ``x`` whose values are not set.

    Example:
    >>> ops.empty_like(ops.ones((2, 3))).shape   # (2, 3)
    """


@backend_op("arrays")
def full_like(x, fill_value, dtype=None):
    """``fill_value`` in the shape and (unless given) the dtype of ``x``.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        fill_value: the value of every element (a scalar, or a tensor broadcasting to the shape of ``x``).
        dtype: the dtype of the result; ``None`` (default) keeps the dtype of ``x``.

    Returns:
        A tensor of the shape of ``x``.

    Example:
    >>> ops.full_like([1, 2, 3], 5)   # [5, 5, 5]
    """


@backend_op("arrays")
def array(x, dtype=None):
    """A tensor from ``x`` (Python ints give int32, floats floatx).

    Args:
        x: the data: a tensor, NumPy array, nested list or Python number.
        dtype: the dtype of the result; ``None`` (default) infers it (Python ints give ``int32``, floats floatx).

    Returns:
        A tensor of the engine holding ``x``'s values.

    Example:
    >>> ops.array([[1, 2], [3, 4]]).shape   # (2, 2)
    """


@backend_op("arrays")
def copy(x):
    """A copy of ``x``.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A new tensor with the shape, dtype and values of ``x``.

    Example:
    >>> ops.copy([1.0, 2.0])   # [1.0, 2.0]
    """


@backend_op("arrays")
def eye(N: int, M: int | None = None, k: int = 0, dtype=None):
    """An ``N x M`` tensor with ones on the ``k``-th diagonal (dtype floatx unless given).

    Args:
        N: the number of rows.
        M: the number of columns; ``None`` (default) for ``N``.
        k: the diagonal: 0 (default) the main one, positive above it, negative below it.
        dtype: the dtype of the result; ``None`` (default) gives floatx.

    Returns:
        A 2-D tensor of shape ``(N, M)``.

    Example:
    >>> ops.eye(2, 3)   # [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
    """


@backend_op("arrays")
def identity(n: int, dtype=None):
    """The ``n x n`` identity matrix (dtype floatx unless given).

    Args:
        n: the number of rows and columns.
        dtype: the dtype of the result; ``None`` (default) gives floatx.

    Returns:
        A 2-D tensor of shape ``(n, n)``.

    Example:
    >>> ops.identity(2)   # [[1.0, 0.0], [0.0, 1.0]]
    """


@backend_op("arrays")
def tri(N: int, M: int | None = None, k: int = 0, dtype=None):
    """An ``N x M`` tensor with ones at and below the ``k``-th diagonal (dtype floatx unless given).

    Args:
        N: the number of rows.
        M: the number of columns; ``None`` (default) for ``N``.
        k: the diagonal at and below which the ones are: 0 (default) the main one, positive above it, negative below
            it.
        dtype: the dtype of the result; ``None`` (default) gives floatx.

    Returns:
        A 2-D tensor of shape ``(N, M)`` of ones and zeros.

    Example:
    >>> ops.tri(2, 3)   # [[1.0, 0.0, 0.0], [1.0, 1.0, 0.0]]
    """


@backend_op("arrays")
def arange(start, stop=None, step=1, dtype=None):
    """Evenly spaced values in ``[start, stop)``.

    Without ``dtype``: int32 for Python ints, floatx once a float is involved.

    Args:
        start: the first value; with ``stop`` left out it is the end and the range starts at 0.
        stop: the end of the range, not included.
        step: the spacing between values (default 1).
        dtype: the dtype of the result; ``None`` gives ``int32`` for Python ints, floatx once a float is given.

    Returns:
        A 1-D tensor of ``ceil((stop - start) / step)`` values.

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

    Args:
        start: the first value (a scalar, or a tensor for several ranges at once).
        stop: the last value, reached when ``endpoint`` is ``True``.
        num: how many values (default 50).
        endpoint: whether ``stop`` is the last value (default ``True``).
        retstep: if ``True``, also return the spacing.
        dtype: the dtype of the result; ``None`` (default) gives floatx for Python numbers.
        axis: where the new axis of values goes when ``start`` or ``stop`` are tensors (default 0).

    Returns:
        A tensor of ``num`` values, or ``(values, step)`` when ``retstep`` is ``True``.

    Example:
    >>> ops.linspace(0.0, 1.0, 5)   # [0.0, 0.25, 0.5, 0.75, 1.0]
    """


@backend_op("arrays")
def logspace(start, stop, num: int = 50, endpoint: bool = True, base: float = 10, dtype=None,
             axis: int = 0):
    """``base ** linspace(start, stop, ...)``: numbers spaced evenly on a log scale.

    Args:
        start: the exponent of the first value.
        stop: the exponent of the last value, reached when ``endpoint`` is ``True``.
        num: how many values (default 50).
        endpoint: whether ``base ** stop`` is the last value (default ``True``).
        base: the base of the powers (default 10).
        dtype: the dtype of the result; ``None`` (default) gives floatx for Python numbers.
        axis: where the new axis of values goes when ``start`` or ``stop`` are tensors (default 0).

    Returns:
        A tensor of ``num`` values.

    Example:
    >>> ops.logspace(0.0, 2.0, 3)   # [1.0, 10.0, 100.0]
    """


@backend_op("arrays")
def meshgrid(*x, indexing: str = "xy") -> list:
    """Coordinate grids from 1-D coordinate vectors (``"xy"`` Cartesian or ``"ij"`` matrix indexing).

    Args:
        *x: 1-D tensors of coordinates.
        indexing: ``"xy"`` (default): the first two output axes are swapped, as for Cartesian ``(x, y)``; ``"ij"``:
            the axes follow the inputs' order.

    Returns:
        A list of tensors, one per input, each of rank ``len(x)``.

    Example:
    >>> [g.shape for g in ops.meshgrid(ops.arange(3), ops.arange(2))]   # [(2, 3), (2, 3)]
    """


# ---- bit views and unique values ----


@backend_op("arrays")
def view(x, dtype=None):
    """The same bits as ``x`` read as ``dtype``; with a different item size the last axis scales.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        dtype: the dtype to read the bits as; ``None`` keeps the dtype of ``x``.

    Returns:
        A tensor of dtype ``dtype``, its last axis scaled by the ratio of the item sizes.

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
