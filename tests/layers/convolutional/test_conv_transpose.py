"""Conv1DTranspose/2D/3D against torch.nn.functional.conv_transpose* with the same weights."""

import numpy as np
import pytest

from brickwork import backend, layers
from tests.layers.convolutional import torch_reference as ref
from tests.layers.convolutional.conv_gradients import check_layer_gradients
from tests.layers.harness import run_layer_test

CASES = [
    (layers.Conv1DTranspose, {"filters": 3, "kernel_size": 3}, (2, 4, 2), (2, 6, 3)),
    (layers.Conv1DTranspose, {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same"}, (2, 4, 3), (2, 8, 2)),
    (layers.Conv1DTranspose, {"filters": 2, "kernel_size": 2, "strides": 3}, (2, 3, 2), (2, 9, 2)),
    (layers.Conv1DTranspose, {"filters": 2, "kernel_size": 3, "dilation_rate": 2, "padding": "same",
                              "data_format": "channels_first"}, (2, 3, 5), (2, 2, 5)),
    (layers.Conv2DTranspose, {"filters": 3, "kernel_size": 3, "strides": 2, "padding": "same"}, (2, 3, 4, 2),
     (2, 6, 8, 3)),
    (layers.Conv2DTranspose, {"filters": 2, "kernel_size": (2, 3), "strides": (2, 1)}, (1, 3, 3, 2), (1, 6, 5, 2)),
    (layers.Conv2DTranspose, {"filters": 2, "kernel_size": 3, "strides": 2, "output_padding": 1, "padding": "same",
                              "activation": "relu"}, (1, 3, 3, 2), (1, 6, 6, 2)),
    (layers.Conv2DTranspose, {"filters": 2, "kernel_size": 3, "strides": 2, "output_padding": (1, 0),
                              "data_format": "channels_first", "use_bias": False}, (1, 2, 3, 3), (1, 2, 8, 7)),
    (layers.Conv3DTranspose, {"filters": 2, "kernel_size": 2, "strides": 2}, (1, 2, 2, 3, 2), (1, 4, 4, 6, 2)),
    (layers.Conv3DTranspose, {"filters": 2, "kernel_size": 3, "padding": "same", "data_format": "channels_first"},
     (1, 2, 2, 3, 2), (1, 2, 2, 3, 2)),
]


def _reference(kwargs):
    def reference(x, weights):
        return ref.numpy_of(ref.conv_transpose)(
            x, weights[0], weights[1] if len(weights) > 1 else None, kwargs.get("strides", 1),
            kwargs.get("padding", "valid"), kwargs.get("output_padding"), kwargs.get("dilation_rate", 1),
            kwargs.get("data_format", "channels_last"), kwargs.get("activation"),
        )
    return reference


@pytest.mark.parametrize("layer_cls, kwargs, input_shape, output_shape", CASES,
                         ids=[f"{c.__name__}-{i}" for i, (c, *_) in enumerate(CASES)])
def test_conv_transpose_matches_torch(layer_cls, kwargs, input_shape, output_shape):
    layer, _ = run_layer_test(
        layer_cls, kwargs, input_shape=input_shape, expected_output_shape=output_shape,
        expected_num_trainable_weights=2 if kwargs.get("use_bias", True) else 1,
        reference=_reference(kwargs), rtol=1e-4, atol=1e-5,
    )
    channels = input_shape[-1] if kwargs.get("data_format", "channels_last") == "channels_last" else input_shape[1]
    assert layer.kernel.shape[-2:] == (kwargs["filters"], channels)


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_conv2d_transpose_gradients_match_torch_autograd(data_format):
    kwargs = {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same", "data_format": data_format}
    shape = (2, 3, 3, 2) if data_format == "channels_last" else (2, 2, 3, 3)
    check_layer_gradients(layers.Conv2DTranspose, kwargs, shape,
                          lambda x, k, b: ref.conv_transpose(x, k, b, 2, "same", data_format=data_format))


def test_symbolic_shape_and_aliases():
    assert layers.Conv2DTranspose(4, 3, strides=2, padding="same")(
        backend.KerasTensor((None, None, 5, 3))).shape == (None, None, 10, 4)
    assert layers.Convolution2DTranspose is layers.Conv2DTranspose
    assert layers.Convolution1DTranspose is layers.Conv1DTranspose
    assert layers.Convolution3DTranspose is layers.Conv3DTranspose
    config = layers.Conv2DTranspose(4, 3, output_padding=1, strides=2).get_config()
    assert config["output_padding"] == (1, 1) and "groups" not in config


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="`output_padding` must be strictly less than `strides`"):
        layers.Conv2DTranspose(2, 3, strides=2, output_padding=2)
    with pytest.raises(ValueError, match="filters"):
        layers.Conv1DTranspose(-1, 3)
    layer = layers.Conv1DTranspose(2, 3, name="up")
    layer(np.zeros((1, 4, 3), dtype="float32"))
    with pytest.raises(ValueError, match="up"):
        layer(np.zeros((1, 4, 2), dtype="float32"))
