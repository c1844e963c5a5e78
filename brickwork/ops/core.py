"""Core ops: conversion, casting, control flow, scatter and slicing (``ops.cast``, ``ops.cond``, …).

Control-flow ops take Python callables; on symbolic inputs their result is described by
running the callables under abstract evaluation (``spec=`` functions below).
"""

from __future__ import annotations

import numpy as np
import optree

from brickwork import backend
from brickwork.backend import compute_output_spec
from brickwork.backend.common.keras_tensor import KerasTensor
from brickwork.ops._dispatch import backend_op, op_error, with_spec

_is_keras_tensor = lambda x: isinstance(x, KerasTensor)  # noqa: E731


def _shape_of(value) -> tuple:
    return tuple(value.shape) if hasattr(value, "shape") else np.shape(value)


def _spec_of(value) -> KerasTensor:
    """A ``KerasTensor`` describing a concrete or symbolic value."""
    if isinstance(value, KerasTensor):
        return value
    value = backend.convert_to_tensor(value)
    return KerasTensor(tuple(value.shape), dtype=backend.standardize_dtype(value.dtype))


def _first_slice(xs):
    """The structure of ``xs[0]`` for every leaf of ``xs`` (symbolic leaves lose their first dim)."""

    def first(x):
        if isinstance(x, KerasTensor):
            return KerasTensor(x.shape[1:], dtype=x.dtype)
        return backend.convert_to_tensor(x)[0]

    return optree.tree_map(first, xs, is_leaf=_is_keras_tensor)


def _stack_spec(n, ys):
    return optree.tree_map(lambda y: KerasTensor((n,) + tuple(y.shape), dtype=y.dtype), ys,
                           is_leaf=_is_keras_tensor)


def _leading_size(xs):
    return optree.tree_leaves(xs, is_leaf=_is_keras_tensor)[0].shape[0]


# ---- conversion and casting ----


def _convert_to_tensor_spec(x, dtype=None, sparse=None, ragged=None):
    # A symbolic tensor stays sparse unless ``sparse=False`` asks for it dense, as in Keras.
    return KerasTensor(x.shape, dtype=backend.standardize_dtype(dtype or x.dtype),
                       sparse=x.sparse and (sparse is None or bool(sparse)))


@backend_op("core", spec=_convert_to_tensor_spec)
def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
    """Convert a NumPy array, Python scalar or (nested) list to a tensor of the active backend.

    Args:
        x: the value: a NumPy array, Python number, nested list, variable or tensor.
        dtype: the dtype of the result; ``None`` (default) infers it (Python ints give ``int32``, floats floatx,
            NumPy arrays keep theirs).
        sparse: ``False`` densifies a sparse input; ``None`` or ``True`` keeps it as it is (the engines hold dense
            tensors, except jax's BCOO).
        ragged: accepted for Keras compatibility; brickwork has no ragged tensors, so it changes nothing.

    Returns:
        A tensor of the active engine.

    Example:
    >>> ops.convert_to_tensor([1, 2, 3])   # int32
    """


def convert_to_numpy(x) -> np.ndarray:
    """A NumPy array holding the value of tensor ``x``.

    Args:
        x: a tensor of any engine, a variable, or an array-like; not a symbolic ``KerasTensor``.

    Returns:
        A NumPy array of the shape, dtype and values of ``x``.

    Example:
    >>> ops.convert_to_numpy(ops.ones((2,))).tolist()   # [1.0, 1.0]
    """
    if isinstance(x, KerasTensor):
        raise ValueError(f"ops.convert_to_numpy: a symbolic KerasTensor holds no data (received {x}).")
    return backend.convert_to_numpy(x)


def is_tensor(x) -> bool:
    """True for a tensor of the active backend (not a NumPy array on torch/jax, not a Variable).

    Args:
        x: any object.

    Returns:
        ``True`` for a tensor of the active engine, else ``False``.

    Example:
    >>> ops.is_tensor(ops.ones((2,))), ops.is_tensor(np.ones((2,)))   # (True, False)
    """
    return backend.is_tensor(x)


