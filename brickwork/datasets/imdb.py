"""IMDB movie reviews: 25,000 training and 25,000 test reviews labelled by sentiment, as word indices."""

from __future__ import annotations

import json

import numpy as np

from brickwork.datasets import _sequences
from brickwork.datasets._remote import KERAS_ORIGIN, fetch
from brickwork.datasets._safe_load import load_npz

FILE_HASHES = {
    "imdb.npz": "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f",
    "imdb_word_index.json": "bfafd718b763782e994055a2d397834f",  # MD5: the only checksum Keras publishes for it
}


def load_data(path: str = "imdb.npz", num_words: int | None = None, skip_top: int = 0, maxlen: int | None = None,
              seed: int = 113, start_char: int | None = 1, oov_char: int | None = 2, index_from: int = 3,
              cache_dir: str | None = None, **kwargs):
    """Load the IMDB reviews, each a list of word indices (words ranked by frequency: 1 + ``index_from``
    is the most frequent word); 0 is kept for padding.

    Args:
        path: the file name in the cache.
        num_words: keep the ``num_words`` most frequent words; rarer ones become ``oov_char``.
        skip_top: the most frequent words to replace with ``oov_char``.
        maxlen: drop sequences of ``maxlen`` or more indices (start character included).
        seed: the seed of the shuffle.
        start_char: the index that starts every sequence (None: none).
        oov_char: the index of words cut by ``num_words``/``skip_top`` (None: drop them).
        index_from: the offset added to every word index.
        cache_dir: the cache root (default ``$BRICKWORK_HOME`` or ``~/.brickwork``).

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: ``x`` 1-D object arrays of lists of ints, ``y`` int
            arrays of labels (0 negative, 1 positive).

    Example:
        (x_train, y_train), _ = keras.datasets.imdb.load_data(num_words=10000)
    """
    if kwargs:
        raise TypeError(f"imdb.load_data: unrecognized arguments {sorted(kwargs)}.")
    local = fetch(path, KERAS_ORIGIN + "imdb.npz", FILE_HASHES["imdb.npz"], cache_dir)
    data = load_npz(local)
    rng = np.random.RandomState(seed)
    x_train, labels_train = _sequences.shuffle(rng, data["x_train"], data["y_train"])
    x_test, labels_test = _sequences.shuffle(rng, data["x_test"], data["y_test"])
    x_train = _sequences.offset(x_train, start_char, index_from)
    x_test = _sequences.offset(x_test, start_char, index_from)
    if maxlen:
        x_train, labels_train = _sequences.drop_long(maxlen, x_train, labels_train)
        x_test, labels_test = _sequences.drop_long(maxlen, x_test, labels_test)
        if not x_train or not x_test:
            raise ValueError(f"After filtering for sequences shorter than maxlen={maxlen}, no sequence was kept. "
                             "Increase maxlen.")
    sequences = _sequences.limit_vocabulary(x_train + x_test, num_words, skip_top, oov_char)
    split = len(x_train)
    return ((_sequences.object_array(sequences[:split]), np.asarray(labels_train)),
            (_sequences.object_array(sequences[split:]), np.asarray(labels_test)))


def get_word_index(path: str = "imdb_word_index.json", cache_dir: str | None = None) -> dict:
    """The ``{word: index}`` dict of the IMDB dataset (add ``index_from`` to match ``load_data``'s indices).

    Example:
        index = keras.datasets.imdb.get_word_index()
        words = {i + 3: word for word, i in index.items()}
    """
    local = fetch(path, KERAS_ORIGIN + "imdb_word_index.json", FILE_HASHES["imdb_word_index.json"], cache_dir)
    with open(local, encoding="utf8") as file:
        return json.load(file)
