"""TensorFlow core: Variable storage, tensor conversion, control flow, abstract evaluation.

The fourth engine, optional (``pip install brickwork[tensorflow]``), chosen with
``BRICKWORK_BACKEND=tensorflow`` (or ``KERAS_BACKEND=tensorflow``); no other engine imports
TensorFlow. The NumPy-like ops are the shared ``common/*_ops.py`` modules run on
``tf.experimental.numpy``, so importing this engine turns on TensorFlow's NumPy methods for
``tf.Tensor`` (``x.reshape``, ``x.astype``, ``x.T``, NumPy indexing) with TensorFlow's own
("legacy") dtype conversions kept for its operators.

A ``Variable`` holds a ``tf.Variable``: ``tf.GradientTape`` watches it, a ``tf.function`` captures it
and a SavedModel tracks it, as on Keras's TensorFlow backend.
"""

from __future__ import annotations

import builtins
import contextlib

import numpy as np
import optree
import tensorflow as tf
import tensorflow.experimental.numpy as tnp

from brickwork.backend.common import dtypes, global_state
from brickwork.backend.common.binding import include
from brickwork.backend.common.keras_tensor import KerasTensor, register_leaf_types
from brickwork.backend.common.placeholders import placeholder_runs
from brickwork.backend.common.variables import Variable as _BaseVariable
from brickwork.backend.tensorflow.sparse import from_scipy, is_scipy_sparse, placeholder

tnp.experimental_enable_numpy_behavior(dtype_conversion_mode="legacy")

# ruff: noqa: F821 - the functions include() defines are unknown to linters
include("core_ops", globals())
include("loop_ops", globals())

SUPPORTS_TRAINING = True
SUPPORTS_SPARSE_TENSORS = True  # tf.SparseTensor, as in Keras
IS_THREAD_SAFE = True
SLICES_ON_HOST = True  # a NumPy slice is a view; tf.function takes it as its argument
# TensorFlow's errors for bad arguments, which are no ValueError: ``ops`` re-raises them naming the op.
ENGINE_ERRORS = (tf.errors.InvalidArgumentError, tf.errors.UnimplementedError)

TF_DTYPES = {
    "bool": tf.bool,
    "uint8": tf.uint8,
    "uint16": tf.uint16,
    "uint32": tf.uint32,
    "uint64": tf.uint64,
    "int8": tf.int8,
    "int16": tf.int16,
    "int32": tf.int32,
    "int64": tf.int64,
    "bfloat16": tf.bfloat16,
    "float16": tf.float16,
    "float32": tf.float32,
    "float64": tf.float64,
    "complex64": tf.complex64,
    "complex128": tf.complex128,
    "string": tf.string,
}
_TENSOR_TYPES = (tf.Tensor, tf.Variable, tf.SparseTensor, tf.RaggedTensor, tf.IndexedSlices)


def to_tf_dtype(dtype) -> tf.DType:
    """The ``tf.DType`` for a Keras dtype name (or anything ``standardize_dtype`` reads)."""
    return TF_DTYPES[dtypes.standardize_dtype(dtype)]


def get_device() -> str:
    stack = global_state.STATE.device_stack
    return stack[-1] if stack else "CPU:0" if not tf.config.list_logical_devices("GPU") else "GPU:0"


@contextlib.contextmanager
def device_scope(device_name):
    """Place tensors created inside on ``device_name`` (``"cpu:0"``, ``"gpu:1"``), through ``tf.device``."""
    if not isinstance(device_name, str):
        raise ValueError("device_scope: Invalid value for argument `device_name`: expected a string like 'gpu:0'. "
                         f"Received: device_name={device_name!r}")
    kind, _, index = device_name.lower().partition(":")
    name = f"{kind.replace('cuda', 'gpu').upper()}:{index or 0}"
    stack = global_state.STATE.device_stack
    stack.append(name)
    try:
        with tf.device(name):
            yield
    finally:
        stack.pop()


