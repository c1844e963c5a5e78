"""torch backend: NumPy's less common numerical functions (``fmax``, ``gcd``, ``nextafter``, …).

The NaN-ignoring reductions, percentiles, window functions and the like are written once on
``brickwork.ops`` (``ops/numpy_numerics.py``); what is here needs an engine kernel.
"""

from __future__ import annotations

import torch

from brickwork.backend import config
from brickwork.backend.common import dtypes
from brickwork.backend.torch.core import convert_to_tensor, standardize_dtype, to_torch_dtype
from brickwork.backend.torch.numpy import _canonical_dims, _promote, _promote_float, _to_float


def _float_dtype(x) -> torch.dtype:
    """Keras's float result for ``x``: floats keep their dtype, int64 gives float64, others floatx."""
    dtype = standardize_dtype(x.dtype)
    if dtype == "int64":
        return torch.float64
    return x.dtype if x.is_floating_point() else to_torch_dtype(config.floatx())


def fmax(x1, x2):
    x1, x2 = _promote(x1, x2)
    if x1.dtype == torch.bool:
        return torch.logical_or(x1, x2)
    return torch.fmax(x1, x2)


def fmin(x1, x2):
    x1, x2 = _promote(x1, x2)
    if x1.dtype == torch.bool:
        return torch.logical_and(x1, x2)
    return torch.fmin(x1, x2)


def fmod(x1, x2):
    x1, x2 = _promote(x1, x2)
    if x1.dtype == torch.bool:
        x1, x2 = x1.to(torch.int32), x2.to(torch.int32)
    return torch.fmod(x1, x2)


def _integers(name, x1, x2):
    x1, x2 = _promote(x1, x2)
    if x1.is_floating_point() or x1.is_complex() or x1.dtype == torch.bool:
        raise TypeError(f"{name} takes integer tensors. Received: dtype={standardize_dtype(x1.dtype)}")
    return x1, x2


def gcd(x1, x2):
    return torch.gcd(*_integers("gcd", x1, x2))


def lcm(x1, x2):
    return torch.lcm(*_integers("lcm", x1, x2))


def ldexp(x1, x2):
    x1 = convert_to_tensor(x1)
    x2 = convert_to_tensor(x2)
    if standardize_dtype(x2.dtype) not in dtypes.INT_TYPES:
        raise TypeError(f"ldexp: the exponent must be an integer tensor. Received: x2 dtype={standardize_dtype(x2.dtype)}")
    x1 = _to_float(x1)
    return (x1 * torch.pow(torch.tensor(2.0, dtype=x1.dtype, device=x1.device), x2.to(x1.dtype))).to(x1.dtype)


def nextafter(x1, x2):
    x1, x2 = _promote_float(x1, x2)
    if x1.dtype in (torch.float16, torch.bfloat16):
        return _half_nextafter(x1, x2)
    return torch.nextafter(x1, x2)


def _half_nextafter(x1, x2):
    """nextafter for 16-bit floats (torch has no kernel): one step of the bit pattern, as IEEE defines it."""
    x1, x2 = torch.broadcast_tensors(x1, x2)
    bits = x1.view(torch.int16)
    away = (x2 > x1) == (x1 > 0)  # moving away from zero adds one to the magnitude's bits
    stepped = torch.where(away, bits + 1, bits - 1).view(x1.dtype)
    sign = torch.where(x2 < 0, -1.0, 1.0).to(x1.dtype)
    smallest = torch.tensor(1, dtype=torch.int16, device=x1.device).view(x1.dtype) * sign
    out = torch.where(x1 == 0, smallest, stepped)
    out = torch.where(x1 == x2, x2, out)
    return torch.where(torch.isnan(x1) | torch.isnan(x2), x1 + x2, out)


def logaddexp2(x1, x2):
    x1, x2 = _promote_float(x1, x2)
    return torch.logaddexp2(x1, x2)


def sinc(x):
    x = convert_to_tensor(x)
    return torch.sinc(x.to(_float_dtype(x)))


def i0(x):
    x = convert_to_tensor(x)
    dtype = _float_dtype(x)
    compute = torch.float32 if dtype in (torch.float16, torch.bfloat16) else dtype
    return torch.special.i0(x.to(compute)).to(dtype)


def isin(x1, x2, assume_unique=False, invert=False):
    x1, x2 = _promote(x1, x2)
    return torch.isin(x1, x2, assume_unique=assume_unique, invert=invert)


def nanquantile(x, q, axis=None, method="linear", keepdims=False):
    x = _to_float(x)
    result = x.dtype
    if x.dtype not in (torch.float32, torch.float64):
        x = x.to(torch.float32)
    q = convert_to_tensor(q, standardize_dtype(x.dtype))
    dims = _canonical_dims(axis, x.ndim)
    kept = [d for d in range(x.ndim) if d not in dims]
    flat = x.permute(*kept, *dims).reshape(*[x.shape[d] for d in kept], -1)
    out = torch.nanquantile(flat, q, dim=-1, interpolation=method)
    if keepdims:
        out = out.reshape(*q.shape, *[1 if d in dims else n for d, n in enumerate(x.shape)])
    return out.to(result)
