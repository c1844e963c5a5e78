"""``tf.experimental.numpy`` completed: the array namespace the shared ``common/*_ops.py`` run on.

tnp lacks some NumPy functions (``quantile``, ``unique``, ``copysign``, ``searchsorted``, …), takes
fewer arguments in others (``max(initial=)``, ``argmax(keepdims=)``, ``sort(stable=)``), sorts NaN
anywhere, computes ``log2``/``log10`` of float32 in float64, and reads no ``tf.DType`` in
``issubdtype``. This module is tnp with those written in NumPy's terms on TensorFlow ops; every
other name is tnp's own, bound at import (no lookup cost per call).
"""

from __future__ import annotations

import builtins
import itertools
import math

import numpy as np
import tensorflow as tf
import tensorflow.experimental.numpy as tnp

# ---- dtypes ----

_KINDS = {
    np.inexact: lambda d: d.is_floating or d.is_complex,
    np.floating: lambda d: d.is_floating,
    np.complexfloating: lambda d: d.is_complex,
    np.integer: lambda d: d.is_integer,
    np.signedinteger: lambda d: d.is_integer and not d.is_unsigned,
    np.unsignedinteger: lambda d: d.is_integer and d.is_unsigned,
    np.number: lambda d: d.is_integer or d.is_floating or d.is_complex,
    np.bool_: lambda d: d.is_bool,
}


def issubdtype(dtype, kind) -> bool:
    """NumPy's ``issubdtype``, reading a ``tf.DType`` (bfloat16 is a floating type)."""
    if isinstance(dtype, tf.DType):
        test = _KINDS.get(kind)
        if test is not None:
            return bool(test(dtype))
        dtype = dtype.as_numpy_dtype
    return np.issubdtype(dtype, kind)


def _tensor(x):
    return x if isinstance(x, tf.Tensor) else tf.convert_to_tensor(x)


def _axes(axis, rank):
    if axis is None:
        return tuple(range(rank))
    axis = (axis,) if isinstance(axis, int) else tuple(axis)
    for a in axis:
        if not -rank <= a < builtins.max(rank, 1):
            raise np.exceptions.AxisError(a, rank)
    return tuple(sorted(a % builtins.max(rank, 1) for a in axis))


# ---- reductions ----


def max(a, axis=None, keepdims=False, initial=None):
    out = tnp.max(a, axis=axis, keepdims=keepdims)
    return out if initial is None else tnp.maximum(out, tf.cast(initial, out.dtype))


def min(a, axis=None, keepdims=False, initial=None):
    out = tnp.min(a, axis=axis, keepdims=keepdims)
    return out if initial is None else tnp.minimum(out, tf.cast(initial, out.dtype))


def _arg_reduce(reduce, a, axis, keepdims):
    a = _tensor(a)
    if a.dtype == tf.bool:
        a = tf.cast(a, tf.int32)
    if axis is None:
        out = reduce(tf.reshape(a, [-1]), axis=0)
        return tf.reshape(out, [1] * a.shape.rank) if keepdims else out
    out = reduce(a, axis=axis)
    return tf.expand_dims(out, axis) if keepdims else out


def argmax(a, axis=None, keepdims=False):
    return _arg_reduce(tf.argmax, _nan_first(a, 1), axis, keepdims)


def argmin(a, axis=None, keepdims=False):
    return _arg_reduce(tf.argmin, _nan_first(a, -1), axis, keepdims)


def _nan_first(a, direction):
    """``a`` with NaN made the extreme that arg-reductions find first, as NumPy returns the first NaN; and
    -0.0 made the smallest negative normal: TensorFlow on CPU flushes subnormals to zero, so a tiny positive
    value would otherwise tie with -0.0."""
    a = _tensor(a)
    if not a.dtype.is_floating:
        return a
    if a.dtype in (tf.float16, tf.bfloat16):
        a = tf.cast(a, tf.float32)
    tiny = tf.constant(np.finfo(a.dtype.as_numpy_dtype).tiny, a.dtype)
    a = tf.where((a == 0) & signbit(a), -tiny, a)
    return tf.where(tf.math.is_nan(a), tf.constant(direction * math.inf, a.dtype), a)


