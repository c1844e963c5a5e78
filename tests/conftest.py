"""Shared test fixtures. The suite runs once per backend (see tests/run.sh)."""

import numpy as np
import pytest

from brickwork import backend

BACKEND = backend.backend()

requires_training = pytest.mark.skipif(
    not backend.SUPPORTS_TRAINING, reason=f"the {BACKEND} backend is for inference only"
)


@pytest.fixture(autouse=True)
def _fresh_session():
    """Each test starts with fresh automatic names and a fixed seed."""
    backend.clear_session(free_memory=False)
    np.random.seed(0)
    yield
