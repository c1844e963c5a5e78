"""MobileNetV3Small and MobileNetV3Large (Howard et al., 2019): inverted residual blocks with squeeze-and-excite
and hard-swish; ``minimalistic`` variants use 3x3 kernels, ReLU and no squeeze-and-excite.

The models rescale their inputs themselves (``include_preprocessing=True``: pixels 0-255 in), so
``preprocess_input`` here returns its input unchanged.
"""

from __future__ import annotations

import warnings
from typing import Callable

from brickwork import layers
from brickwork.applications import _base, imagenet_utils
from brickwork.applications._weights import KERAS_ORIGIN
from brickwork.backend.common.keras_tensor import is_keras_tensor
from brickwork.backend.config import image_data_format
from brickwork.models.functional import Functional

BASE_WEIGHT_PATH = KERAS_ORIGIN + "mobilenet_v3/"
# "{type}[_minimalistic]_224_{alpha}_float" -> (MD5 with the top, MD5 without it)
WEIGHTS_HASHES = {
    "large_224_0.75_float": ("765b44a33ad4005b3ac83185abf1d0eb", "40af19a13ebea4e2ee0c676887f69a2e"),
    "large_224_1.0_float": ("59e551e166be033d707958cf9e29a6a7", "07fb09a5933dd0c8eaafa16978110389"),
    "large_minimalistic_224_1.0_float": ("675e7b876c45c57e9e63e6d90a36599c", "ec5221f64a2f6d1ef965a614bdae7973"),
    "small_224_0.75_float": ("cb65d4e5be93758266aa0a7f2c6708b7", "ebdb5cc8e0b497cd13a7c275d475c819"),
    "small_224_1.0_float": ("8768d4c2e7dee89b9d02b2d03d65d862", "d3e8ec802a04aa4fc771ee12a9a9b836"),
    "small_minimalistic_224_1.0_float": ("99cd97fb2fcdad2bf028eb838de69e37", "cde8136e733e811080d9fcd8a252f7e4"),
}

# (expansion, filters, kernel ("k": the variant's kernel), stride, squeeze-excite, activation ("a": the variant's))
_SMALL = ((1, 16, 3, 2, True, "relu"), (72 / 16, 24, 3, 2, False, "relu"), (88 / 24, 24, 3, 1, False, "relu"),
          (4, 40, "k", 2, True, "a"), (6, 40, "k", 1, True, "a"), (6, 40, "k", 1, True, "a"),
          (3, 48, "k", 1, True, "a"), (3, 48, "k", 1, True, "a"), (6, 96, "k", 2, True, "a"),
          (6, 96, "k", 1, True, "a"), (6, 96, "k", 1, True, "a"))
_LARGE = ((1, 16, 3, 1, False, "relu"), (4, 24, 3, 2, False, "relu"), (3, 24, 3, 1, False, "relu"),
          (3, 40, "k", 2, True, "relu"), (3, 40, "k", 1, True, "relu"), (3, 40, "k", 1, True, "relu"),
          (6, 80, 3, 2, False, "a"), (2.5, 80, 3, 1, False, "a"), (2.3, 80, 3, 1, False, "a"),
          (2.3, 80, 3, 1, False, "a"), (6, 112, 3, 1, True, "a"), (6, 112, 3, 1, True, "a"),
          (6, 160, "k", 2, True, "a"), (6, 160, "k", 1, True, "a"), (6, 160, "k", 1, True, "a"))


def relu(x):
    return layers.ReLU()(x)


def hard_sigmoid(x):
    return layers.ReLU(6.0)(x + 3.0) * (1.0 / 6.0)


def hard_swish(x):
    return layers.Activation("hard_swish")(x)


