"""jax backend: the NumPy-like element-wise math, reductions, comparisons and logic.

Each function takes arrays, Variables or Python scalars and returns a ``jax.Array`` of
Keras's dtype. 64-bit mode is on, so every dtype that JAX would widen (``sum`` of int32,
``argmax``, ``mean`` of ints) is spelled out here.
"""

from __future__ import annotations

import builtins

import jax.numpy as jnp

from brickwork.backend import config
from brickwork.backend.common import dtypes
from brickwork.backend.jax.core import convert_to_tensor, standardize_dtype

_SCALARS = (int, float, bool, complex)
_SMALL_INTS = ("int8", "int16", "int32", "uint8", "uint16", "uint32")


# ---- dtype helpers ----


def _promote(x1, x2):
    """Both operands as arrays of Keras's result dtype; Python scalars stay weak."""
    if isinstance(x1, _SCALARS):
        x2 = convert_to_tensor(x2)
        target = dtypes.result_type(standardize_dtype(x2.dtype), x1)
        return convert_to_tensor(x1, target), convert_to_tensor(x2, target)
    if isinstance(x2, _SCALARS):
        x1 = convert_to_tensor(x1)
        target = dtypes.result_type(standardize_dtype(x1.dtype), x2)
        return convert_to_tensor(x1, target), convert_to_tensor(x2, target)
    x1 = convert_to_tensor(x1)
    x2 = convert_to_tensor(x2)
    if x1.dtype != x2.dtype:
        target = dtypes.result_type(standardize_dtype(x1.dtype), standardize_dtype(x2.dtype))
        x1, x2 = convert_to_tensor(x1, target), convert_to_tensor(x2, target)
    return x1, x2


def _weak_dtype(x):
    """The dtype ``result_type`` sees: the Python scalar itself, else the array's dtype."""
    return x if isinstance(x, _SCALARS) else standardize_dtype(convert_to_tensor(x).dtype)


def _promote_float(x1, x2):
    """Both operands in ``result_type(x1, x2, float)``: ints and bools become floatx."""
    target = dtypes.result_type(_weak_dtype(x1), _weak_dtype(x2), 1.0)
    return convert_to_tensor(x1, target), convert_to_tensor(x2, target)


def _is_inexact(x) -> bool:
    return jnp.issubdtype(x.dtype, jnp.inexact)


def _to_float(x):
    """``x`` for an op whose result is float by nature: bools and ints become floatx."""
    x = convert_to_tensor(x)
    return x if _is_inexact(x) else x.astype(config.floatx())


def _widened_int(dtype: str) -> str:
    """The dtype of ``sum``/``prod`` over ``dtype``: small ints accumulate in 32 bits, as JAX."""
    if dtype in ("bool", "int8", "int16"):
        return "int32"
    if dtype in ("uint8", "uint16"):
        return "uint32"
    return dtype


def _int64_to_float64(dtype: str) -> str:
    """Keras's rule for ``cbrt``/``hypot``/``heaviside``: int64 -> float64, other ints -> floatx."""
    if dtype == "int64":
        return "float64"
    if dtype == "bool" or dtype in _SMALL_INTS:
        return config.floatx()
    return dtype


def _angle_dtype(dtype: str) -> str:
    """``deg2rad``/``rad2deg``: int64 and float64 -> float64, half floats kept, else floatx."""
    if dtype in ("int64", "float64"):
        return "float64"
    if dtype in ("bfloat16", "float16"):
        return dtype
    return config.floatx()


def _axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


# ---- arithmetic ----


def add(x1, x2):
    x1, x2 = _promote(x1, x2)
    return jnp.add(x1, x2)


def subtract(x1, x2):
    x1, x2 = _promote(x1, x2)
    return jnp.subtract(x1, x2)


def multiply(x1, x2):
    x1, x2 = _promote(x1, x2)
    return jnp.multiply(x1, x2)


def divide(x1, x2):
    x1, x2 = _promote_float(x1, x2)
    return jnp.divide(x1, x2)


def true_divide(x1, x2):
    return divide(x1, x2)


def divide_no_nan(x1, x2):
    x1, x2 = _promote_float(x1, x2)
    zero = x2 == 0
    # The inner where keeps the gradient finite where x2 == 0.
    return jnp.where(zero, jnp.zeros((), x1.dtype), jnp.divide(x1, jnp.where(zero, jnp.ones((), x2.dtype), x2)))


