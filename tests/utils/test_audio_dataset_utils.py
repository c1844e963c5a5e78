"""audio_dataset_from_directory on WAV files written with the standard library's ``wave``."""

import wave

import numpy as np
import pytest

from brickwork.utils import audio_dataset_from_directory

LENGTHS = {"no": [40, 25, 33], "yes": [30, 40]}


def _write_wav(path, samples: np.ndarray, rate=8000, width=2):
    """``samples`` (frames, channels) as integers of ``width`` bytes."""
    with wave.open(str(path), "wb") as file:
        file.setnchannels(samples.shape[1])
        file.setsampwidth(width)
        file.setframerate(rate)
        file.writeframes(samples.astype(f"<i{width}" if width > 1 else "u1").tobytes())


@pytest.fixture
def audio_dir(tmp_path):
    rng = np.random.default_rng(0)
    for folder, lengths in LENGTHS.items():
        (tmp_path / folder).mkdir()
        for i, length in enumerate(lengths):
            _write_wav(tmp_path / folder / f"{i}.wav", rng.integers(-2**15, 2**15, (length, 1)))
    return tmp_path


def _decoded(path):
    with wave.open(str(path), "rb") as file:
        return np.frombuffer(file.readframes(file.getnframes()), "<i2").astype("float32")[:, None] / 32768


def test_padded_batches_match_the_samples(audio_dir, capsys):
    ds = audio_dataset_from_directory(audio_dir, batch_size=2, shuffle=False)
    assert "Found 5 files belonging to 2 classes." in capsys.readouterr().out
    first, labels = ds[0]
    assert first.shape == (2, 40, 1) and first.dtype == np.float32
    np.testing.assert_array_equal(labels, [0, 0])
    np.testing.assert_allclose(first[0], _decoded(ds.file_paths[0]))
    np.testing.assert_allclose(first[1, :25], _decoded(ds.file_paths[1]))
    np.testing.assert_array_equal(first[1, 25:], 0)  # padded to the longest in the batch


def test_output_sequence_length_and_ragged(audio_dir):
    fixed = audio_dataset_from_directory(audio_dir, output_sequence_length=32, batch_size=5, shuffle=False,
                                         verbose=False)
    audio, _ = fixed[0]
    assert audio.shape == (5, 32, 1)
    np.testing.assert_allclose(audio[0], _decoded(fixed.file_paths[0])[:32])
    np.testing.assert_array_equal(audio[1, 25:], 0)
    ragged = audio_dataset_from_directory(audio_dir, ragged=True, batch_size=5, shuffle=False, verbose=False)
    waves, labels = ragged[0]
    assert [len(w) for w in waves] == LENGTHS["no"] + LENGTHS["yes"]
    np.testing.assert_array_equal(labels, [0, 0, 0, 1, 1])


@pytest.mark.parametrize("width, scale", [(1, None), (4, 2.0**31)])
def test_other_sample_widths(tmp_path, width, scale):
    (tmp_path / "a").mkdir()
    if width == 1:
        raw = np.array([[0], [128], [255]])
        expected = (raw - 128) / 128
    else:
        raw = np.array([[-2**31], [0], [2**30]])
        expected = raw / scale
    _write_wav(tmp_path / "a" / "x.wav", raw, width=width)
    audio = audio_dataset_from_directory(tmp_path, labels=None, batch_size=None, verbose=False)[0]
    np.testing.assert_allclose(audio, expected.astype("float32"))


def test_resampling_to_a_sampling_rate(tmp_path):
    pytest.importorskip("scipy")
    (tmp_path / "a").mkdir()
    tone = np.sin(2 * np.pi * 100 * np.arange(800) / 8000)[:, None] * 10000
    _write_wav(tmp_path / "a" / "tone.wav", tone, rate=8000)
    audio = audio_dataset_from_directory(tmp_path, labels=None, batch_size=None, sampling_rate=4000, verbose=False)[0]
    assert audio.shape == (400, 1)
    expected = np.sin(2 * np.pi * 100 * np.arange(400) / 4000) * 10000 / 32768
    np.testing.assert_allclose(audio[50:350, 0], expected[50:350], atol=0.01)


def test_validation_split_is_a_tuple(audio_dir):
    splits = audio_dataset_from_directory(audio_dir, validation_split=0.4, subset="both", seed=0, verbose=False)
    assert isinstance(splits, tuple) and [len(s.file_paths) for s in splits] == [3, 2]


def test_errors(audio_dir, tmp_path_factory):
    with pytest.raises(ValueError, match="No audio files found"):
        audio_dataset_from_directory(tmp_path_factory.mktemp("empty"), verbose=False)
    with pytest.raises(ValueError, match="label_mode='onehot'"):
        audio_dataset_from_directory(audio_dir, label_mode="onehot")
    with pytest.raises(ValueError, match="ragged"):
        audio_dataset_from_directory(audio_dir, ragged=True, output_sequence_length=4)
    with pytest.raises(ValueError, match="sampling_rate=0"):
        audio_dataset_from_directory(audio_dir, sampling_rate=0)
    (audio_dir / "no" / "broken.wav").write_bytes(b"RIFFnope")
    ds = audio_dataset_from_directory(audio_dir, batch_size=None, shuffle=False, verbose=False)
    with pytest.raises(ValueError, match="broken.wav"):
        [ds[i] for i in range(len(ds))]


def test_24_bit_samples(tmp_path):
    (tmp_path / "a").mkdir()
    values = [-2**23, -1, 0, 2**22]
    with wave.open(str(tmp_path / "a" / "x.wav"), "wb") as file:
        file.setnchannels(1)
        file.setsampwidth(3)
        file.setframerate(8000)
        file.writeframes(b"".join(v.to_bytes(3, "little", signed=True) for v in values))
    audio = audio_dataset_from_directory(tmp_path, labels=None, batch_size=None, verbose=False)[0]
    np.testing.assert_allclose(audio[:, 0], np.array(values) / 2**23)
