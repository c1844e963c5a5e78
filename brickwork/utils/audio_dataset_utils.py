"""``audio_dataset_from_directory``: a folder of ``.wav`` files (one subfolder per class) as a
dataset of float32 waveform batches, decoded with the standard library's ``wave``."""

from __future__ import annotations

import math
import wave

import numpy as np

from brickwork.utils import dataset_utils
from brickwork.utils.dataset import Dataset

ALLOWED_FORMATS = (".wav",)


def read_wav(path: str) -> tuple[np.ndarray, int]:
    """The samples of a PCM WAV file as float32 ``(samples, channels)`` in [-1, 1), and its rate."""
    try:
        with wave.open(path, "rb") as file:
            channels, width, rate = file.getnchannels(), file.getsampwidth(), file.getframerate()
            raw = file.readframes(file.getnframes())
    except (wave.Error, EOFError) as error:
        raise ValueError(f"Could not decode the WAV file {path!r} (16-bit PCM and the like): {error}") from error
    if width == 1:  # 8-bit WAV is unsigned
        samples = (np.frombuffer(raw, dtype=np.uint8).astype("float32") - 128) / 128
    elif width == 3:  # 24-bit: widen to 32 bits, little-endian
        bytes3 = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 3)
        padded = np.zeros((len(bytes3), 4), dtype=np.uint8)
        padded[:, 1:] = bytes3
        samples = padded.view("<i4")[:, 0].astype("float32") / 2**31
    elif width in (2, 4):
        samples = np.frombuffer(raw, dtype=f"<i{width}").astype("float32") / 2 ** (8 * width - 1)
    else:
        raise ValueError(f"Unsupported sample width of {width} bytes in the WAV file {path!r}.")
    return samples.reshape(-1, channels), rate


class AudioLoader:
    """Waveform ``i`` (resampled, cut or zero-padded as asked), with its label if any."""

    def __init__(self, file_paths, labels, sampling_rate: int | None, output_sequence_length: int | None):
        self.file_paths, self.labels = file_paths, labels
        self.sampling_rate, self.output_sequence_length = sampling_rate, output_sequence_length

    def __call__(self, i: int):
        audio, rate = read_wav(self.file_paths[i])
        if self.sampling_rate is not None and rate != self.sampling_rate:
            from scipy import signal  # a polyphase filter, as tensorflow-io resamples

            divisor = math.gcd(self.sampling_rate, rate)
            audio = signal.resample_poly(audio, self.sampling_rate // divisor, rate // divisor, axis=0)
            audio = audio.astype("float32")
        length = self.output_sequence_length
        if length is not None:
            audio = audio[:length]
            if len(audio) < length:
                audio = np.pad(audio, ((0, length - len(audio)), (0, 0)))
        return audio if self.labels is None else (audio, self.labels[i])


def pad_batch(samples: list):
    """A batch of waveforms zero-padded at the end to the longest one (with their labels)."""
    if isinstance(samples[0], tuple):
        audio, labels = zip(*samples)
        return pad_batch(list(audio)), np.stack(labels)
    longest = max(len(audio) for audio in samples)
    return np.stack([np.pad(audio, ((0, longest - len(audio)), (0, 0))) for audio in samples])


def ragged_batch(samples: list):
    """A batch of waveforms of their own lengths: a list of arrays (with the labels stacked)."""
    if isinstance(samples[0], tuple):
        audio, labels = zip(*samples)
        return list(audio), np.stack(labels)
    return list(samples)


def audio_dataset_from_directory(
    directory,
    labels="inferred",
    label_mode: str | None = "int",
    class_names: list[str] | None = None,
    batch_size: int | None = 32,
    sampling_rate: int | None = None,
    output_sequence_length: int | None = None,
    ragged: bool = False,
    shuffle: bool = True,
    seed: int | None = None,
    validation_split: float | None = None,
    subset: str | None = None,
    follow_links: bool = False,
    verbose: bool = True,
) -> Dataset | tuple[Dataset, Dataset]:
    """A dataset of waveforms (and labels) from the ``.wav`` files of a directory.

    Args:
        directory: the folder of the WAV files (one subfolder per class for inferred labels).
        labels: ``"inferred"``, None (audio only), or a list of integer labels, one per file in
            the alphanumeric order of the paths.
        label_mode: ``"int"``, ``"categorical"``, ``"binary"`` or None.
        class_names: with inferred labels, the subfolders to use, in this order.
        batch_size: waveforms per batch; None yields single waveforms.
        sampling_rate: resample every file to this rate (Hz; needs SciPy); default: as stored.
        output_sequence_length: cut or zero-pad every waveform to this many samples; default:
            pad each batch to its longest waveform.
        ragged: keep each waveform's own length: a batch is a list of arrays.
        shuffle: shuffle the files (else alphanumeric order); reshuffled every epoch.
        seed: seed of the shuffling.
        validation_split: fraction of the files held out for validation.
        subset: ``"training"``, ``"validation"`` or ``"both"``.
        follow_links: walk into subfolders that are symbolic links.
        verbose: print how many files and classes were found.

    Returns:
        A ``Dataset`` of float32 waveforms ``(batch, samples, channels)`` in [-1, 1), or of
            ``(waveforms, labels)``; it has ``class_names`` and ``file_paths``.

    Example:
        train_ds = keras.utils.audio_dataset_from_directory("speech_commands/", batch_size=64,
                                                            output_sequence_length=16000, seed=0)
    """
    dataset_utils.check_labels_args(labels, label_mode, class_names, "audio")
    if ragged and output_sequence_length is not None:
        raise ValueError("Cannot set both `ragged` and `output_sequence_length`: a fixed length is not ragged.")
    if sampling_rate is not None:
        if not isinstance(sampling_rate, int):
            raise ValueError(f"`sampling_rate` should have an integer value. Received: sampling_rate={sampling_rate!r}")
        if sampling_rate <= 0:
            raise ValueError(f"`sampling_rate` should be higher than 0. Received: sampling_rate={sampling_rate}")
    if labels is None or label_mode is None:
        labels, label_mode = None, None
    dataset_utils.check_validation_split_arg(validation_split, subset, shuffle, seed)
    if seed is None:
        seed = np.random.randint(1e6)
    file_paths, labels, class_names = dataset_utils.index_directory(
        directory, labels, formats=ALLOWED_FORMATS, class_names=class_names, shuffle=shuffle, seed=seed,
        follow_links=follow_links, verbose=verbose)
    collate = ragged_batch if ragged else pad_batch

    def make_dataset(paths, part_labels, is_training):
        loader = AudioLoader(paths, part_labels, sampling_rate, output_sequence_length)
        return Dataset(len(paths), loader, batch_size=batch_size, shuffle=shuffle and is_training, seed=seed,
                       collate=collate)

    datasets = dataset_utils.build_datasets(directory, file_paths, labels, class_names, label_mode,
                                            validation_split, subset, "audio files", ALLOWED_FORMATS, make_dataset)
    return tuple(datasets) if subset == "both" else datasets  # Keras gives a tuple here, a list elsewhere
