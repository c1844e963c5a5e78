"""The NumPy-like element-wise math, reductions, comparisons and logic, written once against ``xp``.

Included by ``backend/<engine>/numpy.py`` (see ``common/binding.py``): the engine module binds the
names in ``REQUIRES`` and runs this code in its own namespace. Each function takes arrays,
Variables or Python scalars and returns an array of Keras's dtype; every dtype an engine would
widen on its own (``sum`` of int32, ``argmax``, ``mean`` of ints) is spelled out here. An engine
whose library differs (NumPy returns scalars from full reductions) defines those functions again.
"""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING

from brickwork.backend import config
from brickwork.backend.common import dtypes

REQUIRES = ("xp", "convert_to_tensor", "standardize_dtype")
if TYPE_CHECKING:  # bound by the including engine module
    import numpy as xp  # or jax.numpy: any NumPy-like namespace

    from brickwork.backend.common.dtypes import standardize_dtype

    def convert_to_tensor(x, dtype=None): ...

    def _bincount(x, weights, length):
        """The engine's ``bincount`` of the 1-D ``x``, ``length`` bins long."""


_SCALARS = (int, float, bool, complex)
_SMALL_INTS = ("int8", "int16", "int32", "uint8", "uint16", "uint32")


# ---- dtype helpers ----


def _promote(x1, x2):
    """Both operands as arrays of Keras's result dtype; Python scalars stay weak."""
    if isinstance(x1, _SCALARS):
        x2 = convert_to_tensor(x2)
        target = dtypes.promote_types(standardize_dtype(x2.dtype), x1)
        return convert_to_tensor(x1, target), convert_to_tensor(x2, target)
    if isinstance(x2, _SCALARS):
        x1 = convert_to_tensor(x1)
        target = dtypes.promote_types(standardize_dtype(x1.dtype), x2)
        return convert_to_tensor(x1, target), convert_to_tensor(x2, target)
    x1 = convert_to_tensor(x1)
    x2 = convert_to_tensor(x2)
    if x1.dtype != x2.dtype:
        target = dtypes.promote_types(standardize_dtype(x1.dtype), standardize_dtype(x2.dtype))
        x1, x2 = convert_to_tensor(x1, target), convert_to_tensor(x2, target)
    return x1, x2


def _weak_dtype(x):
    """The dtype ``result_type`` sees: the Python scalar itself, else the array's dtype."""
    return x if isinstance(x, _SCALARS) else standardize_dtype(convert_to_tensor(x).dtype)


def _promote_float(x1, x2):
    """Both operands in ``result_type(x1, x2, float)``: ints and bools become floatx."""
    target = dtypes.promote_types(_weak_dtype(x1), _weak_dtype(x2), 1.0)
    return convert_to_tensor(x1, target), convert_to_tensor(x2, target)


def _is_inexact(x) -> bool:
    return xp.issubdtype(x.dtype, xp.inexact)


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
    return xp.add(x1, x2)


def subtract(x1, x2):
    x1, x2 = _promote(x1, x2)
    return xp.subtract(x1, x2)


def multiply(x1, x2):
    x1, x2 = _promote(x1, x2)
    return xp.multiply(x1, x2)


def divide(x1, x2):
    x1, x2 = _promote_float(x1, x2)
    return xp.divide(x1, x2)


def true_divide(x1, x2):
    return divide(x1, x2)


def divide_no_nan(x1, x2):
    x1, x2 = _promote_float(x1, x2)
    zero = x2 == 0
    # The inner where keeps the gradient finite where x2 == 0.
    return xp.where(zero, xp.zeros((), x1.dtype), xp.divide(x1, xp.where(zero, xp.ones((), x2.dtype), x2)))


def floor_divide(x1, x2):
    x1, x2 = _promote(x1, x2)
    if x1.dtype == xp.bool_:
        x1, x2 = x1.astype("int32"), x2.astype("int32")
    return xp.floor_divide(x1, x2)


def mod(x1, x2):
    x1, x2 = _promote(x1, x2)
    if x1.dtype == xp.bool_:
        x1, x2 = x1.astype("int32"), x2.astype("int32")
    return xp.mod(x1, x2)


