"""SpatialDropout1D/2D/3D, GaussianDropout, GaussianNoise, AlphaDropout and ActivityRegularization:
identity at inference, the noise's distribution while training (against its formula), seeds, config, errors."""

import numpy as np
import pytest

from brickwork import backend, layers, models
from tests.conftest import requires_training
from tests.layers.harness import run_layer_test

SELU_ALPHA, SELU_SCALE = 1.6732632423543772, 1.0507009873554805

INFERENCE_CASES = [
    (layers.SpatialDropout1D, {"rate": 0.5}, (2, 3, 4)),
    (layers.SpatialDropout2D, {"rate": 0.5}, (2, 3, 3, 4)),
    (layers.SpatialDropout2D, {"rate": 0.5, "data_format": "channels_first"}, (2, 4, 3, 3)),
    (layers.SpatialDropout3D, {"rate": 0.5}, (1, 2, 2, 2, 3)),
    (layers.GaussianDropout, {"rate": 0.3}, (2, 5)),
    (layers.GaussianNoise, {"stddev": 0.3}, (2, 5)),
    (layers.AlphaDropout, {"rate": 0.3}, (2, 5)),
    (layers.AlphaDropout, {"rate": 0.3, "noise_shape": (None, 1)}, (2, 5)),
    (layers.ActivityRegularization, {"l1": 0.1, "l2": 0.2}, (2, 5)),
]


@pytest.mark.parametrize("layer_cls, kwargs, shape", INFERENCE_CASES,
                         ids=[f"{c.__name__}-{i}" for i, (c, *_) in enumerate(INFERENCE_CASES)])
def test_identity_at_inference(layer_cls, kwargs, shape):
    run_layer_test(layer_cls, kwargs, input_shape=shape, expected_output_shape=shape,
                   expected_num_trainable_weights=0, reference=lambda x, _: x)


@pytest.mark.parametrize("layer, shape, spatial_axes", [
    (lambda: layers.SpatialDropout1D(0.4, seed=1), (64, 6, 8), (1,)),
    (lambda: layers.SpatialDropout2D(0.4, seed=1), (32, 3, 4, 8), (1, 2)),
    (lambda: layers.SpatialDropout2D(0.4, data_format="channels_first", seed=1), (32, 8, 3, 4), (2, 3)),
    (lambda: layers.SpatialDropout3D(0.4, seed=1), (16, 2, 3, 2, 8), (1, 2, 3)),
])
def test_spatial_dropout_drops_whole_channels(layer, shape, spatial_axes):
    out = backend.convert_to_numpy(layer()(np.ones(shape, "float32"), training=True))
    assert np.all(np.isclose(out, 0.0) | np.isclose(out, 1 / 0.6))
    # Constant along the spatial axes: one keep/drop decision per (sample, channel).
    np.testing.assert_array_equal(out, np.broadcast_to(out.max(axis=spatial_axes, keepdims=True), shape))
    assert abs((out == 0).mean() - 0.4) < 0.1


def test_gaussian_dropout_noise_has_mean_one_and_the_dropout_variance():
    rate = 0.3
    out = backend.convert_to_numpy(layers.GaussianDropout(rate, seed=2)(np.full((200, 100), 2.0, "float32"),
                                                                        training=True))
    assert out.mean() == pytest.approx(2.0, abs=0.02)
    assert out.std() == pytest.approx(2.0 * np.sqrt(rate / (1 - rate)), rel=0.03)


def test_gaussian_noise_adds_zero_mean_noise_of_stddev():
    out = backend.convert_to_numpy(layers.GaussianNoise(0.5, seed=3)(np.zeros((200, 100), "float32"), training=True))
    assert out.mean() == pytest.approx(0.0, abs=0.01)
    assert out.std() == pytest.approx(0.5, rel=0.03)


