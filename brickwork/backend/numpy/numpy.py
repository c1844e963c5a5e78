"""numpy backend: the NumPy-like element-wise math, reductions, comparisons and logic.

Each function takes arrays, Variables or Python scalars and returns a NumPy array of
Keras's dtype: NumPy's own rules (``sum`` of int32 is int64, ``int32 / int32`` is float64)
are overridden here. Reductions return 0-d arrays, never NumPy scalars.
"""

from __future__ import annotations

import builtins

import numpy as np

from brickwork.backend import config
from brickwork.backend.common import dtypes
from brickwork.backend.numpy.core import convert_to_tensor, standardize_dtype

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
    return x.dtype.kind in "fc" or x.dtype.name == "bfloat16"


def _to_float(x):
    """``x`` for an op whose result is float by nature: bools and ints become floatx."""
    x = convert_to_tensor(x)
    return x if _is_inexact(x) else convert_to_tensor(x, config.floatx())


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
    return np.add(x1, x2)


def subtract(x1, x2):
    x1, x2 = _promote(x1, x2)
    return np.subtract(x1, x2)


def multiply(x1, x2):
    x1, x2 = _promote(x1, x2)
    return np.multiply(x1, x2)


def divide(x1, x2):
    x1, x2 = _promote_float(x1, x2)
    return np.divide(x1, x2)


def true_divide(x1, x2):
    return divide(x1, x2)


def divide_no_nan(x1, x2):
    x1, x2 = _promote_float(x1, x2)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(x2 == 0, np.zeros((), x1.dtype), np.divide(x1, x2))


def floor_divide(x1, x2):
    x1, x2 = _promote(x1, x2)
    if x1.dtype == np.bool_:
        x1, x2 = x1.astype("int32"), x2.astype("int32")
    return np.floor_divide(x1, x2)


def mod(x1, x2):
    x1, x2 = _promote(x1, x2)
    if x1.dtype == np.bool_:
        x1, x2 = x1.astype("int32"), x2.astype("int32")
    return np.mod(x1, x2)


def power(x1, x2):
    x1, x2 = _promote(x1, x2)
    return np.power(x1, x2)


def negative(x):
    return np.negative(convert_to_tensor(x))


def reciprocal(x):
    return np.reciprocal(_to_float(x))


def square(x):
    x = convert_to_tensor(x)
    if x.dtype == np.bool_:
        x = x.astype("int32")
    return np.square(x)


def absolute(x):
    x = convert_to_tensor(x)
    return x if x.dtype == np.bool_ else np.absolute(x)


def abs(x):
    return absolute(x)


def sign(x):
    x = convert_to_tensor(x)
    return x if x.dtype == np.bool_ else np.sign(x)


def maximum(x1, x2):
    x1, x2 = _promote(x1, x2)
    return np.maximum(x1, x2)


def minimum(x1, x2):
    x1, x2 = _promote(x1, x2)
    return np.minimum(x1, x2)


def _bound(value):
    return value if value is None or isinstance(value, _SCALARS) else convert_to_tensor(value)


def clip(x, x_min, x_max):
    x = convert_to_tensor(x)
    if x.dtype == np.bool_:
        x = x.astype("int32")
    return np.clip(x, _bound(x_min), _bound(x_max)).astype(x.dtype)


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    x = convert_to_tensor(x)
    if not _is_inexact(x):
        return x
    return np.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)


# ---- float by nature: exponentials, logarithms, trigonometry ----


def sqrt(x):
    return np.sqrt(_to_float(x))


def cbrt(x):
    x = convert_to_tensor(x)
    return np.cbrt(convert_to_tensor(x, _int64_to_float64(standardize_dtype(x.dtype))))


def exp(x):
    return np.exp(_to_float(x))


def exp2(x):
    return np.exp2(_to_float(x))


def expm1(x):
    return np.expm1(_to_float(x))


def log(x):
    return np.log(_to_float(x))


def log10(x):
    return np.log10(_to_float(x))


def log1p(x):
    return np.log1p(_to_float(x))


def log2(x):
    return np.log2(_to_float(x))


def logaddexp(x1, x2):
    x1, x2 = _promote_float(x1, x2)
    return np.logaddexp(x1, x2)


def sin(x):
    return np.sin(_to_float(x))


def cos(x):
    return np.cos(_to_float(x))


def tan(x):
    return np.tan(_to_float(x))


def arcsin(x):
    return np.arcsin(_to_float(x))


def arccos(x):
    return np.arccos(_to_float(x))


def arctan(x):
    return np.arctan(_to_float(x))


def arctan2(x1, x2):
    x1, x2 = _promote_float(x1, x2)
    return np.arctan2(x1, x2)


def sinh(x):
    return np.sinh(_to_float(x))


def cosh(x):
    return np.cosh(_to_float(x))


def tanh(x):
    return np.tanh(_to_float(x))


def arcsinh(x):
    return np.arcsinh(_to_float(x))


