"""Math ops the NumPy-like engines share (windows, logdet), written once against ``xp``.

Included by ``backend/<engine>/math.py`` (see ``common/binding.py``): the engine module binds the
names in ``REQUIRES`` and runs this code in its own namespace; segments, top-k, Fourier transforms
and special functions it writes its own way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from brickwork.backend import config

REQUIRES = ("xp", "convert_to_tensor")
if TYPE_CHECKING:  # bound by the including engine module
    import numpy as xp  # or jax.numpy: any NumPy-like namespace

    def convert_to_tensor(x, dtype=None): ...


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