def test_alpha_dropout_keeps_selu_statistics_and_uses_the_saturation_value():
    rate = 0.2
    x = np.random.default_rng(4).standard_normal((300, 100)).astype("float32")
    out = backend.convert_to_numpy(layers.AlphaDropout(rate, seed=4)(x, training=True))
    alpha_p = -SELU_ALPHA * SELU_SCALE
    a = ((1 - rate) * (1 + rate * alpha_p**2)) ** -0.5
    b = -a * alpha_p * rate
    dropped = np.isclose(out, a * alpha_p + b, atol=1e-6)
    assert abs(dropped.mean() - rate) < 0.02
    np.testing.assert_allclose(out[~dropped], a * x[~dropped] + b, rtol=1e-5, atol=1e-5)
    assert out.mean() == pytest.approx(0.0, abs=0.02) and out.var() == pytest.approx(1.0, abs=0.03)


@pytest.mark.parametrize("make", [lambda: layers.GaussianNoise(0.5, seed=7), lambda: layers.AlphaDropout(0.5, seed=7),
                                  lambda: layers.SpatialDropout1D(0.5, seed=7)])
def test_seeded_layers_repeat_and_calls_differ(make):
    x = np.ones((4, 3, 5), "float32")
    first, second = make(), make()
    a = backend.convert_to_numpy(first(x, training=True))
    np.testing.assert_array_equal(a, backend.convert_to_numpy(second(x, training=True)))
    assert not np.array_equal(a, backend.convert_to_numpy(first(x, training=True)))


def test_activity_regularization_adds_the_penalty():
    x = np.random.default_rng(5).standard_normal((3, 4)).astype("float32")
    layer = layers.ActivityRegularization(l1=0.1, l2=0.2)
    np.testing.assert_array_equal(backend.convert_to_numpy(layer(x)), x)
    (loss,) = layer.losses
    # Divided by the batch size, as Keras 3.15.1 does, so the penalty does not grow with the batch.
    expected = (0.1 * np.abs(x).sum() + 0.2 * (x**2).sum()) / len(x)
    assert float(backend.convert_to_numpy(loss)) == pytest.approx(expected, rel=1e-5)


def test_configs_have_keras_keys():
    assert set(layers.SpatialDropout1D(0.5).get_config()) == {"rate", "seed", "name", "dtype"}
    assert set(layers.SpatialDropout2D(0.5).get_config()) == {"rate", "seed", "name", "dtype", "data_format"}
    config = layers.ActivityRegularization(l1=0.1).get_config()
    assert "activity_regularizer" not in config and config["l1"] == 0.1 and config["l2"] == 0.0
    assert layers.AlphaDropout(0.1, noise_shape=(None, 1)).get_config()["noise_shape"] == (None, 1)


@pytest.mark.parametrize("make, match", [
    (lambda: layers.GaussianDropout(1.5), "rate"), (lambda: layers.GaussianNoise(-0.1), "stddev"),
    (lambda: layers.AlphaDropout(-0.5), "rate"), (lambda: layers.SpatialDropout1D(1.0), "rate"),
])
def test_bad_rates(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_spatial_dropout_checks_the_rank():
    with pytest.raises(ValueError, match="ndim=4"):
        layers.SpatialDropout2D(0.5)(np.ones((2, 3, 4), "float32"))


@requires_training
def test_noise_layers_train_inside_fit():
    rng = np.random.default_rng(6)
    x, y = rng.standard_normal((16, 6, 4)).astype("float32"), rng.standard_normal((16, 1)).astype("float32")
    model = models.Sequential([
        layers.Input((6, 4)), layers.SpatialDropout1D(0.2, seed=1), layers.GaussianNoise(0.1, seed=2),
        layers.GaussianDropout(0.1, seed=3), layers.AlphaDropout(0.1, seed=4), layers.ActivityRegularization(l2=1e-3),
        layers.Flatten(), layers.Dense(1),
    ])
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(x, y, batch_size=8, epochs=2, verbose=0)
    assert np.all(np.isfinite(history.history["loss"]))
