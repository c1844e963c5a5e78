"""What the housing datasets share: an ``.npz`` of ``x`` and ``y``, shuffled and split like Keras."""

from __future__ import annotations

import numpy as np

from brickwork.datasets._remote import split_point


def shuffled_split(x: np.ndarray, y: np.ndarray, test_split: float, seed: int):
    """``(x_train, y_train), (x_test, y_test)`` after Keras's seeded shuffle."""
    indices = np.arange(len(x))
    np.random.RandomState(seed).shuffle(indices)
    x, y = x[indices], y[indices]
    split = split_point(len(x), test_split)
    return (x[:split], y[:split]), (x[split:], y[split:])
