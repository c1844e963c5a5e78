"""``MelSpectrogram``: log-mel power spectrogram of audio, on ``ops.stft``."""

from __future__ import annotations

import numpy as np

from brickwork import ops
from brickwork.layers.layer import Layer


def _hertz_to_mel(frequencies):
    """The HTK mel scale: ``1127 ln(1 + f / 700)``."""
    return 1127.0 * np.log1p(np.asarray(frequencies, dtype="float64") / 700.0)


def mel_weight_matrix(num_mel_bins: int, num_spectrogram_bins: int, sampling_rate: float, lower_edge_hertz: float,
                      upper_edge_hertz: float) -> np.ndarray:
    """``(num_spectrogram_bins, num_mel_bins)`` triangular filters, equally spaced in mel, each peaking at 1.

    The spectrogram bins are spread linearly over ``[0, sampling_rate / 2]``; the DC bin gets no weight.
    """
    bins_mel = _hertz_to_mel(np.linspace(0.0, sampling_rate / 2.0, num_spectrogram_bins)[1:])[:, None]
    edges = np.linspace(_hertz_to_mel(lower_edge_hertz), _hertz_to_mel(upper_edge_hertz), num_mel_bins + 2)
    lower, center, upper = edges[:-2][None], edges[1:-1][None], edges[2:][None]
    rising = (bins_mel - lower) / (center - lower)
    falling = (upper - bins_mel) / (upper - center)
    weights = np.maximum(0.0, np.minimum(rising, falling))
    return np.concatenate([np.zeros((1, num_mel_bins)), weights]).astype("float32")


class MelSpectrogram(Layer):
    """Turn ``(batch, samples)`` audio (or one ``(samples,)`` signal) into ``(batch, num_mel_bins, frames)``.

    Steps: a centred STFT (``ops.stft``), magnitudes to the power ``mag_exp``, triangular mel filters
    (HTK scale), and with ``power_to_db`` decibels relative to ``ref_power``, floored ``top_db`` below the
    largest value of the call.

    Args:
        fft_length: the FFT size.
        sequence_stride: the hop between frames, in samples.
        sequence_length: the window length (default ``fft_length``).
        window: ``"hann"``, ``"hamming"`` or ``None``.
        sampling_rate: samples per second of the audio.
        num_mel_bins: the number of mel bands.
        min_freq, max_freq: the band edges in Hz (``max_freq`` default ``sampling_rate / 2``).
        power_to_db: whether to convert to decibels.
        top_db: the dynamic range kept, in dB.
        mag_exp: the exponent of the magnitudes (2: power).
        min_power: the floor before the logarithm.
        ref_power: the power mapped to 0 dB.

    Example:
    >>> MelSpectrogram(num_mel_bins=40)(np.random.rand(2, 16000)).shape   # (2, 40, 32)
    """

    def __init__(self, fft_length: int = 2048, sequence_stride: int = 512, sequence_length: int | None = None,
                 window: str | None = "hann", sampling_rate: int = 16000, num_mel_bins: int = 128,
                 min_freq: float = 20.0, max_freq: float | None = None, power_to_db: bool = True,
                 top_db: float = 80.0, mag_exp: float = 2.0, min_power: float = 1e-10, ref_power: float = 1.0,
                 **kwargs):
        super().__init__(**kwargs)
        self.fft_length = fft_length
        self.sequence_stride = sequence_stride
        self.sequence_length = sequence_length or fft_length
        if self.fft_length < self.sequence_length:
            raise ValueError(f"MelSpectrogram: `fft_length` must be >= `sequence_length`, received "
                             f"fft_length={fft_length}, sequence_length={self.sequence_length}.")
        self.window = window
        self.sampling_rate = sampling_rate
        self.num_mel_bins = num_mel_bins
        self.min_freq = min_freq
        self.max_freq = max_freq or int(sampling_rate / 2)
        self.power_to_db = power_to_db
        self.top_db = top_db
        self.mag_exp = mag_exp
        self.min_power = min_power
        self.ref_power = ref_power
        self.mel_weights = mel_weight_matrix(num_mel_bins, fft_length // 2 + 1, sampling_rate, min_freq,
                                             self.max_freq)

    def call(self, inputs):
        dtype = self.compute_dtype if self.compute_dtype in ("float32", "float64") else "float32"
        signals = ops.cast(inputs, dtype)
        real, imag = ops.stft(signals, sequence_length=self.sequence_length, sequence_stride=self.sequence_stride,
                              fft_length=self.fft_length, window=self.window, center=True)
        spectrum = ops.power(ops.sqrt(ops.square(real) + ops.square(imag)), self.mag_exp)
        mel = ops.tensordot(spectrum, ops.convert_to_tensor(self.mel_weights, dtype=dtype), axes=1)
        if self.power_to_db:
            decibels = 10.0 * ops.log10(ops.maximum(mel, self.min_power))
            decibels = decibels - 10.0 * float(np.log10(max(abs(self.ref_power), self.min_power)))
            mel = ops.maximum(decibels, ops.max(decibels) - self.top_db)
        return ops.cast(ops.swapaxes(mel, -1, -2), self.compute_dtype)

    def compute_output_shape(self, input_shape):
        samples = input_shape[-1]
        frames = None if samples is None else 1 + (samples + 2 * (self.fft_length // 2) - self.fft_length) \
            // self.sequence_stride
        return (*input_shape[:-1], self.num_mel_bins, frames)

    def get_config(self) -> dict:
        return {**super().get_config(), "fft_length": self.fft_length, "sequence_stride": self.sequence_stride,
                "sequence_length": self.sequence_length, "window": self.window,
                "sampling_rate": self.sampling_rate, "num_mel_bins": self.num_mel_bins, "min_freq": self.min_freq,
                "max_freq": self.max_freq, "power_to_db": self.power_to_db, "top_db": self.top_db,
                "mag_exp": self.mag_exp, "min_power": self.min_power, "ref_power": self.ref_power}
