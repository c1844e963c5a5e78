"""Shared marks for the applications tests."""

import pytest

from brickwork import backend

# What these tests check (arguments, addresses, downloads) does not depend on the engine, and building a
# Functional model of hundreds of layers takes about 0.1 s a layer on jax (each layer's output shape comes from
# jax.eval_shape): they run on torch and numpy.
engine_independent = pytest.mark.skipif(backend.backend() == "jax",
                                        reason="engine-independent; run on torch and numpy (slow model builds on jax)")