class Variable(_ArrayVariable):
    # A variable holding a ``tf.Variable``; ``assign`` writes into it. Its docstring is the engine-neutral ``Variable``'s, which ``inspect.getdoc`` finds.

    # ``tf.GradientTape`` (``tape.gradient(loss, model.trainable_variables)``, ``tape.watch``) takes a brickwork
    # variable as the resource variable it holds, as Keras's TensorFlow guides write.
    _should_act_as_resource_variable = True

    @property
    def handle(self):
        return self._value.handle

    def _creation_context(self):
        # Variables are made once, outside any tf.function being traced (the trainer builds before tracing).
        return tf.init_scope()

    def _initialize(self, value) -> None:
        tensor = convert_to_tensor(value, dtype=self._dtype)
        self._value = tf.Variable(tensor, trainable=self._trainable, name=self.name.replace("/", "_") or None,
                                  dtype=tensor.dtype)

    def _direct_assign(self, value) -> None:
        self._value.assign(convert_to_tensor(value, dtype=self._dtype))

    def _convert(self, value):
        return convert_to_tensor(value, dtype=self._dtype, sparse=False)

    def _convert_to_tensor(self, value, dtype=None):
        return convert_to_tensor(value, dtype=dtype, sparse=False)

    # TensorFlow reads a Variable wherever it takes a tensor (see the conversion function registered below).
    def __tf_tensor__(self, dtype=None, name=None):
        return tf.convert_to_tensor(self.value, dtype=dtype, name=name)


def _variable_to_tensor(variable, dtype=None, name=None, as_ref=False):
    return tf.convert_to_tensor(variable.value, dtype=dtype, name=name)


tf.register_tensor_conversion_function(Variable, _variable_to_tensor)


def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
    """A ``tf.Tensor`` from ``x`` (array, scalar, list, Variable, tensor of another engine).

    A ``tf.SparseTensor`` stays sparse unless ``sparse=False`` asks for its dense values, and so does a
    SciPy sparse matrix, which becomes a ``tf.SparseTensor``; a ``tf.RaggedTensor`` stays ragged unless
    ``ragged=False``, as in Keras.
    """
    if isinstance(x, tf.Tensor):
        if dtype is None:
            return x
        target = to_tf_dtype(dtype)
        return x if x.dtype == target else tf.cast(x, target)
    if isinstance(x, _BaseVariable):
        return convert_to_tensor(x.value, dtype)
    if isinstance(x, tf.Variable):
        return convert_to_tensor(x.value(), dtype)
    if isinstance(x, tf.SparseTensor):
        if sparse is not None and not sparse:
            return convert_to_tensor(tf.sparse.to_dense(x), dtype)
        return x if dtype is None or x.dtype == to_tf_dtype(dtype) else tf.cast(x, to_tf_dtype(dtype))
    if isinstance(x, tf.RaggedTensor):
        if ragged is not None and not ragged:
            return convert_to_tensor(x.to_tensor(), dtype)
        return x if dtype is None or x.dtype == to_tf_dtype(dtype) else tf.cast(x, to_tf_dtype(dtype))
    if isinstance(x, tf.IndexedSlices):
        return convert_to_tensor(tf.convert_to_tensor(x), dtype)
    if isinstance(x, KerasTensor):
        raise TypeError(_SYMBOLIC)
    if is_scipy_sparse(x):
        if sparse is not None and not sparse:
            return convert_to_tensor(x.toarray(), dtype)
        return convert_to_tensor(from_scipy(x), dtype)
    if dtype is None:
        dtype = _infer_dtype(x)
        if dtype is None and isinstance(x, np.ndarray) and x.dtype.kind in "USO":
            dtype = "string"
    if type(x).__module__.startswith("torch"):
        x = x.detach().cpu().numpy()
    if type(x).__module__.startswith("jax"):
        x = np.asarray(x)
    if dtype is None:
        return tf.convert_to_tensor(x)
    target = to_tf_dtype(dtype)
    if isinstance(x, (np.ndarray, np.generic)) and target != tf.string:
        return tf.convert_to_tensor(np.asarray(x).astype(dtypes.to_numpy_dtype(dtype), copy=False))
    if isinstance(x, (list, tuple)) and target != tf.string and not _holds_tensors(x):
        return tf.convert_to_tensor(np.asarray(x, dtype=dtypes.to_numpy_dtype(dtype)))
    try:
        return tf.convert_to_tensor(x, dtype=target)
    except (TypeError, ValueError):
        return tf.cast(tf.convert_to_tensor(x), target)


def _holds_tensors(x) -> bool:
    """Whether a list or tuple holds a tensor (a shape with a dimension only known in a traced step)."""
    return any(isinstance(leaf, (tf.Tensor, tf.Variable)) for leaf in optree.tree_leaves(x))


