"""NumPy's less common numerical ops: ``fmax``, ``gcd``, ``nextafter``, NaN-ignoring reductions, percentiles, windows.

The element-wise kernels (``fmax``, ``fmod``, ``gcd``, ``ldexp``, ``nextafter``, ``i0``, ``isin``,
``nanquantile``, …) are bound to ``brickwork.backend.active.numerics.<name>``. The rest is written
once on the other ops, so that every engine (and the symbolic path) shares one definition and
Keras's dtype rules follow from the ops they are made of: ``nansum`` is ``sum`` with NaNs as zeros
(int8 sums in int32), ``nanmean`` of integers is floatx, ``ptp`` keeps the input's dtype, and the
window functions are floatx.
"""

from __future__ import annotations

import numpy as _np

from brickwork.backend import config as _config
from brickwork.backend import convert_to_tensor as _convert_to_tensor
from brickwork.backend import standardize_dtype as _standardize_dtype
from brickwork.backend.common import dtypes as _dtypes
from brickwork.backend.common.keras_tensor import KerasTensor as _KerasTensor
from brickwork.ops import core as _core
from brickwork.ops import numpy_arrays as _arrays
from brickwork.ops import numpy_math as _math
from brickwork.ops import shape_rules as _rules
from brickwork.ops._dispatch import backend_op
from brickwork.ops._dispatch import with_spec as _with_spec


def _tensor(x):
    """``x`` as a tensor (KerasTensors and engine tensors pass through)."""
    return x if hasattr(x, "dtype") and hasattr(x, "shape") else _convert_to_tensor(x)


def _dtype(x) -> str:
    return _standardize_dtype(x.dtype)


def _has_nan(x) -> bool:
    """Whether ``x``'s dtype can hold NaN (integers and bools cannot, so the plain reduction serves)."""
    return _dtype(x) in _dtypes.FLOAT_TYPES or _dtype(x) in _dtypes.COMPLEX_TYPES


def _nan_as(x, value):
    return _arrays.where(_math.isnan(x), _arrays.full_like(x, value), x)


# ---- element-wise, with an engine kernel ----


@backend_op("numerics")
def fmax(x1, x2):
    """Element-wise maximum that ignores NaN (the other operand wins; NaN only where both are NaN).

    Args:
        x1: the first input tensor or array-like.
        x2: the second input tensor or array-like; it broadcasts against ``x1``.

    Returns:
        A tensor of the broadcast shape of ``x1`` and ``x2``, in the dtype the two promote to.

    Example:
    >>> ops.fmax([1.0, float("nan")], [float("nan"), 2.0])   # [1.0, 2.0]
    """


@backend_op("numerics")
def fmin(x1, x2):
    """Element-wise minimum that ignores NaN.

    Args:
        x1: the first input tensor or array-like.
        x2: the second input tensor or array-like; it broadcasts against ``x1``.

    Returns:
        A tensor of the broadcast shape of ``x1`` and ``x2``, in the dtype the two promote to.

    Example:
    >>> ops.fmin([1.0, float("nan")], [0.5, 2.0])   # [0.5, 2.0]
    """


@backend_op("numerics")
def fmod(x1, x2):
    """Remainder of ``x1 / x2`` with the sign of ``x1`` (C's ``fmod``, unlike ``mod``).

    Args:
        x1: the dividend (tensor or array-like).
        x2: the divisor; it broadcasts against ``x1``.

    Returns:
        A tensor of the broadcast shape of ``x1`` and ``x2``, in the dtype the two promote to, with
            the sign of ``x1``.

    Example:
    >>> ops.fmod([-3, 3], 2)   # [-1, 1]
    """


@backend_op("numerics", spec=_rules.elementwise_spec)
def gcd(x1, x2):
    """Greatest common divisor of integer tensors, element-wise.

    Args:
        x1: the first integer tensor.
        x2: the second integer tensor; it broadcasts against ``x1``.

    Returns:
        A tensor of the broadcast shape of ``x1`` and ``x2``, in the integer dtype the two promote to.

    Example:
    >>> ops.gcd([12, 20], [8, 15])   # [4, 5]
    """


