"""Data adapters: every input kind yields (x, y, sample_weight) batches of backend tensors."""

import math

import numpy as np
import pytest

import brickwork
from brickwork import backend
from tests.conftest import requires_training
from brickwork.trainers.data_adapters import (
    ArrayDataAdapter,
    GeneratorDataAdapter,
    GrainDatasetAdapter,
    PyDataset,
    PyDatasetAdapter,
    TFDatasetAdapter,
    TorchDataLoaderAdapter,
    data_adapter_utils,
    get_data_adapter,
)

N = 10


def _np(t):
    return None if t is None else backend.convert_to_numpy(t)


def _data():
    x = np.arange(N * 2, dtype="float64").reshape(N, 2)
    y = np.arange(N, dtype="int32")
    return x, y


def _batches(adapter):
    return list(adapter.get_iterator())


def _assert_backend_tensor(t):
    assert backend.is_tensor(t), type(t)


# ---------------------------------------------------------------- arrays
@pytest.mark.parametrize("batch_size, expected_sizes", [(4, [4, 4, 2]), (5, [5, 5]), (None, [10]), (32, [10])])
def test_array_batches_cover_data_in_order(batch_size, expected_sizes):
    x, y = _data()
    adapter = ArrayDataAdapter(x, y, batch_size=batch_size)
    batches = _batches(adapter)
    assert adapter.num_batches == len(expected_sizes)
    assert [len(_np(b[0])) for b in batches] == expected_sizes
    for bx, by, sw in batches:
        _assert_array_batch(bx)
        _assert_array_batch(by)
        assert sw is None
    np.testing.assert_array_equal(np.concatenate([_np(b[0]) for b in batches]), x.astype("float32"))
    np.testing.assert_array_equal(np.concatenate([_np(b[1]) for b in batches]), y)


def _assert_array_batch(t):
    """Batches of NumPy data: backend tensors, or NumPy slices where the backend slices on the host (jax, whose
    jitted steps take them directly)."""
    if backend.SLICES_ON_HOST:
        assert isinstance(t, np.ndarray), type(t)
    else:
        _assert_backend_tensor(t)


def test_array_dtypes_float64_to_floatx_ints_kept():
    x, y = _data()
    bx, by, _ = _batches(ArrayDataAdapter(x, y.astype("int64"), batch_size=4))[0]
    assert backend.standardize_dtype(bx.dtype) == "float32"
    assert backend.standardize_dtype(by.dtype) == "int64"
    bx, by, _ = _batches(ArrayDataAdapter(x.astype("float16"), y, batch_size=4))[0]
    assert backend.standardize_dtype(bx.dtype) == "float32"
    assert backend.standardize_dtype(by.dtype) == "int32"


def test_array_steps_derive_batch_size():
    x, y = _data()
    adapter = ArrayDataAdapter(x, y, steps=3)
    assert adapter.batch_size == math.ceil(N / 3)
    assert adapter.num_batches == 3


def test_nested_dicts_and_lists_keep_structure():
    x, y = _data()
    inputs = {"b": x, "a": [x[:, :1], y]}
    targets = [y, {"out": x}]
    bx, by, _ = _batches(ArrayDataAdapter(inputs, targets, batch_size=3))[1]
    assert list(bx) == ["b", "a"] and isinstance(bx["a"], list) and len(bx["a"]) == 2
    np.testing.assert_array_equal(_np(bx["a"][1]), y[3:6])
    assert isinstance(by, list) and list(by[1]) == ["out"]
    np.testing.assert_array_equal(_np(by[1]["out"]), x[3:6])


def test_backend_tensors_and_sample_weight():
    x, y = _data()
    sw = np.linspace(0, 1, N)
    adapter = ArrayDataAdapter(backend.convert_to_tensor(x), backend.convert_to_tensor(y), sample_weight=sw,
                               batch_size=6)
    (bx, by, bsw), _ = _batches(adapter)
    np.testing.assert_allclose(_np(bsw), sw[:6].astype("float32"))
    assert backend.standardize_dtype(bx.dtype) == "float32"


def test_single_sample_weight_is_shared_by_every_output():
    x, y = _data()
    sw = np.ones(N)
    _, _, bsw = _batches(ArrayDataAdapter(x, {"a": y, "b": y}, sample_weight=sw, batch_size=N))[0]
    assert sorted(bsw) == ["a", "b"]
    with pytest.raises(ValueError, match="one scalar per sample"):
        ArrayDataAdapter(x, {"a": y, "b": y}, sample_weight=np.ones((N, 3)))


