"""numpy backend: math ops (segments, top-k, logsumexp, Fourier transforms, special functions).

Written once where shared in ``common/math_ops.py`` against ``xp`` and included here with
``xp = numpy`` (see ``common/binding.py``); the rest is numpy's own.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from brickwork.backend.common.binding import include
from brickwork.backend.numpy.core import convert_to_tensor


@functools.cache
def _scipy_special():
    """``scipy.special`` (a faster, vectorised erf/erfinv) if installed, else None; imported on first use."""
    try:
        from scipy import special
    except ImportError:  # pragma: no cover - depends on the environment
        return None
    return special


# ruff: noqa: F821 - the functions include() defines are unknown to linters
xp = np  # the array namespace common/math_ops.py runs on
include("math_ops", globals())


def _segment_setup(data, segment_ids, num_segments):
    data = convert_to_tensor(data)
    ids = convert_to_tensor(segment_ids).astype(np.int64)
    if num_segments is None:
        num_segments = int(ids.max()) + 1 if ids.size else 0
    keep = (ids >= 0) & (ids < num_segments)  # out-of-range ids are dropped, as in Keras
    return data[keep], ids[keep], int(num_segments)


def segment_sum(data, segment_ids, num_segments=None, sorted=False):
    data, ids, num_segments = _segment_setup(data, segment_ids, num_segments)
    out = np.zeros((num_segments,) + data.shape[1:], dtype=data.dtype)
    np.add.at(out, ids, data)
    return out


def segment_max(data, segment_ids, num_segments=None, sorted=False):
    data, ids, num_segments = _segment_setup(data, segment_ids, num_segments)
    if data.dtype.kind == "f":
        lowest = -np.inf
    elif data.dtype.kind == "b":
        lowest = False
    else:
        lowest = np.iinfo(data.dtype).min
    out = np.full((num_segments,) + data.shape[1:], lowest, dtype=data.dtype)
    np.maximum.at(out, ids, data)
    return out


def segment_min(data, segment_ids, num_segments=None, sorted=False):
    data, ids, num_segments = _segment_setup(data, segment_ids, num_segments)
    if data.dtype.kind == "f":
        highest = np.inf
    elif data.dtype.kind == "b":
        highest = True
    else:
        highest = np.iinfo(data.dtype).max
    out = np.full((num_segments,) + data.shape[1:], highest, dtype=data.dtype)
    np.minimum.at(out, ids, data)
    return out


def segment_prod(data, segment_ids, num_segments=None, sorted=False):
    data, ids, num_segments = _segment_setup(data, segment_ids, num_segments)
    out = np.ones((num_segments,) + data.shape[1:], dtype=data.dtype)
    np.multiply.at(out, ids, data)
    return out


def top_k(x, k, sorted=True):
    x = convert_to_tensor(x)
    if not 0 <= k <= x.shape[-1]:
        raise ValueError(f"k must be in [0, {x.shape[-1]}] (the size of the last axis), received k={k}")
    n = x.shape[-1]
    # Descending and stable (lower index first among ties): sort the reversed row ascending.
    order = n - 1 - np.argsort(x[..., ::-1], axis=-1, kind="stable")[..., ::-1]
    indices = order[..., :k]
    return np.take_along_axis(x, indices, axis=-1), indices.astype(np.int32)


def in_top_k(targets, predictions, k):
    predictions = convert_to_tensor(predictions)
    targets = convert_to_tensor(targets).astype(np.int64)
    classes = predictions.shape[-1]
    valid = (targets >= 0) & (targets < classes)  # an out-of-range target is never in the top k
    at_target = np.take_along_axis(predictions, np.clip(targets, 0, classes - 1)[..., None], axis=-1)
    if predictions.dtype.kind == "f":
        at_target = np.where(np.isnan(at_target), -np.inf, at_target)
    rank = np.sum(predictions > at_target, axis=-1)
    return (rank < k) & valid


def logsumexp(x, axis=None, keepdims=False):
    x = _float(x)
    axis = tuple(axis) if isinstance(axis, list) else axis
    peak = np.max(x, axis=axis, keepdims=True)
    peak = np.where(np.isfinite(peak), peak, 0).astype(x.dtype)
    with np.errstate(divide="ignore"):
        out = np.log(np.sum(np.exp(x - peak), axis=axis, keepdims=True)) + peak
    return out if keepdims else np.squeeze(out, axis=axis)


def extract_sequences(x, sequence_length, sequence_stride):
    x = convert_to_tensor(x)
    windows = np.lib.stride_tricks.sliding_window_view(x, sequence_length, axis=-1)
    return np.ascontiguousarray(windows[..., ::sequence_stride, :])


def _complex(x) -> np.ndarray:
    """One complex array from a ``(real, imag)`` pair of float arrays (``ops`` checked their shapes)."""
    real, imag = convert_to_tensor(x[0]), convert_to_tensor(x[1])
    if real.dtype.kind != "f" or imag.dtype.kind != "f":
        raise ValueError(f"At least one tensor in input `x` is not of type float: received {real.dtype} and "
                         f"{imag.dtype}")
    return real + 1j * imag.astype(real.dtype)


def _parts(out, dtype):
    return np.real(out).astype(dtype, copy=False), np.imag(out).astype(dtype, copy=False)


def fft(x):
    x = _complex(x)
    return _parts(np.fft.fft(x), x.real.dtype)


def fft2(x):
    x = _complex(x)
    return _parts(np.fft.fft2(x), x.real.dtype)


def ifft2(x):
    x = _complex(x)
    return _parts(np.fft.ifft2(x), x.real.dtype)


def rfft(x, fft_length=None):
    x = _float(x)
    return _parts(np.fft.rfft(x, n=fft_length, axis=-1), x.dtype)


def irfft(x, fft_length=None):
    x = _complex(x)
    return np.fft.irfft(x, n=fft_length, axis=-1).astype(x.real.dtype, copy=False)


def _overlap_add(frames, stride):
    num_frames, frame_length = frames.shape[-2:]
    size = frame_length + stride * (num_frames - 1)
    out = np.zeros(frames.shape[:-2] + (size,), dtype=frames.dtype)
    for i in range(num_frames):
        out[..., i * stride : i * stride + frame_length] += frames[..., i, :]
    return out


def rsqrt(x):
    x = _float(x)
    with np.errstate(divide="ignore"):
        return (1 / np.sqrt(x)).astype(x.dtype, copy=False)


def _erf_fallback(x: np.ndarray) -> np.ndarray:
    return np.frompyfunc(math.erf, 1, 1)(x).astype(x.dtype)


def _erfinv_fallback(x: np.ndarray) -> np.ndarray:
    """Inverse erf: Giles's single-precision approximation refined by two Newton steps in float64."""
    y = x.astype(np.float64)
    w = -np.log((1.0 - y) * (1.0 + y))
    small = w - 2.5
    large = np.sqrt(np.maximum(w, 5.0)) - 3.0
    p_small = np.polyval([2.81022636e-08, 3.43273939e-07, -3.5233877e-06, -4.39150654e-06,
                          0.00021858087, -0.00125372503, -0.00417768164, 0.246640727, 1.50140941], small)
    p_large = np.polyval([-0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844,
                          0.00573950773, -0.0076224613, 0.00943887047, 1.00167406, 2.83297682], large)
    guess = np.where(w < 5.0, p_small, p_large) * y
    erf64 = np.frompyfunc(math.erf, 1, 1)
    for _ in range(2):
        step = (erf64(guess).astype(np.float64) - y) / (2 / math.sqrt(math.pi) * np.exp(-guess * guess))
        guess = np.where(np.isfinite(guess), guess - step, guess)
    return guess.astype(x.dtype)


def erf(x):
    x = _float(x)
    if _scipy_special() is not None:
        return _scipy_special().erf(x).astype(x.dtype, copy=False)
    return _erf_fallback(x)


def erfc(x):
    x = _float(x)
    if _scipy_special() is not None:
        return _scipy_special().erfc(x).astype(x.dtype, copy=False)
    return (1 - _erf_fallback(x)).astype(x.dtype, copy=False)


def erfinv(x):
    x = _float(x)
    with np.errstate(divide="ignore", invalid="ignore"):
        if _scipy_special() is not None:
            return _scipy_special().erfinv(x).astype(x.dtype, copy=False)
        return _erfinv_fallback(x)