def floor_divide(x1, x2):
    x1, x2 = _promote(x1, x2)
    if x1.dtype == jnp.bool_:
        x1, x2 = x1.astype("int32"), x2.astype("int32")
    return jnp.floor_divide(x1, x2)


def mod(x1, x2):
    x1, x2 = _promote(x1, x2)
    if x1.dtype == jnp.bool_:
        x1, x2 = x1.astype("int32"), x2.astype("int32")
    return jnp.mod(x1, x2)


def power(x1, x2):
    x1, x2 = _promote(x1, x2)
    return jnp.power(x1, x2)


def negative(x):
    return jnp.negative(convert_to_tensor(x))


def reciprocal(x):
    return jnp.reciprocal(_to_float(x))


def square(x):
    x = convert_to_tensor(x)
    if x.dtype == jnp.bool_:
        x = x.astype("int32")
    return jnp.square(x)


def absolute(x):
    x = convert_to_tensor(x)
    return x if x.dtype == jnp.bool_ else jnp.absolute(x)


def abs(x):
    return absolute(x)


def sign(x):
    x = convert_to_tensor(x)
    return x if x.dtype == jnp.bool_ else jnp.sign(x)


def maximum(x1, x2):
    x1, x2 = _promote(x1, x2)
    return jnp.maximum(x1, x2)


def minimum(x1, x2):
    x1, x2 = _promote(x1, x2)
    return jnp.minimum(x1, x2)


def _bound(value):
    return value if value is None or isinstance(value, _SCALARS) else convert_to_tensor(value)


def clip(x, x_min, x_max):
    x = convert_to_tensor(x)
    if x.dtype == jnp.bool_:
        x = x.astype("int32")
    return jnp.clip(x, _bound(x_min), _bound(x_max)).astype(x.dtype)


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    x = convert_to_tensor(x)
    if not _is_inexact(x):
        return x
    return jnp.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)


# ---- float by nature: exponentials, logarithms, trigonometry ----


def sqrt(x):
    return jnp.sqrt(_to_float(x))


def cbrt(x):
    x = convert_to_tensor(x)
    return jnp.cbrt(x.astype(_int64_to_float64(standardize_dtype(x.dtype))))


def exp(x):
    return jnp.exp(_to_float(x))


def exp2(x):
    return jnp.exp2(_to_float(x))


def expm1(x):
    return jnp.expm1(_to_float(x))


def log(x):
    return jnp.log(_to_float(x))


def log10(x):
    return jnp.log10(_to_float(x))


def log1p(x):
    return jnp.log1p(_to_float(x))


def log2(x):
    return jnp.log2(_to_float(x))


def logaddexp(x1, x2):
    x1, x2 = _promote_float(x1, x2)
    return jnp.logaddexp(x1, x2)


def sin(x):
    return jnp.sin(_to_float(x))


def cos(x):
    return jnp.cos(_to_float(x))


def tan(x):
    return jnp.tan(_to_float(x))


def arcsin(x):
    return jnp.arcsin(_to_float(x))


def arccos(x):
    return jnp.arccos(_to_float(x))


def arctan(x):
    return jnp.arctan(_to_float(x))


def arctan2(x1, x2):
    x1, x2 = _promote_float(x1, x2)
    return jnp.arctan2(x1, x2)


def sinh(x):
    return jnp.sinh(_to_float(x))


def cosh(x):
    return jnp.cosh(_to_float(x))


def tanh(x):
    return jnp.tanh(_to_float(x))


def arcsinh(x):
    return jnp.arcsinh(_to_float(x))


def arccosh(x):
    return jnp.arccosh(_to_float(x))


def arctanh(x):
    return jnp.arctanh(_to_float(x))


def hypot(x1, x2):
    x1, x2 = _promote(x1, x2)
    target = _int64_to_float64(standardize_dtype(x1.dtype))
    return jnp.hypot(x1.astype(target), x2.astype(target))


def copysign(x1, x2):
    x1, x2 = _promote_float(x1, x2)
    return jnp.copysign(x1, x2)


def heaviside(x1, x2):
    x1, x2 = _promote(x1, x2)
    target = _int64_to_float64(standardize_dtype(x1.dtype))
    return jnp.heaviside(x1.astype(target), x2.astype(target))


