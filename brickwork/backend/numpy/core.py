"""NumPy core: inference only. Variables are NumPy arrays; asking for gradients is an error.
Shared with the other NumPy-like engines: ``common/core_ops.py``, and with torch, the other eager
engine: the Python loops of ``common/loop_ops.py``; both included here (see ``common/binding.py``).
"""

from __future__ import annotations

import builtins
import contextlib

import numpy as np
import optree

from brickwork.backend.common import dtypes, global_state
from brickwork.backend.common.keras_tensor import KerasTensor, register_leaf_types
from brickwork.backend.common.placeholders import placeholder_runs
from brickwork.backend.common.binding import include
from brickwork.backend.common.variables import Variable as _BaseVariable

# ruff: noqa: F821 - the functions include() defines are unknown to linters
include("core_ops", globals())
include("loop_ops", globals())

SUPPORTS_TRAINING = False
SUPPORTS_SPARSE_TENSORS = False
IS_THREAD_SAFE = True


def get_device() -> str:
    return "cpu"


@contextlib.contextmanager
def device_scope(device_name):
    if not str(device_name).lower().startswith("cpu"):
        raise ValueError(f"The numpy backend runs on the CPU only; received device {device_name!r}.")
    yield


class Variable(_ArrayVariable):
    # A variable holding a NumPy array. Its docstring is the engine-neutral ``Variable``'s, which ``inspect.getdoc`` finds.

    def _initialize(self, value) -> None:
        array = convert_to_tensor(value, dtype=self._dtype)
        self._value = np.array(array)

    def _direct_assign(self, value) -> None:
        self._value = np.array(value, dtype=self._value.dtype)


def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
    """A NumPy array from ``x``."""
    if isinstance(x, np.ndarray):
        if dtype is None:
            return x
        target = dtypes.to_numpy_dtype(dtype)
        return x if x.dtype == target else x.astype(target)
    if isinstance(x, _BaseVariable):
        return convert_to_tensor(x.value, dtype)
    if isinstance(x, KerasTensor):
        raise TypeError(_SYMBOLIC)
    if dtype is None:
        dtype = _infer_dtype(x)
    if type(x).__module__.startswith("torch"):
        x = x.detach().cpu().numpy()
    if dtype is not None and dtypes.standardize_dtype(dtype) == "string":
        return np.asarray(x, dtype=object)
    return np.asarray(x, dtype=None if dtype is None else dtypes.to_numpy_dtype(dtype))


def is_tensor(x) -> bool:
    return isinstance(x, np.ndarray)


def is_symbolic_dim(dim) -> bool:
    """NumPy shapes are always concrete."""
    return False


def shape(x) -> tuple:
    return tuple(np.shape(x))


def stop_gradient(x):
    return x


def cond(pred, true_fn, false_fn):
    return true_fn() if bool(pred) else false_fn()


def switch(index, branches, *operands):
    index = min(max(int(index), 0), len(branches) - 1)
    return branches[index](*operands)


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    is_tuple = isinstance(loop_vars, (list, tuple))
    state = tuple(loop_vars) if is_tuple else (loop_vars,)
    state = optree.tree_map(convert_to_tensor, state)
    step = 0
    while (maximum_iterations is None or step < maximum_iterations) and bool(cond(*state)):
        out = body(*state)
        state = tuple(out) if isinstance(out, (list, tuple)) else (out,)
        step += 1
    return state if is_tuple else state[0]


def _stack_steps(*values):
    return np.stack(values)


def unstack(x, num=None, axis=0):
    x = np.asarray(x)
    return [np.take(x, i, axis=axis) for i in range(x.shape[axis])]


def vectorized_map(function, elements):
    if isinstance(elements, (list, tuple)):
        n = len(elements[0])
        results = [function(tuple(e[i] for e in elements)) for i in range(n)]
    else:
        results = [function(e) for e in elements]
    return optree.tree_map(lambda *v: np.stack(v), *results)


def remat(f):
    """The NumPy engine keeps no activations for a backward pass: ``f`` runs as it is."""
    return f


def custom_gradient(fun):
    def wrapper(*args):
        return fun(*args)[0]

    return wrapper


