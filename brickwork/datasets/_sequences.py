"""What IMDB and Reuters share: turning stored word-index sequences into Keras's ``load_data`` output."""

from __future__ import annotations

import numpy as np


def shuffle(rng: np.random.RandomState, *arrays):
    """The arrays permuted by one shared random order (drawn from ``rng``, as Keras draws it)."""
    indices = np.arange(len(arrays[0]))
    rng.shuffle(indices)
    return tuple(array[indices] for array in arrays)


def offset(sequences, start_char: int | None, index_from: int) -> list:
    """Word indices shifted by ``index_from``, each sequence led by ``start_char`` (if not None)."""
    lead = [] if start_char is None else [start_char]
    return [lead + [int(word) + index_from for word in sequence] for sequence in sequences]


def drop_long(maxlen: int, sequences: list, labels):
    """Keep the sequences shorter than ``maxlen`` (Keras's rule: strictly shorter) and their labels."""
    kept = [i for i, sequence in enumerate(sequences) if len(sequence) < maxlen]
    return [sequences[i] for i in kept], np.asarray(labels)[kept]


def limit_vocabulary(sequences: list, num_words: int | None, skip_top: int, oov_char: int | None) -> list:
    """Words outside ``[skip_top, num_words)`` become ``oov_char`` (or are dropped when it is None)."""
    if not num_words:
        # Keras's rule, kept for identical data: the bound is the largest index, itself excluded.
        num_words = max((max(sequence) for sequence in sequences if sequence), default=0)
    if oov_char is not None:
        return [[w if skip_top <= w < num_words else oov_char for w in sequence] for sequence in sequences]
    return [[w for w in sequence if skip_top <= w < num_words] for sequence in sequences]


def object_array(sequences: list) -> np.ndarray:
    """A 1-D object array of lists (never 2-D, even when all sequences have the same length)."""
    array = np.empty(len(sequences), dtype=object)
    for index, sequence in enumerate(sequences):
        array[index] = sequence
    return array
