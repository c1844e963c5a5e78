"""JAX core: Variable storage, tensor conversion, control flow, abstract evaluation.

JAX's 64-bit mode is left as the user has it (off by default; ``JAX_ENABLE_X64=1`` turns it on), as
Keras does: importing brickwork changes no global JAX setting, and without it int64 and float64
values become int32 and float32, exactly as they do under Keras on jax.

Shared with the other NumPy-like engines: ``common/core_ops.py``, included here (see
``common/binding.py``).
"""

from __future__ import annotations

import contextlib

import jax
import jax.numpy as jnp
import numpy as np
import optree

from brickwork.backend.common import dtypes, global_state
from brickwork.backend.common.keras_tensor import KerasTensor, register_leaf_types
from brickwork.backend.common.placeholders import placeholder_runs
from brickwork.backend.common.binding import include
from brickwork.backend.common.variables import Variable as _BaseVariable
from brickwork.backend.jax.sparse import SPARSE_TYPES, from_scipy, is_bcoo, is_scipy_sparse, placeholder

# ruff: noqa: F821 - the functions include() defines are unknown to linters
include("core_ops", globals())
_convert_to_numpy = convert_to_numpy  # the shared one; the jax one below densifies sparse tensors first

SUPPORTS_TRAINING = True
SUPPORTS_SPARSE_TENSORS = True  # jax.experimental.sparse.BCOO, as in Keras
# In-memory NumPy data stays on the host and is sliced there: a NumPy slice is a view (~0.1 us) that a jitted
# step takes directly, where slicing a device array is one dispatch per batch and array (~25 us on the CPU).
SLICES_ON_HOST = True
IS_THREAD_SAFE = True



def get_device():
    stack = global_state.STATE.device_stack  # per thread
    return stack[-1] if stack else jax.devices()[0]


@contextlib.contextmanager
def device_scope(device_name):
    """Place arrays created inside on ``device_name`` (``"cpu:0"``, ``"gpu:1"``) or a jax Device."""
    if isinstance(device_name, str):
        kind, _, index = device_name.lower().partition(":")
        device = jax.devices(kind.replace("cuda", "gpu"))[int(index or 0)]
    elif isinstance(device_name, jax.Device):
        device = device_name
    else:
        raise ValueError("device_scope: Invalid value for argument `device_name`: expected a string like 'gpu:0' or "
                         f"a `jax.Device`. Received: device_name='{device_name}'")
    stack = global_state.STATE.device_stack
    stack.append(device)
    try:
        with jax.default_device(device):
            yield
    finally:
        stack.pop()


def to_jax_dtype(dtype):
    name = dtypes.standardize_dtype(dtype)
    if name == "string":
        raise ValueError("dtype 'string' is not supported by the jax backend.")
    return jnp.dtype(name) if name != "bfloat16" else jnp.bfloat16


class Variable(_ArrayVariable):
    # A variable holding an immutable ``jax.Array``; ``assign`` swaps in a new array. Its docstring is the engine-neutral ``Variable``'s, which ``inspect.getdoc`` finds.

    def _creation_context(self):
        # Initial values depend on shapes only: compute them eagerly even inside a trace. Outside one there is
        # nothing to force, and forcing would run each primitive of a jitted op (qr, diag) as its own compiled
        # program: an Orthogonal initializer would compile ~30 of them.
        return contextlib.nullcontext() if _trace_state_clean() else jax.ensure_compile_time_eval()

    def _initialize(self, value) -> None:
        array = convert_to_tensor(value, dtype=self._dtype)
        self._value = array

    def _direct_assign(self, value) -> None:
        self._value = value

    # A variable holds dense values, as in Keras: a sparse value assigned (or added) is densified.
    def _convert(self, value):
        return convert_to_tensor(value, dtype=self._dtype, sparse=False)

    def _convert_to_tensor(self, value, dtype=None):
        return convert_to_tensor(value, dtype=dtype, sparse=False)

    def __jax_array__(self):
        return self.value