@pytest.mark.parametrize("shuffle", [True, "batch"])
def test_shuffle_covers_every_sample_once_per_epoch(shuffle):
    x, y = _data()
    adapter = ArrayDataAdapter(x, y, batch_size=4, shuffle=shuffle)
    orders = []
    for _ in range(3):
        batches = _batches(adapter)
        labels = np.concatenate([_np(b[1]) for b in batches])
        assert sorted(labels.tolist()) == list(range(N))
        for bx, by, _ in batches:  # x and y stay aligned
            np.testing.assert_array_equal(_np(bx)[:, 0], 2 * _np(by))
        if shuffle == "batch":  # samples stay within their batch
            assert [sorted(_np(b[1]).tolist()) for b in batches] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
        orders.append(labels.tolist())
    assert any(order != list(range(N)) for order in orders)


def test_class_weight_sparse_and_one_hot():
    x = np.zeros((6, 1))
    labels = np.array([0, 1, 2, 1, 0, 2])
    class_weight = {0: 0.5, 1: 2.0}  # class 2 unlisted -> 1.0
    expected = np.array([0.5, 2.0, 1.0, 2.0, 0.5, 1.0], "float32")
    for y in (labels, labels[:, None], np.eye(3)[labels]):
        _, _, sw = _batches(ArrayDataAdapter(x, y, batch_size=6, class_weight=class_weight))[0]
        np.testing.assert_allclose(_np(sw), expected)
        assert backend.standardize_dtype(sw.dtype) == "float32"
    with pytest.raises(ValueError, match="class_weight"):
        ArrayDataAdapter(x, labels, sample_weight=np.ones(6), class_weight=class_weight)
    with pytest.raises(ValueError, match="integer class indices"):
        ArrayDataAdapter(x, labels, class_weight={"a": 1.0})


def test_length_mismatch_names_both_lengths():
    x, y = _data()
    with pytest.raises(ValueError, match=r"'x' sizes: 10.*'y' sizes: 9"):
        ArrayDataAdapter(x, y[:9])


# ---------------------------------------------------------------- choosing the adapter
def test_unsupported_type_is_a_type_error():
    with pytest.raises(TypeError, match="Unrecognized data type.*str"):
        get_data_adapter("not data")
    with pytest.raises(TypeError, match="Unrecognized data type"):
        get_data_adapter(42)


# ---------------------------------------------------------------- generators
@pytest.mark.parametrize("arity", [1, 2, 3])
def test_generator_yields_tuples_of_any_arity(arity):
    x, y = _data()

    def gen():
        for i in range(0, N, 4):
            yield (x[i:i + 4], y[i:i + 4], np.ones(len(y[i:i + 4])))[:arity]

    adapter = get_data_adapter(gen())
    assert isinstance(adapter, GeneratorDataAdapter) and adapter.num_batches is None
    batches = _batches(adapter)
    assert len(batches) == 3
    for bx, by, sw in batches:
        _assert_backend_tensor(bx)
        assert backend.standardize_dtype(bx.dtype) == "float32"
        assert (by is None) == (arity < 2) and (sw is None) == (arity < 3)
    np.testing.assert_array_equal(np.concatenate([_np(b[0]) for b in batches]), x)
    assert _batches(adapter) == []  # a generator runs once


def test_generator_errors():
    x, y = _data()
    with pytest.raises(ValueError, match="must yield a tuple"):
        get_data_adapter(iter([x]))
    with pytest.raises(ValueError, match="`y` should not be passed"):
        get_data_adapter(iter([(x, y)]), y=y)
    with pytest.raises(ValueError, match="class_weight"):
        get_data_adapter(iter([(x, y)]), class_weight={0: 1.0})


# ---------------------------------------------------------------- PyDataset
class _Batches(PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size
        self.epochs_ended = 0

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, index):
        part = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[part], self.y[part]

    def on_epoch_end(self):
        self.epochs_ended += 1


def test_iterating_a_py_dataset_gives_its_batches_and_ends():
    x, y = np.arange(14).reshape(7, 2), np.arange(7)
    batches = list(_Batches(x, y, 3))  # a slice past the end is empty, never an IndexError: len() must end it
    assert len(batches) == 3
    np.testing.assert_array_equal(np.concatenate([b[0] for b in batches]), x)

    class Endless(_Batches):
        num_batches = None

    endless = iter(Endless(x, y, 3))
    assert [len(next(endless)[1]) for _ in range(5)] == [3, 3, 1, 0, 0]  # None: as many as asked