def deg2rad(x):
    x = convert_to_tensor(x)
    return jnp.deg2rad(x.astype(_angle_dtype(standardize_dtype(x.dtype))))


def rad2deg(x):
    x = convert_to_tensor(x)
    return jnp.rad2deg(x.astype(_angle_dtype(standardize_dtype(x.dtype))))


# ---- rounding ----


def floor(x):
    return jnp.floor(_to_float(x))


def ceil(x):
    return jnp.ceil(_to_float(x))


def trunc(x):
    x = convert_to_tensor(x)
    return x if not _is_inexact(x) else jnp.trunc(x)


def round(x, decimals=0):
    x = convert_to_tensor(x)
    if _is_inexact(x) or x.dtype == jnp.bool_:
        return x if x.dtype == jnp.bool_ else jnp.round(x, decimals)
    if decimals >= 0:
        return x
    # Integers to the nearest multiple of 10**-decimals, half to even as NumPy.
    factor = 10 ** (-decimals)
    return (jnp.round(x.astype("float64") / factor) * factor).astype(x.dtype)


# ---- complex parts ----


def real(x):
    return jnp.real(convert_to_tensor(x))


def imag(x):
    return jnp.imag(convert_to_tensor(x))


def conjugate(x):
    return jnp.conjugate(convert_to_tensor(x))


def conj(x):
    return conjugate(x)


def angle(x):
    return jnp.angle(_to_float(x))


# ---- comparisons and predicates (bool results) ----


def equal(x1, x2):
    x1, x2 = _promote(x1, x2)
    return jnp.equal(x1, x2)


def not_equal(x1, x2):
    x1, x2 = _promote(x1, x2)
    return jnp.not_equal(x1, x2)


def greater(x1, x2):
    x1, x2 = _promote(x1, x2)
    return jnp.greater(x1, x2)


def greater_equal(x1, x2):
    x1, x2 = _promote(x1, x2)
    return jnp.greater_equal(x1, x2)


def less(x1, x2):
    x1, x2 = _promote(x1, x2)
    return jnp.less(x1, x2)


def less_equal(x1, x2):
    x1, x2 = _promote(x1, x2)
    return jnp.less_equal(x1, x2)


def isclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    x1, x2 = _promote(x1, x2)
    return jnp.isclose(x1, x2, rtol=rtol, atol=atol, equal_nan=equal_nan)


def isfinite(x):
    return jnp.isfinite(convert_to_tensor(x))


def isinf(x):
    return jnp.isinf(convert_to_tensor(x))


def isnan(x):
    return jnp.isnan(convert_to_tensor(x))


def signbit(x):
    return jnp.signbit(convert_to_tensor(x))


# ---- logic and bits ----


def logical_and(x1, x2):
    return jnp.logical_and(convert_to_tensor(x1), convert_to_tensor(x2))


def logical_or(x1, x2):
    return jnp.logical_or(convert_to_tensor(x1), convert_to_tensor(x2))


def logical_xor(x1, x2):
    return jnp.logical_xor(convert_to_tensor(x1), convert_to_tensor(x2))


def logical_not(x):
    return jnp.logical_not(convert_to_tensor(x))


def bitwise_and(x, y):
    x, y = _promote(x, y)
    return jnp.bitwise_and(x, y)


def bitwise_or(x, y):
    x, y = _promote(x, y)
    return jnp.bitwise_or(x, y)


def bitwise_xor(x, y):
    x, y = _promote(x, y)
    return jnp.bitwise_xor(x, y)


def bitwise_invert(x):
    return jnp.invert(convert_to_tensor(x))


def bitwise_not(x):
    return bitwise_invert(x)


def bitwise_left_shift(x, y):
    x, y = _promote(x, y)
    return jnp.left_shift(x, y)


def bitwise_right_shift(x, y):
    x, y = _promote(x, y)
    return jnp.right_shift(x, y)


# ---- reductions ----