@backend_op("numerics", spec=_rules.elementwise_spec)
def lcm(x1, x2):
    """Least common multiple of integer tensors, element-wise.

    Args:
        x1: the first integer tensor.
        x2: the second integer tensor; it broadcasts against ``x1``.

    Returns:
        A tensor of the broadcast shape of ``x1`` and ``x2``, in the integer dtype the two promote to.

    Example:
    >>> ops.lcm([4, 6], [6, 10])   # [12, 30]
    """


@backend_op("numerics", spec=_rules.ldexp_spec)
def ldexp(x1, x2):
    """``x1 * 2 ** x2`` element-wise; ``x2`` must be an integer tensor, integer ``x1`` gives floatx.

    Args:
        x1: the mantissas (tensor or array-like).
        x2: the integer exponents of 2; they broadcast against ``x1``.

    Returns:
        A tensor of the broadcast shape of ``x1`` and ``x2``, floating: the dtype of a floating ``x1``, floatx
            for an integer one.

    Example:
    >>> ops.ldexp([1.0, 3.0], ops.convert_to_tensor([2, 1]))   # [4.0, 6.0]
    """


@backend_op("numerics")
def nextafter(x1, x2):
    """The next representable float after ``x1`` in the direction of ``x2``, element-wise.

    Args:
        x1: the starting values (tensor or array-like).
        x2: the direction to step toward; it broadcasts against ``x1``.

    Returns:
        A tensor of the broadcast shape of ``x1`` and ``x2``, floating: integer inputs give floatx.

    Example:
    >>> ops.nextafter(1.0, 2.0)   # 1.0000001 in float32
    """


@backend_op("numerics")
def logaddexp2(x1, x2):
    """``log2(2 ** x1 + 2 ** x2)`` element-wise, without overflow; integers give floatx.

    Args:
        x1: the first input tensor or array-like.
        x2: the second input tensor or array-like; it broadcasts against ``x1``.

    Returns:
        A tensor of the broadcast shape of ``x1`` and ``x2``, floating: integer inputs give floatx.

    Example:
    >>> ops.logaddexp2(1.0, 1.0)   # 2.0
    """


@backend_op("numerics")
def sinc(x):
    """The normalized sinc, ``sin(pi x) / (pi x)`` (1 at 0); integers give floatx.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x``: floating inputs keep their dtype, integer inputs give floatx.

    Example:
    >>> ops.sinc([0.0, 0.5])   # [1.0, 0.63661975]
    """


@backend_op("numerics")
def i0(x):
    """The modified Bessel function of the first kind, order 0; integers give floatx.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x``: floating inputs keep their dtype, integer inputs give floatx.

    Example:
    >>> ops.i0([0.0, 1.0])   # [1.0, 1.2660658]
    """


@backend_op("numerics")
def isin(x1, x2, assume_unique: bool = False, invert: bool = False):
    """Whether each element of ``x1`` is in ``x2`` (a bool tensor of ``x1``'s shape).

    Args:
        x1: the elements to test.
        x2: the values to look for (any shape; flattened).
        assume_unique: promise that both inputs hold unique values (may be faster).
        invert: return "not in" instead.

    Returns:
        A ``bool`` tensor of the shape of ``x1``.

    Example:
    >>> ops.isin([1, 2, 3], [2, 5])   # [False, True, False]
    """


@backend_op("numerics")
def nanquantile(x, q, axis: int | tuple[int, ...] | None = None, method: str = "linear", keepdims: bool = False):
    """The ``q``-th quantile(s) over ``axis``, ignoring NaNs; ``q`` in ``[0, 1]`` (see ``quantile``).

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        q: a scalar or 1-D tensor of 0-to-1 levels; a 1-D ``q`` adds a leading result axis.
        axis: the axis or tuple of axes to reduce; ``None`` (default) reduces over all axes.
        method: how to interpolate between data points: ``"linear"`` (default), ``"lower"``, ``"higher"``,
            ``"midpoint"`` or ``"nearest"``.
        keepdims: if ``True``, the reduced axes stay in the result with length 1; default ``False``.

    Returns:
        A float tensor: the values over ``axis``, with a leading axis of ``len(q)`` when ``q`` is 1-D.

    Example:
    >>> ops.nanquantile([1.0, float("nan"), 3.0], 0.5)   # 2.0
    """


# ---- element-wise, made of other ops ----