def power(x1, x2):
    x1, x2 = _promote(x1, x2)
    return xp.power(x1, x2)


def negative(x):
    return xp.negative(convert_to_tensor(x))


def reciprocal(x):
    return xp.reciprocal(_to_float(x))


def square(x):
    x = convert_to_tensor(x)
    if x.dtype == xp.bool_:
        x = x.astype("int32")
    return xp.square(x)


def absolute(x):
    x = convert_to_tensor(x)
    return x if x.dtype == xp.bool_ else xp.absolute(x)


def abs(x):
    return absolute(x)


def sign(x):
    x = convert_to_tensor(x)
    return x if x.dtype == xp.bool_ else xp.sign(x)


def maximum(x1, x2):
    x1, x2 = _promote(x1, x2)
    return xp.maximum(x1, x2)


def minimum(x1, x2):
    x1, x2 = _promote(x1, x2)
    return xp.minimum(x1, x2)


def _bound(value):
    return value if value is None or isinstance(value, _SCALARS) else convert_to_tensor(value)


def clip(x, x_min, x_max):
    x = convert_to_tensor(x)
    if x.dtype == xp.bool_:
        x = x.astype("int32")
    return xp.clip(x, _bound(x_min), _bound(x_max)).astype(x.dtype)


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    x = convert_to_tensor(x)
    if not _is_inexact(x):
        return x
    return xp.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)


# ---- float by nature: exponentials, logarithms, trigonometry ----


def sqrt(x):
    return xp.sqrt(_to_float(x))


def cbrt(x):
    x = convert_to_tensor(x)
    return xp.cbrt(convert_to_tensor(x, _int64_to_float64(standardize_dtype(x.dtype))))


def exp(x):
    return xp.exp(_to_float(x))


def exp2(x):
    return xp.exp2(_to_float(x))


def expm1(x):
    return xp.expm1(_to_float(x))


def log(x):
    return xp.log(_to_float(x))


def log10(x):
    return xp.log10(_to_float(x))


def log1p(x):
    return xp.log1p(_to_float(x))


def log2(x):
    return xp.log2(_to_float(x))


def logaddexp(x1, x2):
    x1, x2 = _promote_float(x1, x2)
    return xp.logaddexp(x1, x2)


def sin(x):
    return xp.sin(_to_float(x))


def cos(x):
    return xp.cos(_to_float(x))


def tan(x):
    return xp.tan(_to_float(x))


def arcsin(x):
    return xp.arcsin(_to_float(x))


def arccos(x):
    return xp.arccos(_to_float(x))


def arctan(x):
    return xp.arctan(_to_float(x))


def arctan2(x1, x2):
    x1, x2 = _promote_float(x1, x2)
    return xp.arctan2(x1, x2)


def sinh(x):
    return xp.sinh(_to_float(x))


def cosh(x):
    return xp.cosh(_to_float(x))


def tanh(x):
    return xp.tanh(_to_float(x))


def arcsinh(x):
    return xp.arcsinh(_to_float(x))


def arccosh(x):
    return xp.arccosh(_to_float(x))


def arctanh(x):
    return xp.arctanh(_to_float(x))


def hypot(x1, x2):
    x1, x2 = _promote(x1, x2)
    target = _int64_to_float64(standardize_dtype(x1.dtype))
    return xp.hypot(convert_to_tensor(x1, target), convert_to_tensor(x2, target))


def copysign(x1, x2):
    x1, x2 = _promote_float(x1, x2)
    return xp.copysign(x1, x2)


def heaviside(x1, x2):
    x1, x2 = _promote(x1, x2)
    target = _int64_to_float64(standardize_dtype(x1.dtype))
    return xp.heaviside(convert_to_tensor(x1, target), convert_to_tensor(x2, target))


def deg2rad(x):
    x = convert_to_tensor(x)
    return xp.deg2rad(convert_to_tensor(x, _angle_dtype(standardize_dtype(x.dtype))))


def rad2deg(x):
    x = convert_to_tensor(x)
    return xp.rad2deg(convert_to_tensor(x, _angle_dtype(standardize_dtype(x.dtype))))


