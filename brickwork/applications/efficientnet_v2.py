"""EfficientNetV2 B0-B3, S, M and L (Tan & Le, 2021): fused MBConv blocks early, MBConv blocks with
squeeze-and-excite later.

The models rescale their inputs themselves (``include_preprocessing=True``: pixels 0-255 in), so
``preprocess_input`` here returns its input unchanged.
"""

from __future__ import annotations

import math

from brickwork import initializers, layers
from brickwork.applications import _base, imagenet_utils
from brickwork.applications._weights import KERAS_ORIGIN
from brickwork.backend.config import image_data_format
from brickwork.applications.efficientnet import CONV_KERNEL_INITIALIZER, DENSE_KERNEL_INITIALIZER, squeeze_excite
from brickwork.models.functional import Functional

BASE_WEIGHTS_PATH = KERAS_ORIGIN + "efficientnet_v2/"
# weights name -> (MD5 with the top, MD5 without it) of "efficientnetv2{name}[_notop].h5"
WEIGHTS_HASHES = {
    "b0": ("21ecbf6da12460d5c40bb2f29ceb2188", "893217f2bb855e2983157299931e43ff"),
    "b1": ("069f0534ff22adf035c89e2d9547a9dc", "0e80663031ca32d657f9caa404b6ec37"),
    "b2": ("424e49f28180edbde1e94797771950a7", "1dfe2e7a5d45b6632553a8961ea609eb"),
    "b3": ("1f1fc43bd98a6e4fd8fdfd551e02c7a0", "f6abf7b5849ac99a89b50dd3fd532856"),
    "-s": ("e1d88a8495beba45748fedd0cecbe016", "af0682fb74e8c54910f2d4393339c070"),
    "-m": ("a3bf6aa3276309f4fc6a34aa114c95cd", "1b8dc055df72dde80d614482840fe342"),
    "-l": ("27e6d408b53c7ebc868fefa357689935", "b0b66b5c863aef5b46e8608fe1711615"),
}


def _stages(*rows) -> list[dict]:
    keys = ("kernel_size", "num_repeat", "input_filters", "output_filters", "expand_ratio", "se_ratio", "strides",
            "conv_type")
    return [dict(zip(keys, row)) for row in rows]


# (kernel, repeats, filters in, filters out, expansion, squeeze-excite ratio, stride, 1 = fused / 0 = MBConv)
_B_STAGES = _stages((3, 1, 32, 16, 1, 0, 1, 1), (3, 2, 16, 32, 4, 0, 2, 1), (3, 2, 32, 48, 4, 0, 2, 1),
                    (3, 3, 48, 96, 4, 0.25, 2, 0), (3, 5, 96, 112, 6, 0.25, 1, 0), (3, 8, 112, 192, 6, 0.25, 2, 0))
DEFAULT_BLOCKS_ARGS = {
    "efficientnetv2-s": _stages((3, 2, 24, 24, 1, 0.0, 1, 1), (3, 4, 24, 48, 4, 0.0, 2, 1), (3, 4, 48, 64, 4, 0, 2, 1),
                                (3, 6, 64, 128, 4, 0.25, 2, 0), (3, 9, 128, 160, 6, 0.25, 1, 0),
                                (3, 15, 160, 256, 6, 0.25, 2, 0)),
    "efficientnetv2-m": _stages((3, 3, 24, 24, 1, 0, 1, 1), (3, 5, 24, 48, 4, 0, 2, 1), (3, 5, 48, 80, 4, 0, 2, 1),
                                (3, 7, 80, 160, 4, 0.25, 2, 0), (3, 14, 160, 176, 6, 0.25, 1, 0),
                                (3, 18, 176, 304, 6, 0.25, 2, 0), (3, 5, 304, 512, 6, 0.25, 1, 0)),
    "efficientnetv2-l": _stages((3, 4, 32, 32, 1, 0, 1, 1), (3, 7, 32, 64, 4, 0, 2, 1), (3, 7, 64, 96, 4, 0, 2, 1),
                                (3, 10, 96, 192, 4, 0.25, 2, 0), (3, 19, 192, 224, 6, 0.25, 1, 0),
                                (3, 25, 224, 384, 6, 0.25, 2, 0), (3, 7, 384, 640, 6, 0.25, 1, 0)),
    "efficientnetv2-b0": _B_STAGES, "efficientnetv2-b1": _B_STAGES, "efficientnetv2-b2": _B_STAGES,
    "efficientnetv2-b3": _B_STAGES,
}


