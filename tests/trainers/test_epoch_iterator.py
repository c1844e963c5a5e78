"""EpochIterator: epochs of (step, (x, y, sample_weight)) with Keras's steps_per_epoch semantics."""

import math
import warnings

import numpy as np
import pytest

from brickwork import backend
from brickwork.trainers.data_adapters import PyDataset
from brickwork.trainers.epoch_iterator import EpochIterator

N = 10


def _labels(iterator):
    """The labels of one epoch, batch by batch, and the step numbers seen."""
    steps, labels = [], []
    for step, (_, y, _) in iterator.enumerate_epoch():
        steps.append(step)
        labels.append(backend.convert_to_numpy(y).tolist())
    assert steps == list(range(len(steps)))
    return labels


def _arrays():
    return np.arange(N, dtype="float32").reshape(N, 1), np.arange(N)


def test_full_epochs_over_arrays():
    x, y = _arrays()
    iterator = EpochIterator(x, y, batch_size=4)
    assert iterator.num_batches == 3
    for _ in range(2):
        assert _labels(iterator) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]


def test_batch_is_a_triple_of_backend_tensors():
    """(On jax, NumPy data is sliced on the host: its batches are NumPy arrays, which the jitted steps take.)"""
    x, y = _arrays()
    for _, batch in EpochIterator(x, batch_size=4).enumerate_epoch():
        assert isinstance(batch, tuple) and len(batch) == 3
        array_type = np.ndarray if backend.SLICES_ON_HOST else type(backend.convert_to_tensor(x))
        assert isinstance(batch[0], array_type) and batch[1] is None and batch[2] is None


def test_shuffled_epochs_see_every_sample_once():
    x, y = _arrays()
    iterator = EpochIterator(x, y, batch_size=3, shuffle=True)
    epochs = [sum(_labels(iterator), []) for _ in range(3)]
    for order in epochs:
        assert sorted(order) == list(range(N))
    assert len({tuple(order) for order in epochs}) > 1


def test_steps_per_epoch_continues_where_the_last_epoch_stopped():
    x, y = _arrays()
    iterator = EpochIterator(x, y, batch_size=2, steps_per_epoch=2)
    assert iterator.num_batches == 2
    assert _labels(iterator) == [[0, 1], [2, 3]]
    assert _labels(iterator) == [[4, 5], [6, 7]]
    with pytest.warns(UserWarning, match="ran out of data"):
        assert _labels(iterator) == [[8, 9]]  # Keras: the data runs out mid-epoch
    assert _labels(iterator) == [[0, 1], [2, 3]]  # a new pass starts
    assert not iterator.exhausted


def test_steps_per_epoch_without_batch_size_splits_the_data():
    x, y = _arrays()
    iterator = EpochIterator(x, y, steps_per_epoch=3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert _labels(iterator) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
        assert _labels(iterator) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]


def _generator(batches=5):
    for i in range(batches):
        yield np.full((2, 1), i, "float32"), np.full((2,), i)


def test_generator_steps_per_epoch_and_exhaustion():
    iterator = EpochIterator(_generator(5), steps_per_epoch=2)
    assert iterator.num_batches == 2
    assert _labels(iterator) == [[0, 0], [1, 1]]
    assert _labels(iterator) == [[2, 2], [3, 3]]
    with pytest.warns(UserWarning, match="ran out of data"):
        assert _labels(iterator) == [[4, 4]]
    assert iterator.exhausted  # the trainer stops here, as Keras ends training


def test_generator_without_steps_learns_its_size():
    iterator = EpochIterator(_generator(3))
    assert iterator.num_batches is None
    assert len(_labels(iterator)) == 3
    assert iterator.num_batches == 3
    with pytest.warns(UserWarning, match="ran out of data"):
        assert _labels(iterator) == []
    assert iterator.exhausted


def test_peek_batch_does_not_consume():
    iterator = EpochIterator(_generator(3))
    x, y, sample_weight = iterator.peek_batch()
    assert backend.convert_to_numpy(y).tolist() == [0, 0] and sample_weight is None
    assert iterator.peek_batch() is not None
    assert len(_labels(iterator)) == 3
    x_arrays, y_arrays = _arrays()
    arrays = EpochIterator(x_arrays, y_arrays, batch_size=4, shuffle=True)
    first = backend.convert_to_numpy(arrays.peek_batch()[1]).tolist()
    assert _labels(arrays)[0] == first


class _Dataset(PyDataset):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.begun = self.ended = 0

    def __len__(self):
        return 3

    def __getitem__(self, index):
        return np.full((2, 1), index, "float32"), np.full((2,), index)

    def on_epoch_begin(self):
        self.begun += 1

    def on_epoch_end(self):
        self.ended += 1


def test_py_dataset_epoch_hooks_and_steps():
    dataset = _Dataset()
    iterator = EpochIterator(dataset, steps_per_epoch=2)
    assert _labels(iterator) == [[0, 0], [1, 1]]
    with pytest.warns(UserWarning, match="ran out of data"):
        assert _labels(iterator) == [[2, 2]]
    assert _labels(iterator) == [[0, 0], [1, 1]]
    assert (dataset.begun, dataset.ended) == (3, 3)
    assert not iterator.exhausted


def test_class_weight_reaches_the_batches():
    x, y = _arrays()
    iterator = EpochIterator(x, y % 2, batch_size=N, class_weight={0: 1.0, 1: 4.0})
    for _, (_, by, sample_weight) in iterator.enumerate_epoch():
        np.testing.assert_allclose(backend.convert_to_numpy(sample_weight),
                                   np.where(backend.convert_to_numpy(by) == 1, 4.0, 1.0))


def test_breaking_out_of_an_epoch_still_ends_it():
    dataset = _Dataset()
    iterator = EpochIterator(dataset)
    for step, _ in iterator.enumerate_epoch():
        break
    assert dataset.ended == 1


def test_length_mismatch_and_bad_type():
    x, y = _arrays()
    with pytest.raises(ValueError, match=r"'x' sizes: 10.*'y' sizes: 7"):
        EpochIterator(x, y[:7])
    with pytest.raises(TypeError, match="Unrecognized data type"):
        EpochIterator(object())


@pytest.mark.parametrize("batch_size", [1, 3, 10])
def test_num_batches_matches_the_batches(batch_size):
    x, y = _arrays()
    iterator = EpochIterator(x, y, batch_size=batch_size)
    assert iterator.num_batches == math.ceil(N / batch_size) == len(_labels(iterator))
