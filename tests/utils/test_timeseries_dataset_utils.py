"""timeseries_dataset_from_array against a loop that cuts the windows one by one."""

import numpy as np
import pytest

from brickwork.utils import timeseries_dataset_from_array
from tests.conftest import BACKEND

# On tensorflow the utility returns a tf.data.Dataset, as Keras does (no indexing, strings as bytes); the brickwork
# Dataset behind it is checked here on the other engines, and against the tf.data one in
# tests/backend/tensorflow/test_data.py.
returns_tf_data = pytest.mark.skipif(BACKEND == "tensorflow", reason="tensorflow returns a tf.data.Dataset, as Keras")


def _reference(data, targets, sequence_length, sequence_stride=1, sampling_rate=1, start_index=None,
               end_index=None):
    """Every window (and its target), in order, cut with Python indexing."""
    start, end = start_index or 0, end_index or len(data)
    windows, window_targets = [], []
    position = 0
    while True:
        first = start + position
        last = first + (sequence_length - 1) * sampling_rate
        if last >= end or (targets is not None and position >= len(targets)):
            break
        windows.append([data[first + k * sampling_rate] for k in range(sequence_length)])
        if targets is not None:
            window_targets.append(targets[first])
        position += sequence_stride
    return np.array(windows), np.array(window_targets)


def _collect(ds):
    batches = list(ds)
    if isinstance(batches[0], tuple):
        return np.concatenate([b[0] for b in batches]), np.concatenate([b[1] for b in batches])
    return np.concatenate(batches), None


@pytest.mark.parametrize("kwargs", [
    {"sequence_length": 3},
    {"sequence_length": 4, "sequence_stride": 3},
    {"sequence_length": 3, "sampling_rate": 2},
    {"sequence_length": 2, "sequence_stride": 2, "sampling_rate": 3, "start_index": 4},
    {"sequence_length": 3, "start_index": 2, "end_index": 30},
    {"sequence_length": 5, "sequence_stride": 4, "sampling_rate": 2, "end_index": 40},
])
@pytest.mark.parametrize("batch_size", [1, 5, 128])
def test_windows_and_targets_match_reference(kwargs, batch_size):
    data = np.random.default_rng(0).normal(size=(50, 2)).astype("float32")
    targets = np.arange(50) * 10
    windows, window_targets = _collect(timeseries_dataset_from_array(data, targets, batch_size=batch_size, **kwargs))
    expected_windows, expected_targets = _reference(data, targets, **kwargs)
    np.testing.assert_array_equal(windows, expected_windows)
    np.testing.assert_array_equal(window_targets, expected_targets)


def test_without_targets_and_short_targets():
    data = np.arange(20)
    ds = timeseries_dataset_from_array(data, None, sequence_length=4, sequence_stride=4, batch_size=None)
    assert [window.tolist() for window in ds] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11], [12, 13, 14, 15],
                                                  [16, 17, 18, 19]]
    windows, targets = _collect(timeseries_dataset_from_array(data, np.arange(3), sequence_length=4, batch_size=2))
    np.testing.assert_array_equal(windows, _reference(data, np.arange(3), 4)[0])
    np.testing.assert_array_equal(targets, [0, 1, 2])


@returns_tf_data
def test_forecasting_with_shifted_targets():
    data = np.arange(100)
    ds = timeseries_dataset_from_array(data[:-10], data[10:], sequence_length=10, batch_size=64)
    inputs, targets = ds[0]
    np.testing.assert_array_equal(inputs[0], np.arange(10))
    assert targets[0] == 10 and len(ds) == 2


def test_shuffle_keeps_window_target_pairs():
    data = np.arange(40)
    ds = timeseries_dataset_from_array(data, data * 2, sequence_length=3, shuffle=True, seed=3, batch_size=8)
    windows, targets = _collect(ds)
    np.testing.assert_array_equal(targets, windows[:, 0] * 2)
    assert not np.array_equal(windows[:, 0], np.arange(len(windows)))
    np.testing.assert_array_equal(np.sort(windows[:, 0]), np.arange(38))
    again, _ = _collect(timeseries_dataset_from_array(data, data * 2, sequence_length=3, shuffle=True, seed=3,
                                                      batch_size=8))
    np.testing.assert_array_equal(again, windows)


def test_too_long_a_window_gives_an_empty_dataset():
    ds = timeseries_dataset_from_array(np.arange(5), None, sequence_length=10)
    assert len(ds) == 0 and list(ds) == []


@pytest.mark.parametrize("kwargs, message", [
    ({"start_index": -1}, "start_index=-1"),
    ({"start_index": 20}, "start_index=20"),
    ({"start_index": 5, "end_index": 3}, "end_index=3"),
    ({"end_index": 20}, "end_index=20"),
    ({"sampling_rate": 0}, "sampling_rate=0"),
    ({"sequence_stride": 25}, "sequence_stride=25"),
    ({"format": "pandas"}, "format='pandas'"),
])
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        timeseries_dataset_from_array(np.arange(20), None, sequence_length=2, **kwargs)


def test_shuffle_reshuffles_each_pass_unless_grain():
    data = np.arange(30)
    ds = timeseries_dataset_from_array(data, None, sequence_length=2, shuffle=True, seed=1, batch_size=4)
    assert not np.array_equal(_collect(ds)[0], _collect(ds)[0])
    fixed = timeseries_dataset_from_array(data, None, sequence_length=2, shuffle=True, seed=1, batch_size=4,
                                          format="grain")
    np.testing.assert_array_equal(_collect(fixed)[0], _collect(fixed)[0])