def convert_to_numpy(x) -> np.ndarray:
    """A writable NumPy copy of ``x``; a sparse tensor gives its dense values, a ragged one a padded array."""
    if isinstance(x, _BaseVariable):
        x = x.value
    if isinstance(x, tf.SparseTensor):
        x = tf.sparse.to_dense(x)
    elif isinstance(x, tf.RaggedTensor):
        x = x.to_tensor()
    if isinstance(x, (tf.Tensor, tf.Variable)):
        value = x.numpy()
        if isinstance(value, bytes) or (isinstance(value, np.ndarray) and value.dtype.kind == "S"):
            return np.array(value, dtype=object)
        return np.array(value)
    if isinstance(x, (list, tuple)):
        return np.array([convert_to_numpy(v) for v in x])
    return np.array(x)


def is_tensor(x) -> bool:
    return isinstance(x, _TENSOR_TYPES)


def is_symbolic_dim(dim) -> bool:
    return isinstance(dim, tf.Tensor)


def shape(x) -> tuple:
    """The static shape, with a scalar ``tf.Tensor`` for each dimension only known when the graph runs."""
    x = x if isinstance(x, (tf.Tensor, tf.SparseTensor, tf.RaggedTensor)) else convert_to_tensor(x)
    static = x.shape.as_list() if x.shape.rank is not None else None
    if static is None or None not in static or isinstance(x, tf.RaggedTensor):
        return tuple(static) if static is not None else tuple(tf.unstack(tf.shape(x)))
    dynamic = tf.shape(x)
    return tuple(d if d is not None else dynamic[i] for i, d in enumerate(static))


def stop_gradient(x):
    return tf.stop_gradient(convert_to_tensor(x))


def cond(pred, true_fn, false_fn):
    if isinstance(pred, (bool, np.bool_)) or (isinstance(pred, tf.Tensor) and tf.executing_eagerly()):
        return true_fn() if bool(pred) else false_fn()
    return tf.cond(pred, true_fn, false_fn)


def switch(index, branches, *operands):
    if tf.executing_eagerly():
        index = builtins.min(builtins.max(int(index), 0), len(branches) - 1)
        return branches[index](*operands)
    index = tf.clip_by_value(tf.cast(index, tf.int32), 0, len(branches) - 1)
    return tf.switch_case(index, [lambda b=b: b(*operands) for b in branches])


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    is_tuple = isinstance(loop_vars, (list, tuple))
    state = tuple(loop_vars) if is_tuple else (loop_vars,)

    def _body(*values):
        out = body(*values)
        return tuple(out) if isinstance(out, (list, tuple)) else (out,)

    state = tf.while_loop(cond, _body, state, maximum_iterations=maximum_iterations)
    return tuple(state) if is_tuple else state[0]


def _stack_steps(*values):
    return tf.stack([convert_to_tensor(v) for v in values])


def unstack(x, num=None, axis=0):
    return tf.unstack(convert_to_tensor(x), num=num, axis=axis)


def vectorized_map(function, elements):
    return tf.vectorized_map(function, elements)


def remat(f):
    """``f`` under ``tf.recompute_grad``: its activations are recomputed in the backward pass."""
    return tf.recompute_grad(f)


def custom_gradient(fun):
    """Decorate ``fun(*args) -> (output, grad_fn)``; TensorFlow calls ``grad_fn(upstream)`` as Keras."""
    with_gradient = tf.custom_gradient(fun)

    def call(*args, **kwargs):
        args, kwargs = optree.tree_map(lambda x: x.value if isinstance(x, _BaseVariable) else x, (args, kwargs),
                                       none_is_leaf=True)
        return with_gradient(*args, **kwargs)

    return call


