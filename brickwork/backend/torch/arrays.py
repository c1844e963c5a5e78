"""torch backend: NumPy-like shape, indexing, creation, sorting and product ops.

Written once in ``common/array_ops.py`` against ``xp`` and included here with ``xp = torch``
(see ``common/binding.py``); what follows the include is what torch does differently: its
argument names (``dim``, ``dims``), tensors created on the current device, a hot path for operands
already of one dtype, products on CUDA, and NumPy functions torch lacks (``pad`` modes, ``unique``
with ``size``). Each function returns ``torch.Tensor``s with Keras 3's result dtypes.
"""

from __future__ import annotations

import math

import numpy as np
import torch

from brickwork.backend import config
from brickwork.backend.common import dtypes
from brickwork.backend.common.binding import include
from brickwork.backend.torch.core import (TORCH_DTYPES, Variable, convert_to_tensor, get_device, standardize_dtype,
                                         to_torch_dtype)

# ruff: noqa: F821 - the functions include() defines are unknown to linters
xp = torch  # the array namespace common/array_ops.py runs on
to_engine_dtype = to_torch_dtype


def _index_part(key):
    if key is None or key is Ellipsis or isinstance(key, (int, slice, torch.Tensor)):
        return key
    return convert_to_tensor(key)


include("array_ops", globals())

_PAD_MODES = ("constant", "edge", "reflect", "symmetric", "wrap")


def _torch_dtype(dtype) -> torch.dtype:
    return TORCH_DTYPES.get(dtype) or to_torch_dtype(dtype)


def _same_dtype(values) -> bool:
    """True when every value is already a tensor of the first one's dtype (the hot path)."""
    first = values[0]
    if not isinstance(first, torch.Tensor):
        return False
    dtype = first.dtype
    return all(isinstance(v, torch.Tensor) and v.dtype is dtype for v in values)


def _promote_many(values) -> list:
    """All of ``values`` as tensors of their Keras result dtype (Python scalars stay weak)."""
    if _same_dtype(values):
        return values
    tensors = [v if isinstance(v, _SCALARS) else convert_to_tensor(v) for v in values]
    kinds = {t.dtype for t in tensors if not isinstance(t, _SCALARS)}
    if len(kinds) == 1 and not any(isinstance(t, _SCALARS) for t in tensors):
        return tensors
    target = dtypes.promote_types(*[t if isinstance(t, _SCALARS) else _dtype_name(t) for t in tensors])
    return [convert_to_tensor(t, target) for t in tensors]


def _compute_dtype(result: str) -> torch.dtype:
    """The dtype a product runs in: bool as int32; integers as float64 where CUDA lacks integer GEMM."""
    if result == "bool":
        return torch.int32
    if "int" in result and get_device().startswith("cuda"):
        return torch.float64
    return to_torch_dtype(result)


def _product(fn, *operands, result: str | None = None):
    """Run a product op ``fn`` on promoted operands, casting back to the Keras result dtype."""
    if result is None and _same_dtype(operands) and operands[0].is_floating_point():
        return fn(*operands)
    operands = _promote_many(operands)
    result = result or _dtype_name(operands[0])
    compute = _compute_dtype(result)
    if operands[0].dtype != compute:
        operands = [t.to(compute) for t in operands]
    out = fn(*operands)
    if result == "bool":
        return out != 0
    target = to_torch_dtype(result)
    return out if out.dtype == target else out.to(target)


def _int8_result(values) -> str | None:
    """Keras accumulates int8 x int8 products in int32."""
    kinds = {standardize_dtype(getattr(v, "dtype", "float32")) for v in values}
    return "int32" if kinds == {"int8"} else None


def _axes(axis, ndim: int) -> list:
    axes = [axis] if isinstance(axis, int) else list(axis)
    return [a + ndim if a < 0 else a for a in axes]


# ---- shape ----


def reshape(x, newshape):
    if isinstance(newshape, int):
        newshape = (newshape,)
    return torch.reshape(convert_to_tensor(x), tuple(newshape))


def transpose(x, axes=None):
    x = convert_to_tensor(x)
    if axes is None:
        axes = tuple(range(x.ndim - 1, -1, -1))
    return torch.permute(x, tuple(axes))


def expand_dims(x, axis):
    x = convert_to_tensor(x)
    for a in sorted(_axes(axis, x.ndim + (1 if isinstance(axis, int) else len(axis)))):
        x = torch.unsqueeze(x, a)
    return x