@pytest.mark.parametrize("workers", [1, 3])
@pytest.mark.parametrize("shuffle", [False, True])
def test_py_dataset(workers, shuffle):
    x, y = _data()
    dataset = _Batches(x, y, 3, workers=workers, max_queue_size=2)
    adapter = get_data_adapter(dataset, shuffle=shuffle)
    assert isinstance(adapter, PyDatasetAdapter) and adapter.num_batches == 4
    batches = _batches(adapter)
    labels = np.concatenate([_np(b[1]) for b in batches])
    if shuffle:
        assert sorted(labels.tolist()) == list(range(N))
    else:
        np.testing.assert_array_equal(labels, y)
    for bx, by, sw in batches:
        _assert_backend_tensor(bx)
        assert backend.standardize_dtype(bx.dtype) == "float32" and sw is None
        np.testing.assert_array_equal(_np(bx)[:, 0], 2 * _np(by))
    adapter.on_epoch_end()
    assert dataset.epochs_ended == 1


def test_py_dataset_class_weight_and_errors():
    x, y = _data()
    adapter = get_data_adapter(_Batches(x, y % 2, 5), class_weight={1: 3.0})
    _, by, sw = _batches(adapter)[0]
    np.testing.assert_allclose(_np(sw), np.where(_np(by) == 1, 3.0, 1.0))
    with pytest.raises(ValueError, match="`y` should not be passed"):
        get_data_adapter(_Batches(x, y, 5), y=y)


def test_py_dataset_without_super_init_warns():
    class NoSuper(PyDataset):
        def __init__(self):
            pass

        def __len__(self):
            return 1

        def __getitem__(self, index):
            return np.ones((2, 1)), np.zeros(2)

    with pytest.warns(UserWarning, match="super"):
        batches = _batches(get_data_adapter(NoSuper()))
    assert len(batches) == 1


# ---------------------------------------------------------------- torch DataLoader
def test_torch_data_loader_on_every_backend():
    torch = pytest.importorskip("torch")
    x, y = _data()
    dataset = torch.utils.data.TensorDataset(torch.from_numpy(x), torch.from_numpy(y.astype("int64")))
    loader = torch.utils.data.DataLoader(dataset, batch_size=4)
    adapter = get_data_adapter(loader)
    assert isinstance(adapter, TorchDataLoaderAdapter)
    assert adapter.num_batches == 3 and adapter.batch_size == 4
    batches = _batches(adapter)
    for bx, by, sw in batches:
        _assert_backend_tensor(bx)
        _assert_backend_tensor(by)
        assert backend.standardize_dtype(bx.dtype) == "float32" and sw is None
    np.testing.assert_array_equal(np.concatenate([_np(b[0]) for b in batches]), x.astype("float32"))
    np.testing.assert_array_equal(np.concatenate([_np(b[1]) for b in batches]), y)
    with pytest.raises(ValueError, match="class_weight"):
        get_data_adapter(loader, class_weight={0: 1.0})


class _BatchedGrainStandIn:
    """Iterates like an already batched ``grain.MapDataset`` (the adapter recognizes Grain by class and module)."""

    def __init__(self, batches):
        self._batches = batches

    def __iter__(self):
        return iter(self._batches)


_BatchedGrainStandIn.__name__ = "MapDataset"
_BatchedGrainStandIn.__module__ = "grain._src.python.dataset.dataset"


def _check_dataset_batches(dataset, adapter_class, num_batches=None):
    """The adapter of an already batched dataset: a fresh pass every epoch with every sample in order, and
    the errors for arguments such a dataset carries itself."""
    x, y = _data()
    adapter = get_data_adapter(dataset)
    assert isinstance(adapter, adapter_class) and adapter.num_batches == num_batches
    for _ in range(2):  # a fresh pass every epoch
        batches = _batches(adapter)
        for bx, by, sw in batches:
            _assert_backend_tensor(bx)
            assert backend.standardize_dtype(bx.dtype) == "float32" and sw is None
        np.testing.assert_array_equal(np.concatenate([_np(b[0]) for b in batches]), x.astype("float32"))
        np.testing.assert_array_equal(np.concatenate([_np(b[1]) for b in batches]), y)
    with pytest.raises(ValueError, match="`y` should not be passed"):
        get_data_adapter(dataset, y=y)
    with pytest.raises(ValueError, match="class_weight"):
        get_data_adapter(dataset, class_weight={0: 1.0})


def test_grain_dataset_batches_every_epoch():
    x, y = _data()
    _check_dataset_batches(_BatchedGrainStandIn([[x[i:i + 4], y[i:i + 4]] for i in range(0, N, 4)]), GrainDatasetAdapter)


def test_real_grain_map_dataset():
    grain = pytest.importorskip("grain")
    x, y = _data()
    _check_dataset_batches(grain.MapDataset.source([(x[i], y[i]) for i in range(N)]).batch(4), GrainDatasetAdapter)