def round_filters(filters: float, width_coefficient: float, min_depth: int, depth_divisor: int) -> int:
    """``filters * width_coefficient`` rounded to a multiple of ``depth_divisor`` (at least ``min_depth``)."""
    filters *= width_coefficient
    return int(max(min_depth or depth_divisor, int(filters + depth_divisor / 2) // depth_divisor * depth_divisor))


def round_repeats(repeats: int, depth_coefficient: float) -> int:
    return int(math.ceil(depth_coefficient * repeats))


def _bn(x, momentum: float, name: str):
    return layers.BatchNormalization(axis=_base.channel_axis(), momentum=momentum, name=name)(x)


def _residual(x, inputs, strides: int, input_filters: int, output_filters: int, survival_probability: float,
              name: str):
    if strides == 1 and input_filters == output_filters:
        if survival_probability:
            x = layers.Dropout(survival_probability, noise_shape=(None, 1, 1, 1), name=f"{name}drop")(x)
        x = layers.add([x, inputs], name=f"{name}add")
    return x


def MBConvBlock(input_filters: int, output_filters: int, expand_ratio: int = 1, kernel_size: int = 3,
                strides: int = 1, se_ratio: float = 0.0, bn_momentum: float = 0.9, activation="swish",
                survival_probability: float = 0.8, name: str | None = None):
    """An MBConv block, as a function of its input: expand (1x1), depthwise, squeeze-and-excite, project."""
    name = name or "block0"

    def apply(inputs):
        filters = input_filters * expand_ratio
        x = inputs
        if expand_ratio != 1:
            x = layers.Conv2D(filters=filters, kernel_size=1, strides=1, kernel_initializer=CONV_KERNEL_INITIALIZER,
                              padding="same", use_bias=False, name=f"{name}expand_conv")(x)
            x = layers.Activation(activation, name=f"{name}expand_activation")(_bn(x, bn_momentum, f"{name}expand_bn"))
        x = layers.DepthwiseConv2D(kernel_size=kernel_size, strides=strides,
                                   depthwise_initializer=CONV_KERNEL_INITIALIZER, padding="same", use_bias=False,
                                   name=f"{name}dwconv2")(x)
        x = layers.Activation(activation, name=f"{name}activation")(_bn(x, bn_momentum, f"{name}bn"))
        if 0 < se_ratio <= 1:
            x = squeeze_excite(x, input_filters, filters, se_ratio, activation, name)
        x = layers.Conv2D(filters=output_filters, kernel_size=1, strides=1, kernel_initializer=CONV_KERNEL_INITIALIZER,
                          padding="same", use_bias=False, name=f"{name}project_conv")(x)
        x = _bn(x, bn_momentum, f"{name}project_bn")
        return _residual(x, inputs, strides, input_filters, output_filters, survival_probability, name)

    return apply


def FusedMBConvBlock(input_filters: int, output_filters: int, expand_ratio: int = 1, kernel_size: int = 3,
                     strides: int = 1, se_ratio: float = 0.0, bn_momentum: float = 0.9, activation="swish",
                     survival_probability: float = 0.8, name: str | None = None):
    """A fused MBConv block: one full convolution in place of the 1x1 expansion and the depthwise one."""
    name = name or "block0"

    def apply(inputs):
        filters = input_filters * expand_ratio
        x = inputs
        if expand_ratio != 1:
            x = layers.Conv2D(filters, kernel_size=kernel_size, strides=strides,
                              kernel_initializer=CONV_KERNEL_INITIALIZER, padding="same", use_bias=False,
                              name=f"{name}expand_conv")(x)
            x = layers.Activation(activation=activation,
                                  name=f"{name}expand_activation")(_bn(x, bn_momentum, f"{name}expand_bn"))
        if 0 < se_ratio <= 1:
            x = squeeze_excite(x, input_filters, filters, se_ratio, activation, name)
        expanded = expand_ratio != 1
        x = layers.Conv2D(output_filters, kernel_size=1 if expanded else kernel_size,
                          strides=1 if expanded else strides, kernel_initializer=CONV_KERNEL_INITIALIZER,
                          padding="same", use_bias=False, name=f"{name}project_conv")(x)
        x = _bn(x, bn_momentum, f"{name}project_bn")
        if not expanded:
            x = layers.Activation(activation=activation, name=f"{name}project_activation")(x)
        return _residual(x, inputs, strides, input_filters, output_filters, survival_probability, name)

    return apply


def EfficientNetV2(width_coefficient: float, depth_coefficient: float, default_size: int, dropout_rate: float = 0.2,
                   drop_connect_rate: float = 0.2, depth_divisor: int = 8, min_depth: int = 8,
                   bn_momentum: float = 0.9, activation="swish", blocks_args="default",
                   name: str = "efficientnetv2", include_top: bool = True, weights="imagenet", input_tensor=None,
                   input_shape=None, pooling=None, classes: int = 1000, classifier_activation="softmax",
                   include_preprocessing: bool = True, weights_name: str | None = None) -> Functional:
    """An EfficientNetV2 of ``blocks_args`` stages ("default": the variant named by ``name``, e.g.
    ``"efficientnetv2-b0"``). The other arguments are ``EfficientNetV2B0``'s."""
    if blocks_args == "default":
        if name not in DEFAULT_BLOCKS_ARGS:
            raise ValueError(f"`blocks_args='default'` needs `name` to be one of {sorted(DEFAULT_BLOCKS_ARGS)}; "
                             f"Received: name={name!r}")
        blocks_args = DEFAULT_BLOCKS_ARGS[name]
    _base.check_weights(weights, include_top, classes)
    input_shape = imagenet_utils.obtain_input_shape(input_shape, default_size=default_size, min_size=32,
                                                    data_format=image_data_format(),
                                                    require_flatten=include_top, weights=weights)
    img_input = _base.image_input(input_tensor, input_shape)
    axis = _base.channel_axis()

    def scaled(filters: int) -> int:
        return round_filters(filters, width_coefficient, min_depth, depth_divisor)

    x = img_input
    if include_preprocessing:
        channels = input_shape[axis - 1]
        if (weights_name or name.split("-")[-1]).startswith("b") and channels == 3:
            x = layers.Rescaling(scale=1.0 / 255)(x)
            x = layers.Normalization(mean=[0.485, 0.456, 0.406], variance=[0.229**2, 0.224**2, 0.225**2],
                                     axis=axis)(x)
        else:
            x = layers.Rescaling(scale=1.0 / 128.0, offset=-1)(x)
    x = layers.Conv2D(filters=scaled(blocks_args[0]["input_filters"]), kernel_size=3, strides=2,
                      kernel_initializer=CONV_KERNEL_INITIALIZER, padding="same", use_bias=False, name="stem_conv")(x)
    x = layers.Activation(activation, name="stem_activation")(_bn(x, bn_momentum, "stem_bn"))
    total = float(sum(args["num_repeat"] for args in blocks_args))
    done = 0
    for i, stage in enumerate(blocks_args):
        if stage["num_repeat"] <= 0:
            raise ValueError("The number of repeats in `EfficientNetV2` must be > 0. "
                             f"Received: num_repeat={stage['num_repeat']}")
        args = {key: value for key, value in stage.items() if key not in ("num_repeat", "conv_type")}
        args["input_filters"], args["output_filters"] = scaled(args["input_filters"]), scaled(args["output_filters"])
        make_block = FusedMBConvBlock if stage["conv_type"] == 1 else MBConvBlock
        for j in range(round_repeats(stage["num_repeat"], depth_coefficient)):
            if j > 0:
                args["strides"], args["input_filters"] = 1, args["output_filters"]
            x = make_block(activation=activation, bn_momentum=bn_momentum,
                           survival_probability=drop_connect_rate * done / total, name=f"block{i + 1}{chr(j + 97)}_",
                           **args)(x)
            done += 1
    x = layers.Conv2D(filters=scaled(1280), kernel_size=1, strides=1, kernel_initializer=CONV_KERNEL_INITIALIZER,
                      padding="same", use_bias=False, name="top_conv")(x)
    x = layers.Activation(activation=activation, name="top_activation")(_bn(x, bn_momentum, "top_bn"))
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate, name="top_dropout")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, kernel_initializer=DENSE_KERNEL_INITIALIZER,
                         bias_initializer=initializers.Constant(0.0), name="predictions")(x)
    else:
        x = _base.global_pool(x, pooling)
    imagenet_file = None
    if weights_name in WEIGHTS_HASHES:
        fname = ("efficientnetv2-" + weights_name.lstrip("-")) + (".h5" if include_top else "_notop.h5")
        imagenet_file = (fname, BASE_WEIGHTS_PATH + fname, WEIGHTS_HASHES[weights_name][0 if include_top else 1])
    return _base.build_model(input_tensor, img_input, x, name, weights, imagenet_file)