def squeeze(x, axis=None):
    x = convert_to_tensor(x)
    if axis is None:
        return torch.squeeze(x)
    if isinstance(axis, int) and x.shape[axis] == 1:
        return torch.squeeze(x, axis)
    axes = _axes(axis, x.ndim)
    for a in axes:
        if not 0 <= a < x.ndim or x.shape[a] != 1:
            size = x.shape[a] if 0 <= a < x.ndim else "out of range"
            raise ValueError(f"cannot squeeze axis {axis}: its size is {size}, expected 1")
    return torch.squeeze(x, dim=tuple(axes))


def size(x) -> int:
    return convert_to_tensor(x).numel()


# ---- joining and splitting ----


def concatenate(xs, axis=0):
    xs = _promote_many(xs)
    if axis is None:
        return torch.cat([t.reshape(-1) for t in xs])
    return torch.cat(xs, dim=axis)


def stack(x, axis=0):
    return torch.stack(_promote_many(x), dim=axis)


def append(x1, x2, axis=None):
    x1, x2 = _promote_many((x1, x2))
    if axis is None:
        return torch.cat((x1.reshape(-1), x2.reshape(-1)))
    return torch.cat((x1, x2), dim=axis)


def split(x, indices_or_sections, axis=0):
    x = convert_to_tensor(x)
    length = x.shape[axis]
    if isinstance(indices_or_sections, int):
        if length % indices_or_sections:
            raise ValueError(
                f"x.shape[{axis}]={length} is not divisible by indices_or_sections={indices_or_sections}"
            )
        return list(torch.tensor_split(x, indices_or_sections, dim=axis))
    return list(torch.tensor_split(x, [int(i) for i in indices_or_sections], dim=axis))


def array_split(x, indices_or_sections, axis=0):
    if not isinstance(indices_or_sections, int):
        indices_or_sections = [int(i) for i in indices_or_sections]
    return list(torch.tensor_split(convert_to_tensor(x), indices_or_sections, dim=axis))


# ---- indexing ----


def get_item(x, key):
    x = convert_to_tensor(x)
    key = _tuple_key(key)
    try:  # torch indexes with ints, slices, None, Ellipsis, tensors, lists and NumPy arrays itself
        return x[key]
    except (TypeError, IndexError):
        pass
    if isinstance(key, tuple):
        return x[tuple(_index_part(k) for k in key)]
    return x[_index_part(key)]


def take(x, indices, axis=None):
    x = convert_to_tensor(x)
    indices = convert_to_tensor(indices)
    if axis is None:
        return x.reshape(-1)[indices]
    axis = axis + x.ndim if axis < 0 else axis
    if (axis == 0 and x.ndim == 2 and indices.ndim > 0 and x.device.type == "cpu" and x.is_floating_point()
            and indices.dtype in (torch.int32, torch.int64)):
        # A table lookup (Embedding): torch's embedding kernel is several times faster than advanced indexing.
        # It refuses negative indices (IndexError on the CPU), which advanced indexing counts from the end.
        try:
            return torch.nn.functional.embedding(indices, x)
        except IndexError:
            pass
    return x[(slice(None),) * axis + (indices,)]


def take_along_axis(x, indices, axis=None):
    x = convert_to_tensor(x)
    indices = convert_to_tensor(indices).long()
    if axis is None:
        x, axis = x.reshape(-1), 0
    indices = torch.where(indices < 0, indices + x.shape[axis], indices)
    return torch.take_along_dim(x, indices, dim=axis)


def where(condition, x1=None, x2=None):
    if not (isinstance(condition, torch.Tensor) and condition.dtype is torch.bool):
        condition = convert_to_tensor(condition, torch.bool)
    if x1 is None and x2 is None:
        return nonzero(condition)
    if x1 is None or x2 is None:
        raise ValueError("`x1` and `x2` either both should be `None` (the indices form) or both be given")
    x1, x2 = _promote_many((x1, x2))
    return torch.where(condition, x1, x2)


def select(condlist, choicelist, default=0):
    if len(condlist) != len(choicelist):
        raise ValueError(f"condlist has {len(condlist)} entries but choicelist has {len(choicelist)}")
    *choices, out = _promote_many([*choicelist, default])
    for condition, choice in zip(reversed(condlist), reversed(choices)):
        out = torch.where(convert_to_tensor(condition, torch.bool), choice, out)
    return out