# ---- rounding ----


def floor(x):
    return xp.floor(_to_float(x))


def ceil(x):
    return xp.ceil(_to_float(x))


def trunc(x):
    x = convert_to_tensor(x)
    return x if not _is_inexact(x) else xp.trunc(x)


def round(x, decimals=0):
    x = convert_to_tensor(x)
    if _is_inexact(x) or x.dtype == xp.bool_:
        return x if x.dtype == xp.bool_ else xp.round(x, decimals)
    if decimals >= 0:
        return x
    # Integers to the nearest multiple of 10**-decimals, half to even as NumPy.
    factor = 10 ** (-decimals)
    return (xp.round(x.astype("float64") / factor) * factor).astype(x.dtype)


# ---- complex parts ----


def real(x):
    return xp.real(convert_to_tensor(x))


def imag(x):
    return xp.imag(convert_to_tensor(x))


def conjugate(x):
    return xp.conjugate(convert_to_tensor(x))


def conj(x):
    return conjugate(x)


def angle(x):
    return xp.angle(_to_float(x))


# ---- comparisons and predicates (bool results) ----


def equal(x1, x2):
    x1, x2 = _promote(x1, x2)
    return xp.equal(x1, x2)


def not_equal(x1, x2):
    x1, x2 = _promote(x1, x2)
    return xp.not_equal(x1, x2)


def greater(x1, x2):
    x1, x2 = _promote(x1, x2)
    return xp.greater(x1, x2)


def greater_equal(x1, x2):
    x1, x2 = _promote(x1, x2)
    return xp.greater_equal(x1, x2)


def less(x1, x2):
    x1, x2 = _promote(x1, x2)
    return xp.less(x1, x2)


def less_equal(x1, x2):
    x1, x2 = _promote(x1, x2)
    return xp.less_equal(x1, x2)


def isclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    x1, x2 = _promote(x1, x2)
    return xp.isclose(x1, x2, rtol=rtol, atol=atol, equal_nan=equal_nan)


def isfinite(x):
    return xp.isfinite(convert_to_tensor(x))


def isinf(x):
    return xp.isinf(convert_to_tensor(x))


def isnan(x):
    return xp.isnan(convert_to_tensor(x))


def signbit(x):
    return xp.signbit(convert_to_tensor(x))


# ---- logic and bits ----


def logical_and(x1, x2):
    return xp.logical_and(convert_to_tensor(x1), convert_to_tensor(x2))


def logical_or(x1, x2):
    return xp.logical_or(convert_to_tensor(x1), convert_to_tensor(x2))


def logical_xor(x1, x2):
    return xp.logical_xor(convert_to_tensor(x1), convert_to_tensor(x2))


def logical_not(x):
    return xp.logical_not(convert_to_tensor(x))


def bitwise_and(x, y):
    x, y = _promote(x, y)
    return xp.bitwise_and(x, y)


def bitwise_or(x, y):
    x, y = _promote(x, y)
    return xp.bitwise_or(x, y)


def bitwise_xor(x, y):
    x, y = _promote(x, y)
    return xp.bitwise_xor(x, y)


def bitwise_invert(x):
    return xp.invert(convert_to_tensor(x))


def bitwise_not(x):
    return bitwise_invert(x)


def bitwise_left_shift(x, y):
    x, y = _promote(x, y)
    return xp.left_shift(x, y)


def bitwise_right_shift(x, y):
    x, y = _promote(x, y)
    return xp.right_shift(x, y)


# ---- reductions ----


