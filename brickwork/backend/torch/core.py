"""PyTorch core: Variable storage, tensor conversion, control flow, abstract evaluation.

``fori_loop``, ``scan`` and ``map`` are the Python loops torch shares with the NumPy engine, the
other eager one: ``common/loop_ops.py``, included here (see ``common/binding.py``).
"""

from __future__ import annotations

import builtins
import contextlib
import os

import numpy as np
import torch

from brickwork.backend import config
from brickwork.backend.common import dtypes, global_state
from brickwork.backend.common.binding import include
from brickwork.backend.common.keras_tensor import KerasTensor, register_leaf_types
from brickwork.backend.common.placeholders import placeholder_runs
from brickwork.backend.common.variables import Variable as _BaseVariable

include("loop_ops", globals())

SUPPORTS_TRAINING = True
SUPPORTS_SPARSE_TENSORS = False  # Keras on torch takes dense tensors only
IS_THREAD_SAFE = True

TORCH_DTYPES = {
    "bool": torch.bool,
    "uint8": torch.uint8,
    "uint16": torch.uint16,
    "uint32": torch.uint32,
    "uint64": torch.uint64,
    "int8": torch.int8,
    "int16": torch.int16,
    "int32": torch.int32,
    "int64": torch.int64,
    "bfloat16": torch.bfloat16,
    "float16": torch.float16,
    "float32": torch.float32,
    "float64": torch.float64,
    "complex64": torch.complex64,
    "complex128": torch.complex128,
}
_NAMES = {v: k for k, v in TORCH_DTYPES.items()}


def _default_device() -> str:
    """``$BRICKWORK_TORCH_DEVICE`` (else Keras's ``$KERAS_TORCH_DEVICE``), else CUDA, then Apple MPS, then CPU."""
    chosen = os.environ.get("BRICKWORK_TORCH_DEVICE") or os.environ.get("KERAS_TORCH_DEVICE")
    if chosen:
        try:
            return str(torch.device(chosen.lower().replace("gpu", "cuda")))
        except RuntimeError as error:
            raise ValueError(f"BRICKWORK_TORCH_DEVICE / KERAS_TORCH_DEVICE names no torch device (e.g. 'cpu', "
                             f"'cuda:1', 'mps'): received {chosen!r}. {error}") from None
    if torch.cuda.is_available():
        return "cuda"
    if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
        return "mps"
    return "cpu"


_DEFAULT_DEVICE = _default_device()


def get_device() -> str:
    """The device new tensors are placed on (``"cuda"`` when available, else ``"cpu"``)."""
    stack = global_state.STATE.device_stack  # per thread
    return stack[-1] if stack else _DEFAULT_DEVICE


@contextlib.contextmanager
def device_scope(device_name: str):
    """Place tensors created inside on ``device_name`` (``"cpu"``, ``"cuda:0"``, ``"gpu:0"``)."""
    name = str(device_name).lower().replace("gpu", "cuda")
    stack = global_state.STATE.device_stack
    stack.append(name)
    try:
        yield
    finally:
        stack.pop()


@contextlib.contextmanager
def _concrete_scope():
    """Leave abstract (meta-device) evaluation for the duration: real tensors on the real device."""
    state = global_state.STATE
    stack = state.device_stack
    saved_stack, saved_scope = list(stack), state.symbolic_scope
    while stack and stack[-1] == "meta":
        stack.pop()
    state.symbolic_scope = None
    try:
        yield
    finally:
        stack[:] = saved_stack
        state.symbolic_scope = saved_scope


def to_torch_dtype(dtype) -> torch.dtype:
    if isinstance(dtype, torch.dtype):
        return dtype
    if isinstance(dtype, str) and dtype in TORCH_DTYPES:  # fast path: a canonical name
        return TORCH_DTYPES[dtype]
    name = dtypes.standardize_dtype(dtype)
    try:
        return TORCH_DTYPES[name]
    except KeyError:
        raise ValueError(f"dtype {name!r} is not supported by the torch backend.") from None


def standardize_dtype(dtype) -> str:
    if isinstance(dtype, torch.dtype):
        return _NAMES[dtype]
    return dtypes.standardize_dtype(dtype)