def shape(x) -> tuple:
    """The shape of ``x`` as a tuple; ``None`` for unknown dimensions of a ``KerasTensor``.

    Args:
        x: a tensor, variable, ``KerasTensor`` or array-like.

    Returns:
        A tuple of ints (``None`` for the unknown sizes of a ``KerasTensor``; on tensorflow, inside a traced
        function, a scalar tensor for each size known only when the graph runs, as in Keras).

    Example:
    >>> ops.shape(ops.zeros((2, 3)))   # (2, 3)
    """
    if backend.is_tensor(x):
        return backend.active.core.shape(x)
    if hasattr(x, "shape"):
        return tuple(x.shape)
    return np.shape(x)


def dtype(x) -> str:
    """The dtype of ``x`` as a standardized string, e.g. ``"float32"``.

    Args:
        x: a tensor, variable, ``KerasTensor`` or array-like.

    Returns:
        The dtype name, a string such as ``"float32"``.

    Example:
    >>> ops.dtype(ops.ones((2,), dtype="int32"))   # 'int32'
    """
    return backend.standardize_dtype(x.dtype)


def _cast_spec(x, dtype):
    return KerasTensor(x.shape, dtype=backend.standardize_dtype(dtype))


@backend_op("core", spec=_cast_spec)
def cast(x, dtype):
    """Cast ``x`` to ``dtype``.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        dtype: the target dtype, by name (``"int32"``, ``"bfloat16"``) or as a NumPy or engine dtype.

    Returns:
        A tensor of the shape of ``x`` and dtype ``dtype``; floats cast to integers are truncated toward zero.

    Example:
    >>> ops.cast(ops.convert_to_tensor([1.7, -1.7]), "int32")   # [1, -1]
    """


def _saturation_bounds(in_dtype: str, out_dtype: str):
    """The widest ``[lower, upper]`` in ``in_dtype`` whose values all fit ``out_dtype``."""

    import ml_dtypes  # lazily: its import costs ~0.4 s, and only saturating casts need it

    def limits(name):
        if name == "bool":
            return 0, 1
        info = ml_dtypes.iinfo(name) if "int" in name else ml_dtypes.finfo(name)
        return info.min, info.max

    in_np = backend.dtypes.to_numpy_dtype(in_dtype)
    (in_min, in_max), (out_min, out_max) = limits(in_dtype), limits(out_dtype)
    lower = np.array(max(in_min, out_min)).astype(in_np)
    # Compare as Python numbers (exact); rounding into in_dtype may overshoot, e.g. float32(2**31 - 1).
    if lower.item() < out_min:
        lower = np.nextafter(lower, np.array(0, in_np))
    upper = np.array(min(in_max, out_max)).astype(in_np)
    if upper.item() > out_max:
        upper = np.nextafter(upper, np.array(0, in_np))
    return lower.item(), upper.item()


@with_spec(_cast_spec)
def saturate_cast(x, dtype):
    """Cast ``x`` to ``dtype``, clipping values to the range ``dtype`` can hold.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        dtype: the target dtype, by name or as a NumPy or engine dtype.

    Returns:
        A tensor of the shape of ``x`` and dtype ``dtype``, values outside its range clipped to its bounds.

    Example:
    >>> ops.saturate_cast(ops.convert_to_tensor([-1.0, 256.0]), "uint8")   # [0, 255]
    """
    dtype = backend.standardize_dtype(dtype)
    try:
        x = backend.convert_to_tensor(x)
        lower, upper = _saturation_bounds(backend.standardize_dtype(x.dtype), dtype)
        return backend.active.core.saturate_cast(x, dtype, lower, upper)
    except (ValueError, TypeError, RuntimeError) as error:
        raise op_error("saturate_cast", error, (x, dtype), {}) from error


def _same_spec(x):
    return KerasTensor(x.shape, dtype=x.dtype)


@backend_op("core", spec=_same_spec)
def stop_gradient(variable):
    """``variable``'s value with gradient flow through it stopped.

    Args:
        variable: a tensor or variable.

    Returns:
        A tensor equal to ``variable``'s value, treated as a constant when differentiating.

    Example:
    >>> ops.stop_gradient([1.0, 2.0])   # [1.0, 2.0]
    """


