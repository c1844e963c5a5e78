"""Conv1D/2D/3D against torch.nn.functional with the same weights: values, shapes, config, gradients."""

import numpy as np
import pytest

from brickwork import backend, layers
from tests.layers.convolutional import torch_reference as ref
from tests.layers.convolutional.conv_gradients import check_layer_gradients
from tests.layers.harness import run_layer_test

CASES = [
    # (layer class, init kwargs, input shape, expected output shape)
    (layers.Conv1D, {"filters": 4, "kernel_size": 3}, (2, 7, 3), (2, 5, 4)),
    (layers.Conv1D, {"filters": 2, "kernel_size": 4, "strides": 2, "padding": "same"}, (2, 7, 3), (2, 4, 2)),
    (layers.Conv1D, {"filters": 3, "kernel_size": 3, "padding": "causal", "dilation_rate": 2}, (2, 6, 2), (2, 6, 3)),
    (layers.Conv1D, {"filters": 3, "kernel_size": 2, "padding": "causal", "data_format": "channels_first"},
     (2, 2, 5), (2, 3, 5)),
    (layers.Conv1D, {"filters": 4, "kernel_size": 3, "data_format": "channels_first", "activation": "relu"},
     (2, 3, 6), (2, 4, 4)),
    (layers.Conv2D, {"filters": 4, "kernel_size": 3}, (2, 5, 6, 3), (2, 3, 4, 4)),
    (layers.Conv2D, {"filters": 2, "kernel_size": (3, 2), "strides": 2, "padding": "same"}, (2, 6, 5, 3), (2, 3, 3, 2)),
    (layers.Conv2D, {"filters": 2, "kernel_size": 3, "dilation_rate": 2, "padding": "same"}, (1, 6, 6, 2),
     (1, 6, 6, 2)),
    (layers.Conv2D, {"filters": 6, "kernel_size": 2, "groups": 2, "use_bias": False, "activation": "tanh"},
     (2, 4, 4, 4), (2, 3, 3, 6)),
    (layers.Conv2D, {"filters": 3, "kernel_size": 3, "strides": (2, 1), "padding": "same",
                     "data_format": "channels_first"}, (2, 2, 5, 4), (2, 3, 3, 4)),
    (layers.Conv3D, {"filters": 2, "kernel_size": 2}, (1, 3, 4, 3, 2), (1, 2, 3, 2, 2)),
    (layers.Conv3D, {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same", "data_format": "channels_first"},
     (1, 2, 4, 5, 3), (1, 2, 2, 3, 2)),
]


def _reference(kwargs):
    def reference(x, weights):
        bias = weights[1] if len(weights) > 1 else None
        return ref.numpy_of(ref.conv)(
            x, weights[0], bias, kwargs.get("strides", 1), kwargs.get("padding", "valid"),
            kwargs.get("dilation_rate", 1), kwargs.get("data_format", "channels_last"), kwargs.get("activation"),
        )
    return reference


@pytest.mark.parametrize("layer_cls, kwargs, input_shape, output_shape", CASES,
                         ids=[f"{c.__name__}-{i}" for i, (c, *_) in enumerate(CASES)])
def test_conv_matches_torch(layer_cls, kwargs, input_shape, output_shape):
    layer, _ = run_layer_test(
        layer_cls, kwargs, input_shape=input_shape, expected_output_shape=output_shape,
        expected_num_trainable_weights=2 if kwargs.get("use_bias", True) else 1,
        reference=_reference(kwargs), rtol=1e-4, atol=1e-5,
    )
    channels = input_shape[-1] if kwargs.get("data_format", "channels_last") == "channels_last" else input_shape[1]
    rank = len(input_shape) - 2
    kernel_size = kwargs["kernel_size"]
    kernel_size = (kernel_size,) * rank if isinstance(kernel_size, int) else kernel_size
    assert layer.kernel.shape == tuple(kernel_size) + (channels // kwargs.get("groups", 1), kwargs["filters"])
    assert [w.path.split("/")[-1] for w in layer.weights] == (["kernel", "bias"][: len(layer.weights)])


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_conv2d_gradients_match_torch_autograd(data_format):
    kwargs = {"filters": 3, "kernel_size": 2, "strides": 2, "padding": "same", "data_format": data_format}
    check_layer_gradients(layers.Conv2D, kwargs, (2, 5, 5, 2) if data_format == "channels_last" else (2, 2, 5, 5),
                          lambda x, k, b: ref.conv(x, k, b, 2, "same", 1, data_format))


def test_conv1d_causal_gradients_match_torch_autograd():
    kwargs = {"filters": 2, "kernel_size": 3, "padding": "causal", "dilation_rate": 2}
    check_layer_gradients(layers.Conv1D, kwargs, (2, 6, 3), lambda x, k, b: ref.conv(x, k, b, 1, "causal", 2))


def test_conv3d_gradients_match_torch_autograd():
    kwargs = {"filters": 2, "kernel_size": 2, "groups": 2}
    check_layer_gradients(layers.Conv3D, kwargs, (1, 3, 3, 3, 2), lambda x, k, b: ref.conv(x, k, b))


def test_causal_output_depends_only_on_the_past():
    layer = layers.Conv1D(1, 3, padding="causal", kernel_initializer="ones")
    x = np.zeros((1, 6, 1), dtype="float32")
    x[0, 3, 0] = 1.0
    out = backend.convert_to_numpy(layer(x))[0, :, 0]
    np.testing.assert_allclose(out, [0, 0, 0, 1, 1, 1])


def test_symbolic_shapes_with_unknown_spatial_sizes():
    x = backend.KerasTensor((None, None, 7, 3))
    y = layers.Conv2D(4, 3, strides=2, padding="same")(x)
    assert y.shape == (None, None, 4, 4) and y.dtype == "float32"
    assert layers.Conv1D(2, 3, padding="causal")(backend.KerasTensor((None, None, 3))).shape == (None, None, 2)


def test_aliases_and_keras_config_keys():
    assert layers.Convolution1D is layers.Conv1D and layers.Convolution2D is layers.Conv2D
    assert layers.Convolution3D is layers.Conv3D
    config = layers.Conv2D(4, 3, activation="relu").get_config()
    assert set(config) == {
        "name", "trainable", "dtype", "filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate",
        "groups", "activation", "use_bias", "kernel_initializer", "bias_initializer", "kernel_regularizer",
        "bias_regularizer", "activity_regularizer", "kernel_constraint", "bias_constraint",
    }
    assert config["kernel_size"] == (3, 3) and config["strides"] == (1, 1) and config["activation"] == "relu"
    # A config as Keras writes it (lists from JSON) builds the same layer.
    clone = layers.Conv2D.from_config({**config, "kernel_size": [3, 3], "strides": [1, 1], "dilation_rate": [1, 1]})
    assert clone.get_config() == {**config, "name": clone.name}


@pytest.mark.parametrize("kwargs, match", [
    ({"filters": 0, "kernel_size": 3}, "filters"),
    ({"filters": 4, "kernel_size": 0}, "kernel_size"),
    ({"filters": 4, "kernel_size": 3, "padding": "causal"}, "padding"),
    ({"filters": 4, "kernel_size": 3, "strides": 2, "dilation_rate": 2}, "dilation_rate"),
    ({"filters": 5, "kernel_size": 3, "groups": 2}, "groups"),
])
def test_bad_arguments_are_named(kwargs, match):
    with pytest.raises(ValueError, match=match):
        layers.Conv2D(**kwargs)


def test_bad_inputs_name_the_layer():
    with pytest.raises(ValueError, match="conv"):
        layers.Conv2D(2, 3, groups=2, name="conv")(np.zeros((1, 4, 4, 3), dtype="float32"))
    with pytest.raises(ValueError, match="too small"):
        layers.Conv2D(2, 5)(np.zeros((1, 4, 4, 3), dtype="float32"))
    layer = layers.Conv2D(2, 3, name="c2")
    layer(np.zeros((1, 4, 4, 3), dtype="float32"))
    with pytest.raises(ValueError, match="c2"):
        layer(np.zeros((1, 4, 4, 5), dtype="float32"))