def nonzero(x):
    return tuple(i.to(torch.int32) for i in torch.nonzero(convert_to_tensor(x), as_tuple=True))


def unravel_index(indices, shape):
    indices = convert_to_tensor(indices)
    return tuple(i.to(indices.dtype) for i in torch.unravel_index(indices, tuple(shape)))


# ---- rearranging ----


def _pad_indices(length: int, before: int, after: int, mode: str) -> np.ndarray:
    """Source index of each padded position: NumPy's edge/wrap/reflect/symmetric as periodic maps."""
    i = np.arange(-before, length + after)
    if mode == "edge":
        return np.clip(i, 0, length - 1)
    if mode == "wrap":
        return i % length
    period = 2 * (length - 1) if mode == "reflect" else 2 * length
    j = i % period if period else np.zeros_like(i)
    return np.where(j >= length, period - j - (mode == "symmetric"), j)


def pad(x, pad_width, mode="constant", constant_values=None):
    x = convert_to_tensor(x)
    if mode not in _PAD_MODES:
        raise ValueError(f"mode must be one of {_PAD_MODES} on the torch backend, received {mode!r}")
    if constant_values is not None and mode != "constant":
        raise ValueError(f"Argument `constant_values` can only be provided when `mode == 'constant'`; "
                         f"received mode={mode!r}")
    if mode == "constant":
        if isinstance(pad_width, (list, tuple)) and len(pad_width) == x.ndim \
                and all(isinstance(pair, (list, tuple)) for pair in pad_width):
            pairs = pad_width  # the hot path: one (before, after) pair per axis
        else:
            pairs = np.broadcast_to(np.asarray(pad_width, dtype=np.int64), (x.ndim, 2))
        flat = [int(w) for pair in reversed(pairs) for w in pair]
        return torch.nn.functional.pad(x, flat, value=0 if constant_values is None else constant_values)
    widths = np.broadcast_to(np.asarray(pad_width, dtype=np.int64), (x.ndim, 2))
    for axis, (before, after) in enumerate(widths):
        if before or after:
            index = _pad_indices(x.shape[axis], int(before), int(after), mode)
            x = torch.index_select(x, axis, torch.as_tensor(index, device=x.device))
    return x


def tile(x, repeats):
    if isinstance(repeats, int):
        repeats = (repeats,)
    return torch.tile(convert_to_tensor(x), tuple(int(r) for r in repeats))


def repeat(x, repeats, axis=None):
    x = convert_to_tensor(x)
    if not isinstance(repeats, int):
        repeats = torch.as_tensor(np.asarray(repeats) if isinstance(repeats, list) else repeats,
                                  device=x.device)
    return torch.repeat_interleave(x, repeats, dim=axis)


def flip(x, axis=None):
    x = convert_to_tensor(x)
    return torch.flip(x, dims=tuple(range(x.ndim)) if axis is None else _axes(axis, x.ndim))


def roll(x, shift, axis=None):
    return torch.roll(convert_to_tensor(x), shift, dims=axis)


# ---- sorting and searching ----


def _check_axis(axis: int, ndim: int) -> None:
    # torch's sort on the meta device (abstract evaluation) accepts any dim; its CPU kernel does not.
    if not -max(ndim, 1) <= axis < max(ndim, 1):
        raise IndexError(f"axis {axis} is out of bounds for array of dimension {ndim}")


def sort(x, axis=-1):
    x = convert_to_tensor(x)
    if axis is None:
        x, axis = x.reshape(-1), -1
    _check_axis(axis, x.ndim)
    return torch.sort(x, dim=axis, stable=True).values


def argsort(x, axis=-1):
    x = convert_to_tensor(x)
    if axis is None or x.ndim == 0:  # a scalar sorts as its one-element flattening, as NumPy does
        x, axis = x.reshape(-1), -1
    _check_axis(axis, x.ndim)
    if x.dtype == torch.bool:
        x = x.to(torch.uint8)
    return torch.argsort(x, dim=axis, stable=True).to(torch.int32)


def argpartition(x, kth, axis=-1):
    # A full stable sort is one valid partition; torch has no selection primitive.
    return argsort(x, axis)


