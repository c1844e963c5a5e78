"""Shared helpers of the recurrent-layer tests: data, masks, comparisons."""

from __future__ import annotations

import numpy as np

from brickwork import backend

RIGHT_PADDED = np.array([[1, 1, 1, 1, 1, 1], [1, 1, 1, 0, 0, 0], [1, 1, 1, 1, 1, 0]], bool)
WITH_HOLES = np.array([[1, 0, 1, 1, 0, 1], [0, 0, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1]], bool)
MASKS = {"none": None, "right_padded": RIGHT_PADDED, "with_holes": WITH_HOLES}
# For layers whose weights a test sets itself: skips the random initializers (each new shape costs a
# compilation on jax); the default initializers are covered by the harness tests.
FAST_INIT = {"kernel_initializer": "zeros", "recurrent_initializer": "zeros"}


def numpy(x):
    return backend.convert_to_numpy(x)


def randn(*shape):
    return np.random.randn(*shape).astype("float32")


def randomize(layer, scale=0.5):
    """Give every weight random values (the default zero bias would hide gate mix-ups)."""
    layer.set_weights([np.random.randn(*w.shape) * scale for w in layer.get_weights()])


def close(actual, expected, tol=1e-5):
    np.testing.assert_allclose(numpy(actual), np.asarray(expected), rtol=tol, atol=tol)
