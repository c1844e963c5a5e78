"""DepthwiseConv1D/2D and SeparableConv1D/2D against grouped torch convolutions with the same weights."""

import numpy as np
import pytest

from brickwork import backend, layers
from tests.layers.convolutional import torch_reference as ref
from tests.layers.convolutional.conv_gradients import check_layer_gradients
from tests.layers.harness import run_layer_test

DEPTHWISE = [
    (layers.DepthwiseConv1D, {"kernel_size": 3, "depth_multiplier": 2}, (2, 6, 3), (2, 4, 6)),
    (layers.DepthwiseConv1D, {"kernel_size": 2, "strides": 2, "padding": "same", "data_format": "channels_first"},
     (2, 3, 5), (2, 3, 3)),
    (layers.DepthwiseConv2D, {"kernel_size": 3}, (2, 5, 5, 2), (2, 3, 3, 2)),
    (layers.DepthwiseConv2D, {"kernel_size": (2, 3), "depth_multiplier": 3, "dilation_rate": 2, "padding": "same",
                              "activation": "relu"}, (1, 5, 6, 2), (1, 5, 6, 6)),
    (layers.DepthwiseConv2D, {"kernel_size": 2, "strides": 2, "depth_multiplier": 2, "use_bias": False,
                              "data_format": "channels_first"}, (1, 2, 4, 5), (1, 4, 2, 2)),
]
SEPARABLE = [
    (layers.SeparableConv1D, {"filters": 4, "kernel_size": 3}, (2, 6, 3), (2, 4, 4)),
    (layers.SeparableConv1D, {"filters": 2, "kernel_size": 3, "depth_multiplier": 2, "strides": 2, "padding": "same",
                              "data_format": "channels_first"}, (2, 3, 7), (2, 2, 4)),
    (layers.SeparableConv2D, {"filters": 4, "kernel_size": 3, "activation": "tanh"}, (2, 5, 5, 2), (2, 3, 3, 4)),
    (layers.SeparableConv2D, {"filters": 3, "kernel_size": 2, "depth_multiplier": 2, "dilation_rate": 2,
                              "use_bias": False}, (1, 5, 5, 2), (1, 3, 3, 3)),
]


def _options(kwargs):
    return (kwargs.get("strides", 1), kwargs.get("padding", "valid"), kwargs.get("dilation_rate", 1),
            kwargs.get("data_format", "channels_last"), kwargs.get("activation"))


@pytest.mark.parametrize("layer_cls, kwargs, input_shape, output_shape", DEPTHWISE,
                         ids=[f"{c.__name__}-{i}" for i, (c, *_) in enumerate(DEPTHWISE)])
def test_depthwise_matches_torch(layer_cls, kwargs, input_shape, output_shape):
    def reference(x, w):
        return ref.numpy_of(ref.depthwise_conv)(x, w[0], w[1] if len(w) > 1 else None, *_options(kwargs))

    layer, _ = run_layer_test(layer_cls, kwargs, input_shape=input_shape, expected_output_shape=output_shape,
                              reference=reference, rtol=1e-4, atol=1e-5)
    channels = input_shape[-1] if kwargs.get("data_format", "channels_last") == "channels_last" else input_shape[1]
    assert layer.kernel.shape[-2:] == (channels, kwargs.get("depth_multiplier", 1))
    assert [w.path.split("/")[-1] for w in layer.weights] == ["kernel", "bias"][: len(layer.weights)]


@pytest.mark.parametrize("layer_cls, kwargs, input_shape, output_shape", SEPARABLE,
                         ids=[f"{c.__name__}-{i}" for i, (c, *_) in enumerate(SEPARABLE)])
def test_separable_matches_torch(layer_cls, kwargs, input_shape, output_shape):
    def reference(x, w):
        return ref.numpy_of(ref.separable_conv)(x, w[0], w[1], w[2] if len(w) > 2 else None, *_options(kwargs))

    layer, _ = run_layer_test(layer_cls, kwargs, input_shape=input_shape, expected_output_shape=output_shape,
                              reference=reference, rtol=1e-4, atol=1e-5)
    assert [w.path.split("/")[-1] for w in layer.weights] == (
        ["depthwise_kernel", "pointwise_kernel", "bias"][: len(layer.weights)])


def test_depthwise_gradients_match_torch_autograd():
    kwargs = {"kernel_size": 2, "depth_multiplier": 2, "padding": "same", "data_format": "channels_first"}
    check_layer_gradients(layers.DepthwiseConv2D, kwargs, (2, 2, 4, 3),
                          lambda x, k, b: ref.depthwise_conv(x, k, b, 1, "same", data_format="channels_first"))


def test_separable_gradients_match_torch_autograd():
    kwargs = {"filters": 2, "kernel_size": 3, "strides": 2, "depth_multiplier": 2}
    check_layer_gradients(layers.SeparableConv1D, kwargs, (2, 7, 3),
                          lambda x, dk, pk, b: ref.separable_conv(x, dk, pk, b, 2))


def test_symbolic_shapes_aliases_and_config_keys():
    assert layers.DepthwiseConv2D(3, depth_multiplier=2, padding="same")(
        backend.KerasTensor((None, None, 6, 3))).shape == (None, None, 6, 6)
    assert layers.SeparableConv2D(5, 3)(backend.KerasTensor((None, 6, None, 3))).shape == (None, 4, None, 5)
    assert layers.SeparableConvolution1D is layers.SeparableConv1D
    assert layers.SeparableConvolution2D is layers.SeparableConv2D
    depthwise = layers.DepthwiseConv2D(3).get_config()
    assert {"depth_multiplier", "depthwise_initializer", "depthwise_regularizer", "depthwise_constraint"} <= set(
        depthwise)
    assert "filters" not in depthwise and "kernel_initializer" not in depthwise
    separable = layers.SeparableConv2D(4, 3).get_config()
    assert {"pointwise_initializer", "pointwise_regularizer", "pointwise_constraint", "filters"} <= set(separable)


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="depth_multiplier"):
        layers.DepthwiseConv2D(3, depth_multiplier=0)
    with pytest.raises(ValueError, match="filters"):
        layers.SeparableConv2D(0, 3)
    with pytest.raises(ValueError, match="ndim=4"):
        layers.DepthwiseConv2D(3)(np.zeros((1, 5, 5), dtype="float32"))
