"""Reuters newswires: 11,228 newswires labelled over 46 topics, as word indices."""

from __future__ import annotations

import json

import numpy as np

from brickwork.datasets import _sequences
from brickwork.datasets._remote import KERAS_ORIGIN, fetch, split_point
from brickwork.datasets._safe_load import load_npz

FILE_HASHES = {
    "reuters.npz": "d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916",
    "reuters_word_index.json": "4d44cc38712099c9e383dc6e5f11a921",  # MD5: the only checksum Keras publishes for it
}

_LABEL_NAMES = (
    "cocoa", "grain", "veg-oil", "earn", "acq", "wheat", "copper", "housing", "money-supply", "coffee", "sugar",
    "trade", "reserves", "ship", "cotton", "carcass", "crude", "nat-gas", "cpi", "money-fx", "interest", "gnp",
    "meal-feed", "alum", "oilseed", "gold", "tin", "strategic-metal", "livestock", "retail", "ipi", "iron-steel",
    "rubber", "heat", "jobs", "lei", "bop", "zinc", "orange", "pet-chem", "dlr", "gas", "silver", "wpi", "hog",
    "lead",
)


def load_data(path: str = "reuters.npz", num_words: int | None = None, skip_top: int = 0,
              maxlen: int | None = None, test_split: float = 0.2, seed: int = 113, start_char: int | None = 1,
              oov_char: int | None = 2, index_from: int = 3, cache_dir: str | None = None):
    """Load the Reuters newswires, each a list of word indices (ranked by frequency, from 1 + ``index_from``).

    Args:
        path: the file name in the cache.
        num_words: keep the ``num_words`` most frequent words; rarer ones become ``oov_char``.
        skip_top: the most frequent words to replace with ``oov_char``.
        maxlen: drop sequences of ``maxlen`` or more indices (start character included).
        test_split: the fraction of the newswires kept for testing.
        seed: the seed of the shuffle.
        start_char: the index that starts every sequence (None: none).
        oov_char: the index of words cut by ``num_words``/``skip_top`` (None: drop them).
        index_from: the offset added to every word index.
        cache_dir: the cache root (default ``$BRICKWORK_HOME`` or ``~/.brickwork``).

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: ``x`` 1-D object arrays of lists of ints, ``y`` int
            arrays of topic indices (``get_label_names()`` names them).
    """
    split_point(1, test_split)  # validate before downloading
    local = fetch(path, KERAS_ORIGIN + "reuters.npz", FILE_HASHES["reuters.npz"], cache_dir)
    data = load_npz(local)
    xs, labels = _sequences.shuffle(np.random.RandomState(seed), data["x"], data["y"])
    xs = _sequences.offset(xs, start_char, index_from)
    if maxlen:
        xs, labels = _sequences.drop_long(maxlen, xs, labels)
    xs = _sequences.limit_vocabulary(xs, num_words, skip_top, oov_char)
    split = split_point(len(xs), test_split)
    labels = np.asarray(labels)
    return ((_sequences.object_array(xs[:split]), labels[:split]),
            (_sequences.object_array(xs[split:]), labels[split:]))


def get_word_index(path: str = "reuters_word_index.json", cache_dir: str | None = None) -> dict:
    """The ``{word: index}`` dict of the Reuters dataset (add ``index_from`` to match ``load_data``'s indices)."""
    local = fetch(path, KERAS_ORIGIN + "reuters_word_index.json", FILE_HASHES["reuters_word_index.json"],
                  cache_dir)
    with open(local, encoding="utf8") as file:
        return json.load(file)


def get_label_names() -> tuple:
    """The 46 topic names, in label order."""
    return _LABEL_NAMES
