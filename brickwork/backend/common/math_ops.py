"""Math ops the NumPy-like engines share (STFT and its inverse, logdet), written once against ``xp``.

Included by ``backend/<engine>/math.py`` (see ``common/binding.py``): the engine module binds the
names in ``REQUIRES`` and runs this code in its own namespace; segments, top-k, Fourier transforms
and special functions it writes its own way. ``stft`` and ``istft`` call the engine module's
``extract_sequences``, ``irfft``, ``_parts`` and ``_overlap_add`` (looked up when called, so the
engine may define them after the include).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from brickwork.backend import config

REQUIRES = ("xp", "convert_to_tensor")
if TYPE_CHECKING:  # bound by the including engine module
    import numpy as xp  # or jax.numpy: any NumPy-like namespace

    def convert_to_tensor(x, dtype=None): ...

    def extract_sequences(x, sequence_length, sequence_stride): ...

    def irfft(x, fft_length=None): ...

    def _parts(out, dtype):
        """The real and imaginary parts of the complex ``out``, as arrays of ``dtype``."""

    def _overlap_add(frames, stride):
        """``(..., frames, frame_length)`` frames, ``stride`` apart, summed into one signal."""


def _float(x):
    """``x`` as an array of a floating dtype: integers and bools become floatx."""
    x = convert_to_tensor(x)
    if xp.issubdtype(x.dtype, xp.inexact):
        return x
    return x.astype(config.floatx())


def _window(window, sequence_length, fft_length, dtype):
    """The analysis window, zero-padded on both sides to ``fft_length`` (``ops`` checked its name or shape)."""
    if window is None:
        win = xp.ones(sequence_length, dtype=dtype)
    elif isinstance(window, str):
        alpha = 0.5 if window == "hann" else 0.54
        phase = 2 * xp.pi * xp.arange(sequence_length) / sequence_length  # periodic window
        win = (alpha - (1 - alpha) * xp.cos(phase)).astype(dtype)
    else:
        win = convert_to_tensor(window, dtype=dtype)
    left = (fft_length - sequence_length) // 2
    return xp.pad(win, (left, fft_length - sequence_length - left))


def stft(x, sequence_length, sequence_stride, fft_length, window="hann", center=True):
    x = convert_to_tensor(x)
    if center:
        pad = fft_length // 2
        x = xp.pad(x, [(0, 0)] * (x.ndim - 1) + [(pad, pad)], mode="reflect")
    frames = extract_sequences(x, fft_length, sequence_stride)
    out = xp.fft.rfft(frames * _window(window, sequence_length, fft_length, x.dtype), n=fft_length, axis=-1)
    return _parts(out, x.dtype)


def istft(x, sequence_length, sequence_stride, fft_length, length=None, window="hann", center=True):
    frames = irfft(x, fft_length)
    if window is None:  # without a window the frames are only overlap-added, as in Keras
        signal = _overlap_add(frames, sequence_stride)
    else:
        # Window each frame, overlap-add, then divide by the overlapped squared window (least-squares inverse).
        win = _window(window, sequence_length, fft_length, frames.dtype)
        signal = _overlap_add(frames * win, sequence_stride)
        norm = _overlap_add(xp.broadcast_to(win * win, (frames.shape[-2], fft_length)), sequence_stride)
        signal = signal / xp.where(norm > 1e-11, norm, 1.0).astype(frames.dtype)
    start = fft_length // 2 if center else 0
    end = start + length if length is not None else signal.shape[-1] - start
    return signal[..., start:end]


def logdet(x):
    return xp.linalg.slogdet(_float(x))[1]


# ---- complex views ----


def view_as_complex(x):
    x = convert_to_tensor(x)
    if x.ndim < 1 or x.shape[-1] != 2:
        raise ValueError(f"Last dimension of input must be size 2 (real and imaginary). "
                         f"Received shape: {x.shape}")
    x = x.astype(xp.float32)  # complex64 whatever the input, as in Keras
    return (x[..., 0] + 1j * x[..., 1]).astype(xp.complex64)


def view_as_real(x):
    x = convert_to_tensor(x)
    return xp.stack([xp.real(x), xp.imag(x)], axis=-1)