def compute_output_spec(fn, *args, **kwargs):
    """Describe ``fn``'s result by running it eagerly on ones for the ``KerasTensor`` inputs."""
    is_leaf = lambda x: isinstance(x, KerasTensor)  # noqa: E731
    leaves = optree.tree_leaves((args, kwargs), is_leaf=is_leaf, none_is_leaf=True)

    def run(shapes):
        shapes = iter(shapes)

        def convert(x):
            if not isinstance(x, KerasTensor):
                return x
            shape = next(shapes)
            if x.dtype == "string":
                return tf.fill(shape, "")
            if x.sparse:
                return placeholder(tf.ones(shape, dtype=to_tf_dtype(x.dtype)))
            if x.ragged:
                return tf.RaggedTensor.from_tensor(tf.ones(shape, dtype=to_tf_dtype(x.dtype)))
            return tf.ones(shape, dtype=to_tf_dtype(x.dtype))

        call_args, call_kwargs = optree.tree_map(convert, (args, kwargs), is_leaf=is_leaf, none_is_leaf=True)
        previous = global_state.STATE.symbolic_scope
        global_state.STATE.symbolic_scope = "cpu"
        try:
            with tf.init_scope():
                return fn(*call_args, **call_kwargs)
        finally:
            global_state.STATE.symbolic_scope = previous

    outputs = placeholder_runs(run, [x.shape for x in leaves if isinstance(x, KerasTensor)])

    def describe(*values):
        first = values[0]
        if not isinstance(first, (tf.Tensor, tf.SparseTensor, tf.RaggedTensor, np.ndarray)):
            return first
        shapes = [tuple(v.shape.as_list()) if hasattr(v.shape, "as_list") else tuple(v.shape) for v in values]
        shape = tuple(d if all(s[i] == d for s in shapes) else None for i, d in enumerate(shapes[0]))
        return KerasTensor(shape, dtype=dtypes.standardize_dtype(first.dtype),
                           sparse=isinstance(first, tf.SparseTensor), ragged=isinstance(first, tf.RaggedTensor))

    return optree.tree_map(describe, *outputs, none_is_leaf=True)


# ---- structured control flow, scatter and slicing ----


def associative_scan(f, elems, reverse=False, axis=0):
    """Inclusive scan by recursive doubling: log2(n) calls of ``f`` on shifted slices."""
    leaves, treedef = optree.tree_flatten(elems)
    leaves = [convert_to_tensor(leaf) for leaf in leaves]
    if reverse:
        leaves = [tf.reverse(leaf, [axis]) for leaf in leaves]
    n = int(leaves[0].shape[axis])
    shift = 1

    def take(x, start, stop):
        return tf.gather(x, tf.range(start, stop), axis=axis)

    while shift < n:
        earlier = optree.tree_unflatten(treedef, [take(leaf, 0, n - shift) for leaf in leaves])
        later = optree.tree_unflatten(treedef, [take(leaf, shift, n) for leaf in leaves])
        combined = optree.tree_leaves(f(earlier, later))
        leaves = [tf.concat([take(leaf, 0, shift), convert_to_tensor(c)], axis=axis)
                  for leaf, c in zip(leaves, combined)]
        shift *= 2
    if reverse:
        leaves = [tf.reverse(leaf, [axis]) for leaf in leaves]
    return optree.tree_unflatten(treedef, leaves)


def scatter(indices, values, shape):
    values = convert_to_tensor(values)
    indices = convert_to_tensor(indices)
    # Duplicate indices add up, as Keras (and tf.scatter_nd) specify.
    return tf.scatter_nd(tf.cast(indices, tf.int64), values, tf.constant([int(d) for d in shape], tf.int64))


_SCATTER = {None: tf.tensor_scatter_nd_update, "add": tf.tensor_scatter_nd_add, "max": tf.tensor_scatter_nd_max,
            "min": tf.tensor_scatter_nd_min}


def scatter_update(inputs, indices, updates, reduction=None):
    inputs = convert_to_tensor(inputs)
    indices = tf.cast(convert_to_tensor(indices), tf.int64)
    updates = convert_to_tensor(updates, dtype=inputs.dtype)
    if reduction == "mul":
        factors = tf.tensor_scatter_nd_update(tf.ones_like(inputs), indices, tf.ones_like(updates))
        factors = tf.tensor_scatter_nd_mul(factors, indices, updates) if hasattr(tf, "tensor_scatter_nd_mul") \
            else _scatter_mul(factors, indices, updates)
        return inputs * factors
    if reduction not in _SCATTER:
        raise ValueError(f"reduction must be None, 'add', 'max', 'min' or 'mul', received {reduction!r}")
    return _SCATTER[reduction](inputs, indices, updates)


def _scatter_mul(factors, indices, updates):
    # Products through logs would lose signs; apply each update in turn (duplicates multiply).
    for i in range(int(indices.shape[0])):
        index = indices[i:i + 1]
        factors = tf.tensor_scatter_nd_update(factors, index, tf.gather_nd(factors, index) * updates[i:i + 1])
    return factors


