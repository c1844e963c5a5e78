"""torch backend: the NumPy-like element-wise math, reductions, comparisons and logic.

Written once in ``common/numpy_ops.py`` against ``xp`` and included here with ``xp = torch``
(see ``common/binding.py``); what follows the include is what torch does differently. Each
function returns a ``torch.Tensor`` of Keras's dtype. torch's own: the dtype helpers (scalars
become 0-d tensors on the operand's device); binary ops that take a fast path when the operands
need no conversion (two tensors of one dtype, or a tensor and a Python scalar of its kind); ops
whose torch name or semantics differ (``torch.remainder``, ``torch.eq``, no ``cbrt``, no
``astype``); and the reductions, since torch reduces over ``dim`` and has no ``initial``.
"""

from __future__ import annotations

import builtins

import torch

from brickwork.backend import config
from brickwork.backend.common import dtypes
from brickwork.backend.common.binding import include
from brickwork.backend.torch.core import Variable, convert_to_tensor, standardize_dtype, to_torch_dtype

# ruff: noqa: F821 - the functions include() defines are unknown to linters
xp = torch  # the array namespace common/numpy_ops.py runs on
include("numpy_ops", globals())

# sum/prod accumulate bool and small ints in 32 bits, as JAX (uint32 through int64: torch has no uint32 sum).
_WIDENED = {
    torch.bool: (torch.int32, torch.int32),
    torch.int8: (torch.int32, torch.int32),
    torch.int16: (torch.int32, torch.int32),
    torch.uint8: (torch.int64, torch.uint32),
    torch.uint16: (torch.int64, torch.uint32),
}


# ---- dtype helpers ----


def _scalar(value, dtype: torch.dtype, like: torch.Tensor) -> torch.Tensor:
    """A Python scalar as a 0-d tensor beside ``like``, built in ``dtype`` directly (no float32 detour)."""
    return torch.tensor(value, dtype=dtype, device=like.device)


def _promote(x1, x2):
    """Both operands as tensors of Keras's result dtype; Python scalars stay weak."""
    if isinstance(x1, _SCALARS):
        x2 = convert_to_tensor(x2)
        target = to_torch_dtype(dtypes.promote_types(standardize_dtype(x2.dtype), x1))
        return _scalar(x1, target, x2), x2.to(target)
    if isinstance(x2, _SCALARS):
        x1 = convert_to_tensor(x1)
        target = to_torch_dtype(dtypes.promote_types(standardize_dtype(x1.dtype), x2))
        return x1.to(target), _scalar(x2, target, x1)
    x1 = convert_to_tensor(x1)
    x2 = convert_to_tensor(x2)
    if x1.dtype != x2.dtype:
        target = to_torch_dtype(dtypes.promote_types(standardize_dtype(x1.dtype), standardize_dtype(x2.dtype)))
        x1, x2 = x1.to(target), x2.to(target)
    return x1, x2


def _binary(x1, x2):
    """Operands for a torch op that takes a Python scalar second: the common cases convert nothing."""
    if isinstance(x1, torch.Tensor):
        kind = type(x2)
        if kind is Variable:  # a layer's weight (a bias): its tensor
            x2 = x2.value
            kind = type(x2)
        if kind is torch.Tensor or kind is torch.nn.Parameter:
            if x1.dtype == x2.dtype:
                return x1, x2
        # torch keeps the tensor's dtype for a scalar of its kind, as Keras's weak scalars do.
        elif kind is float and (x1.is_floating_point() or x1.is_complex()):
            return x1, x2
        elif kind is int and x1.dtype != torch.bool:
            return x1, x2
    return _promote(x1, x2)


def _promote_float(x1, x2):
    """Both operands in ``result_type(x1, x2, float)``: ints and bools become floatx."""
    if isinstance(x1, _SCALARS):
        if isinstance(x2, _SCALARS):
            x2 = convert_to_tensor(x2)
        x2, x1 = _promote_float(x2, x1)
        return x1, x2
    x1 = convert_to_tensor(x1)
    target = to_torch_dtype(dtypes.promote_types(standardize_dtype(x1.dtype), _weak_dtype(x2), 1.0))
    x2 = _scalar(x2, target, x1) if isinstance(x2, _SCALARS) else convert_to_tensor(x2, target)
    return x1.to(target), x2


def _is_inexact(x) -> bool:
    return x.is_floating_point() or x.is_complex()


def _to_float(x):
    """``x`` for an op whose result is float by nature: bools and ints become floatx."""
    x = convert_to_tensor(x)
    return x if _is_inexact(x) else x.to(to_torch_dtype(config.floatx()))


def _dims(axis, ndim: int) -> tuple:
    """The reduced dimensions: all for ``None``; ``()`` (no reduction) stays empty, as NumPy."""
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, int):
        return (axis,)
    return tuple(axis)