# variant -> (width coefficient, depth coefficient, default size, weights name)
_VARIANTS = {"b0": (1.0, 1.0, 224, "b0"), "b1": (1.0, 1.1, 240, "b1"), "b2": (1.1, 1.2, 260, "b2"),
             "b3": (1.2, 1.4, 300, "b3"), "s": (1.0, 1.0, 384, "-s"), "m": (1.0, 1.0, 480, "-m"),
             "l": (1.0, 1.0, 480, "-l")}


def _variant(variant: str, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation,
             include_preprocessing, name) -> Functional:
    width, depth, size, weights_name = _VARIANTS[variant]
    blocks_args = DEFAULT_BLOCKS_ARGS[f"efficientnetv2-{variant}"]
    return EfficientNetV2(width, depth, size, blocks_args=blocks_args, name=name, include_top=include_top,
                          weights=weights, input_tensor=input_tensor, input_shape=input_shape, pooling=pooling,
                          classes=classes, classifier_activation=classifier_activation,
                          include_preprocessing=include_preprocessing, weights_name=weights_name)


def EfficientNetV2B0(include_top: bool = True, weights="imagenet", input_tensor=None,
                     input_shape: tuple | None = None, pooling: str | None = None, classes: int = 1000,
                     classifier_activation="softmax", include_preprocessing: bool = True,
                     name: str = "efficientnetv2-b0") -> Functional:
    """EfficientNetV2B0 (default input 224x224).

    Args:
        include_top: whether to end with global average pooling, dropout and a ``classes``-way dense layer.
        weights: None (random initialisation), ``"imagenet"`` (Keras's published weights, downloaded
            once into ``~/.brickwork/models``) or the path of a weights file.
        input_tensor: an optional tensor (e.g. ``keras.Input``) to use as the model's input.
        input_shape: the shape of one image (height and width at least 32; None allowed without the top).
        pooling: without the top, ``None`` (4D feature maps), ``"avg"`` or ``"max"``.
        classes: the number of classes (1000 with ImageNet weights and the top).
        classifier_activation: the activation of the last layer (``None`` gives logits).
        include_preprocessing: whether the model scales 0-255 pixels itself.
        name: the model's name.

    Returns:
        A Functional model taking pixels in ``[0, 255]`` (with preprocessing).

    Example:
        >>> model = keras.applications.EfficientNetV2B0(weights=None, input_shape=(32, 32, 3), classes=10)
        >>> model.output_shape
        (None, 10)
    """
    return _variant("b0", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation,
                    include_preprocessing, name)


