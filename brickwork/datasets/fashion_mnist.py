"""Fashion-MNIST: 60,000 training and 10,000 test images of 10 kinds of clothing, 28x28 grayscale."""

from __future__ import annotations

import gzip
import os

import numpy as np

from brickwork.datasets._remote import KERAS_ORIGIN, fetch

FILE_HASHES = {
    "train-labels-idx1-ubyte.gz": "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
    "train-images-idx3-ubyte.gz": "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
    "t10k-labels-idx1-ubyte.gz": "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
    "t10k-images-idx3-ubyte.gz": "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
}

_LABELS_MAGIC, _IMAGES_MAGIC = 2049, 2051  # the IDX format's first four bytes


def _read_idx(path: str, magic: int, header_bytes: int) -> np.ndarray:
    with gzip.open(path, "rb") as file:
        data = file.read()
    found = int.from_bytes(data[:4], "big")
    if found != magic:
        raise ValueError(f"{path} is not an IDX file of the expected kind: magic number {found}, expected {magic}.")
    return np.frombuffer(data, np.uint8, offset=header_bytes)


def load_data(cache_dir: str | None = None):
    """Load Fashion-MNIST (downloaded once into ``~/.brickwork/datasets/fashion-mnist``, checksums verified).

    Labels: 0 T-shirt/top, 1 Trouser, 2 Pullover, 3 Dress, 4 Coat, 5 Sandal, 6 Shirt, 7 Sneaker,
    8 Bag, 9 Ankle boot.

    Args:
        cache_dir: the cache root (default ``$BRICKWORK_HOME`` or ``~/.brickwork``).

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 images ``(60000, 28, 28)`` / ``(10000, 28, 28)``,
            uint8 labels ``(60000,)`` / ``(10000,)``.
    """
    paths = {
        name: fetch(name, KERAS_ORIGIN + name, file_hash, cache_dir,
                    cache_subdir=os.path.join("datasets", "fashion-mnist"))
        for name, file_hash in FILE_HASHES.items()
    }
    y_train = _read_idx(paths["train-labels-idx1-ubyte.gz"], _LABELS_MAGIC, 8)
    x_train = _read_idx(paths["train-images-idx3-ubyte.gz"], _IMAGES_MAGIC, 16).reshape(len(y_train), 28, 28)
    y_test = _read_idx(paths["t10k-labels-idx1-ubyte.gz"], _LABELS_MAGIC, 8)
    x_test = _read_idx(paths["t10k-images-idx3-ubyte.gz"], _IMAGES_MAGIC, 16).reshape(len(y_test), 28, 28)
    return (x_train, y_train), (x_test, y_test)