class Variable(_BaseVariable):
    # A variable stored as a ``torch.nn.Parameter`` (``requires_grad`` follows ``trainable``). Its docstring is the engine-neutral ``Variable``'s, which ``inspect.getdoc`` finds.

    def _creation_context(self):
        return _concrete_scope()

    def _initialize(self, value) -> None:
        tensor = convert_to_tensor(value, dtype=self._dtype)
        grad = self._trainable and (tensor.is_floating_point() or tensor.is_complex())
        # A normal tensor even when made inside predict's or evaluate's inference mode (a layer built lazily on
        # its first batch), so that training can later update it and take its gradients.
        with torch.inference_mode(False):
            self._value = torch.nn.Parameter(tensor.detach().clone(), requires_grad=grad)

    def _convert_to_tensor(self, value, dtype=None):
        return convert_to_tensor(value, dtype=dtype)

    def _direct_assign(self, value) -> None:
        # ``.data`` writes in place without recording autograd history (cheaper than a no_grad scope).
        self._value.data.copy_(value)

    def assign_add(self, value):
        state = global_state.STATE
        if state.stateless_scope is not None or state.symbolic_scope is not None:
            return super().assign_add(value)
        kind = type(value)
        if (kind is int or kind is float) and self._value.is_floating_point():
            return self._value.data.add_(value)  # a Python number (a batch size): no tensor built from it
        value = self._convert(value)
        if tuple(value.shape) not in ((), self._shape):
            raise ValueError(f"Variable {self._path!r}: cannot add a value of shape {tuple(value.shape)} "
                             f"to a variable of shape {self._shape}.")
        return self._value.data.add_(value)  # one in-place kernel, no temporary

    def assign_sub(self, value):
        state = global_state.STATE
        if state.stateless_scope is not None or state.symbolic_scope is not None:
            return super().assign_sub(value)
        value = self._convert(value)
        if tuple(value.shape) not in ((), self._shape):
            raise ValueError(f"Variable {self._path!r}: cannot subtract a value of shape {tuple(value.shape)} "
                             f"from a variable of shape {self._shape}.")
        return self._value.data.sub_(value)

    @property
    def value(self):
        state = global_state.STATE
        if (state.stateless_scope is None and state.symbolic_scope is None and state.autocast_dtype is None
                and self._value is not None):
            return self._value
        return self._special_value()

    def _special_value(self):
        scope = global_state.STATE.stateless_scope
        scoped = None if scope is None else scope.get_current_value(self)
        value = self._stored_value() if scoped is None else scoped
        device = global_state.STATE.symbolic_scope
        if device is not None and value.device.type != device:
            value = torch.zeros(value.shape, dtype=value.dtype, device=device)
        autocast = self._autocast_dtype()
        return value if autocast is None else value.to(TORCH_DTYPES[autocast])

    @_BaseVariable.trainable.setter
    def trainable(self, value: bool) -> None:
        self._trainable = bool(value)
        if isinstance(getattr(self, "_value", None), torch.Tensor) and self._value.is_floating_point():
            self._value.requires_grad_(self._trainable)


def _infer_dtype(x) -> str:
    """Keras's dtype for a Python scalar or a (nested) list of them."""
    if isinstance(x, bool):
        return "bool"
    if isinstance(x, int):
        return "int32"
    if isinstance(x, float):
        return config.floatx()
    if isinstance(x, (list, tuple)):
        flat = np.asarray(x, dtype=object).reshape(-1).tolist() if x else []
        if any(isinstance(v, (torch.Tensor, np.ndarray, np.generic)) for v in flat):
            return None
        if not flat:
            return config.floatx()
        return dtypes.promote_types(*flat)
    return None