def custom_gradient(f):
    """Decorate ``f(*args) -> (output, grad_fn)`` to give it a custom gradient.

    ``grad_fn`` receives the upstream gradient: positionally on jax (``grad_fn(upstream)``),
    as a keyword after the inputs on torch (``grad_fn(*args, upstream=upstream)``). Write it as
    ``def grad(*args, upstream=None)`` to work on both.

    Args:
        f: a function of tensors returning ``(output, grad_fn)``, where ``grad_fn`` maps the upstream gradient to
            one gradient per input.

    Returns:
        A function with the signature of ``f`` that returns ``output`` and whose gradient is ``grad_fn``'s.

    Example:
    >>> @ops.custom_gradient
    ... def log1pexp(x):
    ...     e = ops.exp(x)
    ...     def grad(*args, upstream=None):
    ...         upstream = args[0] if upstream is None else upstream
    ...         return ops.multiply(upstream, 1.0 - 1.0 / ops.add(1, e))
    ...     return ops.log(1 + e), grad
    """
    return backend.active.core.custom_gradient(f)


# ---- control flow ----


def _branch_spec(fn):
    # A branch closes over the symbolic inputs, so calling it yields KerasTensors (and constants).
    return optree.tree_map(_spec_of, fn(), is_leaf=_is_keras_tensor)


def _cond_spec(pred, true_fn, false_fn):
    true_spec = _branch_spec(true_fn)
    false_spec = _branch_spec(false_fn)
    true_leaves, true_tree = optree.tree_flatten(true_spec, is_leaf=_is_keras_tensor, none_is_leaf=True)
    false_leaves, false_tree = optree.tree_flatten(false_spec, is_leaf=_is_keras_tensor, none_is_leaf=True)
    same = true_tree == false_tree and all(
        (t is None and f is None) or (t is not None and f is not None and t.shape == f.shape and t.dtype == f.dtype)
        for t, f in zip(true_leaves, false_leaves)
    )
    if not same:
        raise ValueError(
            f"`true_fn` and `false_fn` must return the same structure, shapes and dtypes; "
            f"received {true_spec} and {false_spec}"
        )
    return true_spec


@backend_op("core", spec=_cond_spec)
def cond(pred, true_fn, false_fn):
    """``true_fn()`` if ``pred`` else ``false_fn()``; both must return the same structure and shapes.

    Args:
        pred: a Python bool or scalar bool tensor.
        true_fn, false_fn: callables of no arguments.

    Returns:
        What the chosen function returns.

    Example:
    >>> ops.cond(ops.convert_to_tensor(2.0) > 1.0, lambda: 1.0, lambda: 0.0)   # 1.0
    """


def _loop_vars_spec(cond, body, loop_vars, maximum_iterations=None):
    spec = optree.tree_map(_spec_of, loop_vars, is_leaf=_is_keras_tensor)
    return tuple(spec) if isinstance(loop_vars, (list, tuple)) else spec


@backend_op("core", spec=_loop_vars_spec)
def while_loop(cond, body, loop_vars, maximum_iterations=None):
    """Run ``loop_vars = body(*loop_vars)`` while ``cond(*loop_vars)``.

    A single tensor ``loop_vars`` is passed as is; a list or tuple is unpacked into the calls
    and returned as a tuple.

    Args:
        cond: a function of the loop variables returning a Python bool or scalar boolean tensor.
        body: a function of the loop variables returning new values of the same structure, shapes and dtypes.
        loop_vars: a tuple or list of loop variables (unpacked into ``cond`` and ``body``), or a single value.
        maximum_iterations: stop after this many steps even if ``cond`` still holds; ``None``
            (default) for no limit.

    Returns:
        The loop variables after the last step: a tuple if ``loop_vars`` was a tuple or list, else a single value.

    Example:
    >>> ops.while_loop(lambda x, y: x < 10, lambda x, y: (x + 1, y + 1), (0, 1))   # (10, 11)
    """


def _fori_spec(lower, upper, body_fun, init_val):
    return optree.tree_map(_spec_of, init_val, is_leaf=_is_keras_tensor)