def _clamped_starts(start_indices, inputs, window):
    """The starts as an int32 vector, clamped so that ``window`` (an int32 vector) fits in ``inputs``, as
    ``jax.lax.dynamic_slice`` clamps them."""
    if isinstance(start_indices, (list, tuple)):
        starts = tf.reshape(tf.stack([tf.cast(convert_to_tensor(i), tf.int32) for i in start_indices]
                                     or [tf.constant(0)])[:len(start_indices)], [len(start_indices)])
    else:
        starts = tf.cast(convert_to_tensor(start_indices), tf.int32)
    return tf.clip_by_value(starts, 0, tf.shape(inputs, out_type=tf.int32) - window)


def slice(inputs, start_indices, shape):
    """The window of ``shape`` at ``start_indices`` (clamped to fit); ``tf.slice``, which has a gradient."""
    inputs = convert_to_tensor(inputs)
    window = [int(d) for d in shape]
    return tf.slice(inputs, _clamped_starts(start_indices, inputs, tf.constant(window, tf.int32)), window)


def slice_update(inputs, start_indices, updates):
    """``inputs`` with ``updates`` written at ``start_indices`` (clamped to fit), differentiable in both.

    The update is padded to ``inputs``'s shape and selected where it lands: TensorFlow registers no gradient
    for XLA's dynamic update slice.
    """
    inputs = convert_to_tensor(inputs)
    updates = convert_to_tensor(updates, dtype=inputs.dtype)
    window = tf.shape(updates, out_type=tf.int32)
    starts = _clamped_starts(start_indices, inputs, window)
    after = tf.shape(inputs, out_type=tf.int32) - starts - window
    paddings = tf.stack([starts, after], axis=1)
    placed = tf.pad(updates, paddings)
    inside = tf.pad(tf.ones(window, tf.bool), paddings)
    return tf.where(inside, placed, inputs)


def saturate_cast(x, dtype, lower, upper):
    """Clip ``x`` to ``[lower, upper]`` (bounds representable in both dtypes), then cast."""
    x = convert_to_tensor(x)
    return tf.cast(tf.clip_by_value(x, tf.cast(lower, x.dtype), tf.cast(upper, x.dtype)), to_tf_dtype(dtype))


register_leaf_types(tf.Tensor, tf.SparseTensor, tf.RaggedTensor, np.ndarray)


def in_graph(args) -> bool:
    """Whether ``args`` hold a graph tensor: a ``tf.function`` or a ``tf.data`` map is being traced."""
    return any(isinstance(leaf, tf.Tensor) and not hasattr(leaf, "numpy") for leaf in optree.tree_leaves(args))


def _host_value(value):
    """A value a ``tf.numpy_function`` may return: strings as bytes (TensorFlow's string values)."""
    value = convert_to_numpy(value) if is_tensor(value) else np.asarray(value)
    if value.dtype.kind in "UO":
        flat = [v.encode("utf-8") if isinstance(v, str) else v for v in value.reshape(-1)]
        return np.array(flat, dtype=object).reshape(value.shape)
    return value


def run_on_host(function, args, output_spec):
    """``function(*args)`` run by Python on the host inside a traced graph (``tf.numpy_function``).

    For layers whose work is NumPy (``StringLookup``, ``Hashing``, ``HashedCrossing``): in a ``tf.function``
    step or a ``tf.data`` map their inputs are graph tensors, which have no values until the graph runs. The
    graph tensors among ``args`` arrive in ``function`` as NumPy arrays (strings as bytes); ``output_spec``
    (a ``KerasTensor`` or a structure of them) gives the results' dtypes and static shapes.

    Example:
        tf.data.Dataset.from_tensor_slices(["a", "b"]).map(string_lookup)  # the lookup runs here
    """
    leaves, tree = optree.tree_flatten(args, none_is_leaf=True)
    places = [i for i, leaf in enumerate(leaves) if isinstance(leaf, tf.Tensor)]
    specs, spec_tree = optree.tree_flatten(output_spec)

    def host(*values):
        filled = list(leaves)
        for i, value in zip(places, values):
            filled[i] = np.array(value, dtype=object) if value.dtype.kind == "S" else value
        outputs = optree.tree_leaves(function(*optree.tree_unflatten(tree, filled)))
        return [_host_value(output) for output in outputs]

    outputs = tf.numpy_function(host, [leaves[i] for i in places], [to_tf_dtype(s.dtype) for s in specs],
                                stateful=False)
    for output, spec in zip(outputs, specs):
        output.set_shape(spec.shape)
    return optree.tree_unflatten(spec_tree, list(outputs))
