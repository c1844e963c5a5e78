"""EfficientNetB0 to B7 (Tan & Le, 2019): MBConv blocks with squeeze-and-excite, scaled in width, depth and
resolution together.

The models rescale and normalise their inputs themselves (pixels 0-255 in), so ``preprocess_input`` here
returns its input unchanged.
"""

from __future__ import annotations

import math

from brickwork import layers
from brickwork.applications import _base, imagenet_utils
from brickwork.models.functional import Functional

BASE_WEIGHTS_PATH = "https://storage.googleapis.com/keras-applications/"
# variant -> (MD5 with the top, MD5 without it) of "efficientnet{variant}[_notop].h5"
WEIGHTS_HASHES = {
    "b0": ("902e53a9f72be733fc0bcb005b3ebbac", "50bc09e76180e00e4465e1a485ddc09d"),
    "b1": ("1d254153d4ab51201f1646940f018540", "74c4e6b3e1f6a1eea24c589628592432"),
    "b2": ("b15cce36ff4dcbd00b6dd88e7857a6ad", "111f8e2ac8aa800a7a99e3239f7bfb39"),
    "b3": ("ffd1fdc53d0ce67064dc6a9c7960ede0", "af6d107764bb5b1abb91932881670226"),
    "b4": ("18c95ad55216b8f92d7e70b3a046e2fc", "ebc24e6d6c33eaebbd558eafbeedf1ba"),
    "b5": ("ace28f2a6363774853a83a0b21b9421a", "38879255a25d3c92d5e44e04ae6cec6f"),
    "b6": ("165f6e37dce68623721b423839de8be5", "9ecce42647a20130c1f39a5d4cb75743"),
    "b7": ("8c03f828fec3ef71311cd463b6759d99", "cbcfe4450ddf6f3ad90b1b398090fe4a"),
}


def _stage(kernel_size, repeats, filters_in, filters_out, expand_ratio, strides, se_ratio=0.25, id_skip=True) -> dict:
    return dict(kernel_size=kernel_size, repeats=repeats, filters_in=filters_in, filters_out=filters_out,
                expand_ratio=expand_ratio, id_skip=id_skip, strides=strides, se_ratio=se_ratio)


# The seven stages of EfficientNetB0; larger variants scale filters and repeats.
DEFAULT_BLOCKS_ARGS = [_stage(3, 1, 32, 16, 1, 1), _stage(3, 2, 16, 24, 6, 2), _stage(5, 2, 24, 40, 6, 2),
                       _stage(3, 3, 40, 80, 6, 2), _stage(5, 3, 80, 112, 6, 1), _stage(5, 4, 112, 192, 6, 2),
                       _stage(3, 1, 192, 320, 6, 1)]

CONV_KERNEL_INITIALIZER = {"class_name": "VarianceScaling",
                           "config": {"scale": 2.0, "mode": "fan_out", "distribution": "truncated_normal"}}
DENSE_KERNEL_INITIALIZER = {"class_name": "VarianceScaling",
                            "config": {"scale": 1.0 / 3.0, "mode": "fan_out", "distribution": "uniform"}}
IMAGENET_STDDEV_RGB = [0.229, 0.224, 0.225]


def squeeze_excite(x, filters_in: int, filters: int, se_ratio: float, activation, name: str):
    """Scale ``x``'s channels by a gate computed from its global average (``{name}se_*`` layers)."""
    se = layers.GlobalAveragePooling2D(name=f"{name}se_squeeze")(x)
    se_shape = (filters, 1, 1) if _base.channel_axis() == 1 else (1, 1, filters)
    se = layers.Reshape(se_shape, name=f"{name}se_reshape")(se)
    se = layers.Conv2D(max(1, int(filters_in * se_ratio)), 1, padding="same", activation=activation,
                       kernel_initializer=CONV_KERNEL_INITIALIZER, name=f"{name}se_reduce")(se)
    se = layers.Conv2D(filters, 1, padding="same", activation="sigmoid", kernel_initializer=CONV_KERNEL_INITIALIZER,
                       name=f"{name}se_expand")(se)
    return layers.multiply([x, se], name=f"{name}se_excite")