@backend_op("core", spec=_fori_spec)
def fori_loop(lower, upper, body_fun, init_val):
    """Run ``init_val = body_fun(i, init_val)`` for ``i`` in ``range(lower, upper)``.

    Args:
        lower: the first loop index (an int or scalar integer tensor).
        upper: the loop stops before this index.
        body_fun: ``(i, value) -> value``; the value keeps its structure, shapes and dtypes.
        init_val: the value before the first step (any nested structure of tensors).

    Returns:
        The value after the last step (``init_val`` when ``upper <= lower``).

    Example:
    >>> ops.fori_loop(0, 10, lambda i, s: s + i, 0)   # 45
    """


def _scan_spec(f, init, xs=None, length=None, reverse=False, unroll=1):
    if xs is None:
        n, x = int(length), None
    else:
        n, x = (int(length) if length is not None else _leading_size(xs)), _first_slice(xs)
    carry, y = compute_output_spec(f, init, x)
    return carry, _stack_spec(n, y)


def _check_scan(f, init, xs=None, length=None, reverse=False, unroll=1) -> None:
    if not callable(f):
        raise TypeError(f"ops.scan: `f` should be a callable. Received: f={f!r}")
    if not isinstance(unroll, bool) and (not isinstance(unroll, int) or unroll < 1):
        raise ValueError(f"ops.scan: `unroll` must be an positive integer or boolean. Received: unroll={unroll!r}")
    if xs is None and length is None:
        raise ValueError("ops.scan: Got no `xs` to scan over and `length` not provided.")


@backend_op("core", spec=_scan_spec, check=_check_scan)
def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    """Loop ``carry, y = f(carry, x)`` over the leading axis of ``xs``, stacking the ``y``.

    Args:
        f: ``(carry, x) -> (carry, y)``; ``carry`` keeps its structure, shapes and dtypes.
        init: the initial carry.
        xs: the values to loop over (any nested structure), or ``None`` with ``length``.
        reverse: loop from the end (``ys`` keep the order of ``xs``).
        unroll: iterations unrolled per loop step (jax only; others ignore it).

    Returns:
        ``(final_carry, stacked_ys)``.

    Example:
    >>> ops.scan(lambda c, x: (c + x, c + x), 0, ops.convert_to_tensor([1, 2, 3]))   # (6, [1, 3, 6])
    """


def _switch_spec(index, branches, *operands):
    return compute_output_spec(branches[0], *operands)


@backend_op("core", spec=_switch_spec)
def switch(index, branches, *operands):
    """``branches[index](*operands)``, with ``index`` clamped to the valid range.

    Args:
        index: an int or scalar integer tensor; below 0 picks the first branch, past the end the last.
        branches: a list of callables taking ``*operands``, all returning the same structure and shapes.
        *operands: the arguments passed to the chosen branch.

    Returns:
        What the chosen branch returns.

    Example:
    >>> ops.switch(1, [lambda x: x + 1.0, lambda x: x * 10.0], ops.ones((2,)))   # [10.0, 10.0]
    """


def _map_spec(f, xs):
    return _stack_spec(_leading_size(xs), compute_output_spec(f, _first_slice(xs)))


@backend_op("core", spec=_map_spec)
def map(f, xs):
    """Apply ``f`` to each slice of ``xs`` along its leading axis and stack the results.

    Args:
        f: a function of one slice, returning a tensor or nested structure of tensors of the same shape
            for every slice.
        xs: a tensor, or nested structure of tensors sharing a leading axis.

    Returns:
        ``f``'s outputs stacked along a new leading axis of the length of ``xs``.

    Example:
    >>> ops.map(lambda x: x * x, ops.convert_to_tensor([1, 2, 3]))   # [1, 4, 9]
    """


def _check_associative_scan(f, elems, reverse=False, axis=0) -> None:
    if not callable(f):
        raise TypeError(f"ops.associative_scan: `f` should be a callable. Received: f={f!r}")
    shapes = [_shape_of(leaf) for leaf in optree.tree_leaves(elems, is_leaf=_is_keras_tensor)]
    if len({s[axis] for s in shapes}) > 1:
        raise ValueError(f"ops.associative_scan: Array inputs to associative_scan must have the same first dimension "
                         f"(their size along axis {axis}). Received shapes: {shapes}")