def fabs(x):
    """Absolute value as a float (integers give floatx).

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x``: floating inputs keep their dtype, integer inputs give floatx.

    Example:
    >>> ops.fabs([-1, 2])   # float32 [1.0, 2.0]
    """
    x = _tensor(x)
    if _dtype(x) not in _dtypes.FLOAT_TYPES:
        x = _core.cast(x, "float64" if _dtype(x) == "int64" else _config.floatx())
    return _math.absolute(x)


def isneginf(x):
    """Whether each element is negative infinity.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A ``bool`` tensor of the shape of ``x``.

    Example:
    >>> ops.isneginf([-float("inf"), 1.0])   # [True, False]
    """
    x = _tensor(x)
    return _math.logical_and(_math.isinf(x), _math.less(x, 0))


def isposinf(x):
    """Whether each element is positive infinity.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A ``bool`` tensor of the shape of ``x``.

    Example:
    >>> ops.isposinf([float("inf"), 1.0])   # [True, False]
    """
    x = _tensor(x)
    return _math.logical_and(_math.isinf(x), _math.greater(x, 0))


def isreal(x):
    """Whether each element has a zero imaginary part (always true for real dtypes).

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A ``bool`` tensor of the shape of ``x``.

    Example:
    >>> ops.isreal([1.0, 2.0])   # [True, True]
    """
    x = _tensor(x)
    if _dtype(x) in _dtypes.COMPLEX_TYPES:
        return _math.equal(_math.imag(x), 0)
    return _arrays.ones_like(x, dtype="bool")


def allclose(x1, x2, rtol: float = 1e-5, atol: float = 1e-8, equal_nan: bool = False):
    """Whether every element of ``x1`` is close to ``x2`` (``isclose`` over all elements), as a bool tensor.

    Args:
        x1: the first input tensor or array-like.
        x2: the second input tensor or array-like; it broadcasts against ``x1``.
        rtol: the relative tolerance, scaled by ``|x2|`` (default ``1e-5``).
        atol: the absolute tolerance (default ``1e-8``).
        equal_nan: if ``True``, two NaNs count as close; default ``False``.

    Returns:
        A scalar ``bool`` tensor.

    Example:
    >>> ops.allclose([1.0, 2.0], [1.0, 2.000001])   # True
    """
    return _math.all(_math.isclose(x1, x2, rtol=rtol, atol=atol, equal_nan=equal_nan))


def left_shift(x, y):
    """Alias of ``bitwise_left_shift``.

    Args:
        x: the integer tensor whose bits are shifted.
        y: the shift amounts, non-negative integers broadcasting against ``x``.

    Returns:
        A tensor of the broadcast shape of ``x`` and ``y``, in the integer dtype they promote to.

    Example:
    >>> ops.left_shift([1, 3], 2)   # [4, 12]
    """
    return _math.bitwise_left_shift(x, y)


def right_shift(x, y):
    """Alias of ``bitwise_right_shift``.

    Args:
        x: the integer tensor whose bits are shifted.
        y: the shift amounts, non-negative integers broadcasting against ``x``.

    Returns:
        A tensor of the broadcast shape of ``x`` and ``y``, in the integer dtype they promote to.

    Example:
    >>> ops.right_shift([8, 12], 2)   # [2, 3]
    """
    return _math.bitwise_right_shift(x, y)


# ---- NaN-ignoring reductions ----


def nansum(x, axis: int | tuple[int, ...] | None = None, keepdims: bool = False):
    """Sum over ``axis`` treating NaN as zero (dtypes as ``sum``).

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        axis: the axis or tuple of axes to reduce; ``None`` (default) reduces over all axes.
        keepdims: if ``True``, the reduced axes stay in the result with length 1; default ``False``.

    Returns:
        A tensor of sums, in the dtype ``sum`` gives, of the shape of ``x`` without the reduced axes (kept with
            length 1 under ``keepdims``).

    Example:
    >>> ops.nansum([1.0, float("nan"), 2.0])   # 3.0
    """
    x = _tensor(x)
    return _math.sum(_nan_as(x, 0) if _has_nan(x) else x, axis=axis, keepdims=keepdims)