def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
    """A ``torch.Tensor`` on the current device from ``x`` (array, scalar, list, Variable)."""
    if isinstance(x, torch.Tensor):
        if dtype is None:
            return x
        target = to_torch_dtype(dtype)
        return x if x.dtype == target else x.to(target)
    if isinstance(x, _BaseVariable):
        return convert_to_tensor(x.value, dtype)
    if isinstance(x, KerasTensor):
        raise TypeError(
            "convert_to_tensor: received a symbolic KerasTensor. Symbolic tensors have no data; "
            "use them with brickwork.ops or layers, or call the model on real data."
        )
    if dtype is None:
        dtype = _infer_dtype(x)
    if isinstance(x, (list, tuple)) and x and any(isinstance(v, torch.Tensor) for v in x):
        return torch.stack([convert_to_tensor(v, dtype) for v in x])
    if isinstance(x, np.ndarray) and x.dtype.kind in "USO":
        raise TypeError("convert_to_tensor: the torch backend cannot hold strings.")
    if hasattr(x, "__jax_array__") or type(x).__module__.startswith("jax"):
        x = np.asarray(x)
    if isinstance(x, np.ndarray) and x.dtype.name == "bfloat16":  # ml_dtypes' bfloat16: torch takes its bits
        tensor = torch.from_numpy(np.ascontiguousarray(x).view(np.uint16)).view(torch.bfloat16).to(get_device())
        return tensor if dtype is None else convert_to_tensor(tensor, dtype)
    if dtype is not None and dtypes.standardize_dtype(dtype) == "bfloat16" and isinstance(x, np.ndarray):
        x = x.astype(np.float32)
    if dtype is not None and not isinstance(x, np.ndarray):
        # Python numbers and lists straight into the target dtype: no float32 detour (0.1 in float64
        # must stay 0.1, not 0.10000000149).
        target = to_torch_dtype(dtype)
        if target not in (torch.uint16, torch.uint32, torch.uint64):
            return torch.as_tensor(x, dtype=target, device=get_device())
    tensor = torch.as_tensor(x, device=get_device())
    if dtype is not None:
        target = to_torch_dtype(dtype)
        if tensor.dtype != target:
            tensor = tensor.to(target)
    return tensor


def convert_to_numpy(x) -> np.ndarray:
    """A NumPy array holding the value of ``x`` (moved to CPU, detached)."""
    if isinstance(x, _BaseVariable):
        x = x.value
    if isinstance(x, torch.Tensor):
        x = x.detach()
        if x.device.type != "cpu":
            x = x.cpu()  # a copy already
        elif x.dtype not in (torch.bfloat16, torch.uint16, torch.uint32, torch.uint64):
            # A copy, as Keras gives: an array that shares the tensor's memory would change under the caller
            # when the variable is next updated (BatchNormalization's statistics, an optimizer step).
            return x.numpy().copy()
        if x.dtype == torch.bfloat16:
            import ml_dtypes

            return x.float().numpy().astype(ml_dtypes.bfloat16)
        if x.dtype in (torch.uint16, torch.uint32, torch.uint64):
            return x.to(torch.int64).numpy().astype(_NAMES[x.dtype])
        return x.numpy()
    if isinstance(x, (list, tuple)):
        return np.array([convert_to_numpy(v) for v in x])
    return np.asarray(x)


def is_tensor(x) -> bool:
    return isinstance(x, torch.Tensor)


def is_symbolic_dim(dim) -> bool:
    """Whether ``dim`` is a ``torch.SymInt`` (a size left dynamic by ``torch.export`` tracing)."""
    return isinstance(dim, torch.SymInt)


def shape(x) -> tuple:
    """The static shape of ``x`` as a tuple."""
    return tuple(x.shape)


def cast(x, dtype):
    if isinstance(x, torch.Tensor):
        target = to_torch_dtype(dtype)
        return x if x.dtype == target else x.to(target)
    return convert_to_tensor(x, dtype)


def stop_gradient(x):
    return x.detach() if isinstance(x, torch.Tensor) else convert_to_tensor(x).detach()


def cond(pred, true_fn, false_fn):
    if isinstance(pred, torch.Tensor):
        if pred.device.type == "meta":  # abstract evaluation: no data to branch on, as Keras
            return true_fn()
        pred = bool(pred.item())
    return true_fn() if pred else false_fn()


def switch(index, branches, *operands):
    index = int(convert_to_tensor(index).item()) if not isinstance(index, int) else index
    index = min(max(index, 0), len(branches) - 1)
    return branches[index](*operands)


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    import optree

    is_tuple = isinstance(loop_vars, (list, tuple))
    state = tuple(loop_vars) if is_tuple else (loop_vars,)
    state = optree.tree_map(convert_to_tensor, state)
    step = 0
    while (maximum_iterations is None or step < maximum_iterations) and bool(_truth(cond(*state))):
        out = body(*state)
        state = tuple(out) if isinstance(out, (list, tuple)) else (out,)
        step += 1
    return state if is_tuple else state[0]


