"""STFTSpectrogram and MelSpectrogram against NumPy's FFT and Keras 3: modes, layouts, shapes, configs, models."""

import numpy as np
import pytest
from scipy import signal

from brickwork import backend, layers
from tests.layers.harness import run_layer_test
from tests.layers.keras_reference import run_keras
from tests.layers.model_round_trip import check_fit_and_reload

rng = np.random.default_rng(0)
AUDIO = rng.normal(size=(2, 300, 2)).astype("float32")  # (batch, time, channels)
MONO = rng.normal(size=(2, 4000)).astype("float32")


def to_np(x):
    return backend.convert_to_numpy(x)


def stft_reference(x, frame_length, step, fft_length, window="hann", scaling="density"):
    """(batch, frames, channels, bins) complex: each frame windowed, scaled, and FFT'd (e^{-i w t})."""
    win = signal.get_window(window, frame_length, fftbins=False)
    scale = np.sqrt(np.sum(win ** 2)) if scaling == "density" else np.sum(np.abs(win))
    frames = (x.shape[1] - frame_length) // step + 1
    windows = np.stack([x[:, i * step:i * step + frame_length] for i in range(frames)], axis=1)
    return np.fft.rfft(windows * win[None, None, :, None] / scale, n=fft_length, axis=2).transpose(0, 1, 3, 2)


@pytest.mark.parametrize("mode", ["log", "magnitude", "psd", "real", "imag", "angle", "stft"])
def test_stft_modes_match_numpy_fft(mode):
    spectrum = stft_reference(AUDIO, 32, 16, 32)  # (2, 17, 2, 17)
    expected = {"real": spectrum.real, "imag": spectrum.imag, "angle": np.angle(spectrum),
                "magnitude": np.abs(spectrum), "log": np.log(np.maximum(np.abs(spectrum), 1e-7)),
                "stft": np.concatenate([spectrum.real, spectrum.imag], axis=-1)}
    power = np.abs(spectrum) ** 2
    expected["psd"] = power + np.pad(power[..., 1:-1], [(0, 0), (0, 0), (0, 0), (1, 1)])
    flat = expected[mode].reshape(*expected[mode].shape[:2], -1)  # (batch, frames, channels * freq)
    weights = 1 if mode in ("real", "imag") else 2
    tolerance = {"rtol": 1e-3, "atol": 1e-3} if mode == "angle" else {"rtol": 1e-4, "atol": 1e-4}
    _, out = run_layer_test(layers.STFTSpectrogram, {"mode": mode, "frame_length": 32, "frame_step": 16},
                            input_data=AUDIO, expected_output_shape=flat.shape,
                            expected_num_trainable_weights=weights, **tolerance,
                            reference=None if mode == "angle" else lambda x, w: flat)
    if mode == "angle":  # compare angles on the circle (a sign flip at +-pi is the same angle)
        assert np.allclose(np.cos(out), np.cos(flat), atol=1e-3) and np.allclose(np.sin(out), np.sin(flat), atol=1e-3)


def test_stft_layouts_padding_and_shapes():
    spectrum = np.abs(stft_reference(AUDIO, 32, 8, 64))  # (2, 34, 2, 33)
    expanded = to_np(layers.STFTSpectrogram("magnitude", 32, 8, 64, expand_dims=True)(AUDIO))
    np.testing.assert_allclose(expanded, spectrum.transpose(0, 1, 3, 2), rtol=1e-4, atol=1e-4)
    first = to_np(layers.STFTSpectrogram("magnitude", 32, 8, 64, data_format="channels_first")(AUDIO.transpose(0, 2, 1)))
    np.testing.assert_allclose(first, spectrum.reshape(2, 34, -1).transpose(0, 2, 1), rtol=1e-4, atol=1e-4)
    first_expanded = layers.STFTSpectrogram("magnitude", 32, 8, 64, expand_dims=True, data_format="channels_first")
    np.testing.assert_allclose(to_np(first_expanded(AUDIO.transpose(0, 2, 1))), spectrum.transpose(0, 2, 1, 3),
                               rtol=1e-4, atol=1e-4)
    same = layers.STFTSpectrogram(frame_length=32, frame_step=8, padding="same")
    assert tuple(same(AUDIO).shape) == same.compute_output_shape(AUDIO.shape) == (2, 38, 2 * 17)
    assert layers.STFTSpectrogram().compute_output_shape((None, None, 1)) == (None, None, 129)
    with pytest.raises(ValueError, match="STFTSpectrogram"):
        layers.STFTSpectrogram(frame_length=16, frame_step=32)
    with pytest.raises(ValueError, match="STFTSpectrogram"):
        layers.STFTSpectrogram(mode="power")


