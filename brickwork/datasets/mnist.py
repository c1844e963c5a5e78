"""MNIST handwritten digits: 60,000 training and 10,000 test images, 28x28 grayscale."""

from __future__ import annotations

import numpy as np

from brickwork.datasets._remote import KERAS_ORIGIN, fetch

FILE_HASHES = {"mnist.npz": "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"}


def load_data(path: str = "mnist.npz", cache_dir: str | None = None):
    """Load MNIST (downloaded once into ``~/.brickwork/datasets``, checksum verified).

    Args:
        path: the file name in the cache.
        cache_dir: the cache root (default ``$BRICKWORK_HOME`` or ``~/.brickwork``).

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 images of shape ``(60000, 28, 28)`` and
            ``(10000, 28, 28)`` (values 0-255), uint8 labels 0-9 of shape ``(60000,)`` and ``(10000,)``.

    Example:
        (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    """
    local = fetch(path, KERAS_ORIGIN + "mnist.npz", FILE_HASHES["mnist.npz"], cache_dir)
    with np.load(local, allow_pickle=False) as data:
        return (data["x_train"], data["y_train"]), (data["x_test"], data["y_test"])