# ---- sorting (NaN last, as NumPy) ----


def _sortable(a):
    a = _tensor(a)
    if a.dtype == tf.bool:
        return tf.cast(a, tf.int32)
    if a.dtype in (tf.uint8, tf.uint16):
        return tf.cast(a, tf.int32)
    if a.dtype in (tf.uint32,):
        return tf.cast(a, tf.int64)
    if a.dtype in (tf.float16, tf.bfloat16):
        return tf.cast(a, tf.float32)
    return a


def _on_last_axis(fn, a, axis):
    """``fn`` of ``a`` along ``axis``, run on the last axis (TensorFlow's gathers batch over leading axes)."""
    if axis is None:
        return fn(tf.reshape(a, [-1]))
    rank = a.shape.rank
    axis = axis % rank
    if axis == rank - 1:
        return fn(a)
    order = [d for d in range(rank) if d != axis] + [axis]
    back = [order.index(d) for d in range(rank)]
    return tf.transpose(fn(tf.transpose(a, order)), back)


def _argsort_last(a):
    if not a.dtype.is_floating:
        return tf.argsort(a, axis=-1, stable=True)
    nan = tf.math.is_nan(a)
    # Two stable passes: by value (NaN as +inf), then NaNs after every number.
    order = tf.argsort(tf.where(nan, tf.constant(math.inf, a.dtype), a), axis=-1, stable=True)
    nan_sorted = tf.gather(tf.cast(nan, tf.int32), order, axis=-1, batch_dims=a.shape.rank - 1)
    again = tf.argsort(nan_sorted, axis=-1, stable=True)
    return tf.gather(order, again, axis=-1, batch_dims=a.shape.rank - 1)


def argsort(a, axis=-1, kind=None, order=None, stable=True):
    return _on_last_axis(_argsort_last, _sortable(a), axis)


def sort(a, axis=-1, kind=None, order=None, stable=True):
    a = _tensor(a)

    def sort_last(values):
        if not values.dtype.is_floating:
            return tf.cast(tf.sort(_sortable(values), axis=-1), values.dtype)
        return tf.gather(values, _argsort_last(_sortable(values)), axis=-1, batch_dims=values.shape.rank - 1)

    return _on_last_axis(sort_last, a, axis)


def argpartition(a, kth, axis=-1):
    return argsort(a, axis)  # a full sort is one valid partition around every kth


def searchsorted(a, v, side="left"):
    a, v = _tensor(a), _tensor(v)
    flat = tf.reshape(v, [1, -1])
    out = tf.searchsorted(tf.reshape(a, [1, -1]), flat, side=side, out_type=tf.int64)
    return tf.reshape(out, tf.shape(v))


def digitize(x, bins, right=False):
    # Increasing bins, as Keras documents.
    return searchsorted(bins, x, side="left" if right else "right")


def unique(x, return_index=False, return_inverse=False, return_counts=False, axis=None, equal_nan=True):
    """NumPy's ``unique``, computed on the host: its size depends on the values (eager only, as in Keras)."""
    x = _tensor(x)
    outs = np.unique(x.numpy(), return_index=return_index, return_inverse=return_inverse,
                     return_counts=return_counts, axis=axis, equal_nan=equal_nan)
    if not isinstance(outs, tuple):
        return tf.constant(outs, x.dtype)
    return (tf.constant(outs[0], x.dtype),) + tuple(tf.constant(o) for o in outs[1:])


# ---- quantiles ----