def EfficientNetV2B1(include_top: bool = True, weights="imagenet", input_tensor=None,
                     input_shape: tuple | None = None, pooling: str | None = None, classes: int = 1000,
                     classifier_activation="softmax", include_preprocessing: bool = True,
                     name: str = "efficientnetv2-b1") -> Functional:
    """EfficientNetV2B1 (default input 240x240).

    Args:
        include_top: whether to end with global average pooling, dropout and a ``classes``-way dense layer.
        weights: None (random initialisation), ``"imagenet"`` (Keras's published weights, downloaded
            once into ``~/.brickwork/models``) or the path of a weights file.
        input_tensor: an optional tensor (e.g. ``keras.Input``) to use as the model's input.
        input_shape: the shape of one image (height and width at least 32; None allowed without the top).
        pooling: without the top, ``None`` (4D feature maps), ``"avg"`` or ``"max"``.
        classes: the number of classes (1000 with ImageNet weights and the top).
        classifier_activation: the activation of the last layer (``None`` gives logits).
        include_preprocessing: whether the model scales 0-255 pixels itself.
        name: the model's name.

    Returns:
        A Functional model taking pixels in ``[0, 255]`` (with preprocessing).

    Example:
        model = keras.applications.EfficientNetV2B1(weights=None, include_top=False, input_shape=(64, 64, 3))
    """
    return _variant("b1", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation,
                    include_preprocessing, name)


