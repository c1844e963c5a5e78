"""Xception (Chollet, 2017): depthwise separable convolutions in residual blocks (entry, middle and exit flows)."""

from __future__ import annotations

from brickwork import layers
from brickwork.applications import _base, imagenet_utils
from brickwork.applications._weights import KERAS_ORIGIN
from brickwork.models.functional import Functional

# include_top -> (file name, MD5) of Keras's published weights
WEIGHT_FILES = {
    True: ("xception_weights_tf_dim_ordering_tf_kernels.h5", "0a58e3b7378bc2990ea3b43d5981f1f6"),
    False: ("xception_weights_tf_dim_ordering_tf_kernels_notop.h5", "b0042744bf5b25fce3cb969f33bebb97"),
}


def _sepconv_bn(x, filters: int, name: str, relu_first: bool = True):
    """(ReLU,) 3x3 separable convolution, batch normalization: ``{name}_act``, ``{name}``, ``{name}_bn``."""
    if relu_first:
        x = layers.Activation("relu", name=f"{name}_act")(x)
    x = layers.SeparableConv2D(filters, (3, 3), padding="same", use_bias=False, name=name)(x)
    return layers.BatchNormalization(axis=_base.channel_axis(), name=f"{name}_bn")(x)


def _downsampling_block(x, filters: tuple, block: int, relu_first: bool = True):
    """Two separable convolutions and a strided max pooling, plus a strided 1x1 projection of the input."""
    residual = layers.Conv2D(filters[1], (1, 1), strides=(2, 2), padding="same", use_bias=False)(x)
    residual = layers.BatchNormalization(axis=_base.channel_axis())(residual)
    x = _sepconv_bn(x, filters[0], f"block{block}_sepconv1", relu_first=relu_first)
    x = _sepconv_bn(x, filters[1], f"block{block}_sepconv2")
    x = layers.MaxPooling2D((3, 3), strides=(2, 2), padding="same", name=f"block{block}_pool")(x)
    return layers.add([x, residual])


def Xception(include_top: bool = True, weights="imagenet", input_tensor=None, input_shape: tuple | None = None,
             pooling: str | None = None, classes: int = 1000, classifier_activation="softmax",
             name: str = "xception") -> Functional:
    """Xception (default input 299x299).

    Args:
        include_top: whether to end with global average pooling and a ``classes``-way dense layer.
        weights: None (random initialisation), ``"imagenet"`` (Keras's published weights, downloaded
            once into ``~/.brickwork/models``) or the path of a weights file.
        input_tensor: an optional tensor (e.g. ``keras.Input``) to use as the model's input.
        input_shape: the shape of one image (height and width at least 71; None allowed without the top).
        pooling: without the top, ``None`` (4D feature maps), ``"avg"`` or ``"max"``.
        classes: the number of classes (1000 with ImageNet weights and the top).
        classifier_activation: the activation of the last layer (``None`` gives logits).
        name: the model's name.

    Returns:
        A Functional model. Scale its inputs with ``keras.applications.xception.preprocess_input``.

    Example:
        >>> model = keras.applications.Xception(weights=None, input_shape=(71, 71, 3), classes=10)
        >>> model.output_shape
        (None, 10)
    """
    _base.check_weights(weights, include_top, classes)
    img_input = _base.input_for(input_tensor, input_shape, default_size=299, min_size=71, include_top=include_top,
                                weights=weights)
    axis = _base.channel_axis()
    x = layers.Conv2D(32, (3, 3), strides=(2, 2), use_bias=False, name="block1_conv1")(img_input)
    x = layers.BatchNormalization(axis=axis, name="block1_conv1_bn")(x)
    x = layers.Activation("relu", name="block1_conv1_act")(x)
    x = layers.Conv2D(64, (3, 3), use_bias=False, name="block1_conv2")(x)
    x = layers.BatchNormalization(axis=axis, name="block1_conv2_bn")(x)
    x = layers.Activation("relu", name="block1_conv2_act")(x)
    x = _downsampling_block(x, (128, 128), 2, relu_first=False)
    x = _downsampling_block(x, (256, 256), 3)
    x = _downsampling_block(x, (728, 728), 4)
    for block in range(5, 13):
        residual = x
        for conv in (1, 2, 3):
            x = _sepconv_bn(x, 728, f"block{block}_sepconv{conv}")
        x = layers.add([x, residual])
    x = _downsampling_block(x, (728, 1024), 13)
    for conv, filters in ((1, 1536), (2, 2048)):
        x = layers.SeparableConv2D(filters, (3, 3), padding="same", use_bias=False, name=f"block14_sepconv{conv}")(x)
        x = layers.BatchNormalization(axis=axis, name=f"block14_sepconv{conv}_bn")(x)
        x = layers.Activation("relu", name=f"block14_sepconv{conv}_act")(x)
    x = _base.pooled_top(x, include_top=include_top, pooling=pooling, classes=classes,
                         classifier_activation=classifier_activation, weights=weights, named_pools=False)
    fname, file_hash = WEIGHT_FILES[bool(include_top)]
    return _base.build_model(input_tensor, img_input, x, name, weights,
                             (fname, f"{KERAS_ORIGIN}xception/{fname}", file_hash))


def preprocess_input(x, data_format: str | None = None):
    """Scale RGB images (0-255) for Xception: to ``[-1, 1]`` (``"tf"`` mode)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


decode_predictions = imagenet_utils.decode_predictions