def sum(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    dtype = _widened_int(standardize_dtype(x.dtype))
    return xp.sum(x, axis=_axis(axis), keepdims=keepdims, dtype=dtype)


def prod(x, axis=None, keepdims=False, dtype=None):
    x = convert_to_tensor(x)
    dtype = _widened_int(standardize_dtype(x.dtype)) if dtype is None else standardize_dtype(dtype)
    return xp.prod(x, axis=_axis(axis), keepdims=keepdims, dtype=dtype)


def mean(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    result = standardize_dtype(x.dtype)
    # Half floats accumulate in float32, as Keras, so that long means do not overflow.
    compute = dtypes.promote_types(result, "float32")
    if not _is_inexact(x):
        result = compute
    return xp.mean(x, axis=_axis(axis), keepdims=keepdims, dtype=compute).astype(result)


def var(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    dtype = standardize_dtype(x.dtype)
    compute, result = dtypes.promote_types(dtype, "float32"), dtypes.promote_types(dtype, 1.0)
    return xp.var(x, axis=_axis(axis), keepdims=keepdims, dtype=compute).astype(result)


def std(x, axis=None, keepdims=False):
    return xp.std(_to_float(x), axis=_axis(axis), keepdims=keepdims)


def median(x, axis=None, keepdims=False):
    return xp.median(_to_float(x), axis=_axis(axis), keepdims=keepdims)


def quantile(x, q, axis=None, method="linear", keepdims=False):
    x = _to_float(x)
    q = convert_to_tensor(q, x.dtype)
    return xp.quantile(x, q, axis=_axis(axis), method=method, keepdims=keepdims)


def max(x, axis=None, keepdims=False, initial=None):
    return xp.max(convert_to_tensor(x), axis=_axis(axis), keepdims=keepdims, initial=initial)


def min(x, axis=None, keepdims=False, initial=None):
    return xp.min(convert_to_tensor(x), axis=_axis(axis), keepdims=keepdims, initial=initial)


def amax(x, axis=None, keepdims=False):
    return xp.amax(convert_to_tensor(x), axis=_axis(axis), keepdims=keepdims)


def amin(x, axis=None, keepdims=False):
    return xp.amin(convert_to_tensor(x), axis=_axis(axis), keepdims=keepdims)


def all(x, axis=None, keepdims=False):
    return xp.all(convert_to_tensor(x), axis=_axis(axis), keepdims=keepdims)


def any(x, axis=None, keepdims=False):
    return xp.any(convert_to_tensor(x), axis=_axis(axis), keepdims=keepdims)


def argmax(x, axis=None, keepdims=False):
    return xp.argmax(convert_to_tensor(x), axis=axis, keepdims=keepdims).astype("int32")


def argmin(x, axis=None, keepdims=False):
    return xp.argmin(convert_to_tensor(x), axis=axis, keepdims=keepdims).astype("int32")


def count_nonzero(x, axis=None):
    return xp.count_nonzero(convert_to_tensor(x), axis=_axis(axis)).astype("int32")


def _cumulative_dtype(x, dtype) -> str:
    dtype = standardize_dtype(x.dtype if dtype is None else dtype)
    return "int32" if dtype == "bool" else dtype


def cumsum(x, axis=None, dtype=None):
    x = convert_to_tensor(x)
    return xp.cumsum(x, axis=axis, dtype=_cumulative_dtype(x, dtype))


def cumprod(x, axis=None, dtype=None):
    x = convert_to_tensor(x)
    return xp.cumprod(x, axis=axis, dtype=_cumulative_dtype(x, dtype))


def average(x, axis=None, weights=None):
    x = convert_to_tensor(x)
    if weights is None:
        x = x.astype(dtypes.promote_types(standardize_dtype(x.dtype), 1.0))
        return xp.average(x, axis=_axis(axis))
    x, weights = _promote_float(x, weights)
    return xp.average(x, axis=_axis(axis), weights=weights)


def bincount(x, weights=None, minlength=0, sparse=False):
    if sparse:
        raise ValueError(f"bincount: sparse=True is not supported by the {config.backend()} backend.")
    x = convert_to_tensor(x)
    dtype = "int32"
    if weights is not None:
        weights = convert_to_tensor(weights)
        dtype = dtypes.promote_types(standardize_dtype(x.dtype), standardize_dtype(weights.dtype))
    # The length is data-dependent: bincount is eager-only, as in Keras.
    length = builtins.max(int(xp.max(x)) + 1 if x.size else 0, minlength)
    if x.ndim == 1:
        return convert_to_tensor(_bincount(x, weights, length), dtype)
    rows = [_bincount(row, None if weights is None else weights[i], length) for i, row in enumerate(x)]
    return convert_to_tensor(xp.stack(rows), dtype)