def EfficientNetV2B2(include_top: bool = True, weights="imagenet", input_tensor=None,
                     input_shape: tuple | None = None, pooling: str | None = None, classes: int = 1000,
                     classifier_activation="softmax", include_preprocessing: bool = True,
                     name: str = "efficientnetv2-b2") -> Functional:
    """EfficientNetV2B2 (default input 260x260).

    Args:
        include_top: whether to end with global average pooling, dropout and a ``classes``-way dense layer.
        weights: None (random initialisation), ``"imagenet"`` (Keras's published weights, downloaded
            once into ``~/.brickwork/models``) or the path of a weights file.
        input_tensor: an optional tensor (e.g. ``keras.Input``) to use as the model's input.
        input_shape: the shape of one image (height and width at least 32; None allowed without the top).
        pooling: without the top, ``None`` (4D feature maps), ``"avg"`` or ``"max"``.
        classes: the number of classes (1000 with ImageNet weights and the top).
        classifier_activation: the activation of the last layer (``None`` gives logits).
        include_preprocessing: whether the model scales 0-255 pixels itself.
        name: the model's name.

    Returns:
        A Functional model taking pixels in ``[0, 255]`` (with preprocessing).

    Example:
        model = keras.applications.EfficientNetV2B2(weights=None, include_top=False, input_shape=(64, 64, 3))
    """
    return _variant("b2", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation,
                    include_preprocessing, name)


def EfficientNetV2B3(include_top: bool = True, weights="imagenet", input_tensor=None,
                     input_shape: tuple | None = None, pooling: str | None = None, classes: int = 1000,
                     classifier_activation="softmax", include_preprocessing: bool = True,
                     name: str = "efficientnetv2-b3") -> Functional:
    """EfficientNetV2B3 (default input 300x300).

    Args:
        include_top: whether to end with global average pooling, dropout and a ``classes``-way dense layer.
        weights: None (random initialisation), ``"imagenet"`` (Keras's published weights, downloaded
            once into ``~/.brickwork/models``) or the path of a weights file.
        input_tensor: an optional tensor (e.g. ``keras.Input``) to use as the model's input.
        input_shape: the shape of one image (height and width at least 32; None allowed without the top).
        pooling: without the top, ``None`` (4D feature maps), ``"avg"`` or ``"max"``.
        classes: the number of classes (1000 with ImageNet weights and the top).
        classifier_activation: the activation of the last layer (``None`` gives logits).
        include_preprocessing: whether the model scales 0-255 pixels itself.
        name: the model's name.

    Returns:
        A Functional model taking pixels in ``[0, 255]`` (with preprocessing).

    Example:
        model = keras.applications.EfficientNetV2B3(weights=None, include_top=False, input_shape=(64, 64, 3))
    """
    return _variant("b3", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation,
                    include_preprocessing, name)