def _associative_scan_spec(f, elems, reverse=False, axis=0):
    leaves, treedef = optree.tree_flatten(elems, is_leaf=_is_keras_tensor)
    shapes = [tuple(_spec_of(leaf).shape) for leaf in leaves]

    def one(leaf):
        spec = _spec_of(leaf)
        shape = list(spec.shape)
        shape[axis] = 1
        return KerasTensor(shape, dtype=spec.dtype)

    sample = optree.tree_unflatten(treedef, [one(leaf) for leaf in leaves])
    out = optree.tree_leaves(compute_output_spec(f, sample, sample), is_leaf=_is_keras_tensor)
    return optree.tree_unflatten(treedef, [KerasTensor(s, dtype=o.dtype) for s, o in zip(shapes, out)])


@backend_op("core", spec=_associative_scan_spec, check=_check_associative_scan)
def associative_scan(f, elems, reverse=False, axis=0):
    """Inclusive scan with an associative ``f``, in parallel: ``[a, f(a, b), f(f(a, b), c), …]``.

    ``f(a, b)`` receives slices that keep the ``axis`` dimension and combines them element-wise.

    Args:
        f: an associative function ``(a, b) -> c`` on slices (nested structures of tensors that keep the ``axis``
            dimension), applied element-wise.
        elems: a tensor, or nested structure of tensors of one length along ``axis``.
        reverse: if ``True``, scan from the last element to the first; default ``False``.
        axis: the axis to scan along (default 0).

    Returns:
        The running combinations, of the structure, shapes and dtypes of ``elems``.

    Example:
    >>> ops.associative_scan(lambda a, b: a + b, ops.convert_to_tensor([1, 2, 3, 4]))   # [1, 3, 6, 10]
    """


@backend_op("core")
def vectorized_map(function, elements):
    """``stack([function(e) for e in elements])``, vectorized by the engine (vmap).

    When ``elements`` is a list or tuple of tensors, ``function`` receives one tuple of slices.

    Args:
        function: a function of one slice (or of a tuple of slices when ``elements`` is a list or tuple).
        elements: a tensor, or list or tuple of tensors sharing a leading axis.

    Returns:
        ``function``'s outputs stacked along a new leading axis of the length of ``elements``.

    Example:
    >>> ops.vectorized_map(lambda row: ops.sum(row), np.arange(6.0).reshape(3, 2))   # [1.0, 5.0, 9.0]
    """


def _unstack_spec(x, num=None, axis=0):
    axis = axis + len(x.shape) if axis < 0 else axis
    num = x.shape[axis] if num is None else num
    if num is None:
        raise ValueError(f"Cannot infer argument `num` from shape {x.shape}: the size along axis {axis} is unknown. "
                         "Pass `num` explicitly.")
    return [KerasTensor(x.shape[:axis] + x.shape[axis + 1:], dtype=x.dtype) for _ in range(num)]


@backend_op("core", spec=_unstack_spec)
def unstack(x, num=None, axis=0):
    """Split ``x`` along ``axis`` into a list of tensors of one rank less.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        num: the length of ``axis``, for engines that need it known ahead; may be ``None``.
        axis: the axis to split along (default 0).

    Returns:
        A list of ``x.shape[axis]`` tensors, each the rank of ``x`` less one.

    Example:
    >>> ops.unstack([[1, 2], [3, 4]])   # [[1, 2], [3, 4]]
    """


# ---- scatter and slicing ----


def _scatter_spec(indices, values, shape):
    return KerasTensor(tuple(shape), dtype=_spec_of(values).dtype)


@backend_op("core", spec=_scatter_spec)
def scatter(indices, values, shape):
    """A zero tensor of ``shape`` with ``values`` added at ``indices`` (duplicates add up).

    Args:
        indices: ``(num_updates, k)`` integer indices into the first ``k`` dims of ``shape``.
        values: ``(num_updates,) + shape[k:]``.
        shape: the output shape.

    Returns:
        A tensor of ``shape`` with the dtype of ``values``.

    Example:
    >>> ops.scatter([[0, 1], [1, 1]], np.array([1.0, 1.0]), (2, 2))   # [[0, 1], [0, 1]]
    """