class _EagerTensorStandIn:
    """Reads like a TensorFlow eager tensor: its values come out of ``.numpy()``."""

    def __init__(self, value):
        self._value = np.asarray(value)

    def numpy(self):
        return self._value


class _BatchedTFDatasetStandIn:
    """Iterates and reports its size like an already batched ``tf.data.Dataset`` (recognized by class and
    module, as the adapter never imports TensorFlow)."""

    def __init__(self, batches, cardinality):
        self._batches, self._cardinality = batches, cardinality

    def __iter__(self):
        return iter([tuple(_EagerTensorStandIn(part) for part in batch) for batch in self._batches])

    def cardinality(self):
        return self._cardinality


_BatchedTFDatasetStandIn.__name__ = "DatasetV2"
_BatchedTFDatasetStandIn.__module__ = "tensorflow.python.data.ops.dataset_ops"


def test_tf_dataset_batches_every_epoch_with_its_cardinality():
    x, y = _data()
    batches = [(x[i:i + 4], y[i:i + 4]) for i in range(0, N, 4)]
    _check_dataset_batches(_BatchedTFDatasetStandIn(batches, len(batches)), TFDatasetAdapter, len(batches))
    _check_dataset_batches(_BatchedTFDatasetStandIn(batches, -2), TFDatasetAdapter)  # unknown size: -2 in TensorFlow


@requires_training
def test_fit_on_a_tf_dataset_matches_fit_on_the_same_arrays():
    # Keras takes a tf.data.Dataset on every engine (KerasHub's test harness feeds fit/predict one); the
    # same batches must train exactly as the arrays do.
    x, y = _data()
    x, y = x.astype("float32") / 20.0, y.astype("float32").reshape(N, 1) / 10.0

    def trained(data, **kwargs):
        brickwork.utils.set_random_seed(0)
        model = brickwork.Sequential([brickwork.Input(x.shape[1:]), brickwork.layers.Dense(1)])
        model.compile(optimizer=brickwork.optimizers.SGD(0.1), loss="mse")
        kwargs.setdefault("epochs", 2)
        history = model.fit(*data, shuffle=False, verbose=0, **kwargs)
        return model.get_weights(), history.history["loss"]

    batches = [(x[i:i + 4], y[i:i + 4]) for i in range(0, N, 4)]
    from_dataset = trained((_BatchedTFDatasetStandIn(batches, len(batches)),))
    from_arrays = trained((x, y), batch_size=4)
    np.testing.assert_allclose(from_dataset[1], from_arrays[1], rtol=1e-6)
    for a, b in zip(from_dataset[0], from_arrays[0]):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
    assert not np.allclose(from_arrays[0][0], trained((x, y), batch_size=4, epochs=1)[0][0])


def test_real_tf_dataset():
    tf = pytest.importorskip("tensorflow")
    x, y = _data()
    _check_dataset_batches(tf.data.Dataset.from_tensor_slices((x, y)).batch(4), TFDatasetAdapter, -(-N // 4))


# ---------------------------------------------------------------- utils
def test_unpack_and_pack_round_trip():
    unpack, pack = data_adapter_utils.unpack_x_y_sample_weight, data_adapter_utils.pack_x_y_sample_weight
    assert unpack("x") == ("x", None, None)
    assert unpack(("x",)) == ("x", None, None)
    assert unpack(["x", "y"]) == ("x", "y", None)
    assert unpack(("x", "y", "w")) == ("x", "y", "w")
    with pytest.raises(ValueError, match="length 4"):
        unpack((1, 2, 3, 4))
    assert pack("x") == "x" and pack(["a", "b"]) == (["a", "b"],)
    assert pack("x", "y") == ("x", "y") and pack("x", "y", "w") == ("x", "y", "w")


def test_train_validation_split_takes_the_last_fraction():
    x, y = _data()
    (tx, ty, tsw), (vx, vy, vsw) = data_adapter_utils.train_validation_split((x, {"a": y}, None), 0.3)
    np.testing.assert_array_equal(tx, x[:7])
    np.testing.assert_array_equal(vx, x[7:])
    np.testing.assert_array_equal(ty["a"], y[:7])
    np.testing.assert_array_equal(vy["a"], y[7:])
    assert tsw is None and vsw is None
    tensor_train, _ = data_adapter_utils.train_validation_split(backend.convert_to_tensor(x), 0.5)
    np.testing.assert_array_equal(_np(tensor_train), x[:5])


def test_train_validation_split_errors():
    x, y = _data()
    with pytest.raises(ValueError, match="not sufficient"):
        data_adapter_utils.train_validation_split((x[:1], y[:1]), 0.5)
    with pytest.raises(ValueError, match="only supported for tensors or NumPy arrays"):
        data_adapter_utils.train_validation_split((iter([x]), None), 0.5)
