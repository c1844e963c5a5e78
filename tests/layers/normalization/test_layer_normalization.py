"""LayerNormalization against torch.nn.functional.layer_norm and NumPy: axes, center/scale, rms_scaling,
gradients, symbolic shapes and config."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from brickwork import initializers, layers
from tests.layers.harness import run_layer_test
from tests.layers.normalization.layer_gradients import check_layer_gradients

RANDOM_AFFINE = {"gamma_initializer": initializers.RandomUniform(0.5, 1.5), "beta_initializer": "random_normal"}


def _numpy_layer_norm(x, gamma, beta, axes, epsilon=1e-3):
    axes = tuple(a % x.ndim for a in axes)
    shape = [x.shape[a] if a in axes else 1 for a in range(x.ndim)]
    mean = x.mean(axes, keepdims=True)
    variance = x.var(axes, keepdims=True)
    out = (x - mean) / np.sqrt(variance + epsilon)
    if gamma is not None:
        out = out * gamma.reshape(shape)
    return out if beta is None else out + beta.reshape(shape)


@pytest.mark.parametrize("shape", [(4, 5), (2, 3, 6)])
def test_last_axis_matches_torch_layer_norm(shape):
    def reference(x, weights):
        gamma, beta = (torch.tensor(w.astype("float64")) for w in weights)
        return F.layer_norm(torch.tensor(x.astype("float64")), shape[-1:], gamma, beta, 1e-3).numpy()

    layer, _ = run_layer_test(layers.LayerNormalization, RANDOM_AFFINE, input_shape=shape, expected_output_shape=shape,
                              expected_num_trainable_weights=2, reference=reference, rtol=1e-5, atol=1e-5)
    assert [w.path.split("/")[-1] for w in layer.weights] == ["gamma", "beta"]


@pytest.mark.parametrize("kwargs, shape", [
    ({"axis": [1, 2]}, (2, 3, 4)),
    ({"axis": [-2, -1]}, (2, 3, 4)),
    ({"axis": 1}, (2, 3, 4)),
    ({"axis": [1, 3]}, (2, 3, 2, 4)),
    ({"axis": -1, "center": False}, (3, 4)),
    ({"axis": -1, "scale": False, "epsilon": 0.1}, (3, 4)),
])
def test_axes_and_options_match_numpy(kwargs, shape):
    axes = kwargs["axis"] if isinstance(kwargs["axis"], list) else [kwargs["axis"]]
    center, scale = kwargs.get("center", True), kwargs.get("scale", True)

    def reference(x, weights):
        weights = list(weights)
        gamma = weights.pop(0) if scale else None
        beta = weights.pop(0) if center else None
        return _numpy_layer_norm(x, gamma, beta, axes, kwargs.get("epsilon", 1e-3))

    run_layer_test(layers.LayerNormalization, {**kwargs, **RANDOM_AFFINE}, input_shape=shape,
                   expected_output_shape=shape, expected_num_trainable_weights=int(center) + int(scale),
                   reference=reference, rtol=1e-5, atol=1e-5)


def test_rms_scaling_follows_keras():
    # Keras 3's rms_scaling: x * rsqrt(var(x) + epsilon) * gamma, no beta and no centering.
    def reference(x, weights):
        return x / np.sqrt(x.var(-1, keepdims=True) + 1e-3) * weights[0]

    layer, _ = run_layer_test(layers.LayerNormalization, {"rms_scaling": True, **RANDOM_AFFINE}, input_shape=(3, 5),
                              expected_output_shape=(3, 5), expected_num_trainable_weights=1, reference=reference)
    assert layer.beta is None


@pytest.mark.parametrize("axis", [-1, [1, 2]])
def test_gradients_match_torch(axis):
    x = np.random.default_rng(0).standard_normal((2, 3, 4))
    layer = layers.LayerNormalization(axis=axis, dtype="float64", **RANDOM_AFFINE)
    layer.build(x.shape)
    shape = (4,) if axis == -1 else (3, 4)
    check_layer_gradients(layer, x, lambda x, gamma, beta: F.layer_norm(x, shape, gamma, beta, 1e-3))


def test_symbolic_unknown_dims_and_bad_axis():
    inputs = layers.Input((None, 4))
    assert layers.LayerNormalization()(inputs).shape == (None, None, 4)
    with pytest.raises(ValueError, match="axis 3"):
        layers.LayerNormalization(axis=3)(layers.Input((2, 4)))
    with pytest.raises(TypeError, match="axis"):
        layers.LayerNormalization(axis="last")


def test_config_keys_match_keras():
    keras_keys = {"name", "trainable", "dtype", "axis", "epsilon", "center", "scale", "rms_scaling",
                  "beta_initializer", "gamma_initializer", "beta_regularizer", "gamma_regularizer",
                  "beta_constraint", "gamma_constraint"}
    layer = layers.LayerNormalization()
    layer(np.ones((1, 3), "float32"))
    config = layer.get_config()
    assert set(config) == keras_keys and config["axis"] == [-1] and config["epsilon"] == 1e-3