def block(inputs, activation="swish", drop_rate: float = 0.0, name: str = "", filters_in: int = 32,
          filters_out: int = 16, kernel_size: int = 3, strides: int = 1, expand_ratio: int = 1, se_ratio: float = 0.0,
          id_skip: bool = True):
    """An MBConv block: expand (1x1), depthwise, squeeze-and-excite, project (1x1); residual with drop-connect."""
    axis = _base.channel_axis()
    filters = filters_in * expand_ratio
    x = inputs
    if expand_ratio != 1:
        x = layers.Conv2D(filters, 1, padding="same", use_bias=False, kernel_initializer=CONV_KERNEL_INITIALIZER,
                          name=f"{name}expand_conv")(x)
        x = layers.BatchNormalization(axis=axis, name=f"{name}expand_bn")(x)
        x = layers.Activation(activation, name=f"{name}expand_activation")(x)
    if strides == 2:
        x = layers.ZeroPadding2D(padding=imagenet_utils.correct_pad(x, kernel_size), name=f"{name}dwconv_pad")(x)
    x = layers.DepthwiseConv2D(kernel_size, strides=strides, padding="valid" if strides == 2 else "same",
                               use_bias=False, depthwise_initializer=CONV_KERNEL_INITIALIZER, name=f"{name}dwconv")(x)
    x = layers.BatchNormalization(axis=axis, name=f"{name}bn")(x)
    x = layers.Activation(activation, name=f"{name}activation")(x)
    if 0 < se_ratio <= 1:
        x = squeeze_excite(x, filters_in, filters, se_ratio, activation, name)
    x = layers.Conv2D(filters_out, 1, padding="same", use_bias=False, kernel_initializer=CONV_KERNEL_INITIALIZER,
                      name=f"{name}project_conv")(x)
    x = layers.BatchNormalization(axis=axis, name=f"{name}project_bn")(x)
    if id_skip and strides == 1 and filters_in == filters_out:
        if drop_rate > 0:
            x = layers.Dropout(drop_rate, noise_shape=(None, 1, 1, 1), name=f"{name}drop")(x)
        x = layers.add([x, inputs], name=f"{name}add")
    return x


def EfficientNet(width_coefficient: float, depth_coefficient: float, default_size: int, dropout_rate: float = 0.2,
                 drop_connect_rate: float = 0.2, depth_divisor: int = 8, activation="swish", blocks_args="default",
                 name: str = "efficientnet", include_top: bool = True, weights="imagenet", input_tensor=None,
                 input_shape=None, pooling=None, classes: int = 1000, classifier_activation="softmax",
                 weights_name: str | None = None) -> Functional:
    """An EfficientNet: B0's stages (``blocks_args``) with filters scaled by ``width_coefficient`` and repeats by
    ``depth_coefficient``. The other arguments are ``EfficientNetB0``'s."""
    blocks_args = DEFAULT_BLOCKS_ARGS if blocks_args == "default" else blocks_args
    _base.check_weights(weights, include_top, classes)
    img_input = _base.input_for(input_tensor, input_shape, default_size=default_size, min_size=32,
                                include_top=include_top, weights=weights)
    axis = _base.channel_axis()

    def round_filters(filters: float) -> int:
        filters *= width_coefficient
        rounded = max(depth_divisor, int(filters + depth_divisor / 2) // depth_divisor * depth_divisor)
        return int(rounded + depth_divisor if rounded < 0.9 * filters else rounded)

    def round_repeats(repeats: int) -> int:
        return int(math.ceil(depth_coefficient * repeats))

    x = layers.Rescaling(1.0 / 255.0)(img_input)
    x = layers.Normalization(axis=axis)(x)
    if weights == "imagenet":
        # the published weights hold the variance where they meant the standard deviation; this undoes it
        x = layers.Rescaling([1.0 / math.sqrt(stddev) for stddev in IMAGENET_STDDEV_RGB])(x)
    x = layers.ZeroPadding2D(padding=imagenet_utils.correct_pad(x, 3), name="stem_conv_pad")(x)
    x = layers.Conv2D(round_filters(32), 3, strides=2, padding="valid", use_bias=False,
                      kernel_initializer=CONV_KERNEL_INITIALIZER, name="stem_conv")(x)
    x = layers.BatchNormalization(axis=axis, name="stem_bn")(x)
    x = layers.Activation(activation, name="stem_activation")(x)
    total = float(sum(round_repeats(args["repeats"]) for args in blocks_args))
    done = 0
    for i, stage in enumerate(blocks_args):
        if stage["repeats"] <= 0:
            raise ValueError("The number of repeats in `EfficientNet` must be > 0. "
                             f"Received: repeats={stage['repeats']}")
        args = {key: value for key, value in stage.items() if key != "repeats"}
        args["filters_in"], args["filters_out"] = round_filters(args["filters_in"]), round_filters(args["filters_out"])
        for j in range(round_repeats(stage["repeats"])):
            if j > 0:
                args["strides"], args["filters_in"] = 1, args["filters_out"]
            x = block(x, activation, drop_connect_rate * done / total, name=f"block{i + 1}{chr(j + 97)}_", **args)
            done += 1
    x = layers.Conv2D(round_filters(1280), 1, padding="same", use_bias=False,
                      kernel_initializer=CONV_KERNEL_INITIALIZER, name="top_conv")(x)
    x = layers.BatchNormalization(axis=axis, name="top_bn")(x)
    x = layers.Activation(activation, name="top_activation")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate, name="top_dropout")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, kernel_initializer=DENSE_KERNEL_INITIALIZER,
                         name="predictions")(x)
    else:
        x = _base.global_pool(x, pooling)
    imagenet_file = None
    if weights_name in WEIGHTS_HASHES:
        fname = f"efficientnet{weights_name}{'.h5' if include_top else '_notop.h5'}"
        imagenet_file = (fname, BASE_WEIGHTS_PATH + fname, WEIGHTS_HASHES[weights_name][0 if include_top else 1])
    return _base.build_model(input_tensor, img_input, x, name, weights, imagenet_file)