def searchsorted(sorted_sequence, values, side="left"):
    sorted_sequence, values = _promote_many((sorted_sequence, values))
    if sorted_sequence.ndim != 1:
        raise ValueError(f"sorted_sequence must be 1-D, received shape {tuple(sorted_sequence.shape)}")
    if values.ndim == 0:
        return torch.searchsorted(sorted_sequence, values[None], side=side, out_int32=True)[0]
    return torch.searchsorted(sorted_sequence, values, side=side, out_int32=True)


def digitize(x, bins):
    x, bins = _promote_many((x, bins))
    if x.dtype == torch.bool:
        x, bins = x.to(torch.uint8), bins.to(torch.uint8)
    return torch.bucketize(x, bins, right=True, out_int32=True)


def histogram(x, bins=10, range=None):
    x = convert_to_tensor(x)
    if x.ndim != 1:
        raise ValueError(f"Input tensor must be 1-dimensional. Received: shape={tuple(x.shape)}")
    result = dtypes.promote_types(_dtype_name(x), float)
    compute = torch.float64 if result == "float64" else torch.float32
    x = x.to(compute)
    low, high = (float(x.min()), float(x.max())) if range is None else (float(range[0]), float(range[1]))
    if low == high:
        low, high = low - 0.5, high + 0.5
    counts = torch.histc(x, bins=bins, min=low, max=high)
    edges = torch.linspace(low, high, bins + 1, dtype=compute, device=x.device)
    target = to_torch_dtype(result)
    return counts.to(target), edges.to(target)


# ---- products ----


def matmul(x1, x2):
    if isinstance(x2, Variable):  # a layer's kernel: its tensor, so that the fast path below applies
        x2 = x2.value
    if isinstance(x1, torch.Tensor) and isinstance(x2, torch.Tensor) and x1.dtype is x2.dtype:
        if x1.is_floating_point():
            return torch.matmul(x1, x2)
        if x1.dtype is torch.int8:
            product = _int8_matmul(x1, x2)
            if product is not None:
                return product
    return _product(torch.matmul, x1, x2, result=_int8_result((x1, x2)))


def _int8_matmul(x1, x2):
    """int8 x int8 -> int32 on torch's integer GEMM (``torch._int_mm``, exact), for a matrix ``x2``; ``None``
    where it does not apply. It is what makes int8-quantized Dense layers faster than float32 on the CPU
    (about 7x the float GEMM at 64x1024x1024); CUDA's kernel takes only the shapes below."""
    if x1.ndim < 2 or x2.ndim != 2:
        return None
    rows = x1.reshape(-1, x1.shape[-1])
    if x1.is_cuda and not (rows.shape[0] > 16 and rows.shape[1] >= 16 and rows.shape[1] % 8 == 0
                           and x2.shape[1] % 8 == 0):
        return None
    try:
        return torch._int_mm(rows, x2).reshape(*x1.shape[:-1], x2.shape[1])
    except RuntimeError:
        return None  # a device or shape the kernel does not take: the general product


def _dot(x1, x2):
    if x1.ndim == 0 or x2.ndim == 0:
        return x1 * x2
    if x2.ndim <= 2:
        return torch.matmul(x1, x2)
    return torch.tensordot(x1, x2, dims=([x1.ndim - 1], [x2.ndim - 2]))


def dot(x1, x2):
    return _product(_dot, x1, x2)


def tensordot(x1, x2, axes=2):
    if isinstance(axes, (list, tuple)):
        axes = tuple([a] if isinstance(a, int) else list(a) for a in axes)
    return _product(lambda a, b: torch.tensordot(a, b, dims=axes), x1, x2)


def einsum(subscripts, *operands, **kwargs):
    operands = tuple(x.value if isinstance(x, Variable) else x for x in operands)  # a layer's kernel: its tensor
    if _same_dtype(operands) and operands[0].is_floating_point():
        return torch.einsum(subscripts, *operands)
    return _product(lambda *ops: torch.einsum(subscripts, *ops), *operands, result=_int8_result(operands))


def inner(x1, x2):
    return _product(torch.inner, x1, x2)


def outer(x1, x2):
    return _product(lambda a, b: torch.outer(a.reshape(-1), b.reshape(-1)), x1, x2)


def vdot(x1, x2):
    return _product(lambda a, b: torch.dot(a.reshape(-1).conj(), b.reshape(-1)), x1, x2)


def kron(x1, x2):
    return _product(torch.kron, x1, x2)