def _quantile(a, q, axis, method, keepdims, ignore_nan):
    a = _tensor(a)
    q = tf.cast(_tensor(q), a.dtype)
    rank = a.shape.rank
    axes = _axes(axis, rank)
    kept = [d for d in range(rank) if d not in axes]
    batch = tf.gather(tf.shape(a), kept) if kept else tf.zeros([0], tf.int32)  # sizes known when it runs
    work = tf.reshape(tf.transpose(a, kept + list(axes)), tf.concat([batch, [-1]], 0))
    nan = tf.math.is_nan(work)
    size = tf.shape(work)[-1]
    if ignore_nan:
        count = tf.reduce_sum(tf.cast(~nan, a.dtype), axis=-1)
    else:
        count = tf.cast(tf.fill(tf.shape(work)[:-1], size), a.dtype)
    ordered = tf.sort(tf.where(nan, tf.constant(math.inf, a.dtype), work), axis=-1)
    q_rank = q.shape.rank
    position = tf.reshape(count - 1, tf.concat([batch, tf.ones([q_rank], tf.int32)], 0)) * q  # batch + q dims
    low, high = tf.floor(position), tf.math.ceil(position)
    last = tf.cast(tf.maximum(size - 1, 0), a.dtype)
    low, high = tf.clip_by_value(low, 0, last), tf.clip_by_value(high, 0, last)

    def at(index):
        index = tf.reshape(tf.cast(index, tf.int32), tf.concat([batch, [-1]], 0))
        return tf.reshape(tf.gather(ordered, index, axis=-1, batch_dims=len(kept)), tf.shape(position))

    if method == "lower":
        out = at(low)
    elif method == "higher":
        out = at(high)
    elif method == "nearest":
        out = at(tf.clip_by_value(tf.round(position), 0, last))  # half to even, as NumPy
    elif method == "midpoint":
        out = (at(low) + at(high)) / 2
    elif method == "linear":
        below, above, weight = at(low), at(high), position - low
        out = tf.where(low == high, below, below + (above - below) * weight)
    else:
        raise ValueError(f"method must be one of 'linear', 'lower', 'higher', 'midpoint', 'nearest'; "
                         f"received {method!r}")
    invalid = count == 0 if ignore_nan else tf.reduce_any(nan, axis=-1)
    invalid = tf.reshape(invalid, tf.concat([batch, tf.ones([q_rank], tf.int32)], 0))
    out = tf.where(invalid, tf.constant(math.nan, a.dtype), out)
    # NumPy puts the q axes first, then the kept axes (the reduced ones as 1s under keepdims).
    out = tf.transpose(out, list(range(len(kept), len(kept) + q_rank)) + list(range(len(kept))))
    if keepdims:
        sizes = tf.unstack(tf.shape(a)) if rank else []
        shape = tf.unstack(tf.shape(q)) + [1 if d in axes else sizes[d] for d in range(rank)]
        out = tf.reshape(out, tf.stack(shape) if shape else [])
    return out


def quantile(a, q, axis=None, method="linear", keepdims=False):
    return _quantile(a, q, axis, method, keepdims, ignore_nan=False)


def nanquantile(a, q, axis=None, method="linear", keepdims=False):
    return _quantile(a, q, axis, method, keepdims, ignore_nan=True)


def median(a, axis=None, keepdims=False):
    # The middle two averaged (midpoint), so that -inf and inf give NaN and inf and inf give inf, as NumPy.
    return _quantile(a, 0.5, axis, "midpoint", keepdims, ignore_nan=False)


def nanmedian(a, axis=None, keepdims=False):
    return _quantile(a, 0.5, axis, "midpoint", keepdims, ignore_nan=True)


# ---- element-wise ----


def log2(x):
    x = _tensor(x)  # tnp's computes float32 in float64
    return tf.math.log(x) / tf.constant(math.log(2.0), x.dtype)


def log10(x):
    x = _tensor(x)
    return tf.math.log(x) / tf.constant(math.log(10.0), x.dtype)


# TensorFlow has no unsigned kernels for these, and no integer ones for the float predicates.
_WIDER = {tf.uint8: tf.int32, tf.uint16: tf.int32, tf.uint32: tf.int64}


def absolute(x):
    x = _tensor(x)
    return x if x.dtype.is_unsigned else tnp.absolute(x)


def negative(x):
    x = _tensor(x)
    if x.dtype in _WIDER:  # wraps around, as NumPy's
        return tf.cast(-tf.cast(x, _WIDER[x.dtype]), x.dtype)
    return tnp.negative(x)


def sign(x):
    x = _tensor(x)
    return tf.cast(x > 0, x.dtype) if x.dtype.is_unsigned else tnp.sign(x)


