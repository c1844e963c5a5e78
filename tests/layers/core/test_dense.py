"""Dense against NumPy: outputs, gradients, shapes, config."""

import numpy as np
import pytest

from brickwork import backend, layers, models
from tests.gradient_check import engine_gradients


@pytest.mark.parametrize("activation", [None, "relu", "tanh"])
def test_matches_numpy(activation):
    x = np.random.randn(4, 3).astype("float32")
    dense = layers.Dense(5, activation=activation)
    out = backend.convert_to_numpy(dense(x))
    kernel, bias = dense.get_weights()
    expected = x @ kernel + bias
    if activation == "relu":
        expected = np.maximum(expected, 0)
    elif activation == "tanh":
        expected = np.tanh(expected)
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-6)


def test_applies_to_the_last_axis_of_3d_inputs():
    dense = layers.Dense(2)
    x = np.random.randn(2, 3, 4).astype("float32")
    out = backend.convert_to_numpy(dense(x))
    kernel, bias = dense.get_weights()
    np.testing.assert_allclose(out, x @ kernel + bias, rtol=1e-5, atol=1e-6)
    assert dense.compute_output_shape((None, 3, 4)) == (None, 3, 2)


def test_gradients_match_the_analytic_ones():
    if backend.backend() == "numpy":
        pytest.skip("the numpy backend computes no gradients")
    x = np.random.randn(4, 3)
    kernel = np.random.randn(3, 2)
    bias = np.random.randn(2)
    dense = layers.Dense(2, dtype="float64")
    dense.build((None, 3))
    dense.set_weights([kernel, bias])

    def forward(k, b):
        with backend.StatelessScope(state_mapping=[(dense.kernel, k), (dense.bias, b)]):
            return dense(backend.convert_to_tensor(x))

    grads = engine_gradients(forward, [kernel, bias])
    # d(sum(xK + b))/dK = x^T 1, d/db = batch size.
    np.testing.assert_allclose(grads[0], x.T @ np.ones((4, 2)), rtol=1e-6)
    np.testing.assert_allclose(grads[1], np.full(2, 4.0))


def test_no_bias_and_config_round_trip():
    dense = layers.Dense(3, use_bias=False, activation="relu", name="d")
    dense(np.ones((1, 2), dtype="float32"))
    assert len(dense.weights) == 1
    clone = layers.Dense.from_config(dense.get_config())
    assert clone.units == 3 and not clone.use_bias and clone.name == "d"
    assert clone.get_config() == dense.get_config()


def test_in_sequential_and_functional():
    seq = models.Sequential([layers.Input((3,)), layers.Dense(2)])
    inputs = layers.Input((3,))
    fun = models.Model(inputs, layers.Dense(2)(inputs))
    x = np.ones((2, 3), dtype="float32")
    assert seq.predict(x, verbose=0).shape == (2, 2)
    assert fun.predict(x, verbose=0).shape == (2, 2)


def test_bad_units():
    with pytest.raises(ValueError, match="units"):
        layers.Dense(0)


@pytest.mark.skipif(backend.backend() != "jax", reason="sparse tensors (BCOO) are jax's")
def test_sparse_input_matches_dense():
    from jax.experimental import sparse

    x = np.random.randn(4, 3).astype("float32") * (np.random.rand(4, 3) < 0.5)
    dense = layers.Dense(5, activation="relu")
    out = dense(sparse.BCOO.fromdense(x))
    assert type(out).__name__ != "BCOO"  # Dense gives dense outputs, as in Keras
    kernel, bias = dense.get_weights()
    np.testing.assert_allclose(backend.convert_to_numpy(out), np.maximum(x @ kernel + bias, 0), rtol=1e-5, atol=1e-6)
    symbolic = dense(layers.Input((3,), sparse=True))
    assert symbolic.shape == (None, 5) and not symbolic.sparse
