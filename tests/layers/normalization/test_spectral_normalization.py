"""SpectralNormalization against NumPy: the power-iteration step, convergence to the largest singular value
(SVD), inference leaving the kernel alone, wrapped layers, weights, config and errors."""

import json

import numpy as np
import pytest

from brickwork import backend, initializers, layers, saving


def _numpy_power_step(kernel, u, iterations):
    w = kernel.reshape(-1, kernel.shape[-1])
    for _ in range(iterations):
        v = u @ w.T
        v = v / np.linalg.norm(v)
        u = v @ w
        u = u / np.linalg.norm(u)
    sigma = (v @ w @ u.T).item()
    return u, kernel / sigma


@pytest.mark.parametrize("iterations", [1, 3])
def test_one_training_call_matches_numpy_power_iteration(iterations):
    layer = layers.SpectralNormalization(layers.Dense(3), power_iterations=iterations)
    x = np.random.default_rng(0).random((2, 4)).astype("float32")
    layer.build(x.shape)
    kernel, u, bias = (np.array(w) for w in layer.get_weights())
    out = backend.convert_to_numpy(layer(x, training=True))
    expected_u, expected_kernel = _numpy_power_step(kernel.astype("float64"), u.astype("float64"), iterations)
    np.testing.assert_allclose(layer.vector_u.numpy(), expected_u, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(layer.layer.kernel.numpy(), expected_kernel, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(out, x @ expected_kernel + bias, rtol=1e-4, atol=1e-5)


def test_repeated_training_calls_converge_to_unit_spectral_norm():
    # A fixed kernel: how fast power iteration converges depends on the draw, not on test order.
    conv = layers.Conv2D(3, 2, kernel_initializer=initializers.GlorotUniform(seed=7))
    layer = layers.SpectralNormalization(conv, power_iterations=5)
    x = np.random.default_rng(1).random((1, 4, 4, 2)).astype("float32")
    for _ in range(8):
        layer(x, training=True)
    kernel = layer.layer.kernel.numpy()
    assert np.linalg.svd(kernel.reshape(-1, 3), compute_uv=False)[0] == pytest.approx(1.0, rel=1e-3)


def test_inference_leaves_the_kernel_unchanged():
    layer = layers.SpectralNormalization(layers.Dense(2))
    x = np.ones((1, 3), "float32")
    layer.build(x.shape)
    before = np.array(layer.layer.kernel.numpy())
    out = backend.convert_to_numpy(layer(x))
    np.testing.assert_array_equal(layer.layer.kernel.numpy(), before)
    np.testing.assert_allclose(out, x @ before, rtol=1e-6)


def test_wraps_embedding_and_tracks_weights_like_keras():
    layer = layers.SpectralNormalization(layers.Embedding(5, 3))
    out = layer(np.array([[0, 4]]), training=True)
    assert tuple(out.shape) == (1, 2, 3)
    # Keras tracks the wrapped kernel on the wrapper too: kernel, vector_u (own), then the inner layer's rest.
    dense = layers.SpectralNormalization(layers.Dense(2), name="sn")
    dense(np.ones((1, 3), "float32"))
    assert [w.path for w in dense.weights] == ["sn/dense/kernel", "sn/vector_u", "sn/dense/bias"]
    assert [w.path for w in dense.non_trainable_weights] == ["sn/vector_u"]


def test_all_zero_kernel_stays_zero_and_finite():
    layer = layers.SpectralNormalization(layers.Dense(2, kernel_initializer="zeros"))
    out = backend.convert_to_numpy(layer(np.ones((1, 3), "float32"), training=True))
    assert np.all(np.isfinite(layer.vector_u.numpy()))
    np.testing.assert_array_equal(layer.layer.kernel.numpy(), np.zeros((3, 2)))
    np.testing.assert_array_equal(out, np.zeros((1, 2)))


def test_symbolic_call_and_config_round_trip():
    layer = layers.SpectralNormalization(layers.Dense(4, activation="relu"), power_iterations=2)
    assert layer(layers.Input((3,))).shape == (None, 4)
    config = json.loads(json.dumps(saving.serialize_keras_object(layer)))
    assert config["config"]["power_iterations"] == 2 and config["config"]["layer"]["class_name"] == "Dense"
    clone = saving.deserialize_keras_object(config)
    assert isinstance(clone.layer, layers.Dense) and clone.layer.units == 4 and clone.power_iterations == 2


def test_errors():
    with pytest.raises(ValueError, match="power_iterations"):
        layers.SpectralNormalization(layers.Dense(2), power_iterations=0)
    with pytest.raises(ValueError, match="kernel"):
        layers.SpectralNormalization(layers.Flatten())(np.ones((1, 3), "float32"))
    with pytest.raises(ValueError, match="layer"):
        layers.SpectralNormalization("dense")