def _float_predicate(test, default):
    def predicate(x):
        x = _tensor(x)
        if x.dtype.is_floating or x.dtype.is_complex:
            return test(x)
        return tf.fill(tf.shape(x), default)

    return predicate


isinf = _float_predicate(tnp.isinf, False)
isnan = _float_predicate(tnp.isnan, False)
isfinite = _float_predicate(tnp.isfinite, True)


def angle(z):
    z = _tensor(z)
    if z.dtype.is_complex:
        return tf.math.angle(z)
    return tf.where(z < 0, tf.constant(math.pi, z.dtype), tf.zeros_like(z))  # tnp's gives float64 as float32


def isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    a, b = _tensor(a), _tensor(b)  # tnp's broadcasts shapes that do not broadcast
    if not (a.dtype.is_floating or a.dtype.is_complex):
        return tf.equal(a, b) | (tf.abs(tf.cast(a, tf.float64) - tf.cast(b, tf.float64))
                                 <= atol + rtol * tf.abs(tf.cast(b, tf.float64)))
    close = tf.abs(a - b) <= tf.cast(atol, tf.abs(a).dtype) + tf.cast(rtol, tf.abs(a).dtype) * tf.abs(b)
    close = close | tf.equal(a, b)  # equal infinities
    if equal_nan:
        close = close | (tf.math.is_nan(a) & tf.math.is_nan(b))
    return close


def copysign(x1, x2):
    x1, x2 = _tensor(x1), _tensor(x2)
    return tf.where(tnp.signbit(x2), -tf.abs(x1), tf.abs(x1))


def invert(x):
    x = _tensor(x)
    return tf.logical_not(x) if x.dtype == tf.bool else tf.bitwise.invert(x)


def left_shift(x, y):
    return tf.bitwise.left_shift(_tensor(x), _tensor(y))


def right_shift(x, y):
    return tf.bitwise.right_shift(_tensor(x), _tensor(y))


def trunc(x):
    x = _tensor(x)
    return tf.where(x < 0, tf.math.ceil(x), tf.floor(x))


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    x = _tensor(x)
    if x.dtype.is_complex:
        real = nan_to_num(tf.math.real(x), nan, posinf, neginf)
        return tf.complex(real, nan_to_num(tf.math.imag(x), nan, posinf, neginf))
    info = np.finfo(x.dtype.as_numpy_dtype)
    posinf = float(info.max) if posinf is None else posinf
    neginf = float(info.min) if neginf is None else neginf
    x = tf.where(tf.math.is_nan(x), tf.constant(nan, x.dtype), x)
    x = tf.where(x == math.inf, tf.constant(posinf, x.dtype), x)
    return tf.where(x == -math.inf, tf.constant(neginf, x.dtype), x)


def fmax(x1, x2):
    x1, x2 = _tensor(x1), _tensor(x2)
    if not x1.dtype.is_floating:
        return tnp.maximum(x1, x2)
    return tf.where(tf.math.is_nan(x1), x2, tf.where(tf.math.is_nan(x2), x1, tf.maximum(x1, x2)))


def fmin(x1, x2):
    x1, x2 = _tensor(x1), _tensor(x2)
    if not x1.dtype.is_floating:
        return tnp.minimum(x1, x2)
    return tf.where(tf.math.is_nan(x1), x2, tf.where(tf.math.is_nan(x2), x1, tf.minimum(x1, x2)))


def fmod(x1, x2):
    return tf.truncatemod(_tensor(x1), _tensor(x2))  # the sign of the dividend, as C's fmod


_SAME_WIDTH_INT = {tf.float16: tf.int16, tf.bfloat16: tf.int16, tf.float32: tf.int32, tf.float64: tf.int64}


def signbit(x):
    x = _tensor(x)
    if x.dtype in _SAME_WIDTH_INT:  # the bit itself: -0.0 and -nan count as negative
        return tf.bitcast(x, _SAME_WIDTH_INT[x.dtype]) < 0
    return x < 0 if not x.dtype.is_unsigned else tf.zeros_like(x, tf.bool)