def nanprod(x, axis: int | tuple[int, ...] | None = None, keepdims: bool = False):
    """Product over ``axis`` treating NaN as one (dtypes as ``prod``).

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        axis: the axis or tuple of axes to reduce; ``None`` (default) reduces over all axes.
        keepdims: if ``True``, the reduced axes stay in the result with length 1; default ``False``.

    Returns:
        A tensor of products, in the dtype ``prod`` gives, of the shape of ``x`` without the reduced axes (kept with
            length 1 under ``keepdims``).

    Example:
    >>> ops.nanprod([2.0, float("nan"), 3.0])   # 6.0
    """
    x = _tensor(x)
    return _math.prod(_nan_as(x, 1) if _has_nan(x) else x, axis=axis, keepdims=keepdims)


def _nan_count(x, axis, keepdims):
    """How many non-NaN elements each reduced slice holds, in ``x``'s dtype."""
    return _core.cast(_math.sum(_math.logical_not(_math.isnan(x)), axis=axis, keepdims=keepdims), _dtype(x))


def nanmean(x, axis: int | tuple[int, ...] | None = None, keepdims: bool = False):
    """Mean over ``axis`` ignoring NaNs (NaN for an all-NaN slice); integers give floatx.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        axis: the axis or tuple of axes to reduce; ``None`` (default) reduces over all axes.
        keepdims: if ``True``, the reduced axes stay in the result with length 1; default ``False``.

    Returns:
        A tensor of means (floating: integer inputs give floatx), of the shape of ``x`` without the reduced axes
            (kept with length 1 under ``keepdims``).

    Example:
    >>> ops.nanmean([1.0, float("nan"), 3.0])   # 2.0
    """
    x = _tensor(x)
    if not _has_nan(x):
        return _math.mean(x, axis=axis, keepdims=keepdims)
    return _math.divide(_math.sum(_nan_as(x, 0), axis=axis, keepdims=keepdims), _nan_count(x, axis, keepdims))


def nanvar(x, axis: int | tuple[int, ...] | None = None, keepdims: bool = False):
    """Variance over ``axis`` ignoring NaNs; integers give floatx.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        axis: the axis or tuple of axes to reduce; ``None`` (default) reduces over all axes.
        keepdims: if ``True``, the reduced axes stay in the result with length 1; default ``False``.

    Returns:
        A tensor of variances (floating: integer inputs give floatx), of the shape of ``x`` without the reduced axes
            (kept with length 1 under ``keepdims``).

    Example:
    >>> ops.nanvar([1.0, float("nan"), 3.0])   # 1.0
    """
    x = _tensor(x)
    if not _has_nan(x):
        return _math.var(x, axis=axis, keepdims=keepdims)
    centered = _math.subtract(x, nanmean(x, axis=axis, keepdims=True))
    squared = _math.real(_math.multiply(centered, _math.conjugate(centered)))
    return _math.divide(_math.sum(_nan_as(squared, 0), axis=axis, keepdims=keepdims), _nan_count(x, axis, keepdims))


def nanstd(x, axis: int | tuple[int, ...] | None = None, keepdims: bool = False):
    """Standard deviation over ``axis`` ignoring NaNs; integers give floatx.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        axis: the axis or tuple of axes to reduce; ``None`` (default) reduces over all axes.
        keepdims: if ``True``, the reduced axes stay in the result with length 1; default ``False``.

    Returns:
        A tensor of standard deviations (floating: integer inputs give floatx), of the shape of ``x`` without the
            reduced axes (kept with length 1 under ``keepdims``).

    Example:
    >>> ops.nanstd([1.0, float("nan"), 3.0])   # 1.0
    """
    return _math.sqrt(nanvar(x, axis=axis, keepdims=keepdims))


def _nan_extremum(reduce, fill, x, axis, keepdims):
    x = _tensor(x)
    if not _has_nan(x):
        return reduce(x, axis=axis, keepdims=keepdims)
    nan = _math.isnan(x)
    out = reduce(_nan_as(x, fill), axis=axis, keepdims=keepdims)
    all_nan = _math.all(nan, axis=axis, keepdims=keepdims)
    return _arrays.where(all_nan, _arrays.full_like(out, float("nan")), out)


