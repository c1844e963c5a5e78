"""``STFTSpectrogram``: short-time Fourier transform of audio as a strided convolution (trainable kernels)."""

from __future__ import annotations

import math
import warnings

from brickwork import backend, initializers, ops
from brickwork.layers.input_spec import InputSpec
from brickwork.layers.layer import Layer

_MODES = ("log", "magnitude", "psd", "real", "imag", "angle", "stft")


class STFTSpectrogram(Layer):
    """Spectrogram of each channel of ``(batch, time, channels)`` signals (``channels_first``: ``(batch, channels,
    time)``), computed by convolving with windowed cosine and sine kernels, which can then be trained.

    Args:
        mode: ``"log"`` (log magnitude), ``"magnitude"``, ``"psd"`` (power spectral density, one-sided),
            ``"real"``, ``"imag"``, ``"angle"`` or ``"stft"`` (real and imaginary parts concatenated).
        frame_length: the window length in samples.
        frame_step: the hop between windows (default ``frame_length // 2``).
        fft_length: the FFT size (default the next power of two >= ``frame_length``); ``fft_length // 2 + 1``
            frequency bins.
        window: ``"hann"``, ``"hamming"``, ``"blackman"``, ``"bartlett"``, an array, or ``None``.
        periodic: whether the named window is periodic rather than symmetric.
        scaling: ``"density"``, ``"spectrum"`` or ``None``: how the window is normalized.
        padding: ``"valid"`` or ``"same"`` (of the convolution).
        expand_dims: keep channels and frequencies on separate axes (``(batch, time, freq, channels)``)
            instead of flattening them (``(batch, time, channels * freq)``).
        data_format: ``"channels_last"`` or ``"channels_first"``; default ``image_data_format()``.

    Example:
    >>> STFTSpectrogram(frame_length=64, frame_step=32)(np.random.rand(2, 1024, 1)).shape   # (2, 31, 33)
    """

    def __init__(self, mode: str = "log", frame_length: int = 256, frame_step: int | None = None,
                 fft_length: int | None = None, window="hann", periodic: bool = False, scaling: str | None = "density",
                 padding: str = "valid", expand_dims: bool = False, data_format: str | None = None, **kwargs):
        if frame_step is not None and not 1 <= frame_step <= frame_length:
            raise ValueError(f"STFTSpectrogram: `frame_step` must be in [1, frame_length={frame_length}], "
                             f"received {frame_step}.")
        if fft_length is not None and fft_length < frame_length:
            raise ValueError(f"STFTSpectrogram: `fft_length` must be >= frame_length={frame_length}, "
                             f"received {fft_length}.")
        if fft_length is not None and fft_length & (fft_length - 1):
            warnings.warn(f"STFTSpectrogram: `fft_length` is best a power of two, received {fft_length}.",
                          stacklevel=2)
        if mode not in _MODES:
            raise ValueError(f"STFTSpectrogram: `mode` must be one of {_MODES}, received {mode!r}.")
        if scaling not in (None, "density", "spectrum"):
            raise ValueError(f"STFTSpectrogram: `scaling` must be None, 'density' or 'spectrum', received {scaling!r}.")
        if padding not in ("valid", "same"):
            raise ValueError(f"STFTSpectrogram: `padding` must be 'valid' or 'same', received {padding!r}.")
        initializers.STFT("real", window, scaling, periodic)  # validates the window
        super().__init__(**kwargs)
        self.mode = mode
        self.frame_length = frame_length
        self.frame_step = frame_step
        self.fft_length = fft_length
        self.window = window
        self.periodic = periodic
        self.scaling = scaling
        self.padding = padding
        self.expand_dims = expand_dims
        self.data_format = backend.standardize_data_format(data_format)
        self.step = frame_step or frame_length // 2
        self.bins = (fft_length or 2 ** math.ceil(math.log2(frame_length))) // 2 + 1
        self.input_spec = InputSpec(ndim=3)

    def build(self, input_shape):
        shape = (self.frame_length, 1, self.bins)
        self.real_kernel = self.imag_kernel = None
        if self.mode != "imag":
            self.real_kernel = self.add_weight(
                name="real_kernel", shape=shape,
                initializer=initializers.STFT("real", self.window, self.scaling, self.periodic))
        if self.mode != "real":
            self.imag_kernel = self.add_weight(
                name="imag_kernel", shape=shape,
                initializer=initializers.STFT("imag", self.window, self.scaling, self.periodic))
        self.built = True

    def _convolve(self, signals, kernel):
        """Signals ``(batch * channels, time, 1)`` to ``(batch * channels, frames, freq)``."""
        return ops.conv(signals, ops.cast(kernel, signals.dtype), strides=self.step, padding=self.padding,
                        data_format="channels_last")

    def call(self, inputs):
        inputs = ops.cast(inputs, self.compute_dtype)
        if self.data_format == "channels_last":
            inputs = ops.transpose(inputs, (0, 2, 1))
        channels, time = inputs.shape[1], inputs.shape[2]
        signals = ops.reshape(inputs, (-1, time, 1))
        real = self._convolve(signals, self.real_kernel) if self.real_kernel is not None else None
        imag = self._convolve(signals, self.imag_kernel) if self.imag_kernel is not None else None
        if self.mode == "real":
            result = real
        elif self.mode == "imag":
            result = imag
        elif self.mode == "angle":
            result = ops.arctan2(imag, real)
        elif self.mode == "stft":
            result = ops.concatenate([real, imag], axis=-1)
        else:
            power = ops.square(real) + ops.square(imag)
            if self.mode == "psd":
                # One-sided density: every bin but DC and Nyquist also carries its negative frequency.
                result = power + ops.pad(power[..., 1:-1], [(0, 0), (0, 0), (1, 1)])
            else:
                result = ops.sqrt(ops.maximum(power, backend.epsilon()))
                if self.mode == "log":
                    result = ops.log(ops.maximum(result, backend.epsilon()))
        return self._arrange(result, channels)

    def _arrange(self, result, channels: int):
        """``(batch * channels, frames, freq)`` to the layer's output layout."""
        frames, freq = result.shape[1], result.shape[2]
        result = ops.reshape(result, (-1, channels, frames, freq))
        if self.expand_dims:
            return ops.transpose(result, (0, 2, 3, 1)) if self.data_format == "channels_last" else result
        result = ops.reshape(ops.transpose(result, (0, 2, 1, 3)), (-1, frames, channels * freq))
        return result if self.data_format == "channels_last" else ops.transpose(result, (0, 2, 1))

    def compute_output_shape(self, input_shape):
        batch, time, channels = input_shape if self.data_format == "channels_last" else (
            input_shape[0], input_shape[2], input_shape[1])
        freq = self.bins * (2 if self.mode == "stft" else 1)
        if time is None:
            frames = None
        elif self.padding == "same":
            frames = -(-time // self.step)
        else:
            frames = (time - self.frame_length) // self.step + 1
        if self.expand_dims:
            return (batch, frames, freq, channels) if self.data_format == "channels_last" else (
                batch, channels, frames, freq)
        flat = None if channels is None else channels * freq
        return (batch, frames, flat) if self.data_format == "channels_last" else (batch, flat, frames)

    def get_config(self) -> dict:
        window = self.window if self.window is None or isinstance(self.window, str) else list(self.window)
        return {**super().get_config(), "mode": self.mode, "frame_length": self.frame_length,
                "frame_step": self.frame_step, "fft_length": self.fft_length, "window": window,
                "periodic": self.periodic, "scaling": self.scaling, "padding": self.padding,
                "data_format": self.data_format, "expand_dims": self.expand_dims}