def logaddexp2(x1, x2):
    x1, x2 = _tensor(x1), _tensor(x2)  # tnp's gives float64
    larger = tf.maximum(x1, x2)
    gap = -tf.abs(x1 - x2)
    out = larger + tf.math.log1p(tf.pow(tf.constant(2.0, x1.dtype), gap)) / tf.constant(math.log(2.0), x1.dtype)
    return tf.where(x1 == x2, x1 + 1, out)  # equal infinities would give NaN


def nextafter(x1, x2):
    x1, x2 = _tensor(x1), _tensor(x2)
    if x1.dtype in (tf.float32, tf.float64):
        return tf.math.nextafter(x1, x2)
    # Half precision, on the bits: one unit in the last place toward x2.
    ints = _SAME_WIDTH_INT[x1.dtype]
    bits = tf.bitcast(x1, ints)
    step = tf.where((x2 > x1) == (x1 >= 0), tf.ones_like(bits), -tf.ones_like(bits))
    moved = tf.bitcast(bits + step, x1.dtype)
    tiny = tf.bitcast(tf.ones_like(bits), x1.dtype)
    moved = tf.where(x1 == 0, tf.where(x2 > 0, tiny, -tiny), moved)
    out = tf.where(x1 == x2, x2, moved)
    return tf.where(tf.math.is_nan(x1) | tf.math.is_nan(x2), tf.constant(math.nan, x1.dtype), out)


def i0(x):
    return tf.math.bessel_i0(_tensor(x))


def ldexp(x1, x2):
    x1 = _tensor(x1)
    return x1 * tf.pow(tf.constant(2.0, x1.dtype), tf.cast(x2, x1.dtype))


def isin(element, test_elements, assume_unique=False, invert=False):
    element, test_elements = _tensor(element), _tensor(test_elements)
    found = tf.reduce_any(tf.equal(element[..., None], tf.reshape(test_elements, [-1])), axis=-1)
    return tf.logical_not(found) if invert else found


# ---- shapes, joining, indexing ----


def pad(array, pad_width, mode="constant", **kwargs):
    """NumPy's ``pad``; modes other than ``constant`` gather each axis through NumPy's own index padding,
    so that every mode, and widths past the size, follow NumPy exactly."""
    array = _tensor(array)
    widths = np.asarray(pad_width, dtype=np.int64)
    if widths.ndim == 1 and widths.size == 2:  # (before, after) for every axis
        widths = widths[None]
    widths = np.broadcast_to(widths, (array.shape.rank, 2))  # NumPy's shorthands: n, (n,), ((b, a),)
    if mode == "constant":
        return tnp.pad(array, widths.tolist(), mode, **kwargs)
    for axis, (before, after) in enumerate(widths.tolist()):
        if before or after:
            size = array.shape[axis]
            if size is not None:
                index = np.pad(np.arange(size), (before, after), mode=mode)
            else:  # a size known only when it runs: the same index maps, as formulas
                index = _pad_index(tf.shape(array)[axis], before, after, mode)
            array = tf.gather(array, index, axis=axis)
    return array


def _pad_index(size, before, after, mode):
    """Where each padded position reads from along an axis of ``size`` (a scalar tensor), as ``np.pad``."""
    position = tf.range(-before, size + after)
    if mode == "edge":
        return tf.clip_by_value(position, 0, size - 1)
    if mode == "wrap":
        return position % size
    if mode == "reflect":  # period 2(n - 1), the edge not repeated
        period = tf.maximum(2 * size - 2, 1)
        folded = position % period
        return tf.where(size > 1, tf.where(folded < size, folded, period - folded), 0)
    if mode == "symmetric":  # period 2n, the edge repeated
        folded = position % (2 * size)
        return tf.where(folded < size, folded, 2 * size - 1 - folded)
    raise ValueError(f"Unsupported padding mode: {mode}")


def expand_dims(a, axis):
    a = _tensor(a)
    if isinstance(axis, int):
        return tf.expand_dims(a, axis)
    rank = a.shape.rank + len(axis)
    axes = {d % rank for d in _axes(tuple(axis), rank)}
    shape, rest = [], iter(tf.unstack(tf.shape(a)) if a.shape.rank else [])
    for d in range(rank):
        shape.append(1 if d in axes else next(rest))
    return tf.reshape(a, tf.stack(shape) if shape else [])