def nanmax(x, axis: int | tuple[int, ...] | None = None, keepdims: bool = False):
    """Maximum over ``axis`` ignoring NaNs (NaN for an all-NaN slice).

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        axis: the axis or tuple of axes to reduce; ``None`` (default) reduces over all axes.
        keepdims: if ``True``, the reduced axes stay in the result with length 1; default ``False``.

    Returns:
        A tensor of the largest values, in the dtype of ``x``, of the shape of ``x`` without the reduced axes (kept
            with length 1 under ``keepdims``).

    Example:
    >>> ops.nanmax([1.0, float("nan"), 3.0])   # 3.0
    """
    return _nan_extremum(_math.max, -float("inf"), x, axis, keepdims)


def nanmin(x, axis: int | tuple[int, ...] | None = None, keepdims: bool = False):
    """Minimum over ``axis`` ignoring NaNs (NaN for an all-NaN slice).

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        axis: the axis or tuple of axes to reduce; ``None`` (default) reduces over all axes.
        keepdims: if ``True``, the reduced axes stay in the result with length 1; default ``False``.

    Returns:
        A tensor of the smallest values, in the dtype of ``x``, of the shape of ``x`` without the reduced axes (kept
            with length 1 under ``keepdims``).

    Example:
    >>> ops.nanmin([1.0, float("nan"), 3.0])   # 1.0
    """
    return _nan_extremum(_math.min, float("inf"), x, axis, keepdims)


def nanargmax(x, axis: int | None = None, keepdims: bool = False):
    """Index of the maximum over ``axis`` ignoring NaNs, as int32 (-1 for an all-NaN slice).

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        axis: the axis to search along; ``None`` (default) searches the flattened input.
        keepdims: if ``True``, the reduced axes stay in the result with length 1; default ``False``.

    Returns:
        An ``int32`` tensor of indices, of the shape of ``x`` without ``axis`` (a scalar when ``axis`` is ``None``).

    Example:
    >>> ops.nanargmax([1.0, float("nan"), 3.0])   # 2
    """
    return _nan_arg(_math.argmax, -float("inf"), x, axis, keepdims)


def nanargmin(x, axis: int | None = None, keepdims: bool = False):
    """Index of the minimum over ``axis`` ignoring NaNs, as int32 (-1 for an all-NaN slice).

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        axis: the axis to search along; ``None`` (default) searches the flattened input.
        keepdims: if ``True``, the reduced axes stay in the result with length 1; default ``False``.

    Returns:
        An ``int32`` tensor of indices, of the shape of ``x`` without ``axis`` (a scalar when ``axis`` is ``None``).

    Example:
    >>> ops.nanargmin([1.0, float("nan"), 3.0])   # 0
    """
    return _nan_arg(_math.argmin, float("inf"), x, axis, keepdims)


def _nan_arg(reduce, fill, x, axis, keepdims):
    x = _tensor(x)
    if not _has_nan(x):
        return reduce(x, axis=axis, keepdims=keepdims)
    out = reduce(_nan_as(x, fill), axis=axis, keepdims=keepdims)
    all_nan = _math.all(_math.isnan(x), axis=axis, keepdims=keepdims)
    return _arrays.where(all_nan, _arrays.full_like(out, -1), out)


def nancumsum(x, axis: int | None = None, dtype=None):
    """Cumulative sum along ``axis`` treating NaN as zero (dtypes as ``cumsum``).

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        axis: the axis to accumulate along; ``None`` (default) accumulates over the flattened input.
        dtype: the dtype of the result and the accumulation; ``None`` (default) as for ``cumsum``.

    Returns:
        A tensor of the shape of ``x`` (1-D of size ``x.size`` when ``axis`` is ``None``).

    Example:
    >>> ops.nancumsum([1.0, float("nan"), 2.0])   # [1.0, 1.0, 3.0]
    """
    x = _tensor(x)
    x = _nan_as(x, 0) if _has_nan(x) else x
    if axis == ():  # no axis to accumulate along
        return x if dtype is None else _core.cast(x, dtype)
    return _math.cumsum(x, axis=_one_axis(axis), dtype=dtype)


def nancumprod(x, axis: int | None = None, dtype=None):
    """Cumulative product along ``axis`` treating NaN as one (dtypes as ``cumprod``).

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        axis: the axis to accumulate along; ``None`` (default) accumulates over the flattened input.
        dtype: the dtype of the result and the accumulation; ``None`` (default) as for ``cumprod``.

    Returns:
        A tensor of the shape of ``x`` (1-D of size ``x.size`` when ``axis`` is ``None``).

    Example:
    >>> ops.nancumprod([2.0, float("nan"), 3.0])   # [2.0, 2.0, 6.0]
    """
    x = _tensor(x)
    x = _nan_as(x, 1) if _has_nan(x) else x
    if axis == ():
        return x if dtype is None else _core.cast(x, dtype)
    return _math.cumprod(x, axis=_one_axis(axis), dtype=dtype)