def sum(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    dtype = _widened_int(standardize_dtype(x.dtype))
    return jnp.sum(x, axis=_axis(axis), keepdims=keepdims, dtype=dtype)


def prod(x, axis=None, keepdims=False, dtype=None):
    x = convert_to_tensor(x)
    dtype = _widened_int(standardize_dtype(x.dtype)) if dtype is None else standardize_dtype(dtype)
    return jnp.prod(x, axis=_axis(axis), keepdims=keepdims, dtype=dtype)


def mean(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    result = standardize_dtype(x.dtype)
    # Half floats accumulate in float32, as Keras, so that long means do not overflow.
    compute = dtypes.result_type(result, "float32")
    if not _is_inexact(x):
        result = compute
    return jnp.mean(x, axis=_axis(axis), keepdims=keepdims, dtype=compute).astype(result)


def var(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    dtype = standardize_dtype(x.dtype)
    compute, result = dtypes.result_type(dtype, "float32"), dtypes.result_type(dtype, 1.0)
    return jnp.var(x, axis=_axis(axis), keepdims=keepdims, dtype=compute).astype(result)


def std(x, axis=None, keepdims=False):
    return jnp.std(_to_float(x), axis=_axis(axis), keepdims=keepdims)


def median(x, axis=None, keepdims=False):
    return jnp.median(_to_float(x), axis=_axis(axis), keepdims=keepdims)


def quantile(x, q, axis=None, method="linear", keepdims=False):
    x = _to_float(x)
    q = convert_to_tensor(q, x.dtype)
    return jnp.quantile(x, q, axis=_axis(axis), method=method, keepdims=keepdims)


def max(x, axis=None, keepdims=False, initial=None):
    return jnp.max(convert_to_tensor(x), axis=_axis(axis), keepdims=keepdims, initial=initial)


def min(x, axis=None, keepdims=False, initial=None):
    return jnp.min(convert_to_tensor(x), axis=_axis(axis), keepdims=keepdims, initial=initial)


def amax(x, axis=None, keepdims=False):
    return jnp.amax(convert_to_tensor(x), axis=_axis(axis), keepdims=keepdims)


def amin(x, axis=None, keepdims=False):
    return jnp.amin(convert_to_tensor(x), axis=_axis(axis), keepdims=keepdims)


def all(x, axis=None, keepdims=False):
    return jnp.all(convert_to_tensor(x), axis=_axis(axis), keepdims=keepdims)


def any(x, axis=None, keepdims=False):
    return jnp.any(convert_to_tensor(x), axis=_axis(axis), keepdims=keepdims)


def argmax(x, axis=None, keepdims=False):
    return jnp.argmax(convert_to_tensor(x), axis=axis, keepdims=keepdims).astype("int32")


def argmin(x, axis=None, keepdims=False):
    return jnp.argmin(convert_to_tensor(x), axis=axis, keepdims=keepdims).astype("int32")


def count_nonzero(x, axis=None):
    return jnp.count_nonzero(convert_to_tensor(x), axis=_axis(axis)).astype("int32")


def _cumulative_dtype(x, dtype) -> str:
    dtype = standardize_dtype(x.dtype if dtype is None else dtype)
    return "int32" if dtype == "bool" else dtype


def cumsum(x, axis=None, dtype=None):
    x = convert_to_tensor(x)
    return jnp.cumsum(x, axis=axis, dtype=_cumulative_dtype(x, dtype))


def cumprod(x, axis=None, dtype=None):
    x = convert_to_tensor(x)
    return jnp.cumprod(x, axis=axis, dtype=_cumulative_dtype(x, dtype))


def average(x, axis=None, weights=None):
    x = convert_to_tensor(x)
    if weights is None:
        x = x.astype(dtypes.result_type(standardize_dtype(x.dtype), 1.0))
        return jnp.average(x, axis=_axis(axis))
    x, weights = _promote_float(x, weights)
    return jnp.average(x, axis=_axis(axis), weights=weights)


def bincount(x, weights=None, minlength=0, sparse=False):
    if sparse:
        raise ValueError("bincount: sparse=True is not supported by the jax backend.")
    x = convert_to_tensor(x)
    dtype = "int32"
    if weights is not None:
        weights = convert_to_tensor(weights)
        dtype = dtypes.result_type(standardize_dtype(x.dtype), standardize_dtype(weights.dtype))
    # The length is data-dependent: bincount is eager-only, as in Keras.
    length = builtins.max(int(jnp.max(x)) + 1 if x.size else 0, minlength)
    if x.ndim == 1:
        return jnp.bincount(x, weights=weights, length=length).astype(dtype)
    rows = [
        jnp.bincount(row, weights=None if weights is None else weights[i], length=length)
        for i, row in enumerate(x)
    ]
    return jnp.stack(rows).astype(dtype)

