"""CIFAR-100: 50,000 training and 10,000 test color images, 32x32, in 100 classes (20 superclasses)."""

from __future__ import annotations

import os

import numpy as np

from brickwork.datasets._cifar import batches_folder, load_batch, to_image_data_format
from brickwork.datasets._remote import fetch

ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz"
FILE_HASHES = {"cifar-100-python.tar.gz": "85cd44d02ba6437773c5bbd22e183051d648de2e7d6b014e1ef29b855ba677a7"}


def load_data(label_mode: str = "fine", cache_dir: str | None = None):
    """Load CIFAR-100 (downloaded and extracted once into ``~/.brickwork/datasets``, checksum verified).

    Args:
        label_mode: ``"fine"`` (100 classes) or ``"coarse"`` (20 superclasses).
        cache_dir: the cache root (default ``$BRICKWORK_HOME`` or ``~/.brickwork``).

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 images ``(50000, 32, 32, 3)`` / ``(10000, 32, 32, 3)``,
            int64 labels ``(50000, 1)`` / ``(10000, 1)``.
    """
    if label_mode not in ("fine", "coarse"):
        raise ValueError(f'`label_mode` must be one of "fine", "coarse". Received: label_mode={label_mode}.')
    extracted = fetch("cifar-100-python-target", ORIGIN, FILE_HASHES["cifar-100-python.tar.gz"], cache_dir,
                      extract=True)
    folder = batches_folder(extracted, "cifar-100-python")
    x_train, y_train = load_batch(os.path.join(folder, "train"), label_key=f"{label_mode}_labels")
    x_test, y_test = load_batch(os.path.join(folder, "test"), label_key=f"{label_mode}_labels")
    y_train = np.asarray(y_train, dtype=np.int64).reshape(-1, 1)
    y_test = np.asarray(y_test, dtype=np.int64).reshape(-1, 1)
    return (to_image_data_format(x_train), y_train), (to_image_data_format(x_test), y_test)