def _like_inputs_spec(inputs, *args, **kwargs):
    return _spec_of(inputs)


@backend_op("core", spec=_like_inputs_spec)
def scatter_update(inputs, indices, updates, reduction=None):
    """``inputs`` with ``inputs[indices] = updates`` (or combined by ``reduction``).

    Args:
        inputs: the tensor to update.
        indices: ``(num_updates, k)`` integer indices into the first ``k`` dims of ``inputs``.
        updates: ``(num_updates,) + inputs.shape[k:]``.
        reduction: ``None`` (replace), ``"add"``, ``"max"``, ``"min"`` or ``"mul"``.

    Returns:
        A new tensor of the shape and dtype of ``inputs``; ``inputs`` itself is not changed.

    Example:
    >>> ops.scatter_update(ops.zeros((4,)), [[1], [3]], [5.0, 7.0])   # [0.0, 5.0, 0.0, 7.0]
    """


def _slice_spec(inputs, start_indices, shape):
    # A size of -1 is what is left of the axis after the start (unknown if either is).
    inputs = _spec_of(inputs)
    starts = start_indices if isinstance(start_indices, (list, tuple)) else [None] * len(shape)
    sizes = []
    for dim, start, size in zip(inputs.shape, starts, shape):
        if size == -1:
            known = dim is not None and isinstance(start, int)
            size = dim - start if known else None
        sizes.append(size)
    return KerasTensor(tuple(sizes), dtype=inputs.dtype)


def _check_slice(inputs, start_indices, shape) -> None:
    rank = len(_shape_of(inputs))
    if len(shape) != rank:
        raise ValueError(f"ops.slice: The number of dimensions in `inputs` must match the number of dimensions in "
                         f"`shape`. Received inputs.shape={_shape_of(inputs)} and shape={tuple(shape)}")
    if isinstance(start_indices, (list, tuple)) and len(start_indices) != rank:
        raise ValueError(f"ops.slice: The number of dimensions in `start_indices` must match the number of "
                         f"dimensions in `inputs`. Received start_indices={start_indices} and "
                         f"inputs.shape={_shape_of(inputs)}")


@backend_op("core", spec=_slice_spec, check=_check_slice)
def slice(inputs, start_indices, shape):
    """The window of ``inputs`` of size ``shape`` starting at ``start_indices`` (which may be a tensor).

    Starts are clamped so the window fits inside ``inputs``.

    Args:
        inputs: the tensor to slice.
        start_indices: one start index per axis (ints or an integer tensor); a start that would run past the end is
            moved back so the window fits.
        shape: the size of the window along each axis.

    Returns:
        A tensor of shape ``shape`` in the dtype of ``inputs``.

    Example:
    >>> ops.slice(ops.arange(6), [2], [3])   # [2, 3, 4]
    """


@backend_op("core", spec=_like_inputs_spec)
def slice_update(inputs, start_indices, updates):
    """``inputs`` with the window at ``start_indices`` replaced by ``updates`` (same rank).

    Args:
        inputs: the tensor to update (not changed in place).
        start_indices: one start per axis of ``inputs``, a list or 1-D integer tensor.
        updates: the new window, of ``inputs``' rank.

    Returns:
        A new tensor of the shape and dtype of ``inputs``; ``inputs`` itself is not changed.

    Example:
    >>> ops.slice_update(ops.zeros((5,)), [1], ops.ones((2,)))   # [0.0, 1.0, 1.0, 0.0, 0.0]
    """


__all__ = [
    "associative_scan", "cast", "cond", "convert_to_numpy", "convert_to_tensor", "custom_gradient", "dtype",
    "fori_loop", "is_tensor", "map", "saturate_cast", "scan", "scatter", "scatter_update", "shape", "slice",
    "slice_update", "stop_gradient", "switch", "unstack", "vectorized_map", "while_loop",
]