def _one_axis(axis):
    """A one-element axis sequence as its axis (NumPy's nan-accumulations take ``axis=(1,)``)."""
    if isinstance(axis, (tuple, list)):
        if len(axis) != 1:
            raise ValueError(f"Expected a single axis. Received: axis={axis}")
        return axis[0]
    return axis


def nanmedian(x, axis: int | tuple[int, ...] | None = None, keepdims: bool = False):
    """Median over ``axis`` ignoring NaNs; integers give floatx.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        axis: the axis or tuple of axes to reduce; ``None`` (default) reduces over all axes.
        keepdims: if ``True``, the reduced axes stay in the result with length 1; default ``False``.

    Returns:
        A tensor of medians (floating: integer inputs give floatx), of the shape of ``x`` without the reduced axes
            (kept with length 1 under ``keepdims``).

    Example:
    >>> ops.nanmedian([1.0, float("nan"), 3.0, 4.0])   # 3.0
    """
    if isinstance(axis, (tuple, list)) and len(axis) == 0:
        # Over no axis each value is its own median; interpolating would turn an infinity into NaN.
        x = _tensor(x)
        return x if _dtype(x) in _dtypes.FLOAT_TYPES else _core.cast(x, _config.floatx())
    return nanquantile(x, 0.5, axis=axis, keepdims=keepdims)


def _percent(q):
    if isinstance(q, (int, float)):
        return q / 100
    return _math.divide(_tensor(q), 100)


def percentile(x, q, axis: int | tuple[int, ...] | None = None, method: str = "linear", keepdims: bool = False):
    """The ``q``-th percentile(s) over ``axis``, ``q`` in ``[0, 100]`` (``quantile`` of ``q / 100``).

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        q: a scalar or 1-D tensor of 0-to-100 levels; a 1-D ``q`` adds a leading result axis.
        axis: the axis or tuple of axes to reduce; ``None`` (default) reduces over all axes.
        method: how to interpolate between data points: ``"linear"`` (default), ``"lower"``, ``"higher"``,
            ``"midpoint"`` or ``"nearest"``.
        keepdims: if ``True``, the reduced axes stay in the result with length 1; default ``False``.

    Returns:
        A float tensor: the values over ``axis``, with a leading axis of ``len(q)`` when ``q`` is 1-D.

    Example:
    >>> ops.percentile([1.0, 2.0, 3.0, 4.0], 50)   # 2.5
    """
    return _math.quantile(x, _percent(q), axis=axis, method=method, keepdims=keepdims)


def nanpercentile(x, q, axis: int | tuple[int, ...] | None = None, method: str = "linear", keepdims: bool = False):
    """The ``q``-th percentile(s) over ``axis`` ignoring NaNs, ``q`` in ``[0, 100]``.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        q: a scalar or 1-D tensor of 0-to-100 levels; a 1-D ``q`` adds a leading result axis.
        axis: the axis or tuple of axes to reduce; ``None`` (default) reduces over all axes.
        method: how to interpolate between data points: ``"linear"`` (default), ``"lower"``, ``"higher"``,
            ``"midpoint"`` or ``"nearest"``.
        keepdims: if ``True``, the reduced axes stay in the result with length 1; default ``False``.

    Returns:
        A float tensor: the values over ``axis``, with a leading axis of ``len(q)`` when ``q`` is 1-D.

    Example:
    >>> ops.nanpercentile([1.0, float("nan"), 3.0], 50)   # 2.0
    """
    return nanquantile(x, _percent(q), axis=axis, method=method, keepdims=keepdims)


# ---- statistics made of other ops ----