def _truth(value):
    return value.item() if isinstance(value, torch.Tensor) else value


def _stack_steps(*values):
    return torch.stack([convert_to_tensor(t) for t in values])


def unstack(x, num=None, axis=0):
    return list(torch.unbind(convert_to_tensor(x), dim=axis))


def vectorized_map(function, elements):
    import optree

    return torch.vmap(function)(optree.tree_map(convert_to_tensor, elements))


def remat(f):
    """``f`` under ``torch.utils.checkpoint``: its activations are recomputed in the backward pass."""
    import functools

    import torch.utils.checkpoint

    @functools.wraps(f)
    def rematerialized(*args, **kwargs):
        return torch.utils.checkpoint.checkpoint(f, *args, use_reentrant=False, **kwargs)

    return rematerialized


def custom_gradient(fun):
    """Decorate ``fun(*args) -> (output, grad_fn)``; torch calls ``grad_fn(*args, upstream=...)`` as Keras."""

    class _Function(torch.autograd.Function):
        @staticmethod
        def forward(ctx, *args):
            output, ctx.grad_fn = fun(*args)
            ctx.save_for_backward(*args)
            return output

        @staticmethod
        def backward(ctx, upstream):
            grads = ctx.grad_fn(*ctx.saved_tensors, upstream=upstream)
            return tuple(grads) if isinstance(grads, (list, tuple)) else (grads,)

    def wrapper(*args):
        return _Function.apply(*[convert_to_tensor(a) for a in args])

    return wrapper


# ---- abstract evaluation for symbolic tensors ----

def _to_placeholder(spec, shape, device):
    if spec.dtype == "string":
        raise TypeError("String symbolic tensors are not supported by the torch backend.")
    return torch.zeros(shape, dtype=to_torch_dtype(spec.dtype), device=device)


def _run_abstract(fn, args, kwargs, shapes, device):
    import optree

    shapes = iter(shapes)

    def convert(x):
        return _to_placeholder(x, next(shapes), device) if isinstance(x, KerasTensor) else x

    args, kwargs = optree.tree_map(convert, (args, kwargs), none_is_leaf=True,
                                   is_leaf=lambda x: isinstance(x, KerasTensor))
    previous = global_state.STATE.symbolic_scope
    global_state.STATE.symbolic_scope = device
    stack = global_state.STATE.device_stack
    stack.append(device)
    try:
        with torch.no_grad():
            return fn(*args, **kwargs)
    finally:
        stack.pop()
        global_state.STATE.symbolic_scope = previous


def compute_output_spec(fn, *args, **kwargs):
    """Run ``fn`` on placeholders for the ``KerasTensor`` in its inputs and describe the result.

    Tries the meta device first (no memory, no compute) and falls back to small CPU zeros.
    Dimensions that change with the placeholder size of ``None`` dims come back as ``None``.
    """
    import optree

    leaves = optree.tree_leaves((args, kwargs), is_leaf=lambda x: isinstance(x, KerasTensor))

    def run(shapes):
        try:
            return _run_abstract(fn, args, kwargs, shapes, "meta")
        except Exception:
            return _run_abstract(fn, args, kwargs, shapes, "cpu")

    outputs = placeholder_runs(run, [x.shape for x in leaves if isinstance(x, KerasTensor)])

    def describe(*values):
        first = values[0]
        if not isinstance(first, torch.Tensor):
            return first
        shape = tuple(
            d if all(v.shape[i] == d for v in values) else None for i, d in enumerate(first.shape)
        )
        return KerasTensor(shape, dtype=standardize_dtype(first.dtype))

    return optree.tree_map(describe, *outputs, none_is_leaf=True)


# ---- structured control flow, scatter and slicing ----


