"""Normalization: adapt against NumPy mean/var, fixed statistics, invert, axes, config."""

import numpy as np
import pytest

from brickwork import backend, layers
from tests.layers.harness import run_layer_test


def test_adapt_matches_numpy_statistics():
    data = np.random.default_rng(0).normal(3.0, 2.0, size=(16, 3)).astype("float32")
    layer = layers.Normalization()
    layer.adapt(data)
    mean, var = data.mean(0), data.var(0)
    np.testing.assert_allclose(layer.get_weights()[0], mean, rtol=1e-5)
    np.testing.assert_allclose(layer.get_weights()[1], var, rtol=1e-4)
    out = backend.convert_to_numpy(layer(data))
    np.testing.assert_allclose(out, (data - mean) / np.sqrt(var), rtol=1e-4, atol=1e-5)
    assert [w.name for w in layer.weights] == ["mean", "variance", "count"]  # Keras 3's layout


def test_adapt_on_batches_equals_whole_array():
    data = np.arange(24, dtype="float32").reshape(6, 2, 2)
    whole, batched = layers.Normalization(axis=(1, 2)), layers.Normalization(axis=(1, 2))
    whole.adapt(data)
    batched.adapt([data[:2], data[2:]])
    for a, b in zip(whole.get_weights(), batched.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5)


@pytest.mark.parametrize("invert", [False, True])
def test_fixed_statistics_and_invert(invert):
    mean, var = np.array([1.0, -2.0]), np.array([4.0, 0.25])
    ref = (lambda x, w: mean + x * np.sqrt(var)) if invert else (lambda x, w: (x - mean) / np.sqrt(var))
    run_layer_test(layers.Normalization, {"mean": mean.tolist(), "variance": var.tolist(), "invert": invert},
                   input_shape=(3, 2), expected_output_shape=(3, 2), reference=ref, rtol=1e-5)


def test_axis_none_single_statistic_and_round_trip():
    layer = layers.Normalization(axis=None, mean=2.0, variance=9.0)
    out = backend.convert_to_numpy(layer(np.array([[5.0, 2.0]], "float32")))
    np.testing.assert_allclose(out, [[1.0, 0.0]])
    forward = layers.Normalization(mean=1.0, variance=4.0)
    inverse = layers.Normalization(mean=1.0, variance=4.0, invert=True)
    x = np.array([[0.5, 3.0]], "float32")
    np.testing.assert_allclose(backend.convert_to_numpy(inverse(forward(x))), x, rtol=1e-6)


def test_adapted_layer_in_model_and_config():
    data = np.random.default_rng(1).normal(size=(8, 4)).astype("float32")
    run_layer_test(layers.Normalization, {"axis": -1}, input_data=data, expected_output_shape=(8, 4),
                   expected_num_non_trainable_weights=3, reference=lambda x, w: (x - w[0]) / np.sqrt(w[1]))


def test_bad_arguments_name_the_layer():
    with pytest.raises(ValueError, match="Normalization"):
        layers.Normalization(mean=1.0)
    with pytest.raises(ValueError, match="Normalization"):
        layers.Normalization(axis=3)(np.zeros((2, 2), "float32"))


def test_fixed_per_channel_statistics_on_a_leading_axis():
    # e.g. NCHW images normalised per channel (EfficientNetV2 with channels_first)
    layer = layers.Normalization(mean=[1.0, 2.0, 3.0], variance=[1.0, 4.0, 9.0], axis=1)
    out = backend.convert_to_numpy(layer(np.ones((2, 3, 4, 5), "float32")))
    np.testing.assert_allclose(out[0, :, 0, 0], [0.0, -0.5, -2 / 3], rtol=1e-6)
