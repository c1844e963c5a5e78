"""Every dataset loader against a local HTTP server serving tiny files in the real formats:
values, shapes, dtypes; one download then the cache; offline use; corrupted downloads; no network."""

import os

import numpy as np
import pytest

from brickwork import backend, datasets
from tests.datasets.dataset_files import EXPECTED, SERVED
from tests.datasets.local_server import dataset_mirror, local_server  # noqa: F401 (fixtures)

# dataset -> (load call, the files it downloads)
LOADERS = {
    "mnist": (lambda: datasets.mnist.load_data(), ["mnist.npz"]),
    "fashion_mnist": (lambda: datasets.fashion_mnist.load_data(),
                      ["train-labels-idx1-ubyte.gz", "train-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
                       "t10k-images-idx3-ubyte.gz"]),
    "cifar10": (lambda: datasets.cifar10.load_data(), ["cifar-10-python.tar.gz"]),
    "cifar100": (lambda: datasets.cifar100.load_data(), ["cifar-100-python.tar.gz"]),
    "imdb": (lambda: datasets.imdb.load_data(), ["imdb.npz"]),
    "reuters": (lambda: datasets.reuters.load_data(), ["reuters.npz"]),
    "boston_housing": (lambda: datasets.boston_housing.load_data(), ["boston_housing.npz"]),
    "california_housing": (lambda: datasets.california_housing.load_data(), ["california_housing.npz"]),
}


def _cache(tmp_path):
    return tmp_path / "home" / "datasets"


def _assert_same(actual, expected):
    assert actual.dtype == expected.dtype and actual.shape == expected.shape
    np.testing.assert_array_equal(actual, expected)


def test_image_datasets_values_shapes_and_dtypes(dataset_mirror):
    for name in ("mnist", "fashion_mnist", "cifar10"):
        (x_train, y_train), (x_test, y_test) = LOADERS[name][0]()
        (ex_train, ey_train), (ex_test, ey_test) = EXPECTED[name]
        for actual, expected in ((x_train, ex_train), (y_train, ey_train), (x_test, ex_test), (y_test, ey_test)):
            _assert_same(actual, expected)
    assert x_train.shape[1:] == (32, 32, 3) and y_train.shape[1:] == (1,)  # cifar10: channels last, labels (n, 1)


@pytest.mark.parametrize("label_mode, index", [("fine", 1), ("coarse", 2)])
def test_cifar100_label_modes(dataset_mirror, label_mode, index):
    (x_train, y_train), (x_test, y_test) = datasets.cifar100.load_data(label_mode=label_mode)
    train, test = EXPECTED["cifar100"]["train"], EXPECTED["cifar100"]["test"]
    _assert_same(x_train, train[0])
    _assert_same(x_test, test[0])
    _assert_same(y_train, train[index].astype(np.int64).reshape(-1, 1))
    _assert_same(y_test, test[index].astype(np.int64).reshape(-1, 1))
    with pytest.raises(ValueError, match="label_mode"):
        datasets.cifar100.load_data(label_mode="medium")


def test_cifar_channels_first(dataset_mirror):
    previous = backend.image_data_format()
    backend.set_image_data_format("channels_first")
    try:
        (x_train, _), _ = datasets.cifar10.load_data()
    finally:
        backend.set_image_data_format(previous)
    _assert_same(x_train, EXPECTED["cifar10"][0][0].transpose(0, 3, 1, 2))


@pytest.mark.parametrize("name, features", [("boston_housing", 13), ("california_housing", 8)])
def test_housing_split_follows_the_seeded_shuffle(dataset_mirror, name, features):
    module = getattr(datasets, name)
    x, y = EXPECTED[name]["x"], EXPECTED[name]["y"]
    order = np.random.RandomState(113).permutation(len(x))
    split = int(len(x) * 0.8)
    (x_train, y_train), (x_test, y_test) = module.load_data()
    _assert_same(x_train, x[order][:split])
    _assert_same(y_test, y[order][split:])
    assert x_train.shape[1] == features and y_train.shape == (split,) and x_test.shape == (len(x) - split, features)
    (x_train, _), (x_test, _) = module.load_data(test_split=0.5, seed=1)
    _assert_same(x_train, x[np.random.RandomState(1).permutation(len(x))][: len(x) // 2])
    with pytest.raises(ValueError, match="test_split"):
        module.load_data(test_split=1.0)


def test_california_small_version(dataset_mirror):
    (x_train, _), (x_test, _) = datasets.california_housing.load_data(version="small", test_split=0.0)
    assert len(x_train) == 20 and len(x_test) == 0  # the tiny file has fewer than 600 rows
    with pytest.raises(ValueError, match="version"):
        datasets.california_housing.load_data(version="medium")


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_downloads_once_then_works_offline(dataset_mirror, tmp_path, monkeypatch, name):
    load, files = LOADERS[name]
    first = load()
    assert sorted(dataset_mirror.requests) == sorted(f"/{f}" for f in files)
    dataset_mirror.close()  # offline from here on
    monkeypatch.setenv("BRICKWORK_DATASETS_ORIGIN", "http://127.0.0.1:9/")
    again = load()
    for part_first, part_again in zip(first, again):
        for a, b in zip(part_first, part_again):
            assert a.shape == b.shape and a.dtype == b.dtype
            if a.dtype != object:
                np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_no_network_and_no_cache_is_a_clear_error(dataset_mirror, tmp_path, monkeypatch, name):
    dataset_mirror.close()
    monkeypatch.setenv("BRICKWORK_DATASETS_ORIGIN", "http://127.0.0.1:9/")
    with pytest.raises(ConnectionError, match="Could not download .*no usable copy in the cache"):
        LOADERS[name][0]()
    leftovers = [f for _, _, found in os.walk(_cache(tmp_path)) for f in found]
    assert leftovers == []


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_corrupted_download_is_an_error_and_leaves_no_file(dataset_mirror, tmp_path, name):
    load, files = LOADERS[name]
    victim = files[-1]
    (dataset_mirror.root / victim).write_bytes(SERVED[victim][:-7] + b"garbage")
    with pytest.raises(ValueError, match="corrupted"):
        load()
    cached = sorted(f for _, _, found in os.walk(_cache(tmp_path)) for f in found)
    assert victim not in cached and not any(f.endswith(".part") for f in cached)
    assert len(cached) == len(files) - 1  # only the files that downloaded intact (fashion_mnist's first three)


def test_cache_dir_argument(dataset_mirror, tmp_path):
    datasets.mnist.load_data(cache_dir=tmp_path / "elsewhere")
    assert os.path.exists(tmp_path / "elsewhere" / "datasets" / "mnist.npz")
    assert not _cache(tmp_path).exists()


def test_keras_checksums_are_kept():
    assert datasets.mnist.FILE_HASHES["mnist.npz"] == (
        "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1")
    assert datasets.cifar10.ORIGIN == "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
    modules = [datasets.mnist, datasets.fashion_mnist, datasets.cifar10, datasets.cifar100, datasets.imdb,
               datasets.reuters, datasets.boston_housing, datasets.california_housing]
    for module in modules:
        for name, digest in module.FILE_HASHES.items():
            assert len(digest) == (32 if name.endswith(".json") else 64), name
