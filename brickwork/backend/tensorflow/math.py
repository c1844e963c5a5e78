"""TensorFlow backend: math ops (segments, top-k, logsumexp, Fourier transforms, special functions).

Written once where shared in ``common/math_ops.py`` against ``xp`` and included here with
``xp`` = ``tf.experimental.numpy`` completed (``_tnp.py``; see ``common/binding.py``); the rest is TensorFlow's own.
"""

from __future__ import annotations

import math

import tensorflow as tf

from brickwork.backend import config
from brickwork.backend.common.binding import include
from brickwork.backend.tensorflow import _tnp
from brickwork.backend.tensorflow.core import convert_to_tensor, to_tf_dtype

xp = _tnp  # the array namespace common/math_ops.py runs on: tnp, completed
include("math_ops", globals())


def _float(x) -> tf.Tensor:
    """``x`` as a tensor of a floating dtype: integers and bools become floatx (tnp refuses ``issubdtype``
    on a ``tf.DType``, so the shared helper is not used)."""
    x = convert_to_tensor(x)
    if x.dtype.is_floating or x.dtype.is_complex:
        return x
    return tf.cast(x, to_tf_dtype(config.floatx()))


def _segments(data, segment_ids, num_segments):
    """Data, int32 ids with out-of-range ids sent to an extra last segment, and the segment count."""
    data = convert_to_tensor(data)
    ids = tf.cast(convert_to_tensor(segment_ids), tf.int32)
    if num_segments is None:
        if not tf.executing_eagerly():
            raise ValueError("num_segments must be given when the op is traced (inside a tf.function)")
        num_segments = int(tf.reduce_max(ids)) + 1 if tf.size(ids) else 0
    num_segments = int(num_segments)
    # Out-of-range ids are dropped, as in Keras: they land in a scratch segment that is sliced off.
    ids = tf.where((ids >= 0) & (ids < num_segments), ids, num_segments)
    return data, ids, num_segments


def _segment_op(reduce, data, segment_ids, num_segments, empty=None):
    data, ids, n = _segments(data, segment_ids, num_segments)
    work = tf.cast(data, tf.int32) if data.dtype == tf.bool else data  # no bool kernels
    out = tf.cast(reduce(work, ids, num_segments=n + 1)[:n], data.dtype)
    if empty is not None and data.dtype.is_floating:
        # TensorFlow fills an empty segment with the dtype's finite extreme; jax, torch and Keras give +-inf.
        counts = tf.math.unsorted_segment_sum(tf.ones_like(ids), ids, num_segments=n + 1)[:n]
        counts = tf.reshape(counts, [n] + [1] * (data.shape.rank - 1))
        out = tf.where(counts > 0, out, tf.constant(empty, data.dtype))
    return out


def segment_sum(data, segment_ids, num_segments=None, sorted=False):
    return _segment_op(tf.math.unsorted_segment_sum, data, segment_ids, num_segments)


def segment_max(data, segment_ids, num_segments=None, sorted=False):
    return _segment_op(tf.math.unsorted_segment_max, data, segment_ids, num_segments, -math.inf)


def segment_min(data, segment_ids, num_segments=None, sorted=False):
    return _segment_op(tf.math.unsorted_segment_min, data, segment_ids, num_segments, math.inf)


def segment_prod(data, segment_ids, num_segments=None, sorted=False):
    return _segment_op(tf.math.unsorted_segment_prod, data, segment_ids, num_segments)


def top_k(x, k, sorted=True):
    x = convert_to_tensor(x)
    if not 0 <= k <= x.shape[-1]:
        raise ValueError(f"k must be in [0, {x.shape[-1]}] (the size of the last axis), received k={k}")
    # tf.math.top_k keeps the lower index first among ties, as on the other backends; it always sorts.
    values, indices = tf.math.top_k(x, k, sorted=True)
    return values, indices


def in_top_k(targets, predictions, k):
    predictions = convert_to_tensor(predictions)
    targets = tf.cast(convert_to_tensor(targets), tf.int32)
    classes = predictions.shape[-1]
    valid = (targets >= 0) & (targets < classes)  # an out-of-range target is never in the top k
    index = tf.clip_by_value(targets, 0, classes - 1)[..., None]
    at_target = tf.gather(predictions, index, batch_dims=index.shape.rank - 1)
    if predictions.dtype.is_floating:
        at_target = tf.where(tf.math.is_nan(at_target), tf.constant(-float("inf"), predictions.dtype), at_target)
    rank = tf.reduce_sum(tf.cast(predictions > at_target, tf.int32), axis=-1)
    return (rank < k) & valid