def associative_scan(f, elems, reverse=False, axis=0):
    """Inclusive scan by recursive doubling: log2(n) calls of ``f`` on shifted slices."""
    import optree

    leaves, treedef = optree.tree_flatten(elems)
    leaves = [convert_to_tensor(leaf) for leaf in leaves]
    if reverse:
        leaves = [torch.flip(leaf, (axis,)) for leaf in leaves]
    n = leaves[0].shape[axis]
    shift = 1
    while shift < n:
        earlier = optree.tree_unflatten(treedef, [leaf.narrow(axis, 0, n - shift) for leaf in leaves])
        later = optree.tree_unflatten(treedef, [leaf.narrow(axis, shift, n - shift) for leaf in leaves])
        combined = optree.tree_leaves(f(earlier, later))
        leaves = [torch.cat([leaf.narrow(axis, 0, shift), c], dim=axis) for leaf, c in zip(leaves, combined)]
        shift *= 2
    if reverse:
        leaves = [torch.flip(leaf, (axis,)) for leaf in leaves]
    return optree.tree_unflatten(treedef, leaves)


def _index_columns(indices):
    indices = convert_to_tensor(indices)
    if indices.dtype != torch.int64:
        indices = indices.to(torch.int64)
    return indices


def scatter(indices, values, shape):
    indices = _index_columns(indices)
    values = convert_to_tensor(values)
    shape = tuple(int(d) for d in shape)
    depth = indices.shape[-1]
    indices = indices.reshape(-1, depth)
    values = values.reshape((-1,) + shape[depth:])
    output = torch.zeros(shape, dtype=values.dtype, device=values.device)
    # Duplicate indices add up, as Keras (and tf.scatter_nd) specify.
    return output.index_put_(tuple(indices.T), values, accumulate=True)


_SCATTER_REDUCE = {"max": "amax", "min": "amin", "mul": "prod"}


def scatter_update(inputs, indices, updates, reduction=None):
    inputs = convert_to_tensor(inputs)
    indices = _index_columns(indices)
    updates = convert_to_tensor(updates, dtype=inputs.dtype)
    output = inputs.clone()
    if reduction is None:
        output[tuple(indices.T)] = updates
        return output
    if reduction == "add":
        return output.index_put_(tuple(indices.T), updates, accumulate=True)
    if reduction not in _SCATTER_REDUCE:
        raise ValueError(f"reduction must be None, 'add', 'max', 'min' or 'mul', received {reduction!r}")
    # Flatten the indexed leading dims into one so scatter_reduce_ can combine duplicates.
    depth = indices.shape[-1]
    rest = inputs.shape[depth:]
    strides = torch.tensor([int(np.prod(inputs.shape[i + 1:depth])) for i in range(depth)], device=inputs.device)
    flat = output.reshape((-1,) + rest)
    source = updates.reshape((-1,) + rest)
    rows = (indices * strides).sum(-1).reshape((-1,) + (1,) * len(rest)).expand_as(source)
    flat.scatter_reduce_(0, rows, source, _SCATTER_REDUCE[reduction], include_self=True)
    return flat.reshape(inputs.shape)


def _start_positions(x, start_indices, sizes):
    """Start indices as ints, clamped so the window fits (as jax.lax.dynamic_slice does)."""
    if isinstance(start_indices, torch.Tensor):
        start_indices = start_indices.tolist()
    return [min(max(int(s), 0), dim - size) for s, dim, size in zip(start_indices, x.shape, sizes)]


def slice(inputs, start_indices, shape):
    inputs = convert_to_tensor(inputs)
    shape = [int(d) for d in shape]
    for axis, start in enumerate(_start_positions(inputs, start_indices, shape)):
        inputs = inputs.narrow(axis, start, shape[axis])
    return inputs


def slice_update(inputs, start_indices, updates):
    inputs = convert_to_tensor(inputs)
    updates = convert_to_tensor(updates, dtype=inputs.dtype)
    starts = _start_positions(inputs, start_indices, updates.shape)
    output = inputs.clone()
    output[tuple(builtins.slice(s, s + n) for s, n in zip(starts, updates.shape))] = updates
    return output


def saturate_cast(x, dtype, lower, upper):
    """Clip ``x`` to ``[lower, upper]`` (bounds representable in both dtypes), then cast."""
    x = convert_to_tensor(x)
    return torch.clamp(x, lower, upper).to(to_torch_dtype(dtype))


register_leaf_types(torch.Tensor, torch.nn.Parameter)
