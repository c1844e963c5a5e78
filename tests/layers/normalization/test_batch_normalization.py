"""BatchNormalization against torch.nn.functional.batch_norm and NumPy: inference, training, moving statistics,
masks, renorm, gradients, frozen layers, stateless scopes, symbolic shapes and config."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from brickwork import backend, initializers, layers, models
from tests.conftest import requires_training
from tests.layers.harness import run_layer_test
from tests.layers.normalization.layer_gradients import check_layer_gradients

RANDOM_STATS = {
    "gamma_initializer": initializers.RandomUniform(0.5, 1.5),
    "beta_initializer": "random_normal",
    "moving_mean_initializer": "random_normal",
    "moving_variance_initializer": initializers.RandomUniform(0.5, 2.0),
}


def _numpy_inference(x, gamma, beta, mean, variance, axis, epsilon=1e-3):
    shape = [1] * x.ndim
    shape[axis] = -1
    return (x - mean.reshape(shape)) / np.sqrt(variance.reshape(shape) + epsilon) * gamma.reshape(shape) \
        + beta.reshape(shape)


def _torch_training(x, gamma, beta, axis, epsilon=1e-3):
    """Batch statistics normalization by torch; channels moved to dim 1 and back."""
    t = torch.tensor(np.asarray(x, dtype=np.float64)).movedim(axis, 1)
    out = F.batch_norm(t, None, None, torch.tensor(np.float64(gamma)), torch.tensor(np.float64(beta)),
                       training=True, eps=epsilon)
    return out.movedim(1, axis).numpy()


@pytest.mark.parametrize("shape, axis", [((4, 3), -1), ((2, 5, 3), -1), ((2, 3, 4, 4), 1), ((2, 4, 3, 2), 2)])
def test_inference_uses_moving_statistics(shape, axis):
    run_layer_test(
        layers.BatchNormalization, {"axis": axis, **RANDOM_STATS}, input_shape=shape, expected_output_shape=shape,
        expected_num_trainable_weights=2, expected_num_non_trainable_weights=2,
        reference=lambda x, w: _numpy_inference(x, *w, axis=axis),
    )


@pytest.mark.parametrize("shape, axis", [((6, 3), -1), ((2, 5, 3), -1), ((2, 3, 4, 4), 1)])
def test_training_matches_torch_and_updates_moving_statistics(shape, axis):
    rng = np.random.default_rng(0)
    layer = layers.BatchNormalization(axis=axis, momentum=0.8, **RANDOM_STATS)
    mean, variance = None, None
    for step in range(2):
        x = (rng.standard_normal(shape) * 3 + 1).astype("float32")
        # Copies: on torch, get_weights() arrays share memory with the variables.
        gamma, beta, moving_mean, moving_variance = [np.array(w) for w in layer.get_weights()] if step else [None] * 4
        out = backend.convert_to_numpy(layer(x, training=True))
        gamma, beta, new_mean, new_variance = layer.get_weights()
        np.testing.assert_allclose(out, _torch_training(x, gamma, beta, axis), rtol=1e-4, atol=1e-5)
        axes = tuple(i for i in range(len(shape)) if i != axis % len(shape))
        if step:
            # moving = moving * momentum + batch * (1 - momentum), with the biased batch variance.
            np.testing.assert_allclose(new_mean, moving_mean * 0.8 + x.mean(axes) * 0.2, rtol=1e-5, atol=1e-6)
            np.testing.assert_allclose(new_variance, moving_variance * 0.8 + x.var(axes) * 0.2, rtol=1e-5)
        mean, variance = new_mean, new_variance
    # Inference afterwards uses exactly those statistics.
    x = rng.standard_normal(shape).astype("float32")
    np.testing.assert_allclose(backend.convert_to_numpy(layer(x)),
                               _numpy_inference(x, gamma, beta, mean, variance, axis), rtol=1e-5, atol=1e-5)


def test_masked_steps_are_left_out_of_the_statistics():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((3, 5, 2)).astype("float32") * 2 + 1
    mask = rng.random((3, 5)) > 0.4
    layer = layers.BatchNormalization(momentum=0.0)
    layer(x, training=True, mask=mask)
    kept = x[mask]
    np.testing.assert_allclose(layer.moving_mean.numpy(), kept.mean(0), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(layer.moving_variance.numpy(), kept.var(0), rtol=1e-4, atol=1e-6)


def test_mask_of_the_wrong_rank_is_an_error_naming_the_layer():
    layer = layers.BatchNormalization(name="bn")
    with pytest.raises(ValueError, match="bn.*mask"):
        layer(np.ones((2, 3, 4), "float32"), training=True, mask=np.ones((2, 3, 4), bool))


def test_a_frozen_layer_runs_in_inference_mode():
    layer = layers.BatchNormalization(**RANDOM_STATS)
    x = np.random.default_rng(2).standard_normal((4, 3)).astype("float32")
    layer.build(x.shape)
    before = [np.array(w) for w in layer.get_weights()]
    layer.trainable = False
    out = backend.convert_to_numpy(layer(x, training=True))
    np.testing.assert_allclose(out, _numpy_inference(x, *before, axis=-1), rtol=1e-5, atol=1e-5)
    for a, b in zip(layer.get_weights(), before):
        np.testing.assert_array_equal(a, b)
    assert layer.trainable_weights == [] and len(layer.non_trainable_weights) == 4


def test_updates_inside_a_stateless_scope_are_recorded_not_applied():
    layer = layers.BatchNormalization(momentum=0.5)
    x = np.random.default_rng(3).standard_normal((8, 2)).astype("float32") + 4
    layer.build(x.shape)
    with backend.StatelessScope() as scope:
        layer(x, training=True)
    np.testing.assert_array_equal(layer.moving_mean.numpy(), np.zeros(2, "float32"))
    recorded = backend.convert_to_numpy(scope.get_current_value(layer.moving_mean))
    np.testing.assert_allclose(recorded, 0.5 * x.mean(0), rtol=1e-5)


def test_renorm_first_step_matches_the_formula():
    rng = np.random.default_rng(4)
    x = (rng.standard_normal((16, 3)) * 2 + 3).astype("float32")
    clipping = {"rmin": 0.5, "rmax": 1.5, "dmax": 1.0}
    layer = layers.BatchNormalization(momentum=0.9, renorm=True, renorm_clipping=clipping, renorm_momentum=0.7,
                                      gamma_initializer=initializers.Constant(2.0), beta_initializer="ones")
    out = backend.convert_to_numpy(layer(x, training=True))
    assert [w.path.split("/")[-1] for w in layer.weights] == [
        "gamma", "beta", "moving_mean", "moving_variance", "moving_stddev", "renorm_mean", "renorm_stddev"]
    eps = 1e-3
    mean, variance = x.mean(0), x.var(0)
    stddev = np.sqrt(variance + eps)
    r = np.clip(stddev / 1.0, 0.5, 1.5)  # renorm statistics start at mean 0, stddev 1
    d = np.clip(mean / 1.0, -1.0, 1.0)
    expected = (x - mean) / stddev * (r * 2.0) + (d * 2.0 + 1.0)
    np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(layer.renorm_mean.numpy(), 0.3 * mean, rtol=1e-5)
    np.testing.assert_allclose(layer.renorm_stddev.numpy(), 0.7 + 0.3 * stddev, rtol=1e-5)
    moving_stddev = 0.9 + 0.1 * stddev
    np.testing.assert_allclose(layer.moving_stddev.numpy(), moving_stddev, rtol=1e-5)
    np.testing.assert_allclose(layer.moving_variance.numpy(), moving_stddev**2 - eps, rtol=1e-5)
    np.testing.assert_allclose(layer.moving_mean.numpy(), 0.1 * mean, rtol=1e-5)


@pytest.mark.parametrize("clipping", [{"rmax": 0.5, "rmin": 1.0}, {"dmax": -1.0}, {"nope": 1.0}])
def test_bad_renorm_clipping(clipping):
    with pytest.raises(ValueError, match="renorm_clipping"):
        layers.BatchNormalization(renorm=True, renorm_clipping=clipping)


@pytest.mark.parametrize("training", [True, False])
def test_gradients_match_torch(training):
    rng = np.random.default_rng(5)
    x = rng.standard_normal((5, 3)) * 2 + 1
    layer = layers.BatchNormalization(dtype="float64", **RANDOM_STATS)
    layer.build(x.shape)
    _, _, moving_mean, moving_variance = layer.get_weights()

    def reference(x, gamma, beta):
        mean = None if training else torch.tensor(moving_mean)
        var = None if training else torch.tensor(moving_variance)
        return F.batch_norm(x, mean, var, gamma, beta, training=training, eps=1e-3)

    check_layer_gradients(layer, x, reference, call_kwargs={"training": training})


def test_symbolic_shapes_with_unknown_dims():
    inputs = layers.Input((None, 3))
    outputs = layers.BatchNormalization()(inputs)
    assert outputs.shape == (None, None, 3) and outputs.dtype == "float32"
    with pytest.raises(ValueError, match="axis 1"):
        layers.BatchNormalization(axis=1)(layers.Input((None, 3)))


def test_half_precision_inputs_are_normalized_in_float32_and_returned_in_the_compute_dtype():
    layer = layers.BatchNormalization(dtype="float16")
    x = np.random.default_rng(6).standard_normal((8, 3)).astype("float16") * 100
    out = layer(x, training=True)
    assert backend.standardize_dtype(out.dtype) == "float16"
    assert np.all(np.isfinite(backend.convert_to_numpy(out).astype("float32")))


def test_config_has_keras_keys_and_loads_a_keras_config():
    import json
    import zipfile

    with zipfile.ZipFile("/work/shared/interop/sequential_mlp.keras") as archive:
        config = json.loads(archive.read("config.json"))
    keras_config = next(layer["config"] for layer in config["config"]["layers"]
                        if layer["class_name"] == "BatchNormalization")
    layer = layers.BatchNormalization.from_config(keras_config)
    assert set(layer.get_config()) == set(keras_config)
    assert layer.get_config()["momentum"] == keras_config["momentum"]


@requires_training
def test_fit_updates_the_moving_statistics():
    rng = np.random.default_rng(7)
    x = (rng.standard_normal((32, 4)) * 3 + 5).astype("float32")
    y = rng.standard_normal((32, 1)).astype("float32")
    model = models.Sequential([layers.Input((4,)), layers.BatchNormalization(momentum=0.5), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, y, batch_size=32, epochs=3, verbose=0)
    bn = model.layers[0]
    # After three updates with momentum 0.5 from 0: mean * (1 - 0.5**3).
    np.testing.assert_allclose(bn.moving_mean.numpy(), x.mean(0) * 0.875, rtol=1e-4)