def mel_reference(audio, fft_length, stride, sampling_rate, mel_bins, min_freq, max_freq, top_db=80.0):
    """A centred (reflect-padded) periodic-Hann STFT power, HTK mel triangles, dB floored top_db below the max."""
    padded = np.pad(audio, [(0, 0), (fft_length // 2, fft_length // 2)], mode="reflect")
    frames = 1 + (padded.shape[1] - fft_length) // stride
    window = signal.get_window("hann", fft_length, fftbins=True)
    windows = np.stack([padded[:, i * stride:i * stride + fft_length] for i in range(frames)], axis=1)
    power = np.abs(np.fft.rfft(windows * window, axis=-1)) ** 2
    mel = lambda f: 2595.0 * np.log10(1.0 + np.asarray(f) / 700.0)  # the HTK formula
    centres = mel(np.linspace(0, sampling_rate / 2, fft_length // 2 + 1))
    edges = np.linspace(mel(min_freq), mel(max_freq), mel_bins + 2)
    filters = np.zeros((fft_length // 2 + 1, mel_bins))
    for m in range(mel_bins):
        low, mid, high = edges[m:m + 3]
        filters[1:, m] = np.maximum(0, np.minimum((centres[1:] - low) / (mid - low), (high - centres[1:]) / (high - mid)))
    decibels = 10 * np.log10(np.maximum(power @ filters, 1e-10))
    return np.maximum(decibels, decibels.max() - top_db).transpose(0, 2, 1)


def test_mel_spectrogram_matches_numpy():
    kwargs = {"fft_length": 256, "sequence_stride": 128, "sampling_rate": 8000, "num_mel_bins": 20,
              "min_freq": 50.0, "max_freq": 3500.0}
    expected = mel_reference(MONO, 256, 128, 8000, 20, 50.0, 3500.0)
    run_layer_test(layers.MelSpectrogram, kwargs, input_data=MONO, expected_output_shape=expected.shape,
                   reference=lambda x, w: expected, rtol=1e-3, atol=2e-2)
    single = to_np(layers.MelSpectrogram(**kwargs)(MONO[0]))
    assert single.shape == expected.shape[1:]
    linear = to_np(layers.MelSpectrogram(**kwargs, power_to_db=False)(MONO))
    kept = expected > expected.max() - 80  # not floored by top_db
    np.testing.assert_allclose(10 * np.log10(np.maximum(linear, 1e-10))[kept], expected[kept], rtol=1e-3, atol=2e-2)
    assert layers.MelSpectrogram().compute_output_shape((None, 16000)) == (None, 128, 32)
    config = layers.MelSpectrogram(num_mel_bins=40).get_config()
    assert config["num_mel_bins"] == 40 and config["max_freq"] == 8000 and config["sequence_length"] == 2048


def test_match_keras():
    expected = run_keras("""
        stft = keras.layers.STFTSpectrogram(mode="log", frame_length=32, frame_step=16, fft_length=64)
        out["stft"] = keras.ops.convert_to_numpy(stft(data["audio"]))
        out["stft_weights"] = np.stack([keras.ops.convert_to_numpy(w) for w in stft.weights])
        mel = keras.layers.MelSpectrogram(fft_length=256, sequence_stride=100, sampling_rate=8000, num_mel_bins=24)
        out["mel"] = keras.ops.convert_to_numpy(mel(data["mono"]))
    """, audio=AUDIO, mono=MONO)
    stft = layers.STFTSpectrogram(mode="log", frame_length=32, frame_step=16, fft_length=64)
    np.testing.assert_allclose(to_np(stft(AUDIO)), expected["stft"], rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(np.stack(stft.get_weights()), expected["stft_weights"], rtol=1e-5, atol=1e-6)
    mel = layers.MelSpectrogram(fft_length=256, sequence_stride=100, sampling_rate=8000, num_mel_bins=24)
    np.testing.assert_allclose(to_np(mel(MONO)), expected["mel"], rtol=1e-3, atol=2e-2)


def test_in_models_fit_and_reload(tmp_path):
    y = np.ones((2, 1), "float32")
    check_fit_and_reload(layers.STFTSpectrogram(frame_length=32, frame_step=16), AUDIO, y, tmp_path)
    check_fit_and_reload(layers.MelSpectrogram(fft_length=256, sequence_stride=128, num_mel_bins=16), MONO, y,
                         tmp_path)