def compute_output_spec(fn, *args, **kwargs):
    """Describe ``fn``'s result by running it on ones for the ``KerasTensor`` inputs.

    Ones, not zeros: a placeholder that divides (``average``'s weights, a norm) must not fail where real data
    would not.
    """
    is_leaf = lambda x: isinstance(x, KerasTensor)  # noqa: E731
    leaves = optree.tree_leaves((args, kwargs), is_leaf=is_leaf, none_is_leaf=True)

    def run(shapes):
        shapes = iter(shapes)

        def convert(x):
            if not isinstance(x, KerasTensor):
                return x
            shape = next(shapes)
            if x.dtype == "string":
                return np.full(shape, "", dtype=object)
            return np.ones(shape, dtype=dtypes.to_numpy_dtype(x.dtype))

        call_args, call_kwargs = optree.tree_map(convert, (args, kwargs), is_leaf=is_leaf, none_is_leaf=True)
        previous = global_state.STATE.symbolic_scope
        global_state.STATE.symbolic_scope = "cpu"
        try:
            with np.errstate(all="ignore"):
                return fn(*call_args, **call_kwargs)
        finally:
            global_state.STATE.symbolic_scope = previous

    outputs = placeholder_runs(run, [x.shape for x in leaves if isinstance(x, KerasTensor)])

    def describe(*values):
        first = values[0]
        if not isinstance(first, (np.ndarray, np.generic)):
            return first
        shape = tuple(d if all(np.shape(v)[i] == d for v in values) else None for i, d in enumerate(np.shape(first)))
        dtype = "string" if first.dtype.kind in "OUS" else first.dtype
        return KerasTensor(shape, dtype=dtype)

    return optree.tree_map(describe, *outputs, none_is_leaf=True)


# ---- structured control flow, scatter and slicing ----


def associative_scan(f, elems, reverse=False, axis=0):
    """Inclusive scan by recursive doubling: log2(n) calls of ``f`` on shifted slices."""
    leaves, treedef = optree.tree_flatten(elems)
    leaves = [np.asarray(leaf) for leaf in leaves]
    if reverse:
        leaves = [np.flip(leaf, axis) for leaf in leaves]
    n = leaves[0].shape[axis]
    shift = 1
    while shift < n:
        earlier = optree.tree_unflatten(treedef, [_take(leaf, 0, n - shift, axis) for leaf in leaves])
        later = optree.tree_unflatten(treedef, [_take(leaf, shift, n, axis) for leaf in leaves])
        combined = optree.tree_leaves(f(earlier, later))
        leaves = [np.concatenate([_take(leaf, 0, shift, axis), np.asarray(c)], axis=axis)
                  for leaf, c in zip(leaves, combined)]
        shift *= 2
    if reverse:
        leaves = [np.flip(leaf, axis) for leaf in leaves]
    return optree.tree_unflatten(treedef, leaves)


def _take(x, start, stop, axis):
    return np.take(x, np.arange(start, stop), axis=axis)


def scatter(indices, values, shape):
    indices = np.asarray(indices)
    values = convert_to_tensor(values)
    shape = tuple(int(d) for d in shape)
    depth = indices.shape[-1]
    indices = indices.reshape(-1, depth)
    output = np.zeros(shape, dtype=values.dtype)
    # Duplicate indices add up, as Keras (and tf.scatter_nd) specify.
    np.add.at(output, tuple(indices.T), values.reshape((-1,) + shape[depth:]))
    return output


_UFUNCS = {"add": np.add, "max": np.maximum, "min": np.minimum, "mul": np.multiply}


def scatter_update(inputs, indices, updates, reduction=None):
    inputs = convert_to_tensor(inputs)
    index = tuple(np.asarray(indices).T)
    updates = convert_to_tensor(updates, dtype=inputs.dtype)
    output = inputs.copy()
    if reduction is None:
        output[index] = updates
    elif reduction in _UFUNCS:
        _UFUNCS[reduction].at(output, index, updates)
    else:
        raise ValueError(f"reduction must be None, 'add', 'max', 'min' or 'mul', received {reduction!r}")
    return output


def _window(x, start_indices, sizes):
    """Slices for the window, starts clamped so it fits (as jax.lax.dynamic_slice does)."""
    starts = [min(max(int(s), 0), dim - size) for s, dim, size in zip(np.asarray(start_indices), x.shape, sizes)]
    return tuple(builtins.slice(s, s + n) for s, n in zip(starts, sizes))


def slice(inputs, start_indices, shape):
    inputs = convert_to_tensor(inputs)
    return inputs[_window(inputs, start_indices, [int(d) for d in shape])].copy()


def slice_update(inputs, start_indices, updates):
    inputs = convert_to_tensor(inputs)
    updates = convert_to_tensor(updates, dtype=inputs.dtype)
    output = inputs.copy()
    output[_window(inputs, start_indices, updates.shape)] = updates
    return output


def saturate_cast(x, dtype, lower, upper):
    """Clip ``x`` to ``[lower, upper]`` (bounds representable in both dtypes), then cast."""
    return np.clip(convert_to_tensor(x), lower, upper).astype(dtypes.to_numpy_dtype(dtype))


register_leaf_types(np.ndarray, np.float32, np.float64, np.int32, np.int64, np.bool_)
