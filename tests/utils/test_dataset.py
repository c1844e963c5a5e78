"""Dataset (what the *_dataset_from_* utilities return) and split_dataset."""

import numpy as np
import pytest
import torch

import brickwork as keras
from brickwork.utils import Dataset, split_dataset
from tests.conftest import requires_training


def _rows(x, y=None):
    return lambda i: x[i] if y is None else (x[i], y[i])


def test_batches_len_indexing_and_iteration():
    x, y = np.arange(20.0).reshape(10, 2), np.arange(10)
    ds = Dataset(10, _rows(x, y), batch_size=4)
    assert len(ds) == 3
    np.testing.assert_array_equal(ds[0][0], x[:4])
    np.testing.assert_array_equal(ds[-1][1], y[8:])
    with pytest.raises(IndexError, match="out of range"):
        ds[3]
    batches = list(ds)
    np.testing.assert_array_equal(np.concatenate([b[0] for b in batches]), x)
    assert [len(b[1]) for b in batches] == [4, 4, 2]


def test_unbatched_then_batch_and_map():
    x = np.arange(6)
    ds = Dataset(6, _rows(x), batch_size=None)
    assert len(ds) == 6 and ds[2] == 2
    batched = ds.batch(4).map(lambda batch: batch * 10)
    np.testing.assert_array_equal(np.concatenate(list(batched)), x * 10)
    assert ds.prefetch(2) is ds
    with pytest.raises(ValueError, match="already batched"):
        batched.batch(2)


def test_shuffle_reshuffles_each_epoch_with_seed():
    x = np.arange(50)
    ds = Dataset(50, _rows(x), batch_size=10, shuffle=True, seed=0)
    first, second = np.concatenate(list(ds)), np.concatenate(list(ds))
    np.testing.assert_array_equal(first, x)  # the first pass keeps the given order
    assert not np.array_equal(first, second)
    np.testing.assert_array_equal(np.sort(second), x)
    again = Dataset(50, _rows(x), batch_size=10, shuffle=True, seed=0)
    list(again)
    np.testing.assert_array_equal(np.concatenate(list(again)), second)


def test_strings_and_dicts_are_batched():
    texts = ["a", "bb", "ccc"]
    ds = Dataset(3, lambda i: {"text": texts[i], "length": np.int32(len(texts[i]))}, batch_size=2)
    batch = ds[0]
    assert batch["text"].dtype == object and list(batch["text"]) == ["a", "bb"]
    np.testing.assert_array_equal(batch["length"], [1, 2])


def test_torch_data_loader_map_style():
    x = np.arange(12.0).reshape(6, 2)
    ds = Dataset(6, _rows(x), batch_size=4)
    batches = list(torch.utils.data.DataLoader(ds, batch_size=None))
    assert [tuple(batch.shape) for batch in batches] == [(4, 2), (2, 2)]
    assert isinstance(batches[0], torch.Tensor)


def test_bad_batch_size():
    with pytest.raises(ValueError, match="batch_size=-1"):
        Dataset(3, _rows(np.arange(3)), batch_size=-1)


@requires_training
def test_fit_evaluate_predict_take_it():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 3)).astype("float32")
    y = (x @ np.array([1.0, -2.0, 0.5], dtype="float32"))[:, None]
    ds = Dataset(32, _rows(x, y), batch_size=8, shuffle=True, seed=0)
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    history = model.fit(ds, epochs=20, verbose=0)
    assert history.history["loss"][-1] < 0.01 * history.history["loss"][0]
    assert model.evaluate(ds, verbose=0) < 0.01
    predict_ds = Dataset(32, _rows(x), batch_size=8)
    np.testing.assert_allclose(model.predict(predict_ds, verbose=0), y, atol=0.1)


# ------------------------------------------------------------------ split_dataset
@pytest.mark.parametrize("left_size, right_size, expected", [
    (0.8, None, (80, 20)), (None, 0.25, (75, 25)), (30, None, (30, 70)), (None, 10, (90, 10)),
    (0.5, 0.2, (50, 20)), (10, 20, (10, 20)),
])
def test_split_sizes(left_size, right_size, expected):
    left, right = split_dataset(np.arange(100), left_size=left_size, right_size=right_size)
    assert (len(left), len(right)) == expected
    np.testing.assert_array_equal([left[i] for i in range(len(left))], np.arange(expected[0]))
    np.testing.assert_array_equal([right[i] for i in range(len(right))], np.arange(expected[0], sum(expected)))


def test_split_tuples_dicts_shuffled():
    x, y = np.arange(10.0), np.arange(10) * 2
    left, right = split_dataset((x, y), left_size=0.6, shuffle=True, seed=1)
    samples = [left[i] for i in range(6)] + [right[i] for i in range(4)]
    assert sorted(float(a) for a, _ in samples) == list(x)
    assert all(b == 2 * a for a, b in samples)
    assert [float(a) for a, _ in samples] != list(x)
    again, _ = split_dataset((x, y), left_size=0.6, shuffle=True, seed=1)
    assert [again[i][0] for i in range(6)] == [left[i][0] for i in range(6)]
    dict_left, _ = split_dataset({"a": x, "b": y}, left_size=4)
    np.testing.assert_array_equal(dict_left.batch(4)[0]["b"], y[:4])


def test_split_torch_dataset_and_batched_dataset():
    tensors = torch.utils.data.TensorDataset(torch.arange(8))
    left, right = split_dataset(tensors, right_size=2)
    assert len(left) == 6 and int(right[1][0]) == 7
    batched = Dataset(10, _rows(np.arange(10)), batch_size=3)
    left, right = split_dataset(batched, left_size=0.7)
    assert left.batch_size == 3 and len(left) == 3 and len(right) == 1
    np.testing.assert_array_equal(right[0], [7, 8, 9])


@pytest.mark.parametrize("kwargs, error, message", [
    ({}, ValueError, "left_size"),
    ({"left_size": 0}, ValueError, "left_size=0"),
    ({"left_size": 1.5}, ValueError, "left_size=1.5"),
    ({"right_size": 100}, ValueError, "right_size=100"),
    ({"left_size": 0.7, "right_size": 0.5}, ValueError, "more than 1"),
    ({"left_size": 6, "right_size": 6}, ValueError, "exceeds"),
    ({"left_size": "half"}, TypeError, "left_size='half'"),
    ({"left_size": 0.01}, ValueError, "empty"),
])
def test_split_bad_sizes(kwargs, error, message):
    with pytest.raises(error, match=message):
        split_dataset(np.arange(10), **kwargs)


def test_take_and_views_share_the_order():
    x = np.arange(20)
    ds = Dataset(20, _rows(x), batch_size=5, shuffle=True, seed=0)
    first = [batch.tolist() for batch in ds.take(1)]
    np.testing.assert_array_equal(first[0], x[:5])  # the first pass keeps the order
    second = [batch.tolist() for batch in ds.take(1)]
    assert len(ds.take(1)) == 1 and second != first  # every pass, through any view, draws a new order
    assert len(ds.take(10)) == 4 and len(ds.take(3).take(2)) == 2


def test_split_keeps_per_sample_map_and_refuses_batched_map():
    ds = Dataset(10, _rows(np.arange(10)), batch_size=None).map(lambda x: x * 2)
    left, _ = split_dataset(ds, left_size=0.5)
    assert [int(left[i]) for i in range(5)] == [0, 2, 4, 6, 8]
    with pytest.raises(ValueError, match="before `map`"):
        split_dataset(ds.batch(2).map(lambda x: x), left_size=0.5)