def arccosh(x):
    return np.arccosh(_to_float(x))


def arctanh(x):
    return np.arctanh(_to_float(x))


def hypot(x1, x2):
    x1, x2 = _promote(x1, x2)
    target = _int64_to_float64(standardize_dtype(x1.dtype))
    return np.hypot(convert_to_tensor(x1, target), convert_to_tensor(x2, target))


def copysign(x1, x2):
    x1, x2 = _promote_float(x1, x2)
    return np.copysign(x1, x2)


def heaviside(x1, x2):
    x1, x2 = _promote(x1, x2)
    target = _int64_to_float64(standardize_dtype(x1.dtype))
    return np.heaviside(convert_to_tensor(x1, target), convert_to_tensor(x2, target))


def deg2rad(x):
    x = convert_to_tensor(x)
    return np.deg2rad(convert_to_tensor(x, _angle_dtype(standardize_dtype(x.dtype))))


def rad2deg(x):
    x = convert_to_tensor(x)
    return np.rad2deg(convert_to_tensor(x, _angle_dtype(standardize_dtype(x.dtype))))


# ---- rounding ----


def floor(x):
    return np.floor(_to_float(x))


def ceil(x):
    return np.ceil(_to_float(x))


def trunc(x):
    x = convert_to_tensor(x)
    return x if not _is_inexact(x) else np.trunc(x)


def round(x, decimals=0):
    x = convert_to_tensor(x)
    if _is_inexact(x) or x.dtype == np.bool_:
        return x if x.dtype == np.bool_ else np.round(x, decimals)
    if decimals >= 0:
        return x
    # Integers to the nearest multiple of 10**-decimals, half to even as NumPy.
    factor = 10 ** (-decimals)
    return (np.round(x.astype("float64") / factor) * factor).astype(x.dtype)


# ---- complex parts ----


def real(x):
    return np.real(convert_to_tensor(x))


def imag(x):
    return np.imag(convert_to_tensor(x))


def conjugate(x):
    return np.conjugate(convert_to_tensor(x))


def conj(x):
    return conjugate(x)


def angle(x):
    return np.angle(_to_float(x))


# ---- comparisons and predicates (bool results) ----


def equal(x1, x2):
    x1, x2 = _promote(x1, x2)
    return np.equal(x1, x2)


def not_equal(x1, x2):
    x1, x2 = _promote(x1, x2)
    return np.not_equal(x1, x2)


def greater(x1, x2):
    x1, x2 = _promote(x1, x2)
    return np.greater(x1, x2)


def greater_equal(x1, x2):
    x1, x2 = _promote(x1, x2)
    return np.greater_equal(x1, x2)


def less(x1, x2):
    x1, x2 = _promote(x1, x2)
    return np.less(x1, x2)


def less_equal(x1, x2):
    x1, x2 = _promote(x1, x2)
    return np.less_equal(x1, x2)


def isclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    x1, x2 = _promote(x1, x2)
    return np.isclose(x1, x2, rtol=rtol, atol=atol, equal_nan=equal_nan)


def isfinite(x):
    return np.isfinite(convert_to_tensor(x))


def isinf(x):
    return np.isinf(convert_to_tensor(x))


def isnan(x):
    return np.isnan(convert_to_tensor(x))


def signbit(x):
    return np.signbit(convert_to_tensor(x))


# ---- logic and bits ----


def logical_and(x1, x2):
    return np.logical_and(convert_to_tensor(x1), convert_to_tensor(x2))


def logical_or(x1, x2):
    return np.logical_or(convert_to_tensor(x1), convert_to_tensor(x2))


def logical_xor(x1, x2):
    return np.logical_xor(convert_to_tensor(x1), convert_to_tensor(x2))


def logical_not(x):
    return np.logical_not(convert_to_tensor(x))


def bitwise_and(x, y):
    x, y = _promote(x, y)
    return np.bitwise_and(x, y)


def bitwise_or(x, y):
    x, y = _promote(x, y)
    return np.bitwise_or(x, y)


def bitwise_xor(x, y):
    x, y = _promote(x, y)
    return np.bitwise_xor(x, y)


def bitwise_invert(x):
    return np.invert(convert_to_tensor(x))


def bitwise_not(x):
    return bitwise_invert(x)


def bitwise_left_shift(x, y):
    x, y = _promote(x, y)
    return np.left_shift(x, y)


def bitwise_right_shift(x, y):
    x, y = _promote(x, y)
    return np.right_shift(x, y)


# ---- reductions (NumPy gives scalars for full reductions: wrap them back into arrays) ----


