"""The NumPy-like ops the tensorflow engine writes itself, traced by ``tf.function`` with a size known only
when the graph runs: the same values as NumPy."""

from __future__ import annotations

import numpy as np
import pytest

from brickwork import backend, ops

pytestmark = pytest.mark.skipif(backend.backend() != "tensorflow", reason="tf.function tracing is tensorflow's")

rng = np.random.default_rng(3)
X = rng.standard_normal((4, 6)).astype("float32")

CASES = {
    "quantile": (lambda t: ops.quantile(t, [0.2, 0.7], axis=1), lambda x: np.quantile(x, [0.2, 0.7], axis=1)),
    "median keepdims": (lambda t: ops.median(t, axis=0, keepdims=True), lambda x: np.median(x, axis=0, keepdims=True)),
    "sort on the first axis": (lambda t: ops.sort(t, axis=0), lambda x: np.sort(x, axis=0)),
    "pad reflect": (lambda t: ops.pad(t, ((5, 6), (2, 2)), mode="reflect"),
                    lambda x: np.pad(x, ((5, 6), (2, 2)), mode="reflect")),
    "pad symmetric": (lambda t: ops.pad(t, ((5, 1), (0, 0)), mode="symmetric"),
                      lambda x: np.pad(x, ((5, 1), (0, 0)), mode="symmetric")),
    "pad wrap": (lambda t: ops.pad(t, ((2, 9), (1, 0)), mode="wrap"), lambda x: np.pad(x, ((2, 9), (1, 0)), mode="wrap")),
    "pad edge": (lambda t: ops.pad(t, ((3, 1), (1, 1)), mode="edge"), lambda x: np.pad(x, ((3, 1), (1, 1)), mode="edge")),
    "lstsq": (lambda t: ops.lstsq(t, t[:, :2]), lambda x: np.linalg.lstsq(x, x[:, :2], rcond=None)[0]),
    "take_along_axis": (lambda t: ops.take_along_axis(t, ops.argsort(t, axis=0), axis=0), lambda x: np.sort(x, axis=0)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_traced_with_an_unknown_size_matches_numpy(name):
    import tensorflow as tf

    op, reference = CASES[name]
    traced = tf.function(op, input_signature=[tf.TensorSpec((None, 6), tf.float32)])
    np.testing.assert_allclose(traced(tf.constant(X)).numpy(), reference(X), rtol=1e-5, atol=1e-5)