def ptp(x, axis: int | tuple[int, ...] | None = None, keepdims: bool = False):
    """Range (maximum minus minimum) over ``axis``, in ``x``'s dtype.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        axis: the axis or tuple of axes to reduce; ``None`` (default) reduces over all axes.
        keepdims: if ``True``, the reduced axes stay in the result with length 1; default ``False``.

    Returns:
        A tensor of ranges, in the dtype of ``x``, of the shape of ``x`` without the reduced axes (kept with length
            1 under ``keepdims``).

    Example:
    >>> ops.ptp([[1, 5], [2, 9]], axis=1)   # [4, 7]
    """
    x = _tensor(x)
    if _dtype(x) == "bool":
        raise TypeError("ptp does not take a bool tensor (max - min has no bool meaning).")
    return _math.subtract(_math.max(x, axis=axis, keepdims=keepdims), _math.min(x, axis=axis, keepdims=keepdims))


def corrcoef(x):
    """Pearson correlation coefficients between the rows of ``x`` (each row a variable); integers give floatx.

    Args:
        x: a 2-D tensor whose rows are variables and columns observations (a 1-D tensor is one variable).

    Returns:
        A square tensor of shape ``(rows, rows)`` of coefficients in ``[-1, 1]``; integer inputs give floatx.

    Example:
    >>> ops.corrcoef([[1.0, 2.0, 3.0], [1.0, 0.0, -1.0]])   # [[1, -1], [-1, 1]]
    """
    x = _tensor(x)
    if _dtype(x) not in _dtypes.FLOAT_TYPES and _dtype(x) not in _dtypes.COMPLEX_TYPES:
        x = _core.cast(x, _config.floatx())
    rows = x if len(x.shape) == 2 else _arrays.reshape(x, (1, -1))
    centered = _math.subtract(rows, _math.mean(rows, axis=1, keepdims=True))
    covariance = _arrays.matmul(centered, _arrays.transpose(_math.conjugate(centered)))
    scale = _math.sqrt(_math.real(_arrays.diagonal(covariance)))
    out = _math.divide(_math.divide(covariance, _arrays.expand_dims(scale, 1)), _arrays.expand_dims(scale, 0))
    if _dtype(out) in _dtypes.COMPLEX_TYPES:
        return out
    out = _math.clip(out, -1, 1)
    return out if len(x.shape) == 2 else _arrays.reshape(out, ())


def trapezoid(y, x=None, dx: float = 1.0, axis: int = -1):
    """Integral of ``y`` along ``axis`` by the trapezoidal rule, at sample points ``x`` (or spacing ``dx``).

    Args:
        y: the sampled values to integrate.
        x: optional sample points along ``axis`` (their spacing may vary); ``None`` (default) uses ``dx``.
        dx: the spacing between samples when ``x`` is ``None`` (default 1.0).
        axis: the axis to integrate along (default -1).

    Returns:
        A float tensor of the shape of ``y`` without ``axis``.

    Example:
    >>> ops.trapezoid([1.0, 2.0, 3.0])   # 4.0
    """
    y = _tensor(y)
    if _dtype(y) not in _dtypes.FLOAT_TYPES:
        y = _core.cast(y, _config.floatx())
    y = _arrays.moveaxis(y, axis, -1)
    if x is None:
        spacing = dx
    else:
        x = _tensor(x)
        if len(x.shape) > 1:
            x = _arrays.moveaxis(x, axis, -1)
        spacing = _core.cast(_arrays.diff(x, axis=-1), _dtype(y))
    heights = _math.divide(_math.add(y[..., 1:], y[..., :-1]), 2)
    return _math.sum(_math.multiply(heights, spacing), axis=-1)


# ---- creation ----


def _window(make, x, *args):
    """A window of ``x`` points: data-independent, so NumPy computes it once and it arrives in floatx."""
    return _convert_to_tensor(make(int(x), *args), _config.floatx())


def bartlett(x):
    """The Bartlett (triangular) window of ``x`` points, in floatx.

    Args:
        x: the number of points of the window, a Python int.

    Returns:
        A 1-D tensor of ``x`` values in floatx, rising linearly from 0 to 1 and back.

    Example:
    >>> ops.bartlett(5)   # [0.0, 0.5, 1.0, 0.5, 0.0]
    """
    return _window(_np.bartlett, x)


def blackman(x):
    """The Blackman window of ``x`` points, in floatx.

    Args:
        x: the number of points of the window, a Python int.

    Returns:
        A 1-D tensor of ``x`` values in floatx, peaking at 1 in the middle.

    Example:
    >>> ops.blackman(3)   # [~0, 1.0, ~0]
    """
    return _window(_np.blackman, x)


