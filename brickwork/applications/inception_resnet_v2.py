"""InceptionResNetV2 (Szegedy et al., 2016): inception blocks with scaled residual connections."""

from __future__ import annotations

from brickwork import layers
from brickwork.applications import _base, imagenet_utils
from brickwork.applications._weights import KERAS_ORIGIN
from brickwork.layers.layer import Layer
from brickwork.models.functional import Functional

BASE_WEIGHT_URL = KERAS_ORIGIN + "inception_resnet_v2/"
# include_top -> (file name, MD5) of Keras's published weights
WEIGHT_FILES = {
    True: ("inception_resnet_v2_weights_tf_dim_ordering_tf_kernels.h5", "e693bd0210a403b3192acc6073ad2e96"),
    False: ("inception_resnet_v2_weights_tf_dim_ordering_tf_kernels_notop.h5", "d19885ff4a710c122648d3b5c3b684e4"),
}


class CustomScaleLayer(Layer):
    """``inputs[0] + scale * inputs[1]``: a residual connection with a scaled branch."""

    def __init__(self, scale: float, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale

    def get_config(self) -> dict:
        return {**super().get_config(), "scale": self.scale}

    def call(self, inputs):
        return inputs[0] + inputs[1] * self.scale


def conv2d_bn(x, filters: int, kernel_size, strides=1, padding: str = "same", activation="relu",
              use_bias: bool = False, name: str | None = None):
    """Convolution; batch normalization (no scale) unless it has a bias; then ``activation``."""
    x = layers.Conv2D(filters, kernel_size, strides=strides, padding=padding, use_bias=use_bias, name=name)(x)
    if not use_bias:
        x = layers.BatchNormalization(axis=_base.channel_axis(), scale=False,
                                      name=None if name is None else f"{name}_bn")(x)
    if activation is not None:
        x = layers.Activation(activation, name=None if name is None else f"{name}_ac")(x)
    return x


def inception_resnet_block(x, scale: float, block_type: str, block_idx: int, activation="relu"):
    """An Inception-ResNet block (``"block35"``, ``"block17"`` or ``"block8"``): branches concatenated, a
    linear 1x1 convolution back to the input's channels, added to the input with weight ``scale``."""
    if block_type == "block35":
        branches = [conv2d_bn(x, 32, 1), conv2d_bn(conv2d_bn(x, 32, 1), 32, 3),
                    conv2d_bn(conv2d_bn(conv2d_bn(x, 32, 1), 48, 3), 64, 3)]
    elif block_type == "block17":
        branches = [conv2d_bn(x, 192, 1), conv2d_bn(conv2d_bn(conv2d_bn(x, 128, 1), 160, [1, 7]), 192, [7, 1])]
    elif block_type == "block8":
        branches = [conv2d_bn(x, 192, 1), conv2d_bn(conv2d_bn(conv2d_bn(x, 192, 1), 224, [1, 3]), 256, [3, 1])]
    else:
        raise ValueError('Unknown Inception-ResNet block type. Expects "block35", "block17" or "block8", '
                         f"but got: {block_type}")
    block_name = f"{block_type}_{block_idx}"
    axis = _base.channel_axis()
    mixed = layers.Concatenate(axis=axis, name=f"{block_name}_mixed")(branches)
    up = conv2d_bn(mixed, x.shape[axis], 1, activation=None, use_bias=True, name=f"{block_name}_conv")
    x = CustomScaleLayer(scale)([x, up])
    if activation is not None:
        x = layers.Activation(activation, name=f"{block_name}_ac")(x)
    return x


def InceptionResNetV2(include_top: bool = True, weights="imagenet", input_tensor=None,
                      input_shape: tuple | None = None, pooling: str | None = None, classes: int = 1000,
                      classifier_activation="softmax", name: str = "inception_resnet_v2") -> Functional:
    """InceptionResNetV2 (default input 299x299).

    Args:
        include_top: whether to end with global average pooling and a ``classes``-way dense layer.
        weights: None (random initialisation), ``"imagenet"`` (Keras's published weights, downloaded
            once into ``~/.brickwork/models``) or the path of a weights file.
        input_tensor: an optional tensor (e.g. ``keras.Input``) to use as the model's input.
        input_shape: the shape of one image (height and width at least 75; None allowed without the top).
        pooling: without the top, ``None`` (4D feature maps), ``"avg"`` or ``"max"``.
        classes: the number of classes (1000 with ImageNet weights and the top).
        classifier_activation: the activation of the last layer (``None`` gives logits).
        name: the model's name.

    Returns:
        A Functional model. Scale its inputs with ``keras.applications.inception_resnet_v2.preprocess_input``.

    Example:
        >>> model = keras.applications.InceptionResNetV2(weights=None, include_top=False, pooling="avg",
        ...                                              input_shape=(75, 75, 3))
        >>> model.output_shape
        (None, 1536)
    """
    _base.check_weights(weights, include_top, classes)
    img_input = _base.input_for(input_tensor, input_shape, default_size=299, min_size=75, include_top=include_top,
                                weights=weights)
    axis = _base.channel_axis()
    x = conv2d_bn(img_input, 32, 3, strides=2, padding="valid")
    x = conv2d_bn(x, 32, 3, padding="valid")
    x = conv2d_bn(x, 64, 3)
    x = layers.MaxPooling2D(3, strides=2)(x)
    x = conv2d_bn(x, 80, 1, padding="valid")
    x = conv2d_bn(x, 192, 3, padding="valid")
    x = layers.MaxPooling2D(3, strides=2)(x)
    branches = [conv2d_bn(x, 96, 1), conv2d_bn(conv2d_bn(x, 48, 1), 64, 5),
                conv2d_bn(conv2d_bn(conv2d_bn(x, 64, 1), 96, 3), 96, 3)]
    branches.append(conv2d_bn(layers.AveragePooling2D(3, strides=1, padding="same")(x), 64, 1))
    x = layers.Concatenate(axis=axis, name="mixed_5b")(branches)
    for block_idx in range(1, 11):
        x = inception_resnet_block(x, scale=0.17, block_type="block35", block_idx=block_idx)
    branches = [conv2d_bn(x, 384, 3, strides=2, padding="valid"),
                conv2d_bn(conv2d_bn(conv2d_bn(x, 256, 1), 256, 3), 384, 3, strides=2, padding="valid"),
                layers.MaxPooling2D(3, strides=2, padding="valid")(x)]
    x = layers.Concatenate(axis=axis, name="mixed_6a")(branches)
    for block_idx in range(1, 21):
        x = inception_resnet_block(x, scale=0.1, block_type="block17", block_idx=block_idx)
    branches = [conv2d_bn(conv2d_bn(x, 256, 1), 384, 3, strides=2, padding="valid"),
                conv2d_bn(conv2d_bn(x, 256, 1), 288, 3, strides=2, padding="valid"),
                conv2d_bn(conv2d_bn(conv2d_bn(x, 256, 1), 288, 3), 320, 3, strides=2, padding="valid"),
                layers.MaxPooling2D(3, strides=2, padding="valid")(x)]
    x = layers.Concatenate(axis=axis, name="mixed_7a")(branches)
    for block_idx in range(1, 10):
        x = inception_resnet_block(x, scale=0.2, block_type="block8", block_idx=block_idx)
    x = inception_resnet_block(x, scale=1.0, activation=None, block_type="block8", block_idx=10)
    x = conv2d_bn(x, 1536, 1, name="conv_7b")
    x = _base.pooled_top(x, include_top=include_top, pooling=pooling, classes=classes,
                         classifier_activation=classifier_activation, weights=weights, named_pools=False)
    fname, file_hash = WEIGHT_FILES[bool(include_top)]
    return _base.build_model(input_tensor, img_input, x, name, weights, (fname, BASE_WEIGHT_URL + fname, file_hash))


def preprocess_input(x, data_format: str | None = None):
    """Scale RGB images (0-255) for InceptionResNetV2: to ``[-1, 1]`` (``"tf"`` mode)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


decode_predictions = imagenet_utils.decode_predictions