def flip(m, axis=None):
    m = _tensor(m)
    axes = _axes(axis, m.shape.rank)
    return tf.reverse(m, list(axes)) if axes else m


def concatenate(arys, axis=0):
    if axis is None:
        return tf.concat([tf.reshape(_tensor(a), [-1]) for a in arys], 0)
    return tnp.concatenate(arys, axis=axis)


def take(a, indices, axis=None, mode="clip"):
    a, indices = _tensor(a), _tensor(indices)
    if axis is None:
        a, axis = tf.reshape(a, [-1]), 0
    size = tf.cast(tf.shape(a)[axis], indices.dtype)
    # Negative indices count from the end, as in NumPy; the rest are clipped so that it stays a gather.
    indices = tf.clip_by_value(tf.where(indices < 0, indices + size, indices), 0, size - 1)
    return tf.gather(a, indices, axis=axis)


def take_along_axis(arr, indices, axis):
    arr, indices = _tensor(arr), _tensor(indices)
    if axis is None:
        arr, axis = tf.reshape(arr, [-1]), 0
    if indices.shape.rank != arr.shape.rank:
        raise ValueError(f"indices and arr must have the same number of dimensions; received {indices.shape.rank} "
                         f"and {arr.shape.rank}")
    rank = arr.shape.rank
    axis = axis % rank
    size = tf.cast(tf.shape(arr)[axis], indices.dtype)
    indices = tf.clip_by_value(tf.where(indices < 0, indices + size, indices), 0, size - 1)
    # Broadcast every axis but ``axis`` between the two, then gather along the last.
    shape_a, shape_i = tf.unstack(tf.shape(arr)), tf.unstack(tf.shape(indices))
    common = [tf.maximum(shape_a[d], shape_i[d]) for d in range(rank)]
    arr = tf.broadcast_to(arr, tf.stack([shape_a[d] if d == axis else common[d] for d in range(rank)]))
    indices = tf.broadcast_to(indices, tf.stack([shape_i[d] if d == axis else common[d] for d in range(rank)]))
    return _gather_along(arr, indices, axis)


def _gather_along(arr, indices, axis):
    rank = arr.shape.rank
    order = [d for d in range(rank) if d != axis] + [axis]
    back = [order.index(d) for d in range(rank)]
    out = tf.gather(tf.transpose(arr, order), tf.transpose(indices, order), axis=-1, batch_dims=rank - 1)
    return tf.transpose(out, back)


def array_split(x, indices_or_sections, axis=0):
    x = _tensor(x)
    length = x.shape[axis]
    if isinstance(indices_or_sections, int):
        base, extra = builtins.divmod(length, indices_or_sections)
        sizes = [base + 1] * extra + [base] * (indices_or_sections - extra)
    else:
        bounds = [0] + [builtins.min(builtins.max(int(i), 0), length) for i in indices_or_sections] + [length]
        sizes = [builtins.max(b - a, 0) for a, b in itertools.pairwise(bounds)]
        # NumPy gives an empty piece for a bound behind the previous one; the sizes then do not add up.
        if builtins.sum(sizes) != length:
            return [x[tuple([slice(None)] * (axis % x.shape.rank) + [slice(a, b)])]
                    for a, b in itertools.pairwise(bounds)]
    return tf.split(x, sizes, axis=axis)


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    """Computed in float64 and cast, as NumPy (tnp's returns float64 whatever ``dtype``)."""
    start, stop = tf.cast(_tensor(start), tf.float64), tf.cast(_tensor(stop), tf.float64)
    start, stop = start + tf.zeros_like(stop), stop + tf.zeros_like(start)
    divisions = num - 1 if endpoint else num
    step = (stop - start) / divisions if divisions > 0 else tf.fill(tf.shape(start), math.nan)
    out = start[..., None] + tf.range(num, dtype=tf.float64) * step[..., None]
    if endpoint and num > 1:  # the end exactly, as NumPy
        out = tf.concat([out[..., :-1], stop[..., None]], axis=-1)
    out = tf.experimental.numpy.moveaxis(out, -1, axis)
    dtype = tf.as_dtype(dtype) if dtype is not None else tf.float64
    if dtype.is_integer:
        out = tf.floor(out)
    out = tf.cast(out, dtype)
    return (out, tf.cast(step, dtype)) if retstep else out