def EfficientNetV2S(include_top: bool = True, weights="imagenet", input_tensor=None,
                     input_shape: tuple | None = None, pooling: str | None = None, classes: int = 1000,
                     classifier_activation="softmax", include_preprocessing: bool = True,
                     name: str = "efficientnetv2-s") -> Functional:
    """EfficientNetV2S (default input 384x384).

    Args:
        include_top: whether to end with global average pooling, dropout and a ``classes``-way dense layer.
        weights: None (random initialisation), ``"imagenet"`` (Keras's published weights, downloaded
            once into ``~/.brickwork/models``) or the path of a weights file.
        input_tensor: an optional tensor (e.g. ``keras.Input``) to use as the model's input.
        input_shape: the shape of one image (height and width at least 32; None allowed without the top).
        pooling: without the top, ``None`` (4D feature maps), ``"avg"`` or ``"max"``.
        classes: the number of classes (1000 with ImageNet weights and the top).
        classifier_activation: the activation of the last layer (``None`` gives logits).
        include_preprocessing: whether the model scales 0-255 pixels itself.
        name: the model's name.

    Returns:
        A Functional model taking pixels in ``[0, 255]`` (with preprocessing).

    Example:
        model = keras.applications.EfficientNetV2S(weights=None, include_top=False, input_shape=(64, 64, 3))
    """
    return _variant("s", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation,
                    include_preprocessing, name)


def EfficientNetV2M(include_top: bool = True, weights="imagenet", input_tensor=None,
                     input_shape: tuple | None = None, pooling: str | None = None, classes: int = 1000,
                     classifier_activation="softmax", include_preprocessing: bool = True,
                     name: str = "efficientnetv2-m") -> Functional:
    """EfficientNetV2M (default input 480x480).

    Args:
        include_top: whether to end with global average pooling, dropout and a ``classes``-way dense layer.
        weights: None (random initialisation), ``"imagenet"`` (Keras's published weights, downloaded
            once into ``~/.brickwork/models``) or the path of a weights file.
        input_tensor: an optional tensor (e.g. ``keras.Input``) to use as the model's input.
        input_shape: the shape of one image (height and width at least 32; None allowed without the top).
        pooling: without the top, ``None`` (4D feature maps), ``"avg"`` or ``"max"``.
        classes: the number of classes (1000 with ImageNet weights and the top).
        classifier_activation: the activation of the last layer (``None`` gives logits).
        include_preprocessing: whether the model scales 0-255 pixels itself.
        name: the model's name.

    Returns:
        A Functional model taking pixels in ``[0, 255]`` (with preprocessing).

    Example:
        model = keras.applications.EfficientNetV2M(weights=None, include_top=False, input_shape=(64, 64, 3))
    """
    return _variant("m", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation,
                    include_preprocessing, name)


def EfficientNetV2L(include_top: bool = True, weights="imagenet", input_tensor=None,
                     input_shape: tuple | None = None, pooling: str | None = None, classes: int = 1000,
                     classifier_activation="softmax", include_preprocessing: bool = True,
                     name: str = "efficientnetv2-l") -> Functional:
    """EfficientNetV2L (default input 480x480).

    Args:
        include_top: whether to end with global average pooling, dropout and a ``classes``-way dense layer.
        weights: None (random initialisation), ``"imagenet"`` (Keras's published weights, downloaded
            once into ``~/.brickwork/models``) or the path of a weights file.
        input_tensor: an optional tensor (e.g. ``keras.Input``) to use as the model's input.
        input_shape: the shape of one image (height and width at least 32; None allowed without the top).
        pooling: without the top, ``None`` (4D feature maps), ``"avg"`` or ``"max"``.
        classes: the number of classes (1000 with ImageNet weights and the top).
        classifier_activation: the activation of the last layer (``None`` gives logits).
        include_preprocessing: whether the model scales 0-255 pixels itself.
        name: the model's name.

    Returns:
        A Functional model taking pixels in ``[0, 255]`` (with preprocessing).

    Example:
        model = keras.applications.EfficientNetV2L(weights=None, include_top=False, input_shape=(64, 64, 3))
    """
    return _variant("l", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation,
                    include_preprocessing, name)


def preprocess_input(x, data_format: str | None = None):
    """The identity: EfficientNetV2 models rescale their inputs themselves (see ``include_preprocessing``).

    Example:
        >>> preprocess_input(3.0)
        3.0
    """
    return x


decode_predictions = imagenet_utils.decode_predictions