# variant -> (width coefficient, depth coefficient, default size, dropout rate)
_VARIANTS = {"b0": (1.0, 1.0, 224, 0.2), "b1": (1.0, 1.1, 240, 0.2), "b2": (1.1, 1.2, 260, 0.3),
             "b3": (1.2, 1.4, 300, 0.3), "b4": (1.4, 1.8, 380, 0.4), "b5": (1.6, 2.2, 456, 0.4),
             "b6": (1.8, 2.6, 528, 0.5), "b7": (2.0, 3.1, 600, 0.5)}


def _variant(variant: str, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation,
             name) -> Functional:
    width, depth, size, dropout = _VARIANTS[variant]
    return EfficientNet(width, depth, size, dropout, name=name, include_top=include_top, weights=weights,
                        input_tensor=input_tensor, input_shape=input_shape, pooling=pooling, classes=classes,
                        classifier_activation=classifier_activation, weights_name=variant)


def EfficientNetB0(include_top: bool = True, weights="imagenet", input_tensor=None, input_shape: tuple | None = None,
                   pooling: str | None = None, classes: int = 1000, classifier_activation="softmax",
                   name: str = "efficientnetb0") -> Functional:
    """EfficientNetB0 (default input 224x224). The model scales 0-255 pixels itself.

    Args:
        include_top: whether to end with global average pooling, dropout and a ``classes``-way dense layer.
        weights: None (random initialisation), ``"imagenet"`` (Keras's published weights, downloaded
            once into ``~/.brickwork/models``) or the path of a weights file.
        input_tensor: an optional tensor (e.g. ``keras.Input``) to use as the model's input.
        input_shape: the shape of one image (height and width at least 32; None allowed without the top).
        pooling: without the top, ``None`` (4D feature maps), ``"avg"`` or ``"max"``.
        classes: the number of classes (1000 with ImageNet weights and the top).
        classifier_activation: the activation of the last layer (``None`` gives logits).
        name: the model's name.

    Returns:
        A Functional model taking pixels in ``[0, 255]``.

    Example:
        >>> model = keras.applications.EfficientNetB0(weights=None, input_shape=(32, 32, 3), classes=10)
        >>> model.output_shape
        (None, 10)
    """
    return _variant("b0", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation,
                    name)