def hamming(x):
    """The Hamming window of ``x`` points, in floatx.

    Args:
        x: the number of points of the window, a Python int.

    Returns:
        A 1-D tensor of ``x`` values in floatx, peaking at 1 in the middle.

    Example:
    >>> ops.hamming(3)   # [0.08, 1.0, 0.08]
    """
    return _window(_np.hamming, x)


def hanning(x):
    """The Hann window of ``x`` points, in floatx.

    Args:
        x: the number of points of the window, a Python int.

    Returns:
        A 1-D tensor of ``x`` values in floatx, peaking at 1 in the middle.

    Example:
    >>> ops.hanning(3)   # [0.0, 1.0, 0.0]
    """
    return _window(_np.hanning, x)


def kaiser(x, beta: float):
    """The Kaiser window of ``x`` points with shape parameter ``beta``, in floatx.

    Args:
        x: the number of points of the window, a Python int.
        beta: the shape parameter: 0 gives a rectangular window, larger values a narrower one.

    Returns:
        A 1-D tensor of ``x`` values in floatx, peaking at 1 in the middle.

    Example:
    >>> ops.kaiser(3, 5.0)   # [0.0367, 1.0, 0.0367]
    """
    return _window(_np.kaiser, x, float(beta))


def geomspace(start, stop, num: int = 50, endpoint: bool = True, dtype=None, axis: int = 0):
    """``num`` numbers spaced evenly on a log scale from ``start`` to ``stop`` (a geometric progression).

    Args:
        start: the first value (non-zero).
        stop: the last value, reached when ``endpoint`` is ``True``; of the sign of ``start``.
        num: how many values (default 50).
        endpoint: whether ``stop`` is the last value (default ``True``).
        dtype: the dtype of the result; ``None`` (default) gives floatx for Python numbers.
        axis: where the new axis of values goes when ``start`` or ``stop`` are tensors (default 0).

    Returns:
        A tensor of ``num`` values, each a constant ratio from the one before.

    Example:
    >>> ops.geomspace(1, 1000, num=4)   # [1.0, 10.0, 100.0, 1000.0]
    """
    start, stop = _tensor(start), _tensor(stop)
    dtype = _standardize_dtype(dtype) if dtype is not None else None
    compute = _dtypes.promote_types(_dtype(start), _dtype(stop), float)
    start, stop = _core.cast(start, compute), _core.cast(stop, compute)
    sign = _math.sign(start)
    logs = _arrays.linspace(
        _math.log10(_math.absolute(start)), _math.log10(_math.absolute(stop)), num=num, endpoint=endpoint, axis=axis
    )
    out = _math.multiply(sign, _math.power(_convert_to_tensor(10.0, compute), logs))
    return _core.cast(out, dtype or compute)


def _vander_spec(x, N=None, increasing=False):
    _check_vander_input(x)
    return _KerasTensor((x.shape[0], x.shape[0] if N is None else N), dtype=x.dtype)


def _check_vander_input(x):
    if len(x.shape) != 1:
        raise ValueError(f"vander takes a 1-D tensor. Received: shape={tuple(x.shape)}")
    if _dtype(x) == "bool":
        raise TypeError("vander does not take a bool tensor.")


@_with_spec(_vander_spec)  # the number of columns follows the (possibly unknown) length of x
def vander(x, N: int | None = None, increasing: bool = False):
    """The Vandermonde matrix of the 1-D ``x``: column ``j`` is ``x ** (N - 1 - j)`` (``x ** j`` if increasing).

    Args:
        x: a 1-D tensor.
        N: the number of columns; ``None`` (default) for ``len(x)``.
        increasing: if ``True``, the powers increase from left to right; default ``False``.

    Returns:
        A 2-D tensor of shape ``(len(x), N)`` in the dtype of ``x``.

    Example:
    >>> ops.vander([1, 2, 3], N=3)   # [[1, 1, 1], [4, 2, 1], [9, 3, 1]]
    """
    x = _tensor(x)
    _check_vander_input(x)
    N = x.shape[0] if N is None else N
    powers = _arrays.arange(N, dtype=_dtype(x))
    if not increasing:
        powers = _arrays.flip(powers, axis=0)
    return _math.power(_arrays.expand_dims(x, 1), _arrays.expand_dims(powers, 0))
