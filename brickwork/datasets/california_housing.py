"""California Housing prices: 20,640 districts of the 1990 census, 8 features, median house value."""

from __future__ import annotations

import numpy as np

from brickwork.datasets._regression import shuffled_split
from brickwork.datasets._remote import KERAS_ORIGIN, fetch, split_point

FILE_HASHES = {"california_housing.npz": "1a2e3a52e0398de6463aebe6f4a8da34fb21fbb6b934cf88c3425e766f2a1a6f"}


def load_data(version: str = "large", path: str = "california_housing.npz", test_split: float = 0.2,
              seed: int = 113, cache_dir: str | None = None):
    """Load the California Housing dataset.

    Features: MedInc, HouseAge, AveRooms, AveBedrms, Population, AveOccup, Latitude, Longitude;
    the target is the median house value in dollars.

    Args:
        version: ``"large"`` (all 20,640 samples) or ``"small"`` (the first 600).
        path: the file name in the cache.
        test_split: the fraction kept for testing.
        seed: the seed of the shuffle before the split.
        cache_dir: the cache root (default ``$BRICKWORK_HOME`` or ``~/.brickwork``).

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: ``x`` of shape ``(n, 8)``, ``y`` of shape ``(n,)``.
    """
    if version not in ("small", "large"):
        raise ValueError(f"Argument `version` must be one of 'small', 'large'. Received: version={version}")
    split_point(1, test_split)  # validate before downloading
    local = fetch(path, KERAS_ORIGIN + "california_housing.npz", FILE_HASHES["california_housing.npz"], cache_dir)
    with np.load(local, allow_pickle=False) as data:
        x, y = data["x"], data["y"]
    if version == "small":
        x, y = x[:600], y[:600]
    return shuffled_split(x, y, test_split, seed)
