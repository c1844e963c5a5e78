"""Initializers that need no randomness: Constant, Zeros, Ones, Identity, STFT."""

from __future__ import annotations

import numpy as np

from brickwork import backend, ops
from brickwork.initializers.initializer import Initializer


class Constant(Initializer):
    """Fills with ``value`` (a scalar, or an array broadcastable to the shape).

    Args:
        value: the value (a scalar) every entry takes.

    Example:
    >>> Constant(10.0)((2, 2))
    """

    def __init__(self, value=0.0):
        self.value = value

    def __call__(self, shape, dtype=None):
        dtype = backend.standardize_dtype(dtype)
        return ops.cast(self.value, dtype) * ops.ones(shape, dtype=dtype)

    def get_config(self) -> dict:
        value = self.value
        if not isinstance(value, (bool, int, float, list, tuple)):
            value = backend.convert_to_numpy(value).tolist()
        return {"value": value}


class Zeros(Initializer):
    """Fills with 0.

    Example:
        Zeros()(shape=(2,))   # [0, 0]
    """

    def __call__(self, shape, dtype=None):
        return ops.zeros(shape, dtype=backend.standardize_dtype(dtype))


class Ones(Initializer):
    """Fills with 1.

    Example:
        Ones()(shape=(2,))   # [1, 1]
    """

    def __call__(self, shape, dtype=None):
        return ops.ones(shape, dtype=backend.standardize_dtype(dtype))


class Identity(Initializer):
    """``gain`` times the identity matrix; 2-D shapes only.

    Args:
        gain: the factor on the diagonal.

    Example:
        Identity(gain=2.0)(shape=(2, 2))   # [[2, 0], [0, 2]]
    """

    def __init__(self, gain=1.0):
        self.gain = gain

    def __call__(self, shape, dtype=None):
        if len(shape) != 2:
            raise ValueError(
                f"Identity initializer: only 2-D shapes are supported, received shape={tuple(shape)} "
                f"of rank {len(shape)}."
            )
        dtype = backend.standardize_dtype(dtype)
        return self.gain * ops.eye(*shape, dtype=dtype)

    def get_config(self) -> dict:
        return {"gain": self.gain}


# Window functions (scipy.signal.windows' definitions), as NumPy arrays of `length` points.
_WINDOWS = {
    "hann": lambda n: 0.5 - 0.5 * np.cos(2 * np.pi * n),
    "hamming": lambda n: 0.54 - 0.46 * np.cos(2 * np.pi * n),
    "blackman": lambda n: 0.42 - 0.5 * np.cos(2 * np.pi * n) + 0.08 * np.cos(4 * np.pi * n),
    "bartlett": lambda n: 1 - np.abs(2 * n - 1),
    # Tukey with scipy's default taper fraction 0.5: cosine lobes on each quarter, flat between.
    "tukey": lambda n: np.where(n < 0.25, 0.5 * (1 + np.cos(np.pi * (4 * n - 1))),
                                np.where(n <= 0.75, 1.0, 0.5 * (1 + np.cos(np.pi * (4 * n - 3))))),
}


def _window(name: str, length: int, periodic: bool) -> np.ndarray:
    """A named window of ``length`` points; names beyond the table come from ``scipy.signal.get_window``."""
    if name not in _WINDOWS:
        import scipy.signal  # only reached with scipy installed (checked in STFT.__init__)

        return np.asarray(scipy.signal.get_window(name, length, periodic), dtype=np.float64)
    if length == 1:
        return np.ones(1)
    points = np.arange(length) / (length if periodic else length - 1)
    return _WINDOWS[name](points)


def _known_window(name: str) -> bool:
    if name in _WINDOWS:
        return True
    try:
        import scipy.signal
    except ImportError:
        return False
    try:
        scipy.signal.get_window(name, 8)
    except ValueError:
        return False
    return True


class STFT(Initializer):
    """Conv kernels computing the real or imaginary part of a short-time Fourier transform.

    The kernel shape is ``(frame_length, 1, fft_length // 2 + 1)``.

    Args:
        side: ``"real"`` or ``"imag"``.
        window: ``"hann"``, ``"hamming"``, ``"blackman"``, ``"bartlett"``, ``"tukey"`` (any other name
            ``scipy.signal.get_window`` knows, with scipy installed), an array of
            ``frame_length`` values, or ``None``.
        scaling: ``"density"`` (L2) or ``"spectrum"`` (L1) normalization of the window, or ``None``.
        periodic: whether the named window is periodic rather than symmetric.

    Example:
        STFT("real")(shape=(16, 1, 9)).shape   # (16, 1, 9): one column per frequency
    """

    def __init__(self, side="real", window="hann", scaling="density", periodic=False):
        if side not in ("real", "imag"):
            raise ValueError(f"STFT initializer: `side` must be 'real' or 'imag', received {side!r}.")
        if isinstance(window, str) and not _known_window(window):
            raise ValueError(f"STFT initializer: unknown window {window!r}; expected one of {sorted(_WINDOWS)} or "
                             "another name scipy.signal.get_window knows (with scipy installed).")
        if scaling not in (None, "density", "spectrum"):
            raise ValueError(
                f"STFT initializer: `scaling` must be None, 'density' or 'spectrum', received {scaling!r}."
            )
        self.side = side
        self.window = window
        self.scaling = scaling
        self.periodic = periodic

    def __call__(self, shape, dtype=None):
        frame_length, _, bins = shape
        fft_length = (bins - 1) * 2
        time = np.arange(frame_length).reshape(frame_length, 1, 1)
        freq = np.arange(bins).reshape(1, 1, bins) / fft_length
        angles = -2 * np.pi * time * freq
        kernel = np.cos(angles) if self.side == "real" else np.sin(angles)
        if self.window is not None:
            window = self.window
            if isinstance(window, str):
                window = _window(window, frame_length, self.periodic)
            window = np.asarray(window, dtype=np.float64)
            if window.shape != (frame_length,):
                raise ValueError(
                    f"STFT initializer: the window must have shape ({frame_length},), received {window.shape}."
                )
            scale = {"density": np.sqrt(np.sum(window**2)), "spectrum": np.sum(np.abs(window)), None: 1.0}
            kernel = kernel * window.reshape(frame_length, 1, 1) / scale[self.scaling]
        return backend.convert_to_tensor(kernel, dtype=backend.standardize_dtype(dtype))

    def get_config(self) -> dict:
        window = self.window
        if window is not None and not isinstance(window, str):
            window = np.asarray(window).tolist()
        return {"side": self.side, "window": window, "scaling": self.scaling, "periodic": self.periodic}
