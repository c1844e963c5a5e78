"""reuters.load_data's options and split against hand-computed sequences; word index and label names."""

import numpy as np
import pytest

from brickwork import datasets
from tests.datasets.dataset_files import EXPECTED
from tests.datasets.local_server import dataset_mirror, local_server  # noqa: F401 (fixtures)


def _shuffled(seed=113):
    order = np.random.RandomState(seed).permutation(5)
    return [EXPECTED["reuters"]["x"][i] for i in order], EXPECTED["reuters"]["y"][order]


def test_split_order_and_offsets(dataset_mirror):
    (x_train, y_train), (x_test, y_test) = datasets.reuters.load_data(num_words=1000)
    xs, ys = _shuffled()
    assert x_train.dtype == object and len(x_train) == 4 and len(x_test) == 1  # int(5 * 0.8)
    assert [list(s) for s in x_train] == [[1] + [w + 3 for w in s] for s in xs[:4]]
    np.testing.assert_array_equal(y_train, ys[:4])
    np.testing.assert_array_equal(y_test, ys[4:])


def test_test_split_maxlen_and_vocabulary(dataset_mirror):
    (x_train, _), (x_test, _) = datasets.reuters.load_data(test_split=0.4, num_words=1000)
    assert len(x_train) == 3 and len(x_test) == 2
    (x_train, y_train), (x_test, _) = datasets.reuters.load_data(maxlen=3, num_words=1000, test_split=0.0)
    xs, ys = _shuffled()
    kept = [i for i, s in enumerate(xs) if len(s) + 1 < 3]
    assert [list(s) for s in x_train] == [[1] + [w + 3 for w in xs[i]] for i in kept] and len(x_test) == 0
    np.testing.assert_array_equal(y_train, ys[kept])
    (x_train, _), _ = datasets.reuters.load_data(num_words=6, skip_top=4, test_split=0.0)
    assert [list(s) for s in x_train] == [[w if 4 <= w < 6 else 2 for w in [1] + [w + 3 for w in s]] for s in xs]
    with pytest.raises(ValueError, match="test_split"):
        datasets.reuters.load_data(test_split=-0.1)


def test_word_index_and_label_names(dataset_mirror):
    assert datasets.reuters.get_word_index() == {"said": 1, "mln": 2}
    names = datasets.reuters.get_label_names()
    assert len(names) == 46 and names[:3] == ("cocoa", "grain", "veg-oil")