def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
    """A ``jax.Array`` from ``x`` (array, scalar, list, Variable).

    A sparse ``BCOO`` stays sparse (cast to ``dtype`` if given) unless ``sparse=False`` asks for
    its dense values, as in Keras; so does a SciPy sparse matrix, which becomes a BCOO. ``ragged=True``
    is refused (jax has no ragged tensors).
    """
    if ragged:
        raise ValueError("convert_to_tensor: `ragged=True` is not supported by the jax backend.")
    if isinstance(x, jax.Array):
        if dtype is None:
            return x
        target = to_jax_dtype(dtype)
        return x if x.dtype == target else x.astype(target)
    if type(x) in SPARSE_TYPES:
        if sparse is not None and not sparse:
            return convert_to_tensor(x.todense(), dtype)
        if dtype is None:
            return x
        target = to_jax_dtype(dtype)
        return x if x.dtype == target else x.astype(target)
    if isinstance(x, _BaseVariable):
        return convert_to_tensor(x.value, dtype)
    if isinstance(x, KerasTensor):
        raise TypeError(_SYMBOLIC)
    if isinstance(x, np.ndarray) and x.dtype.kind in "USO":
        raise TypeError("convert_to_tensor: the jax backend cannot hold strings.")
    if is_scipy_sparse(x):
        if sparse is not None and not sparse:
            return convert_to_tensor(x.toarray(), dtype)
        return from_scipy(x, dtype=None if dtype is None else to_jax_dtype(dtype))
    if dtype is None:
        dtype = _infer_dtype(x)
    if type(x).__module__.startswith("torch"):
        x = x.detach().cpu().numpy()
    if isinstance(x, _HOST_TYPES) or (isinstance(x, (list, tuple)) and _infer_dtype(x) is not None):
        return jax.device_put(_host_array(x, dtype))
    return jnp.asarray(x, dtype=None if dtype is None else to_jax_dtype(dtype))


_HOST_TYPES = (np.ndarray, np.generic, bool, int, float, complex)


def _host_array(x, dtype) -> np.ndarray:
    """``x`` as a NumPy array of the dtype jax will hold, converted on the host.

    A cast on the device compiles one XLA program per shape and dtype (~50 ms on a CPU): the first step
    of a model would compile one per variable and batch array. NumPy casts for free, and ``jnp.asarray``
    ``jax.device_put`` of an array in jax's canonical dtype is a plain copy to the device.
    """
    array = np.asarray(x, dtype=None if dtype is None else dtypes.to_numpy_dtype(dtype))
    canonical = jax.dtypes.canonicalize_dtype(array.dtype)
    return array if array.dtype == canonical else array.astype(canonical)


def is_tensor(x) -> bool:
    return isinstance(x, jax.Array) or type(x) in SPARSE_TYPES


def convert_to_numpy(x) -> np.ndarray:
    """A writable NumPy copy of ``x``; a sparse tensor gives its dense values, as in Keras."""
    if type(x) in SPARSE_TYPES:
        x = x.todense()
    return _convert_to_numpy(x)


def is_symbolic_dim(dim) -> bool:
    """Whether ``dim`` is a symbolic size of a ``jax.export`` shape (unknown until the program runs)."""
    return jax.export.is_symbolic_dim(dim)


def shape(x) -> tuple:
    return tuple(x.shape)


def stop_gradient(x):
    return jax.lax.stop_gradient(convert_to_tensor(x))


def cond(pred, true_fn, false_fn):
    return jax.lax.cond(pred, true_fn, false_fn)


def switch(index, branches, *operands):
    return jax.lax.switch(index, branches, *operands)


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    is_tuple = isinstance(loop_vars, (list, tuple))
    state = tuple(loop_vars) if is_tuple else (loop_vars,)
    if maximum_iterations is not None:
        def _cond(carry):
            return jnp.logical_and(cond(*carry[1]), carry[0] < maximum_iterations)

        def _body(carry):
            out = body(*carry[1])
            return carry[0] + 1, tuple(out) if isinstance(out, (list, tuple)) else (out,)

        _, state = jax.lax.while_loop(_cond, _body, (0, state))
    else:
        def _body(carry):
            out = body(*carry)
            return tuple(out) if isinstance(out, (list, tuple)) else (out,)

        state = jax.lax.while_loop(lambda carry: cond(*carry), _body, state)
    return state if is_tuple else state[0]


def fori_loop(lower, upper, body_fun, init_val):
    return jax.lax.fori_loop(lower, upper, body_fun, init_val)


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    return jax.lax.scan(f, init, xs=xs, length=length, reverse=reverse, unroll=unroll)


def unstack(x, num=None, axis=0):
    x = convert_to_tensor(x)
    return [jax.lax.index_in_dim(x, i, axis, keepdims=False) for i in range(x.shape[axis])]


def vectorized_map(function, elements):
    return jax.vmap(function)(elements)


def remat(f):
    """``f`` under ``jax.checkpoint``: its activations are recomputed in the backward pass."""
    return jax.checkpoint(f)


def custom_gradient(fun):
    """Decorate ``fun(*args) -> (output, grad_fn)``; jax calls ``grad_fn(upstream)`` as Keras.

    Variables among the arguments are passed as their values: jax traces arrays, not objects holding them.
    """
    with_gradient = jax.custom_gradient(fun)

    def call(*args, **kwargs):
        args, kwargs = optree.tree_map(lambda x: x.value if isinstance(x, _BaseVariable) else x, (args, kwargs),
                                       none_is_leaf=True)
        return with_gradient(*args, **kwargs)

    return call


