"""numpy backend: the NumPy-like element-wise math, reductions, comparisons and logic.

Written once in ``common/numpy_ops.py`` against ``xp`` and included here with ``xp = numpy``
(see ``common/binding.py``); what follows the include is what NumPy does differently: its own
rules (``sum`` of int32 is int64, ``int32 / int32`` is float64) are overridden, and reductions
return 0-d arrays, never NumPy scalars.
"""

from __future__ import annotations

import numpy as np

from brickwork.backend.common import dtypes
from brickwork.backend.common.binding import include
from brickwork.backend.numpy.core import convert_to_tensor, standardize_dtype

# ruff: noqa: F821 - the functions include() defines are unknown to linters
xp = np  # the array namespace common/numpy_ops.py runs on
include("numpy_ops", globals())


def _is_inexact(x) -> bool:
    return x.dtype.kind in "fc" or x.dtype.name == "bfloat16"


def divide_no_nan(x1, x2):
    x1, x2 = _promote_float(x1, x2)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(x2 == 0, np.zeros((), x1.dtype), np.divide(x1, x2))


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
    compute = dtypes.promote_types(result, "float32")
    if not _is_inexact(x):
        result = compute
    out = np.mean(x, axis=_axis(axis), keepdims=keepdims, dtype=dtypes.to_numpy_dtype(compute))
    return convert_to_tensor(np.asarray(out), result)


def var(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    dtype = standardize_dtype(x.dtype)
    compute, result = dtypes.promote_types(dtype, "float32"), dtypes.promote_types(dtype, 1.0)
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


def _bincount(x, weights, length):
    return np.bincount(x, weights=weights, minlength=length)
