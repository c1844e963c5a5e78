"""Reading CIFAR's "python version" batches (pickled dicts) with the restricted unpickler."""

from __future__ import annotations

import os

import numpy as np

from brickwork import backend
from brickwork.datasets._safe_load import load_pickle


def load_batch(path: str, label_key: str = "labels"):
    """``(images, labels)`` of one batch file: uint8 ``(n, 3, 32, 32)`` and a list of ints."""
    batch = {key.decode("utf8") if isinstance(key, bytes) else key: value for key, value in load_pickle(path).items()}
    data = np.asarray(batch["data"], dtype=np.uint8)
    return data.reshape(data.shape[0], 3, 32, 32), batch[label_key]


def batches_folder(extracted: str, inner: str) -> str:
    """The folder holding the batch files: the archive's top folder inside the extraction folder."""
    nested = os.path.join(extracted, inner)
    return nested if os.path.isdir(nested) else extracted


def to_image_data_format(images: np.ndarray) -> np.ndarray:
    """Channels last (``(n, 32, 32, 3)``) unless ``image_data_format()`` is channels first."""
    return images.transpose(0, 2, 3, 1) if backend.image_data_format() == "channels_last" else images
