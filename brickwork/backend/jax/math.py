"""jax backend: math ops (segments, top-k, logsumexp, Fourier transforms, special functions).

Written once where shared in ``common/math_ops.py`` against ``xp`` and included here with
``xp = jax.numpy`` (see ``common/binding.py``); the rest is jax's own.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import jax.scipy.special as jsp_special

from brickwork.backend.common.binding import include
from brickwork.backend.jax.core import convert_to_tensor

# ruff: noqa: F821 - the functions include() defines are unknown to linters
xp = jnp  # the array namespace common/math_ops.py runs on
include("math_ops", globals())


def _num_segments(ids, num_segments):
    if num_segments is not None:
        return int(num_segments)
    try:
        return int(jnp.max(ids)) + 1 if ids.size else 0
    except jax.errors.ConcretizationTypeError:
        raise ValueError("num_segments must be given when the op is traced (jit, grad of a jitted fn)") from None


def segment_sum(data, segment_ids, num_segments=None, sorted=False):
    data, ids = convert_to_tensor(data), convert_to_tensor(segment_ids)
    n = _num_segments(ids, num_segments)
    # Negative ids would wrap around in a scatter; send them past the end, where they are dropped.
    ids = jnp.where(ids < 0, n, ids)
    return jax.ops.segment_sum(data, ids, n, indices_are_sorted=sorted)


def segment_max(data, segment_ids, num_segments=None, sorted=False):
    data, ids = convert_to_tensor(data), convert_to_tensor(segment_ids)
    n = _num_segments(ids, num_segments)
    ids = jnp.where(ids < 0, n, ids)
    return jax.ops.segment_max(data, ids, n, indices_are_sorted=sorted)


def segment_min(data, segment_ids, num_segments=None, sorted=False):
    data, ids = convert_to_tensor(data), convert_to_tensor(segment_ids)
    n = _num_segments(ids, num_segments)
    ids = jnp.where(ids < 0, n, ids)
    return jax.ops.segment_min(data, ids, n, indices_are_sorted=sorted)


def segment_prod(data, segment_ids, num_segments=None, sorted=False):
    data, ids = convert_to_tensor(data), convert_to_tensor(segment_ids)
    n = _num_segments(ids, num_segments)
    ids = jnp.where(ids < 0, n, ids)
    return jax.ops.segment_prod(data, ids, n, indices_are_sorted=sorted)


def top_k(x, k, sorted=True):
    x = convert_to_tensor(x)
    if not 0 <= k <= x.shape[-1]:
        raise ValueError(f"k must be in [0, {x.shape[-1]}] (the size of the last axis), received k={k}")
    # lax.top_k always sorts, lower index first among ties.
    return tuple(jax.lax.top_k(x, k))


def in_top_k(targets, predictions, k):
    predictions = convert_to_tensor(predictions)
    targets = convert_to_tensor(targets)
    if not jnp.issubdtype(targets.dtype, jnp.integer):  # class ids given as floats
        targets = targets.astype(jnp.int32)
    classes = predictions.shape[-1]
    valid = (targets >= 0) & (targets < classes)  # an out-of-range target is never in the top k
    index = jnp.clip(targets, 0, classes - 1)[..., None]
    at_target = jnp.take_along_axis(predictions, index, axis=-1)
    if jnp.issubdtype(predictions.dtype, jnp.floating):
        at_target = jnp.where(jnp.isnan(at_target), -jnp.inf, at_target)
    rank = jnp.sum(predictions > at_target, axis=-1)
    return (rank < k) & valid


def logsumexp(x, axis=None, keepdims=False):
    return jsp_special.logsumexp(_float(x), axis=axis, keepdims=keepdims)


def extract_sequences(x, sequence_length, sequence_stride):
    x = convert_to_tensor(x)
    count = 1 + (x.shape[-1] - sequence_length) // sequence_stride
    index = jnp.arange(count)[:, None] * sequence_stride + jnp.arange(sequence_length)[None, :]
    return x[..., index]


def _complex(x) -> jax.Array:
    """One complex array from a ``(real, imag)`` pair of float arrays (``ops`` checked their shapes)."""
    real, imag = convert_to_tensor(x[0]), convert_to_tensor(x[1])
    if not (jnp.issubdtype(real.dtype, jnp.floating) and jnp.issubdtype(imag.dtype, jnp.floating)):
        raise ValueError(f"At least one tensor in input `x` is not of type float: received {real.dtype} and "
                         f"{imag.dtype}")
    return jax.lax.complex(real, imag)


def _parts(out, dtype=None):
    """The real and imaginary parts of ``out``; jax's FFTs keep their input's precision: ``dtype`` goes unused."""
    return jnp.real(out), jnp.imag(out)


def fft(x):
    return _parts(jnp.fft.fft(_complex(x)))


def fft2(x):
    return _parts(jnp.fft.fft2(_complex(x)))


def ifft2(x):
    return _parts(jnp.fft.ifft2(_complex(x)))


def rfft(x, fft_length=None):
    return _parts(jnp.fft.rfft(_float(x), n=fft_length, axis=-1))


def irfft(x, fft_length=None):
    return jnp.fft.irfft(_complex(x), n=fft_length, axis=-1)


def _overlap_add(frames, stride):
    num_frames, frame_length = frames.shape[-2:]
    size = frame_length + stride * (num_frames - 1)
    index = (jnp.arange(num_frames)[:, None] * stride + jnp.arange(frame_length)[None, :]).reshape(-1)
    flat = frames.reshape(frames.shape[:-2] + (-1,))
    return jnp.zeros(frames.shape[:-2] + (size,), frames.dtype).at[..., index].add(flat)


def rsqrt(x):
    return jax.lax.rsqrt(_float(x))


def erf(x):
    return jax.lax.erf(_float(x))


def erfc(x):
    return jax.lax.erfc(_float(x))


def erfinv(x):
    return jsp_special.erfinv(_float(x))