def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    if axis is not None:
        axisa = axisb = axisc = axis

    def fn(a, b):
        a, b = torch.broadcast_tensors(torch.moveaxis(a, axisa, -1), torch.moveaxis(b, axisb, -1))
        return torch.moveaxis(torch.linalg.cross(a, b, dim=-1), -1, axisc)

    return _product(fn, x1, x2)


def correlate(x1, x2, mode="valid"):
    x1, x2 = _promote_many((x1, x2))
    result = _dtype_name(x1)
    result = "float64" if result == "int64" else result if result in ("bfloat16", "float16", "float64") else "float32"
    x1, x2 = x1.to(to_torch_dtype(result)), x2.to(to_torch_dtype(result))
    n, m = x1.shape[0], x2.shape[0]
    full = torch.nn.functional.conv1d(x1.reshape(1, 1, n), x2.reshape(1, 1, m), padding=m - 1).reshape(-1)
    if mode == "full":
        return full
    if mode == "valid":
        return full[min(n, m) - 1 : max(n, m)]
    # NumPy centres "same" on the shorter input, counting from the end when x1 is the shorter one.
    start = min(n, m) - 1 - min(n, m) // 2
    start = start if n >= m else full.shape[0] - max(n, m) - start
    return full[start : start + max(n, m)]


# ---- diagonals and triangles ----


def diag(x, k=0):
    return torch.diag(convert_to_tensor(x), diagonal=k)


def diagflat(x, k=0):
    return torch.diagflat(convert_to_tensor(x), offset=k)


def diagonal(x, offset=0, axis1=0, axis2=1):
    return torch.diagonal(convert_to_tensor(x), offset=offset, dim1=axis1, dim2=axis2)


def trace(x, offset=0, axis1=0, axis2=1):
    x = convert_to_tensor(x)
    name = _dtype_name(x)
    result = name if name in ("int64", "uint32", "uint64") else dtypes.promote_types(name, "int32")
    return torch.sum(torch.diagonal(x, offset, axis1, axis2), dim=-1, dtype=to_torch_dtype(result))


def diff(a, n=1, axis=-1):
    a = convert_to_tensor(a)
    return a if n == 0 else torch.diff(a, n=n, dim=axis)


def triu(x, k=0):
    return torch.triu(convert_to_tensor(x), diagonal=k)


def tril(x, k=0):
    return torch.tril(convert_to_tensor(x), diagonal=k)


# ---- creation ----


def _creation_dtype(dtype) -> torch.dtype:
    return _torch_dtype(dtype or config.floatx())


def _shape(shape) -> tuple:
    if isinstance(shape, tuple):
        return shape
    return (int(shape),) if isinstance(shape, (int, np.integer)) else tuple(int(d) for d in shape)


def zeros(shape, dtype=None):
    return torch.zeros(_shape(shape), dtype=_creation_dtype(dtype), device=get_device())


def ones(shape, dtype=None):
    return torch.ones(_shape(shape), dtype=_creation_dtype(dtype), device=get_device())


def empty(shape, dtype=None):
    return torch.empty(_shape(shape), dtype=_creation_dtype(dtype), device=get_device())


def full(shape, fill_value, dtype=None):
    dtype = _creation_dtype(dtype)
    if isinstance(fill_value, _SCALARS):
        return torch.full(_shape(shape), fill_value, dtype=dtype, device=get_device())
    return torch.broadcast_to(convert_to_tensor(fill_value, dtype), _shape(shape)).clone()


def zeros_like(x, dtype=None):
    x = convert_to_tensor(x)
    return torch.zeros_like(x, dtype=to_torch_dtype(dtype) if dtype else x.dtype)


def ones_like(x, dtype=None):
    x = convert_to_tensor(x)
    return torch.ones_like(x, dtype=to_torch_dtype(dtype) if dtype else x.dtype)


def empty_like(x, dtype=None):
    x = convert_to_tensor(x)
    return torch.empty_like(x, dtype=to_torch_dtype(dtype) if dtype else x.dtype)


def full_like(x, fill_value, dtype=None):
    x = convert_to_tensor(x)
    return full(x.shape, fill_value, dtype=dtype or x.dtype)


def copy(x):
    return torch.clone(convert_to_tensor(x))