def logspace(start, stop, num=50, endpoint=True, base=10.0, dtype=None, axis=0):
    exponents = linspace(start, stop, num, endpoint=endpoint, axis=axis)
    out = tf.pow(tf.constant(base, tf.float64), exponents)
    return tf.cast(out, tf.as_dtype(dtype) if dtype is not None else tf.float64)


def unravel_index(indices, shape):
    indices = _tensor(indices)
    out = []
    for size in reversed(shape):
        out.append(indices % size)
        indices = indices // size
    return tuple(reversed(out))


def correlate(a, v, mode="valid"):
    a, v = _tensor(a), _tensor(v)
    length, kernel = a.shape[0], v.shape[0]
    padded = tf.pad(a, [[kernel - 1, kernel - 1]])
    full = tf.linalg.matvec(tf.signal.frame(padded, kernel, 1), tf.math.conj(v) if v.dtype.is_complex else v)
    shorter = builtins.min(length, kernel)
    if mode == "full":
        return full
    if mode == "same":
        start = (shorter - 1) // 2
        return full[start:start + builtins.max(length, kernel)]
    if mode == "valid":
        return full[shorter - 1:shorter - 1 + builtins.abs(length - kernel) + 1]
    raise ValueError(f"mode must be 'valid', 'same' or 'full', received {mode!r}")


def histogram(x, bins=10, range=None):
    x = _tensor(x)
    if range is None:
        low, high = (tf.reduce_min(x), tf.reduce_max(x)) if x.shape[0] else (0.0, 1.0)
        low, high = float(low), float(high)
        if low == high:
            low, high = low - 0.5, high + 0.5
    else:
        low, high = float(range[0]), float(range[1])
    edges = tf.linspace(tf.constant(low, x.dtype), tf.constant(high, x.dtype), bins + 1)
    index = tf.searchsorted(edges, x, side="right") - 1
    index = tf.where(x == edges[-1], bins - 1, index)  # the last bin is closed on the right
    inside = (index >= 0) & (index < bins)
    counts = tf.math.bincount(tf.boolean_mask(index, inside), minlength=bins, maxlength=bins, dtype=x.dtype)
    return counts, edges


# ---- arithmetic on operands of one dtype ----
# brickwork's ops promote both operands to Keras's result dtype first; tnp would then work out NumPy's promotion
# again (about 15 us a call). Tensors of one numeric dtype go to TensorFlow's kernels directly.


def _same_numeric(x1, x2) -> bool:
    return (isinstance(x1, tf.Tensor) and isinstance(x2, tf.Tensor) and x1.dtype is x2.dtype
            and x1.dtype is not tf.bool and x1.dtype is not tf.string)


def add(x1, x2):
    return tf.math.add(x1, x2) if _same_numeric(x1, x2) else tnp.add(x1, x2)


def subtract(x1, x2):
    return tf.math.subtract(x1, x2) if _same_numeric(x1, x2) else tnp.subtract(x1, x2)


def multiply(x1, x2):
    return tf.math.multiply(x1, x2) if _same_numeric(x1, x2) else tnp.multiply(x1, x2)


def power(x1, x2):
    """``x1 ** x2``; unsigned ints, which TensorFlow's Pow has no kernel for, through int64 and back."""
    if isinstance(x1, tf.Tensor) and x1.dtype.is_unsigned:
        return tf.cast(tnp.power(tf.cast(x1, tf.int64), tf.cast(x2, tf.int64)), x1.dtype)
    return tnp.power(x1, x2)


# Every other name is tnp's own, bound here once; tnp's sum/abs/round/all/any/divmod/max/min then shadow
# Python's, which this module therefore spells builtins.<name>.
for _name in dir(tnp):
    if not _name.startswith("__"):
        globals().setdefault(_name, getattr(tnp, _name))
del _name
