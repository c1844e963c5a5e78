"""Tiny files in the real formats of Keras's datasets, and the arrays they hold."""

import gzip
import hashlib
import io
import json
import pickle
import tarfile

import numpy as np

RNG = np.random.default_rng(7)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def checksum(name: str) -> str:
    """The checksum a loader expects for a served file: MD5 for the word indexes (as Keras's), else SHA-256."""
    data = SERVED[name]
    return hashlib.md5(data).hexdigest() if name.endswith(".json") else sha256(data)


def npz(**arrays) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)  # object arrays are stored pickled, as in imdb.npz and reuters.npz
    return buffer.getvalue()


def object_array(sequences):
    array = np.empty(len(sequences), dtype=object)
    for index, sequence in enumerate(sequences):
        array[index] = list(sequence)
    return array


def idx_gz(array: np.ndarray) -> bytes:
    """An IDX file (big-endian magic 0x0801/0x0803 + dims + uint8 data), gzipped."""
    magic = 2049 if array.ndim == 1 else 2051
    header = magic.to_bytes(4, "big") + b"".join(d.to_bytes(4, "big") for d in array.shape)
    return gzip.compress(header + array.astype(np.uint8).tobytes())


def tar_gz(files: dict) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def cifar_batch(images_nhwc: np.ndarray, labels: dict) -> bytes:
    """A CIFAR "python version" batch: a pickled dict with bytes keys, rows of 3072 channel-first bytes."""
    batch = {b"batch_label": b"test batch", b"data": images_nhwc.transpose(0, 3, 1, 2).reshape(len(images_nhwc), -1),
             b"filenames": [b"img_%d.png" % i for i in range(len(images_nhwc))]}
    batch.update({key.encode(): list(map(int, values)) for key, values in labels.items()})
    return pickle.dumps(batch, protocol=2)


def images(n, shape):
    return RNG.integers(0, 256, size=(n,) + shape, dtype=np.uint8)


def build_all():
    """``{served file name: bytes}`` and ``{dataset: expected arrays}``."""
    served, expected = {}, {}

    mnist = {"x_train": images(6, (28, 28)), "y_train": RNG.integers(0, 10, 6, dtype=np.uint8),
             "x_test": images(3, (28, 28)), "y_test": RNG.integers(0, 10, 3, dtype=np.uint8)}
    served["mnist.npz"] = npz(**mnist)
    expected["mnist"] = ((mnist["x_train"], mnist["y_train"]), (mnist["x_test"], mnist["y_test"]))

    fashion = {"x_train": images(5, (28, 28)), "y_train": RNG.integers(0, 10, 5, dtype=np.uint8),
               "x_test": images(2, (28, 28)), "y_test": RNG.integers(0, 10, 2, dtype=np.uint8)}
    served["train-images-idx3-ubyte.gz"] = idx_gz(fashion["x_train"])
    served["train-labels-idx1-ubyte.gz"] = idx_gz(fashion["y_train"])
    served["t10k-images-idx3-ubyte.gz"] = idx_gz(fashion["x_test"])
    served["t10k-labels-idx1-ubyte.gz"] = idx_gz(fashion["y_test"])
    expected["fashion_mnist"] = ((fashion["x_train"], fashion["y_train"]), (fashion["x_test"], fashion["y_test"]))

    train_parts = [(images(2, (32, 32, 3)), RNG.integers(0, 10, 2)) for _ in range(5)]
    test_part = (images(3, (32, 32, 3)), RNG.integers(0, 10, 3))
    files = {f"cifar-10-batches-py/data_batch_{i + 1}": cifar_batch(x, {"labels": y})
             for i, (x, y) in enumerate(train_parts)}
    files["cifar-10-batches-py/test_batch"] = cifar_batch(test_part[0], {"labels": test_part[1]})
    files["cifar-10-batches-py/batches.meta"] = pickle.dumps({b"label_names": [b"airplane"]}, protocol=2)
    served["cifar-10-python.tar.gz"] = tar_gz(files)
    expected["cifar10"] = ((np.concatenate([x for x, _ in train_parts]),
                            np.concatenate([y for _, y in train_parts]).astype(np.uint8).reshape(-1, 1)),
                           (test_part[0], test_part[1].astype(np.uint8).reshape(-1, 1)))

    c100 = {"train": (images(4, (32, 32, 3)), RNG.integers(0, 100, 4), RNG.integers(0, 20, 4)),
            "test": (images(2, (32, 32, 3)), RNG.integers(0, 100, 2), RNG.integers(0, 20, 2))}
    served["cifar-100-python.tar.gz"] = tar_gz({
        f"cifar-100-python/{part}": cifar_batch(x, {"fine_labels": fine, "coarse_labels": coarse})
        for part, (x, fine, coarse) in c100.items()})
    expected["cifar100"] = c100

    imdb = {"x_train": object_array([[1, 2, 3], [4, 5], [2, 2, 6, 7], [8]]), "y_train": np.array([0, 1, 1, 0]),
            "x_test": object_array([[3, 1], [7, 8, 9, 10]]), "y_test": np.array([1, 0])}
    served["imdb.npz"] = npz(**imdb)
    expected["imdb"] = imdb
    served["imdb_word_index.json"] = json.dumps({"the": 1, "and": 2, "film": 3}).encode()

    reuters = {"x": object_array([[1, 2], [3, 4, 5], [6], [2, 9, 9, 1], [7, 7]]), "y": np.array([3, 1, 4, 1, 5])}
    served["reuters.npz"] = npz(**reuters)
    expected["reuters"] = reuters
    served["reuters_word_index.json"] = json.dumps({"said": 1, "mln": 2}).encode()

    boston = {"x": RNG.normal(size=(10, 13)), "y": RNG.normal(size=10)}
    served["boston_housing.npz"] = npz(**boston)
    expected["boston_housing"] = boston

    california = {"x": RNG.normal(size=(20, 8)).astype("float32"), "y": RNG.normal(size=20).astype("float32")}
    served["california_housing.npz"] = npz(**california)
    expected["california_housing"] = california
    return served, expected


SERVED, EXPECTED = build_all()
