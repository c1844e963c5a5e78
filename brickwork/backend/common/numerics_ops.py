"""NumPy's less common numerical functions (``fmax``, ``gcd``, ``nextafter``, …), written once against ``xp``.

Included by ``backend/<engine>/numerics.py`` (see ``common/binding.py``). The NaN-ignoring
reductions, percentiles and window functions are written once on ``brickwork.ops``
(``ops/numpy_numerics.py``); what is here needs an engine kernel. Results carry Keras's dtypes:
16-bit and 32-bit inputs stay as they are, as JAX without 64-bit mode would give them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from brickwork.backend import config
from brickwork.backend.common import dtypes

REQUIRES = ("xp", "convert_to_tensor", "standardize_dtype", "_promote", "_promote_float", "_to_float", "_axis")
if TYPE_CHECKING:  # bound by the including engine module
    import numpy as xp  # or jax.numpy

    from brickwork.backend.common.dtypes import standardize_dtype
    from brickwork.backend.common.numpy_ops import _axis, _promote, _promote_float, _to_float

    def convert_to_tensor(x, dtype=None): ...


def _float_dtype(x) -> str:
    """Keras's float result for ``x``: floats keep their dtype, int64 gives float64, others floatx."""
    dtype = standardize_dtype(x.dtype)
    if dtype == "int64":
        return "float64"
    return dtype if dtype in dtypes.FLOAT_TYPES else config.floatx()


def fmax(x1, x2):
    x1, x2 = _promote(x1, x2)
    return xp.fmax(x1, x2)


def fmin(x1, x2):
    x1, x2 = _promote(x1, x2)
    return xp.fmin(x1, x2)


def fmod(x1, x2):
    x1, x2 = _promote(x1, x2)
    if standardize_dtype(x1.dtype) == "bool":
        x1, x2 = convert_to_tensor(x1, "int32"), convert_to_tensor(x2, "int32")
    return xp.fmod(x1, x2)


def _integers(name, x1, x2):
    x1, x2 = _promote(x1, x2)
    if standardize_dtype(x1.dtype) not in dtypes.INT_TYPES:
        raise TypeError(f"{name} takes integer tensors. Received: dtype={standardize_dtype(x1.dtype)}")
    return x1, x2


def gcd(x1, x2):
    x1, x2 = _integers("gcd", x1, x2)
    return convert_to_tensor(xp.gcd(x1, x2), standardize_dtype(x1.dtype))


def lcm(x1, x2):
    x1, x2 = _integers("lcm", x1, x2)
    return convert_to_tensor(xp.lcm(x1, x2), standardize_dtype(x1.dtype))


def ldexp(x1, x2):
    x1 = convert_to_tensor(x1)
    x2 = convert_to_tensor(x2)
    if standardize_dtype(x2.dtype) not in dtypes.INT_TYPES:
        raise TypeError(f"ldexp: the exponent must be an integer tensor. Received: x2 dtype={standardize_dtype(x2.dtype)}")
    x1 = _to_float(x1)
    return convert_to_tensor(xp.ldexp(x1, convert_to_tensor(x2, "int32")), standardize_dtype(x1.dtype))


def nextafter(x1, x2):
    x1, x2 = _promote_float(x1, x2)
    return xp.nextafter(x1, x2)


def logaddexp2(x1, x2):
    x1, x2 = _promote_float(x1, x2)
    return xp.logaddexp2(x1, x2)


def sinc(x):
    x = convert_to_tensor(x)
    return xp.sinc(convert_to_tensor(x, _float_dtype(x)))


def i0(x):
    x = convert_to_tensor(x)
    dtype = _float_dtype(x)
    compute = "float32" if dtype in ("float16", "bfloat16") else dtype
    return convert_to_tensor(xp.i0(convert_to_tensor(x, compute)), dtype)


def isin(x1, x2, assume_unique=False, invert=False):
    x1, x2 = _promote(x1, x2)
    return xp.isin(x1, x2, assume_unique=assume_unique, invert=invert)


def nanquantile(x, q, axis=None, method="linear", keepdims=False):
    x = _to_float(x)
    if method == "linear" and isinstance(q, (int, float)) and q == 0.5:
        # The median's own routine averages the middle values; interpolation would make NaN of -inf..inf.
        return xp.nanmedian(x, axis=_axis(axis), keepdims=keepdims)
    q = convert_to_tensor(q, standardize_dtype(x.dtype))
    return xp.nanquantile(x, q, axis=_axis(axis), method=method, keepdims=keepdims)