def EfficientNetB1(include_top: bool = True, weights="imagenet", input_tensor=None, input_shape: tuple | None = None,
                   pooling: str | None = None, classes: int = 1000, classifier_activation="softmax",
                   name: str = "efficientnetb1") -> Functional:
    """EfficientNetB1 (default input 240x240).

    Args:
        include_top: whether to end with global average pooling, dropout and a ``classes``-way dense layer.
        weights: None (random initialisation), ``"imagenet"`` (Keras's published weights, downloaded
            once into ``~/.brickwork/models``) or the path of a weights file.
        input_tensor: an optional tensor (e.g. ``keras.Input``) to use as the model's input.
        input_shape: the shape of one image (height and width at least 32; None allowed without the top).
        pooling: without the top, ``None`` (4D feature maps), ``"avg"`` or ``"max"``.
        classes: the number of classes (1000 with ImageNet weights and the top).
        classifier_activation: the activation of the last layer (``None`` gives logits).
        name: the model's name.

    Returns:
        A Functional model taking pixels in ``[0, 255]``.

    Example:
        model = keras.applications.EfficientNetB1(weights=None, include_top=False, input_shape=(64, 64, 3))
    """
    return _variant("b1", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation,
                    name)


def EfficientNetB2(include_top: bool = True, weights="imagenet", input_tensor=None, input_shape: tuple | None = None,
                   pooling: str | None = None, classes: int = 1000, classifier_activation="softmax",
                   name: str = "efficientnetb2") -> Functional:
    """EfficientNetB2 (default input 260x260).

    Args:
        include_top: whether to end with global average pooling, dropout and a ``classes``-way dense layer.
        weights: None (random initialisation), ``"imagenet"`` (Keras's published weights, downloaded
            once into ``~/.brickwork/models``) or the path of a weights file.
        input_tensor: an optional tensor (e.g. ``keras.Input``) to use as the model's input.
        input_shape: the shape of one image (height and width at least 32; None allowed without the top).
        pooling: without the top, ``None`` (4D feature maps), ``"avg"`` or ``"max"``.
        classes: the number of classes (1000 with ImageNet weights and the top).
        classifier_activation: the activation of the last layer (``None`` gives logits).
        name: the model's name.

    Returns:
        A Functional model taking pixels in ``[0, 255]``.

    Example:
        model = keras.applications.EfficientNetB2(weights=None, include_top=False, input_shape=(64, 64, 3))
    """
    return _variant("b2", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation,
                    name)


def EfficientNetB3(include_top: bool = True, weights="imagenet", input_tensor=None, input_shape: tuple | None = None,
                   pooling: str | None = None, classes: int = 1000, classifier_activation="softmax",
                   name: str = "efficientnetb3") -> Functional:
    """EfficientNetB3 (default input 300x300).

    Args:
        include_top: whether to end with global average pooling, dropout and a ``classes``-way dense layer.
        weights: None (random initialisation), ``"imagenet"`` (Keras's published weights, downloaded
            once into ``~/.brickwork/models``) or the path of a weights file.
        input_tensor: an optional tensor (e.g. ``keras.Input``) to use as the model's input.
        input_shape: the shape of one image (height and width at least 32; None allowed without the top).
        pooling: without the top, ``None`` (4D feature maps), ``"avg"`` or ``"max"``.
        classes: the number of classes (1000 with ImageNet weights and the top).
        classifier_activation: the activation of the last layer (``None`` gives logits).
        name: the model's name.

    Returns:
        A Functional model taking pixels in ``[0, 255]``.

    Example:
        model = keras.applications.EfficientNetB3(weights=None, include_top=False, input_shape=(64, 64, 3))
    """
    return _variant("b3", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation,
                    name)


def EfficientNetB4(include_top: bool = True, weights="imagenet", input_tensor=None, input_shape: tuple | None = None,
                   pooling: str | None = None, classes: int = 1000, classifier_activation="softmax",
                   name: str = "efficientnetb4") -> Functional:
    """EfficientNetB4 (default input 380x380).

    Args:
        include_top: whether to end with global average pooling, dropout and a ``classes``-way dense layer.
        weights: None (random initialisation), ``"imagenet"`` (Keras's published weights, downloaded
            once into ``~/.brickwork/models``) or the path of a weights file.
        input_tensor: an optional tensor (e.g. ``keras.Input``) to use as the model's input.
        input_shape: the shape of one image (height and width at least 32; None allowed without the top).
        pooling: without the top, ``None`` (4D feature maps), ``"avg"`` or ``"max"``.
        classes: the number of classes (1000 with ImageNet weights and the top).
        classifier_activation: the activation of the last layer (``None`` gives logits).
        name: the model's name.

    Returns:
        A Functional model taking pixels in ``[0, 255]``.

    Example:
        model = keras.applications.EfficientNetB4(weights=None, include_top=False, input_shape=(64, 64, 3))
    """
    return _variant("b4", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation,
                    name)


