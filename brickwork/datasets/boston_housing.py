"""Boston Housing prices (a regression dataset with a known ethical problem; see the docstring)."""

from __future__ import annotations

import numpy as np

from brickwork.datasets._regression import shuffled_split
from brickwork.datasets._remote import KERAS_ORIGIN, fetch, split_point

FILE_HASHES = {"boston_housing.npz": "f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5"}


def load_data(path: str = "boston_housing.npz", test_split: float = 0.2, seed: int = 113,
              cache_dir: str | None = None):
    """Load the Boston Housing dataset: 13 attributes of houses around Boston in the 1970s, and the
    median value (k$) per location.

    Warning: one of its variables ("B") encodes a racist assumption; prefer ``california_housing``
    unless the point is to illustrate ethical issues in data science.

    Args:
        path: the file name in the cache.
        test_split: the fraction kept for testing.
        seed: the seed of the shuffle before the split.
        cache_dir: the cache root (default ``$BRICKWORK_HOME`` or ``~/.brickwork``).

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: ``x`` of shape ``(n, 13)``, ``y`` of shape ``(n,)``.
    """
    split_point(1, test_split)  # validate before downloading
    local = fetch(path, KERAS_ORIGIN + "boston_housing.npz", FILE_HASHES["boston_housing.npz"], cache_dir)
    with np.load(local, allow_pickle=False) as data:
        x, y = data["x"], data["y"]
    return shuffled_split(x, y, test_split, seed)
