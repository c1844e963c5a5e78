"""``set_random_seed``: one call to make a whole program's randomness repeatable."""

from __future__ import annotations

import random as python_random

import numpy as np

from brickwork import backend


def set_random_seed(seed: int) -> None:
    """Seed Python's ``random``, NumPy, the engine and brickwork's global ``SeedGenerator``.

    Args:
        seed: a Python int; the same seed gives the same weights, dropout masks and shuffles in a later run.

    Returns:
        ``None``.

    Example:
    >>> brickwork.utils.set_random_seed(1337)
    """
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError(f"set_random_seed: `seed` must be an integer, received {seed!r} of type {type(seed).__name__}.")
    from brickwork.random.seed_generator import set_global_seed_generator

    python_random.seed(seed)
    np.random.seed(seed)
    backend.active.random.seed_engine(seed)
    set_global_seed_generator(seed)
