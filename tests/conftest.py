"""Shared test fixtures. The suite runs once per backend (see tests/run.sh).

On jax the suite runs with JAX's 64-bit mode on, so that its float64/int64 cases check real 64-bit
results against NumPy (``BRICKWORK_TEST_JAX_X64=0`` runs it in JAX's default 32-bit mode instead).
brickwork itself leaves the mode as JAX has it, like Keras; tests/backend/test_jax_x32.py checks that
default in a fresh process, and Keras's own suite (conformance/keras_suite) runs in it.
"""

import os

import numpy as np
import pytest

from brickwork import backend

BACKEND = backend.backend()
if BACKEND == "jax" and os.environ.get("BRICKWORK_TEST_JAX_X64", "1") == "1":
    import jax

    jax.config.update("jax_enable_x64", True)

requires_training = pytest.mark.skipif(
    not backend.SUPPORTS_TRAINING, reason=f"the {BACKEND} backend is for inference only"
)


@pytest.fixture(autouse=True)
def _fresh_session():
    """Each test starts with fresh automatic names and a fixed seed."""
    backend.clear_session(free_memory=False)
    np.random.seed(0)
    yield