def eye(N, M=None, k=0, dtype=None):
    M = N if M is None else M
    dtype = _creation_dtype(dtype)
    if not k:
        return torch.eye(N, M, dtype=dtype, device=get_device())
    rows = torch.arange(N, device=get_device())[:, None]
    return (torch.arange(M, device=get_device())[None, :] - rows == k).to(dtype)


def identity(n, dtype=None):
    return eye(n, dtype=dtype)


def tri(N, M=None, k=0, dtype=None):
    M = N if M is None else M
    rows = torch.arange(N, device=get_device())[:, None]
    return (torch.arange(M, device=get_device())[None, :] - rows <= k).to(_creation_dtype(dtype))


def arange(start, stop=None, step=1, dtype=None):
    if dtype is None:
        dtype = dtypes.promote_types(*[_weak(v) for v in (start, stop, step) if v is not None])
    if stop is None:
        start, stop = 0, start
    if step is None:
        step = 1
    return torch.arange(start, stop, step, dtype=to_torch_dtype(dtype),
                        device=get_device())


def _linear(start, stop, num, endpoint, axis, dtype):
    """``num`` evenly spaced values in float64 and the step, NumPy's formula, along ``axis``."""
    start = convert_to_tensor(start, "float64")
    stop = convert_to_tensor(stop, "float64")
    start, stop = torch.broadcast_tensors(start, stop)
    div = (num - 1) if endpoint else num
    step = (stop - start) / div if div > 0 else torch.full_like(start, math.nan)
    shape = (num,) + (1,) * start.ndim
    ramp = torch.arange(num, dtype=torch.float64, device=start.device).reshape(shape)
    values = start + ramp * (step if div > 0 else (stop - start))
    if endpoint and num > 1:
        values[-1] = stop
    return torch.moveaxis(values, 0, axis), step


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    result = dtype or dtypes.promote_types(_weak(start), _weak(stop), float)
    values, step = _linear(start, stop, num, endpoint, axis, result)
    values = values.to(to_torch_dtype(result))
    return (values, step.to(values.dtype if values.is_floating_point() else torch.float64)) if retstep else values


def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    result = dtype or dtypes.promote_types(_weak(start), _weak(stop), float)
    values, _ = _linear(start, stop, num, endpoint, axis, result)
    return torch.pow(convert_to_tensor(base, "float64"), values).to(to_torch_dtype(result))


def view(x, dtype=None):
    x = convert_to_tensor(x)
    return x if dtype is None else x.view(_torch_dtype(standardize_dtype(dtype)))


def _fit_size(values, extras, axis, size, fill_value):
    """Unique ``values`` and their ``extras`` (first indices, counts) cut or padded to ``size`` along ``axis``."""
    count = values.shape[axis]
    if count >= size:
        return values.narrow(axis, 0, size), [e[:size] for e in extras]
    widths = [0, 0] * (values.ndim - 1 - axis) + [0, size - count]
    values = torch.nn.functional.pad(values, widths, value=0 if fill_value is None else fill_value)
    # Padded indices repeat the first one (still a valid index, as jax.numpy.unique pads); counts pad with 0.
    index, counts = extras
    first = int(index[0]) if count else 0
    return values, [torch.nn.functional.pad(index, (0, size - count), value=first),
                    torch.nn.functional.pad(counts, (0, size - count))]


def unique(x, sorted=True, return_index=False, return_inverse=False, return_counts=False, axis=None, size=None,
           fill_value=None):
    x = convert_to_tensor(x)
    dim = None if axis is None else axis % x.ndim
    values, inverse, counts = torch.unique(x, sorted=True, return_inverse=True, return_counts=True, dim=dim)
    flat_inverse = inverse.reshape(-1)
    positions = torch.arange(flat_inverse.shape[0], device=x.device)
    first = torch.full((values.shape[0 if dim is None else dim],), flat_inverse.shape[0], device=x.device)
    first = first.scatter_reduce(0, flat_inverse, positions, reduce="amin")
    extras = [first.to(torch.int32), counts.to(torch.int32)]
    if size is not None:
        values, extras = _fit_size(values, extras, 0 if dim is None else dim, size, fill_value)
    outputs = [values]
    if return_index:
        outputs.append(extras[0])
    if return_inverse:
        outputs.append(inverse.to(torch.int32))
    if return_counts:
        outputs.append(extras[1])
    return outputs[0] if len(outputs) == 1 else tuple(outputs)