def compute_output_spec(fn, *args, **kwargs):
    """Describe ``fn``'s result on ``KerasTensor`` inputs through ``jax.eval_shape``.

    A sparse ``KerasTensor`` is a ``BCOO`` placeholder there, and a ``BCOO`` result a sparse ``KerasTensor``.
    """
    is_leaf = lambda x: isinstance(x, KerasTensor)  # noqa: E731
    leaves, treedef = optree.tree_flatten((args, kwargs), is_leaf=is_leaf, none_is_leaf=True)
    symbolic = [i for i, leaf in enumerate(leaves) if isinstance(leaf, KerasTensor)]

    def run(*values):
        filled = list(leaves)
        for i, value in zip(symbolic, values):
            filled[i] = placeholder(value) if leaves[i].sparse else value
        call_args, call_kwargs = optree.tree_unflatten(treedef, filled)
        previous = global_state.STATE.symbolic_scope
        global_state.STATE.symbolic_scope = "abstract"
        try:
            return fn(*call_args, **call_kwargs)
        finally:
            global_state.STATE.symbolic_scope = previous

    def evaluate(shapes):
        specs = [jax.ShapeDtypeStruct(shape, to_jax_dtype(leaves[i].dtype)) for i, shape in zip(symbolic, shapes)]
        return jax.eval_shape(run, *specs)

    outputs = placeholder_runs(evaluate, [leaves[i].shape for i in symbolic])

    def describe(*values):
        first = values[0]
        if not hasattr(first, "shape") or not hasattr(first, "dtype"):
            return first
        shape = tuple(d if all(v.shape[i] == d for v in values) else None for i, d in enumerate(first.shape))
        return KerasTensor(shape, dtype=standardize_dtype(first.dtype), sparse=is_bcoo(first))

    return optree.tree_map(describe, *outputs, none_is_leaf=True)


# ---- structured control flow, scatter and slicing ----


def map(f, xs):
    return jax.lax.map(f, xs)


def associative_scan(f, elems, reverse=False, axis=0):
    return jax.lax.associative_scan(f, elems, reverse=reverse, axis=axis)


def scatter(indices, values, shape):
    indices = convert_to_tensor(indices)
    values = convert_to_tensor(values)
    zeros = jnp.zeros(tuple(shape), dtype=values.dtype)
    depth = indices.shape[-1]
    indices = indices.reshape(-1, depth)
    values = values.reshape((-1,) + tuple(shape)[depth:])
    # Duplicate indices add up, as Keras (and tf.scatter_nd) specify.
    return zeros.at[tuple(indices.T)].add(values)


def scatter_update(inputs, indices, updates, reduction=None):
    inputs = convert_to_tensor(inputs)
    index = tuple(convert_to_tensor(indices).T)
    updates = convert_to_tensor(updates, dtype=inputs.dtype)
    at = inputs.at[index]
    if reduction is None:
        return at.set(updates)
    methods = {"add": at.add, "max": at.max, "min": at.min, "mul": at.multiply}
    if reduction not in methods:
        raise ValueError(f"reduction must be None, 'add', 'max', 'min' or 'mul', received {reduction!r}")
    return methods[reduction](updates)


def _start_indices(start_indices):
    # One index dtype: lax refuses a mix such as a Python 0 (int64 under x64) beside a traced int32 position.
    if isinstance(start_indices, (list, tuple)):
        return [jnp.asarray(index).astype("int32") for index in start_indices]
    return jnp.asarray(start_indices).astype("int32")


def slice(inputs, start_indices, shape):
    return jax.lax.dynamic_slice(convert_to_tensor(inputs), _start_indices(start_indices),
                                 tuple(int(d) for d in shape))


def slice_update(inputs, start_indices, updates):
    inputs = convert_to_tensor(inputs)
    updates = convert_to_tensor(updates, dtype=inputs.dtype)
    return jax.lax.dynamic_update_slice(inputs, updates, _start_indices(start_indices))


def saturate_cast(x, dtype, lower, upper):
    """Clip ``x`` to ``[lower, upper]`` (bounds representable in both dtypes), then cast."""
    return jnp.clip(convert_to_tensor(x), lower, upper).astype(to_jax_dtype(dtype))


try:
    from jax._src.core import trace_state_clean as _trace_state_clean
except ImportError:  # pragma: no cover - a jax that moved it: always force, as before

    def _trace_state_clean() -> bool:
        return False


try:  # the concrete array type, named without creating an array: that would start XLA's backend at import
    from jax._src.array import ArrayImpl as _ArrayImpl
except ImportError:  # pragma: no cover - a jax that moved it
    _ArrayImpl = type(jnp.zeros(()))
register_leaf_types(_ArrayImpl, np.ndarray)