def _canonical_dims(axis, ndim: int) -> tuple:
    dims = _dims(axis, ndim)
    for d in dims:
        if not -ndim <= d < builtins.max(ndim, 1):
            raise ValueError(f"axis {d} is out of bounds for a tensor of rank {ndim}")
    return tuple(sorted(d % builtins.max(ndim, 1) for d in dims))


# ---- arithmetic (binary ops take the fast path of ``_binary``) ----


def add(x1, x2):
    x1, x2 = _binary(x1, x2)
    return torch.add(x1, x2)


def subtract(x1, x2):
    x1, x2 = _binary(x1, x2)
    return torch.subtract(x1, x2)


def multiply(x1, x2):
    x1, x2 = _binary(x1, x2)
    return torch.multiply(x1, x2)


def divide(x1, x2):
    if isinstance(x1, torch.Tensor) and x1.is_floating_point():
        kind = type(x2)
        if kind is float or kind is int or (isinstance(x2, torch.Tensor) and x2.dtype == x1.dtype):
            return torch.true_divide(x1, x2)
    x1, x2 = _promote_float(x1, x2)
    return torch.true_divide(x1, x2)


def divide_no_nan(x1, x2):
    x1, x2 = _promote_float(x1, x2)
    zero = x2 == 0
    # The inner where keeps the gradient finite where x2 == 0.
    return torch.where(zero, 0.0, x1 / torch.where(zero, 1.0, x2))


def floor_divide(x1, x2):
    x1, x2 = _binary(x1, x2)
    if x1.dtype == torch.bool:
        x1, x2 = x1.to(torch.int32), convert_to_tensor(x2, "int32")
    return torch.floor_divide(x1, x2)


def mod(x1, x2):
    x1, x2 = _binary(x1, x2)
    if x1.dtype == torch.bool:
        x1, x2 = x1.to(torch.int32), convert_to_tensor(x2, "int32")
    return torch.remainder(x1, x2)


def power(x1, x2):
    x1, x2 = _binary(x1, x2)
    return torch.pow(x1, x2)


def square(x):
    x = convert_to_tensor(x)
    if x.dtype == torch.bool:
        x = x.to(torch.int32)
    return torch.square(x)


def absolute(x):
    x = convert_to_tensor(x)
    return x if x.dtype == torch.bool else torch.abs(x)


def sign(x):
    x = convert_to_tensor(x)
    return x if x.dtype == torch.bool else torch.sign(x)


def _bounds(x, x_min, x_max):
    """clip's bounds in a form torch.clamp takes: both numbers, or both tensors (None stays None)."""
    if (x_min is None or isinstance(x_min, _SCALARS)) and (x_max is None or isinstance(x_max, _SCALARS)):
        return x_min, x_max

    def tensor(value):
        if value is None or not isinstance(value, _SCALARS):
            return value if value is None else convert_to_tensor(value)
        return _scalar(value, to_torch_dtype(dtypes.promote_types(standardize_dtype(x.dtype), value)), x)

    return tensor(x_min), tensor(x_max)


def clip(x, x_min, x_max):
    x = convert_to_tensor(x)
    if x.dtype == torch.bool:
        x = x.to(torch.int32)
    out = torch.clamp(x, *_bounds(x, x_min, x_max))
    return out if out.dtype == x.dtype else out.to(x.dtype)


# ---- float by nature: exponentials, logarithms, trigonometry ----


def cbrt(x):
    x = convert_to_tensor(x)
    x = x.to(to_torch_dtype(_int64_to_float64(standardize_dtype(x.dtype))))
    # torch has no cbrt; pow of a negative base to 1/3 is NaN, hence the sign.
    return torch.sign(x) * torch.abs(x).pow(1.0 / 3.0)


# ---- rounding ----


def trunc(x):
    x = convert_to_tensor(x)
    return torch.trunc(x) if x.is_floating_point() else x


def round(x, decimals=0):
    x = convert_to_tensor(x)
    if x.is_floating_point():
        return torch.round(x, decimals=decimals)
    if x.dtype == torch.bool or decimals >= 0:
        return x
    # Integers to the nearest multiple of 10**-decimals, half to even as NumPy.
    factor = 10 ** (-decimals)
    return (torch.round(x.to(torch.float64) / factor) * factor).to(x.dtype)


# ---- complex parts ----


def imag(x):
    x = convert_to_tensor(x)
    return torch.imag(x) if x.is_complex() else torch.zeros_like(x)


def conjugate(x):
    # conj_physical: a plain tensor, not a lazy view that NumPy conversion rejects.
    return torch.conj_physical(convert_to_tensor(x))


# ---- comparisons (torch.eq and friends: its NumPy-named aliases cost a dispatch more) ----