def logsumexp(x, axis=None, keepdims=False):
    x = _float(x)
    if isinstance(axis, list):
        axis = tuple(axis)
    return tf.math.reduce_logsumexp(x, axis=axis, keepdims=keepdims)


def extract_sequences(x, sequence_length, sequence_stride):
    return tf.signal.frame(convert_to_tensor(x), sequence_length, sequence_stride, axis=-1)


def _complex(x) -> tf.Tensor:
    """One complex tensor from a ``(real, imag)`` pair of float tensors (``ops`` checked their shapes)."""
    real, imag = convert_to_tensor(x[0]), convert_to_tensor(x[1])
    if not (real.dtype.is_floating and imag.dtype.is_floating):
        raise ValueError(f"At least one tensor in input `x` is not of type float: received {real.dtype.name} and "
                         f"{imag.dtype.name}")
    if real.dtype != imag.dtype:
        wide = tf.float64 if tf.float64 in (real.dtype, imag.dtype) else tf.float32
        real, imag = tf.cast(real, wide), tf.cast(imag, wide)
    elif real.dtype not in (tf.float32, tf.float64):  # TensorFlow has no half-precision complex
        real, imag = tf.cast(real, tf.float32), tf.cast(imag, tf.float32)
    return tf.complex(real, imag)


def _parts(out, dtype=None):
    """The real and imaginary parts of ``out``; TensorFlow's FFTs keep their input's precision."""
    return tf.math.real(out), tf.math.imag(out)


def fft(x):
    return _parts(tf.signal.fft(_complex(x)))


def fft2(x):
    return _parts(tf.signal.fft2d(_complex(x)))


def ifft2(x):
    return _parts(tf.signal.ifft2d(_complex(x)))


def _real_float(x) -> tf.Tensor:
    x = _float(x)
    return tf.cast(x, tf.float32) if x.dtype not in (tf.float32, tf.float64) else x


def rfft(x, fft_length=None):
    x = _real_float(x)
    n = x.shape[-1] if fft_length is None else int(fft_length)
    return _parts(tf.signal.rfft(x, fft_length=[n]))


def irfft(x, fft_length=None):
    x = _complex(x)
    n = 2 * (x.shape[-1] - 1) if fft_length is None else int(fft_length)
    return tf.signal.irfft(x, fft_length=[n])


def _window(window, sequence_length, fft_length, dtype):
    """The analysis window, zero-padded on both sides to ``fft_length`` (``ops`` checked its name or shape)."""
    if window is None:
        win = tf.ones([sequence_length], dtype=dtype)
    elif isinstance(window, str):
        # Written out: tf.signal's periodic windows are wrong for odd lengths (they drop a sample, then pad).
        alpha = 0.5 if window == "hann" else 0.54
        phase = 2 * math.pi * tf.range(sequence_length, dtype=tf.float64) / sequence_length
        win = tf.cast(alpha - (1 - alpha) * tf.cos(phase), dtype)
    else:
        win = convert_to_tensor(window, dtype=dtype)
    left = (fft_length - sequence_length) // 2
    return tf.pad(win, [[left, fft_length - sequence_length - left]])


def stft(x, sequence_length, sequence_stride, fft_length, window="hann", center=True):
    x = convert_to_tensor(x)
    if center:
        pad = fft_length // 2
        x = tf.pad(x, [[0, 0]] * (x.shape.rank - 1) + [[pad, pad]], mode="REFLECT")
    frames = extract_sequences(x, fft_length, sequence_stride)
    frames = frames * _window(window, sequence_length, fft_length, x.dtype)
    return rfft(frames, fft_length)


def _overlap_add(frames, stride):
    return tf.signal.overlap_and_add(frames, stride)


def rsqrt(x):
    return tf.math.rsqrt(_float(x))


def erf(x):
    return tf.math.erf(_float(x))


def erfc(x):
    return tf.math.erfc(_float(x))


def erfinv(x):
    return tf.math.erfinv(_float(x))


def logdet(x):
    return tf.linalg.slogdet(_float(x))[1]
