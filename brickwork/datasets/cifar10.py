"""CIFAR-10: 50,000 training and 10,000 test color images, 32x32, in 10 classes."""

from __future__ import annotations

import os

import numpy as np

from brickwork.datasets._cifar import batches_folder, load_batch, to_image_data_format
from brickwork.datasets._remote import fetch

ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
FILE_HASHES = {"cifar-10-python.tar.gz": "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce"}


def load_data(cache_dir: str | None = None):
    """Load CIFAR-10 (downloaded and extracted once into ``~/.brickwork/datasets``, checksum verified).

    Labels: 0 airplane, 1 automobile, 2 bird, 3 cat, 4 deer, 5 dog, 6 frog, 7 horse, 8 ship, 9 truck.
    The batches are pickles: they are read with an unpickler that only rebuilds NumPy arrays.

    Args:
        cache_dir: the cache root (default ``$BRICKWORK_HOME`` or ``~/.brickwork``).

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 images ``(50000, 32, 32, 3)`` / ``(10000, 32, 32, 3)``
            (channels first with ``image_data_format() == "channels_first"``), uint8 labels ``(50000, 1)`` /
            ``(10000, 1)``.
    """
    extracted = fetch("cifar-10-batches-py", ORIGIN, FILE_HASHES["cifar-10-python.tar.gz"], cache_dir, untar=True)
    folder = batches_folder(extracted, "cifar-10-batches-py")
    parts = [load_batch(os.path.join(folder, f"data_batch_{i}")) for i in range(1, 6)]
    x_train = np.concatenate([images for images, _ in parts])
    y_train = np.concatenate([np.asarray(labels, dtype=np.uint8) for _, labels in parts])
    x_test, y_test = load_batch(os.path.join(folder, "test_batch"))
    y_train = y_train.reshape(-1, 1)
    y_test = np.asarray(y_test, dtype=np.uint8).reshape(-1, 1)
    return (to_image_data_format(x_train), y_train), (to_image_data_format(x_test), y_test)