def sum(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    dtype = dtypes.to_numpy_dtype(_widened_int(standardize_dtype(x.dtype)))
    return np.asarray(np.sum(x, axis=_axis(axis), keepdims=keepdims, dtype=dtype))


def prod(x, axis=None, keepdims=False, dtype=None):
    x = convert_to_tensor(x)
    dtype = _widened_int(standardize_dtype(x.dtype)) if dtype is None else standardize_dtype(dtype)
    return np.asarray(np.prod(x, axis=_axis(axis), keepdims=keepdims, dtype=dtypes.to_numpy_dtype(dtype)))


def mean(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    result = standardize_dtype(x.dtype)
    # Half floats accumulate in float32, as Keras, so that long means do not overflow.
    compute = dtypes.result_type(result, "float32")
    if not _is_inexact(x):
        result = compute
    out = np.mean(x, axis=_axis(axis), keepdims=keepdims, dtype=dtypes.to_numpy_dtype(compute))
    return convert_to_tensor(np.asarray(out), result)


def var(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    dtype = standardize_dtype(x.dtype)
    compute, result = dtypes.result_type(dtype, "float32"), dtypes.result_type(dtype, 1.0)
    out = np.var(x, axis=_axis(axis), keepdims=keepdims, dtype=dtypes.to_numpy_dtype(compute))
    return convert_to_tensor(np.asarray(out), result)


def std(x, axis=None, keepdims=False):
    return np.asarray(np.std(_to_float(x), axis=_axis(axis), keepdims=keepdims))


def median(x, axis=None, keepdims=False):
    x = _to_float(x)
    return np.asarray(np.median(x, axis=_axis(axis), keepdims=keepdims)).astype(x.dtype)


def quantile(x, q, axis=None, method="linear", keepdims=False):
    x = _to_float(x)
    q = convert_to_tensor(q, x.dtype)
    return np.asarray(np.quantile(x, q, axis=_axis(axis), method=method, keepdims=keepdims)).astype(x.dtype)


def max(x, axis=None, keepdims=False, initial=None):
    kwargs = {} if initial is None else {"initial": initial}
    return np.asarray(np.max(convert_to_tensor(x), axis=_axis(axis), keepdims=keepdims, **kwargs))


def min(x, axis=None, keepdims=False, initial=None):
    kwargs = {} if initial is None else {"initial": initial}
    return np.asarray(np.min(convert_to_tensor(x), axis=_axis(axis), keepdims=keepdims, **kwargs))


def amax(x, axis=None, keepdims=False):
    return np.asarray(np.amax(convert_to_tensor(x), axis=_axis(axis), keepdims=keepdims))


def amin(x, axis=None, keepdims=False):
    return np.asarray(np.amin(convert_to_tensor(x), axis=_axis(axis), keepdims=keepdims))


def all(x, axis=None, keepdims=False):
    return np.asarray(np.all(convert_to_tensor(x), axis=_axis(axis), keepdims=keepdims))


def any(x, axis=None, keepdims=False):
    return np.asarray(np.any(convert_to_tensor(x), axis=_axis(axis), keepdims=keepdims))


def argmax(x, axis=None, keepdims=False):
    return np.asarray(np.argmax(convert_to_tensor(x), axis=axis, keepdims=keepdims), dtype="int32")


def argmin(x, axis=None, keepdims=False):
    return np.asarray(np.argmin(convert_to_tensor(x), axis=axis, keepdims=keepdims), dtype="int32")


def count_nonzero(x, axis=None):
    return np.asarray(np.count_nonzero(convert_to_tensor(x), axis=_axis(axis)), dtype="int32")


def _cumulative_dtype(x, dtype) -> str:
    dtype = standardize_dtype(x.dtype if dtype is None else dtype)
    return "int32" if dtype == "bool" else dtype


def cumsum(x, axis=None, dtype=None):
    x = convert_to_tensor(x)
    return np.cumsum(x, axis=axis, dtype=dtypes.to_numpy_dtype(_cumulative_dtype(x, dtype)))


def cumprod(x, axis=None, dtype=None):
    x = convert_to_tensor(x)
    return np.cumprod(x, axis=axis, dtype=dtypes.to_numpy_dtype(_cumulative_dtype(x, dtype)))


def average(x, axis=None, weights=None):
    x = convert_to_tensor(x)
    if weights is None:
        return np.asarray(np.average(_to_float(x), axis=_axis(axis)))
    x, weights = _promote_float(x, weights)
    return np.asarray(np.average(x, axis=_axis(axis), weights=weights))


def bincount(x, weights=None, minlength=0, sparse=False):
    if sparse:
        raise ValueError("bincount: sparse=True is not supported by the numpy backend.")
    x = convert_to_tensor(x)
    dtype = "int32"
    if weights is not None:
        weights = convert_to_tensor(weights)
        dtype = dtypes.result_type(standardize_dtype(x.dtype), standardize_dtype(weights.dtype))
    length = builtins.max(int(np.max(x)) + 1 if x.size else 0, minlength)
    if x.ndim == 1:
        return convert_to_tensor(np.bincount(x, weights=weights, minlength=length), dtype)
    rows = [
        np.bincount(row, weights=None if weights is None else weights[i], minlength=length)
        for i, row in enumerate(x)
    ]
    return convert_to_tensor(np.stack(rows), dtype)