def _depth(value: float, divisor: int = 8, min_value: int | None = None) -> int:
    """``value`` rounded to a multiple of ``divisor``, never more than 10% below it."""
    min_value = divisor if min_value is None else min_value
    rounded = max(min_value, int(value + divisor / 2) // divisor * divisor)
    return rounded + divisor if rounded < 0.9 * value else rounded


def _bn(x, name: str):
    return layers.BatchNormalization(axis=_base.channel_axis(), epsilon=1e-3, momentum=0.999, name=name)(x)


def _se_block(inputs, filters: int, se_ratio: float, prefix: str):
    x = layers.GlobalAveragePooling2D(keepdims=True, name=f"{prefix}squeeze_excite_avg_pool")(inputs)
    x = layers.Conv2D(_depth(filters * se_ratio), kernel_size=1, padding="same", name=f"{prefix}squeeze_excite_conv")(x)
    x = layers.ReLU(name=f"{prefix}squeeze_excite_relu")(x)
    x = layers.Conv2D(filters, kernel_size=1, padding="same", name=f"{prefix}squeeze_excite_conv_1")(x)
    return layers.Multiply(name=f"{prefix}squeeze_excite_mul")([inputs, hard_sigmoid(x)])


def _inverted_res_block(x, expansion: float, filters: int, kernel_size: int, stride: int, se_ratio: float | None,
                        activation: Callable, block_id: int):
    shortcut = x
    in_filters = x.shape[_base.channel_axis()]
    prefix = f"expanded_conv_{block_id}_" if block_id else "expanded_conv_"
    if block_id:
        x = layers.Conv2D(_depth(in_filters * expansion), kernel_size=1, padding="same", use_bias=False,
                          name=f"{prefix}expand")(x)
        x = activation(_bn(x, f"{prefix}expand_bn"))
    if stride == 2:
        x = layers.ZeroPadding2D(padding=imagenet_utils.correct_pad(x, kernel_size), name=f"{prefix}depthwise_pad")(x)
    x = layers.DepthwiseConv2D(kernel_size, strides=stride, padding="same" if stride == 1 else "valid", use_bias=False,
                               name=f"{prefix}depthwise")(x)
    x = activation(_bn(x, f"{prefix}depthwise_bn"))
    if se_ratio:
        x = _se_block(x, _depth(in_filters * expansion), se_ratio, prefix)
    x = layers.Conv2D(filters, kernel_size=1, padding="same", use_bias=False, name=f"{prefix}project")(x)
    x = _bn(x, f"{prefix}project_bn")
    if stride == 1 and in_filters == filters:
        x = layers.Add(name=f"{prefix}add")([shortcut, x])
    return x


def _input_shape(input_shape, input_tensor) -> tuple:
    """The shape of one image: given, a symbolic ``input_tensor``'s, or free height and width."""
    channels_first = image_data_format() == "channels_first"
    if input_shape is None and input_tensor is not None and is_keras_tensor(input_tensor):
        shape = tuple(input_tensor.shape[1:])
        return (3, *shape[1:3]) if channels_first else (*shape[:2], 3)
    if input_shape is None:
        return (3, None, None) if channels_first else (None, None, 3)
    return tuple(input_shape)


def MobileNetV3(blocks: tuple, last_point_ch: int, input_shape=None, alpha: float = 1.0, model_type: str = "large",
                minimalistic: bool = False, include_top: bool = True, weights="imagenet", input_tensor=None,
                classes: int = 1000, pooling=None, dropout_rate: float = 0.2, classifier_activation="softmax",
                include_preprocessing: bool = True, name: str | None = None) -> Functional:
    """A MobileNetV3 of ``blocks`` (see ``_SMALL``/``_LARGE``); the arguments are ``MobileNetV3Small``'s."""
    _base.check_weights(weights, include_top, classes)
    input_shape = _input_shape(input_shape, input_tensor)
    rows, cols = input_shape[1:3] if image_data_format() == "channels_first" else input_shape[:2]
    if rows and cols and (rows < 32 or cols < 32):
        raise ValueError(f"Input size must be at least 32x32; Received `input_shape={input_shape}`")
    if weights == "imagenet":
        if (not minimalistic and alpha not in (0.75, 1.0)) or (minimalistic and alpha != 1.0):
            raise ValueError("If imagenet weights are being loaded, alpha can be one of `0.75`, `1.0` for non "
                             f"minimalistic or `1.0` for minimalistic only. Received alpha={alpha}")
        if rows != cols or rows != 224:
            warnings.warn("`input_shape` is undefined or non-square, or `rows` is not 224. Weights for input shape "
                          "(224, 224) will be loaded as the default.", stacklevel=2)
    img_input = _base.image_input(input_tensor, input_shape)
    kernel, activation, se_ratio = (3, relu, None) if minimalistic else (5, hard_swish, 0.25)
    x = img_input
    if include_preprocessing:
        x = layers.Rescaling(scale=1.0 / 127.5, offset=-1.0)(x)
    x = layers.Conv2D(16, kernel_size=3, strides=(2, 2), padding="same", use_bias=False, name="conv")(x)
    x = activation(_bn(x, "conv_bn"))
    for block_id, (expansion, filters, size, stride, squeeze, act) in enumerate(blocks):
        x = _inverted_res_block(x, expansion, _depth(filters * alpha), kernel if size == "k" else size, stride,
                                se_ratio if squeeze else None, relu if act == "relu" else activation, block_id)
    last_conv_ch = _depth(x.shape[_base.channel_axis()] * 6)
    if alpha > 1.0:
        last_point_ch = _depth(last_point_ch * alpha)
    x = layers.Conv2D(last_conv_ch, kernel_size=1, padding="same", use_bias=False, name="conv_1")(x)
    x = activation(_bn(x, "conv_1_bn"))
    if include_top:
        x = layers.GlobalAveragePooling2D(keepdims=True)(x)
        x = layers.Conv2D(last_point_ch, kernel_size=1, padding="same", use_bias=True, name="conv_2")(x)
        x = activation(x)
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate)(x)
        x = layers.Conv2D(classes, kernel_size=1, padding="same", name="logits")(x)
        x = layers.Flatten()(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Activation(activation=classifier_activation, name="predictions")(x)
    else:
        x = _base.global_pool(x, pooling)
    imagenet_file = None
    if weights == "imagenet":
        key = f"{model_type}{'_minimalistic' if minimalistic else ''}_224_{alpha}_float"
        fname = f"weights_mobilenet_v3_{key}{'' if include_top else '_no_top_v2'}.h5"
        imagenet_file = (fname, BASE_WEIGHT_PATH + fname, WEIGHTS_HASHES[key][0 if include_top else 1])
    return _base.build_model(input_tensor, img_input, x, name, weights, imagenet_file)


def MobileNetV3Small(input_shape: tuple | None = None, alpha: float = 1.0, minimalistic: bool = False,
                     include_top: bool = True, weights="imagenet", input_tensor=None, classes: int = 1000,
                     pooling: str | None = None, dropout_rate: float = 0.2, classifier_activation="softmax",
                     include_preprocessing: bool = True, name: str = "MobileNetV3Small") -> Functional:
    """MobileNetV3Small: 11 inverted residual blocks, for low-resource use.

    Args:
        input_shape: the shape of one image (height and width at least 32, or None); without it, a
            symbolic ``input_tensor``'s size is used. ImageNet weights were trained at 224x224.
        alpha: the width multiplier (ImageNet weights: 0.75 or 1.0; 1.0 when ``minimalistic``).
        minimalistic: 3x3 kernels, ReLU and no squeeze-and-excite.
        include_top: whether to end with pooling, two 1x1 convolutions and the classifier activation.
        weights: None (random initialisation), ``"imagenet"`` or the path of a weights file.
        input_tensor: an optional tensor (e.g. ``keras.Input``) to use as the model's input.
        classes: the number of classes (1000 with ImageNet weights and the top).
        pooling: without the top, ``None`` (4D feature maps), ``"avg"`` or ``"max"``.
        dropout_rate: the dropout rate before the last convolution.
        classifier_activation: the activation of the last layer (``None`` gives logits).
        include_preprocessing: whether the model rescales 0-255 pixels to ``[-1, 1]`` itself.
        name: the model's name.

    Returns:
        A Functional model taking pixels in ``[0, 255]`` (or ``[-1, 1]`` without preprocessing).

    Example:
        >>> model = keras.applications.MobileNetV3Small(weights=None, input_shape=(32, 32, 3), classes=10)
        >>> model.output_shape
        (None, 10)
    """
    return MobileNetV3(_SMALL, 1024, input_shape, alpha, "small", minimalistic, include_top, weights, input_tensor,
                       classes, pooling, dropout_rate, classifier_activation, include_preprocessing, name=name)


def MobileNetV3Large(input_shape: tuple | None = None, alpha: float = 1.0, minimalistic: bool = False,
                     include_top: bool = True, weights="imagenet", input_tensor=None, classes: int = 1000,
                     pooling: str | None = None, dropout_rate: float = 0.2, classifier_activation="softmax",
                     include_preprocessing: bool = True, name: str = "MobileNetV3Large") -> Functional:
    """MobileNetV3Large: 15 inverted residual blocks.

    Args:
        input_shape: the shape of one image (height and width at least 32, or None); without it, a
            symbolic ``input_tensor``'s size is used. ImageNet weights were trained at 224x224.
        alpha: the width multiplier (ImageNet weights: 0.75 or 1.0; 1.0 when ``minimalistic``).
        minimalistic: 3x3 kernels, ReLU and no squeeze-and-excite.
        include_top: whether to end with pooling, two 1x1 convolutions and the classifier activation.
        weights: None (random initialisation), ``"imagenet"`` or the path of a weights file.
        input_tensor: an optional tensor (e.g. ``keras.Input``) to use as the model's input.
        classes: the number of classes (1000 with ImageNet weights and the top).
        pooling: without the top, ``None`` (4D feature maps), ``"avg"`` or ``"max"``.
        dropout_rate: the dropout rate before the last convolution.
        classifier_activation: the activation of the last layer (``None`` gives logits).
        include_preprocessing: whether the model rescales 0-255 pixels to ``[-1, 1]`` itself.
        name: the model's name.

    Returns:
        A Functional model taking pixels in ``[0, 255]`` (or ``[-1, 1]`` without preprocessing).

    Example:
        >>> model = keras.applications.MobileNetV3Large(weights=None, include_top=False, pooling="avg",
        ...                                             input_shape=(32, 32, 3))
        >>> model.output_shape
        (None, 960)
    """
    return MobileNetV3(_LARGE, 1280, input_shape, alpha, "large", minimalistic, include_top, weights, input_tensor,
                       classes, pooling, dropout_rate, classifier_activation, include_preprocessing, name=name)


def preprocess_input(x, data_format: str | None = None):
    """The identity: MobileNetV3 models rescale their inputs themselves (see ``include_preprocessing``).

    Example:
        >>> preprocess_input(3.0)
        3.0
    """
    return x


decode_predictions = imagenet_utils.decode_predictions