def equal(x1, x2):
    x1, x2 = _binary(x1, x2)
    return torch.eq(x1, x2)


def not_equal(x1, x2):
    x1, x2 = _binary(x1, x2)
    return torch.ne(x1, x2)


def greater(x1, x2):
    x1, x2 = _binary(x1, x2)
    return torch.gt(x1, x2)


def greater_equal(x1, x2):
    x1, x2 = _binary(x1, x2)
    return torch.ge(x1, x2)


def less(x1, x2):
    x1, x2 = _binary(x1, x2)
    return torch.lt(x1, x2)


def less_equal(x1, x2):
    x1, x2 = _binary(x1, x2)
    return torch.le(x1, x2)


# ---- bits ----


def bitwise_invert(x):
    return torch.bitwise_not(convert_to_tensor(x))


def bitwise_left_shift(x, y):
    x, y = _promote(x, y)
    return torch.bitwise_left_shift(x, y)


def bitwise_right_shift(x, y):
    x, y = _promote(x, y)
    return torch.bitwise_right_shift(x, y)


# ---- reductions (an empty ``dims`` means no reduction, as NumPy's ``axis=()``) ----


def sum(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    compute, result = _WIDENED.get(x.dtype, (x.dtype, None))
    dims = _dims(axis, x.ndim)
    out = torch.sum(x, dim=dims, keepdim=keepdims, dtype=compute) if dims else x.to(compute)
    return out if result is None or out.dtype == result else out.to(result)


def prod(x, axis=None, keepdims=False, dtype=None):
    x = convert_to_tensor(x)
    if dtype is None:
        compute, result = _WIDENED.get(x.dtype, (x.dtype, x.dtype))
    else:
        compute = result = to_torch_dtype(dtype)
    if axis is None and not keepdims:
        return torch.prod(x, dtype=compute).to(result)
    out = x.to(compute)
    # torch.prod reduces one dimension at a time.
    for d in reversed(_canonical_dims(axis, x.ndim)):
        out = torch.prod(out, dim=d, keepdim=keepdims)
    return out.to(result)


def mean(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    if x.dtype is torch.float32 or x.dtype is torch.float64:  # the common case: no promotion to work out
        dims = _dims(axis, x.ndim)
        return torch.mean(x, dim=dims, keepdim=keepdims) if dims else x
    result = x.dtype
    # Half floats accumulate in float32, as Keras, so that long means do not overflow.
    compute = to_torch_dtype(dtypes.promote_types(standardize_dtype(result), "float32"))
    if not _is_inexact(x):
        result = compute
    dims = _dims(axis, x.ndim)
    out = torch.mean(x, dim=dims, keepdim=keepdims, dtype=compute) if dims else x.to(compute)
    return out if out.dtype == result else out.to(result)


def var(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    dtype = standardize_dtype(x.dtype)
    compute = to_torch_dtype(dtypes.promote_types(dtype, "float32"))
    result = to_torch_dtype(dtypes.promote_types(dtype, 1.0))
    dims = _dims(axis, x.ndim)
    if not dims:  # NumPy's axis=(): each element is its own sample
        return torch.zeros_like(x, dtype=result)
    out = torch.var(x.to(compute), dim=dims, correction=0, keepdim=keepdims)
    return out.to(result)


def std(x, axis=None, keepdims=False):
    x = _to_float(x)
    dims = _dims(axis, x.ndim)
    if not dims:
        return torch.zeros_like(x)
    return torch.std(x, dim=dims, correction=0, keepdim=keepdims)


def _quantile(x, q, axis, method, keepdims):
    """Quantiles over several axes: torch.quantile takes one, so the reduced axes go last, flattened."""
    x = _to_float(x)
    result = x.dtype
    if x.dtype not in (torch.float32, torch.float64):
        x = x.to(torch.float32)
    if isinstance(q, (int, float, list, tuple)):
        q = torch.tensor(q, dtype=x.dtype, device=x.device)
    q = convert_to_tensor(q, x.dtype)
    dims = _canonical_dims(axis, x.ndim)
    kept = [d for d in range(x.ndim) if d not in dims]
    flat = x.permute(*kept, *dims).reshape(*[x.shape[d] for d in kept], -1)
    out = torch.quantile(flat, q, dim=-1, interpolation=method)
    if keepdims:
        out = out.reshape(*q.shape, *[1 if d in dims else n for d, n in enumerate(x.shape)])
    return out.to(result)


def median(x, axis=None, keepdims=False):
    # torch.median returns the lower middle value; the quantile at 0.5 averages the two, as NumPy.
    return _quantile(x, 0.5, axis, "linear", keepdims)


def quantile(x, q, axis=None, method="linear", keepdims=False):
    return _quantile(x, q, axis, method, keepdims)


def _filled_reduction(x, dims, keepdims, value):
    """What reducing empty ``dims`` of ``x`` gives when ``value`` is the starting point (NumPy's ``initial``)."""
    dims = {d % x.ndim for d in dims}
    shape = [1 if d in dims else n for d, n in enumerate(x.shape) if keepdims or d not in dims]
    return torch.full(shape, value, dtype=x.dtype, device=x.device)


def max(x, axis=None, keepdims=False, initial=None):
    x = convert_to_tensor(x)
    dims = _dims(axis, x.ndim)
    if initial is not None and x.numel() == 0 and dims:
        return _filled_reduction(x, dims, keepdims, initial)
    out = torch.amax(x, dim=dims, keepdim=keepdims) if dims else x
    return out if initial is None else torch.clamp(out, min=initial).to(out.dtype)


def min(x, axis=None, keepdims=False, initial=None):
    x = convert_to_tensor(x)
    dims = _dims(axis, x.ndim)
    if initial is not None and x.numel() == 0 and dims:
        return _filled_reduction(x, dims, keepdims, initial)
    out = torch.amin(x, dim=dims, keepdim=keepdims) if dims else x
    return out if initial is None else torch.clamp(out, max=initial).to(out.dtype)


def amax(x, axis=None, keepdims=False):
    return max(x, axis=axis, keepdims=keepdims)


def amin(x, axis=None, keepdims=False):
    return min(x, axis=axis, keepdims=keepdims)


def _truth(x):
    x = convert_to_tensor(x)
    return x if x.dtype == torch.bool else x != 0


def all(x, axis=None, keepdims=False):
    x = _truth(x)
    dims = _dims(axis, x.ndim)
    return torch.all(x, dim=dims, keepdim=keepdims) if dims else x


def any(x, axis=None, keepdims=False):
    x = _truth(x)
    dims = _dims(axis, x.ndim)
    return torch.any(x, dim=dims, keepdim=keepdims) if dims else x


def _arg_input(x):
    x = convert_to_tensor(x)
    return x.to(torch.uint8) if x.dtype == torch.bool else x


def argmax(x, axis=None, keepdims=False):
    return torch.argmax(_arg_input(x), dim=axis, keepdim=keepdims).to(torch.int32)


def argmin(x, axis=None, keepdims=False):
    return torch.argmin(_arg_input(x), dim=axis, keepdim=keepdims).to(torch.int32)


def count_nonzero(x, axis=None):
    x = convert_to_tensor(x)
    if axis == ():  # no reduction: each element counts itself
        return (x != 0).to(torch.int32)
    return torch.count_nonzero(x, dim=None if axis is None else _dims(axis, x.ndim)).to(torch.int32)


def _cumulative(fn, x, axis, dtype):
    x = convert_to_tensor(x)
    dtype = x.dtype if dtype is None else to_torch_dtype(dtype)
    if dtype == torch.bool:
        dtype = torch.int32
    if axis is None:
        x, axis = x.reshape(-1), 0
    return fn(x, dim=axis, dtype=dtype)


def cumsum(x, axis=None, dtype=None):
    return _cumulative(torch.cumsum, x, axis, dtype)


def cumprod(x, axis=None, dtype=None):
    return _cumulative(torch.cumprod, x, axis, dtype)


def average(x, axis=None, weights=None):
    if weights is None:
        return mean(_to_float(x), axis=axis)
    x, weights = _promote_float(x, weights)
    if axis is None:
        if weights.shape != x.shape:
            raise ValueError(f"weights must have the shape of x when axis is None; got {tuple(weights.shape)}")
        return torch.sum(x * weights) / torch.sum(weights)
    if weights.ndim == 1 and x.ndim > 1:
        if weights.shape[0] != x.shape[axis]:
            raise ValueError(f"1-D weights must have length x.shape[{axis}] = {x.shape[axis]}")
        shape = [1] * x.ndim
        shape[axis] = -1
        weights = weights.reshape(shape)
    return torch.sum(x * weights, dim=axis) / torch.sum(weights.expand_as(x), dim=axis)


def bincount(x, weights=None, minlength=0, sparse=False):
    if sparse:
        raise ValueError("bincount: sparse=True is not supported by the torch backend.")
    x = convert_to_tensor(x)
    dtype = torch.int32
    if weights is not None:
        weights = convert_to_tensor(weights)
        dtype = to_torch_dtype(dtypes.promote_types(standardize_dtype(x.dtype), standardize_dtype(weights.dtype)))
    length = builtins.max(int(x.max()) + 1 if x.numel() else 0, minlength)
    if x.ndim == 1:
        return torch.bincount(x, weights=weights, minlength=length).to(dtype)
    rows = [
        torch.bincount(row, weights=None if weights is None else weights[i], minlength=length)
        for i, row in enumerate(x)
    ]
    return torch.stack(rows).to(dtype)