def EfficientNetB5(include_top: bool = True, weights="imagenet", input_tensor=None, input_shape: tuple | None = None,
                   pooling: str | None = None, classes: int = 1000, classifier_activation="softmax",
                   name: str = "efficientnetb5") -> Functional:
    """EfficientNetB5 (default input 456x456).

    Args:
        include_top: whether to end with global average pooling, dropout and a ``classes``-way dense layer.
        weights: None (random initialisation), ``"imagenet"`` (Keras's published weights, downloaded
            once into ``~/.brickwork/models``) or the path of a weights file.
        input_tensor: an optional tensor (e.g. ``keras.Input``) to use as the model's input.
        input_shape: the shape of one image (height and width at least 32; None allowed without the top).
        pooling: without the top, ``None`` (4D feature maps), ``"avg"`` or ``"max"``.
        classes: the number of classes (1000 with ImageNet weights and the top).
        classifier_activation: the activation of the last layer (``None`` gives logits).
        name: the model's name.

    Returns:
        A Functional model taking pixels in ``[0, 255]``.

    Example:
        model = keras.applications.EfficientNetB5(weights=None, include_top=False, input_shape=(64, 64, 3))
    """
    return _variant("b5", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation,
                    name)


def EfficientNetB6(include_top: bool = True, weights="imagenet", input_tensor=None, input_shape: tuple | None = None,
                   pooling: str | None = None, classes: int = 1000, classifier_activation="softmax",
                   name: str = "efficientnetb6") -> Functional:
    """EfficientNetB6 (default input 528x528).

    Args:
        include_top: whether to end with global average pooling, dropout and a ``classes``-way dense layer.
        weights: None (random initialisation), ``"imagenet"`` (Keras's published weights, downloaded
            once into ``~/.brickwork/models``) or the path of a weights file.
        input_tensor: an optional tensor (e.g. ``keras.Input``) to use as the model's input.
        input_shape: the shape of one image (height and width at least 32; None allowed without the top).
        pooling: without the top, ``None`` (4D feature maps), ``"avg"`` or ``"max"``.
        classes: the number of classes (1000 with ImageNet weights and the top).
        classifier_activation: the activation of the last layer (``None`` gives logits).
        name: the model's name.

    Returns:
        A Functional model taking pixels in ``[0, 255]``.

    Example:
        model = keras.applications.EfficientNetB6(weights=None, include_top=False, input_shape=(64, 64, 3))
    """
    return _variant("b6", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation,
                    name)


def EfficientNetB7(include_top: bool = True, weights="imagenet", input_tensor=None, input_shape: tuple | None = None,
                   pooling: str | None = None, classes: int = 1000, classifier_activation="softmax",
                   name: str = "efficientnetb7") -> Functional:
    """EfficientNetB7 (default input 600x600).

    Args:
        include_top: whether to end with global average pooling, dropout and a ``classes``-way dense layer.
        weights: None (random initialisation), ``"imagenet"`` (Keras's published weights, downloaded
            once into ``~/.brickwork/models``) or the path of a weights file.
        input_tensor: an optional tensor (e.g. ``keras.Input``) to use as the model's input.
        input_shape: the shape of one image (height and width at least 32; None allowed without the top).
        pooling: without the top, ``None`` (4D feature maps), ``"avg"`` or ``"max"``.
        classes: the number of classes (1000 with ImageNet weights and the top).
        classifier_activation: the activation of the last layer (``None`` gives logits).
        name: the model's name.

    Returns:
        A Functional model taking pixels in ``[0, 255]``.

    Example:
        model = keras.applications.EfficientNetB7(weights=None, include_top=False, input_shape=(64, 64, 3))
    """
    return _variant("b7", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation,
                    name)


def preprocess_input(x, data_format: str | None = None):
    """The identity: EfficientNet models rescale their inputs themselves.

    Example:
        >>> preprocess_input(3.0)
        3.0
    """
    return x


decode_predictions = imagenet_utils.decode_predictions
