"""imdb.load_data's options against hand-computed sequences; get_word_index."""

import numpy as np
import pytest

from brickwork import datasets
from tests.datasets.dataset_files import EXPECTED
from tests.datasets.local_server import dataset_mirror, local_server  # noqa: F401 (fixtures)

TRAIN = [([1, 2, 3], 0), ([4, 5], 1), ([2, 2, 6, 7], 1), ([8], 0)]
TEST = [([3, 1], 1), ([7, 8, 9, 10], 0)]


def _pairs(x, y):
    return sorted((tuple(sequence), int(label)) for sequence, label in zip(x, y))


def _expected(part, transform, keep=lambda sequence: True):
    return sorted((tuple(transform(s)), label) for s, label in part if keep(s))


def test_default_offsets_and_start_character(dataset_mirror):
    (x_train, y_train), (x_test, y_test) = datasets.imdb.load_data()
    assert x_train.dtype == object and x_train.shape == (4,) and x_test.shape == (2,)
    assert all(isinstance(sequence, list) for sequence in x_train)
    shift = lambda s: [1] + [w + 3 for w in s]
    # num_words=None keeps Keras's rule: every index below the largest one (13) is kept, 13 becomes OOV (2).
    largest = lambda s: [w if w < 13 else 2 for w in shift(s)]
    assert _pairs(x_train, y_train) == _expected(TRAIN, largest)
    assert _pairs(x_test, y_test) == _expected(TEST, largest)
    # The shuffle is Keras's: one RandomState(113) permutes the training part, then the test part.
    rng = np.random.RandomState(113)
    order = np.arange(4)
    rng.shuffle(order)
    np.testing.assert_array_equal(y_train, EXPECTED["imdb"]["y_train"][order])


def test_num_words_skip_top_and_oov(dataset_mirror):
    (x_train, y_train), _ = datasets.imdb.load_data(num_words=8, skip_top=5)
    vocabulary = lambda s: [w if 5 <= w < 8 else 2 for w in [1] + [w + 3 for w in s]]
    assert _pairs(x_train, y_train) == _expected(TRAIN, vocabulary)
    (x_train, y_train), _ = datasets.imdb.load_data(num_words=8, oov_char=None, start_char=None, index_from=0)
    assert _pairs(x_train, y_train) == _expected(TRAIN, lambda s: [w for w in s if w < 8])


def test_maxlen_drops_long_sequences(dataset_mirror):
    (x_train, y_train), (x_test, y_test) = datasets.imdb.load_data(maxlen=4, num_words=100)
    # Keras keeps sequences strictly shorter than maxlen, start character included.
    assert _pairs(x_train, y_train) == _expected(TRAIN, lambda s: [1] + [w + 3 for w in s], lambda s: len(s) < 3)
    assert _pairs(x_test, y_test) == [((1, 6, 4), 1)]
    with pytest.raises(ValueError, match="maxlen=2"):
        datasets.imdb.load_data(maxlen=2)


def test_unknown_argument_is_named(dataset_mirror):
    with pytest.raises(TypeError, match="nb_words"):
        datasets.imdb.load_data(nb_words=10)


def test_get_word_index(dataset_mirror):
    assert datasets.imdb.get_word_index() == {"the": 1, "and": 2, "film": 3}
    assert dataset_mirror.requests == ["/imdb_word_index.json"]
