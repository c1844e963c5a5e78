"""ResNet (He et al., 2015) and ResNetV2 (He et al., 2016): residual bottleneck blocks, post- or pre-activation.

``ResNet50/101/152`` put batch normalization and ReLU after each convolution; ``ResNet50V2/101V2/152V2``
(exported from ``keras.applications.resnet_v2``) before it, with one batch normalization at the end.
"""

from __future__ import annotations

from typing import Callable

from brickwork import layers
from brickwork.applications import _base, imagenet_utils
from brickwork.applications._weights import KERAS_ORIGIN
from brickwork.models.functional import Functional

WEIGHTS_ORIGIN = KERAS_ORIGIN + "resnet/"
# weights name -> (MD5 with the top, MD5 without it) of Keras's published files
WEIGHTS_HASHES = {
    "resnet50": ("2cb95161c43110f7111970584f804107", "4d473c1dd8becc155b73f8504c6f6626"),
    "resnet101": ("f1aeb4b969a6efcfb50fad2f0c20cfc5", "88cf7a10940856eca736dc7b7e228a21"),
    "resnet152": ("100835be76be38e30d865e96f2aaae62", "ee4c566cf9a93f14d82f913c2dc6dd0c"),
    "resnet50v2": ("3ef43a0b657b3be2300d5770ece849e0", "fac2f116257151a9d068a22e544a4917"),
    "resnet101v2": ("6343647c601c52e1368623803854d971", "c0ed64b8031c3730f411d2eb4eea35b5"),
    "resnet152v2": ("a49b44d1979771252814e80f8ec446f9", "ed17cf2e0169df9d443503ef94b23b33"),
}

_EPSILON = 1.001e-5


def _bn(x, name: str):
    return layers.BatchNormalization(axis=_base.channel_axis(), epsilon=_EPSILON, name=name)(x)


def ResNet(stack_fn: Callable, preact: bool, use_bias: bool, include_top: bool = True, weights="imagenet",
           input_tensor=None, input_shape=None, pooling=None, classes: int = 1000, classifier_activation="softmax",
           name: str = "resnet", weights_name: str | None = None) -> Functional:
    """A ResNet around ``stack_fn`` (the residual stages): stem, stages, optional final normalization, top.

    Args:
        stack_fn: maps the stem's output to the last stage's output.
        preact: True for ResNetV2 (no normalization in the stem; ``post_bn`` after the stages).
        use_bias: whether the stem convolution has a bias.
        weights_name: the key in ``WEIGHTS_HASHES`` of the published weights (None: none).

    The other arguments are ``ResNet50``'s.
    """
    _base.check_weights(weights, include_top, classes)
    img_input = _base.input_for(input_tensor, input_shape, default_size=224, min_size=32, include_top=include_top,
                                weights=weights)
    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)), name="conv1_pad")(img_input)
    x = layers.Conv2D(64, 7, strides=2, use_bias=use_bias, name="conv1_conv")(x)
    if not preact:
        x = _bn(x, "conv1_bn")
        x = layers.Activation("relu", name="conv1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name="pool1_pad")(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1_pool")(x)
    x = stack_fn(x)
    if preact:
        x = _bn(x, "post_bn")
        x = layers.Activation("relu", name="post_relu")(x)
    x = _base.pooled_top(x, include_top=include_top, pooling=pooling, classes=classes,
                         classifier_activation=classifier_activation, weights=weights)
    imagenet_file = None
    if weights_name in WEIGHTS_HASHES:
        suffix = "" if include_top else "_notop"
        fname = f"{weights_name}_weights_tf_dim_ordering_tf_kernels{suffix}.h5"
        imagenet_file = (fname, WEIGHTS_ORIGIN + fname, WEIGHTS_HASHES[weights_name][0 if include_top else 1])
    return _base.build_model(input_tensor, img_input, x, name, weights, imagenet_file)


def residual_block_v1(x, filters: int, kernel_size: int = 3, stride: int = 1, conv_shortcut: bool = True,
                      name: str | None = None):
    """A post-activation bottleneck block: 1x1, ``kernel_size``, 1x1 (``4 * filters`` out) plus the shortcut."""
    if conv_shortcut:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride, name=f"{name}_0_conv")(x)
        shortcut = _bn(shortcut, f"{name}_0_bn")
    else:
        shortcut = x
    x = layers.Conv2D(filters, 1, strides=stride, name=f"{name}_1_conv")(x)
    x = layers.Activation("relu", name=f"{name}_1_relu")(_bn(x, f"{name}_1_bn"))
    x = layers.Conv2D(filters, kernel_size, padding="same", name=f"{name}_2_conv")(x)
    x = layers.Activation("relu", name=f"{name}_2_relu")(_bn(x, f"{name}_2_bn"))
    x = layers.Conv2D(4 * filters, 1, name=f"{name}_3_conv")(x)
    x = _bn(x, f"{name}_3_bn")
    x = layers.Add(name=f"{name}_add")([shortcut, x])
    return layers.Activation("relu", name=f"{name}_out")(x)


def stack_residual_blocks_v1(x, filters: int, blocks: int, stride1: int = 2, name: str | None = None):
    """``blocks`` v1 blocks; the first projects the shortcut and strides by ``stride1``."""
    x = residual_block_v1(x, filters, stride=stride1, name=f"{name}_block1")
    for i in range(2, blocks + 1):
        x = residual_block_v1(x, filters, conv_shortcut=False, name=f"{name}_block{i}")
    return x


def residual_block_v2(x, filters: int, kernel_size: int = 3, stride: int = 1, conv_shortcut: bool = False,
                      name: str | None = None):
    """A pre-activation bottleneck block (the stride sits on the 3x3 convolution)."""
    preact = layers.Activation("relu", name=f"{name}_preact_relu")(_bn(x, f"{name}_preact_bn"))
    if conv_shortcut:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride, name=f"{name}_0_conv")(preact)
    else:
        shortcut = layers.MaxPooling2D(1, strides=stride)(x) if stride > 1 else x
    x = layers.Conv2D(filters, 1, strides=1, use_bias=False, name=f"{name}_1_conv")(preact)
    x = layers.Activation("relu", name=f"{name}_1_relu")(_bn(x, f"{name}_1_bn"))
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name=f"{name}_2_pad")(x)
    x = layers.Conv2D(filters, kernel_size, strides=stride, use_bias=False, name=f"{name}_2_conv")(x)
    x = layers.Activation("relu", name=f"{name}_2_relu")(_bn(x, f"{name}_2_bn"))
    x = layers.Conv2D(4 * filters, 1, name=f"{name}_3_conv")(x)
    return layers.Add(name=f"{name}_out")([shortcut, x])


def stack_residual_blocks_v2(x, filters: int, blocks: int, stride1: int = 2, name: str | None = None):
    """``blocks`` v2 blocks; the first projects the shortcut, the last strides by ``stride1``."""
    x = residual_block_v2(x, filters, conv_shortcut=True, name=f"{name}_block1")
    for i in range(2, blocks):
        x = residual_block_v2(x, filters, name=f"{name}_block{i}")
    return residual_block_v2(x, filters, stride=stride1, name=f"{name}_block{blocks}")


def _stages(version: int, depths: tuple) -> Callable:
    """The four stages (64, 128, 256, 512 filters) of ``depths`` blocks each."""
    def stack_fn(x):
        for stage, (filters, blocks) in enumerate(zip((64, 128, 256, 512), depths), start=2):
            if version == 1:
                x = stack_residual_blocks_v1(x, filters, blocks, stride1=1 if stage == 2 else 2, name=f"conv{stage}")
            else:
                x = stack_residual_blocks_v2(x, filters, blocks, stride1=1 if stage == 5 else 2, name=f"conv{stage}")
        return x
    return stack_fn


def _resnet(version: int, depths: tuple, weights_name: str, include_top, weights, input_tensor, input_shape, pooling,
            classes, classifier_activation, name) -> Functional:
    return ResNet(_stages(version, depths), preact=version == 2, use_bias=True, include_top=include_top,
                  weights=weights, input_tensor=input_tensor, input_shape=input_shape, pooling=pooling,
                  classes=classes, classifier_activation=classifier_activation, name=name, weights_name=weights_name)


def ResNet50(include_top: bool = True, weights="imagenet", input_tensor=None, input_shape: tuple | None = None,
             pooling: str | None = None, classes: int = 1000, classifier_activation="softmax",
             name: str = "resnet50") -> Functional:
    """ResNet50: 16 bottleneck blocks (3, 4, 6, 3) with batch normalization after each convolution.

    Args:
        include_top: whether to end with global average pooling and a ``classes``-way dense layer.
        weights: None (random initialisation), ``"imagenet"`` (Keras's published weights, downloaded
            once into ``~/.brickwork/models``) or the path of a weights file.
        input_tensor: an optional tensor (e.g. ``keras.Input``) to use as the model's input.
        input_shape: the shape of one image, e.g. ``(224, 224, 3)`` (height and width at least 32; None
            allowed without the top).
        pooling: without the top, ``None`` (4D feature maps), ``"avg"`` or ``"max"`` (global pooling to 2D).
        classes: the number of classes (1000 with ImageNet weights and the top).
        classifier_activation: the activation of the last layer (``None`` gives logits).
        name: the model's name.

    Returns:
        A Functional model. Scale its inputs with ``keras.applications.resnet.preprocess_input``.

    Example:
        >>> model = keras.applications.ResNet50(weights=None, include_top=False, pooling="avg",
        ...                                     input_shape=(32, 32, 3))
        >>> model.output_shape
        (None, 2048)
    """
    return _resnet(1, (3, 4, 6, 3), "resnet50", include_top, weights, input_tensor, input_shape, pooling, classes,
                   classifier_activation, name)


def ResNet101(include_top: bool = True, weights="imagenet", input_tensor=None, input_shape: tuple | None = None,
              pooling: str | None = None, classes: int = 1000, classifier_activation="softmax",
              name: str = "resnet101") -> Functional:
    """ResNet101: 33 bottleneck blocks (3, 4, 23, 3).

    Args:
        include_top: whether to end with global average pooling and a ``classes``-way dense layer.
        weights: None (random initialisation), ``"imagenet"`` (Keras's published weights, downloaded
            once into ``~/.brickwork/models``) or the path of a weights file.
        input_tensor: an optional tensor (e.g. ``keras.Input``) to use as the model's input.
        input_shape: the shape of one image, e.g. ``(224, 224, 3)`` (height and width at least 32; None
            allowed without the top).
        pooling: without the top, ``None`` (4D feature maps), ``"avg"`` or ``"max"`` (global pooling to 2D).
        classes: the number of classes (1000 with ImageNet weights and the top).
        classifier_activation: the activation of the last layer (``None`` gives logits).
        name: the model's name.

    Returns:
        A Functional model. Scale its inputs with ``keras.applications.resnet.preprocess_input``.

    Example:
        model = keras.applications.ResNet101(weights=None, classes=10, input_shape=(64, 64, 3))
    """
    return _resnet(1, (3, 4, 23, 3), "resnet101", include_top, weights, input_tensor, input_shape, pooling, classes,
                   classifier_activation, name)


def ResNet152(include_top: bool = True, weights="imagenet", input_tensor=None, input_shape: tuple | None = None,
              pooling: str | None = None, classes: int = 1000, classifier_activation="softmax",
              name: str = "resnet152") -> Functional:
    """ResNet152: 50 bottleneck blocks (3, 8, 36, 3).

    Args:
        include_top: whether to end with global average pooling and a ``classes``-way dense layer.
        weights: None (random initialisation), ``"imagenet"`` (Keras's published weights, downloaded
            once into ``~/.brickwork/models``) or the path of a weights file.
        input_tensor: an optional tensor (e.g. ``keras.Input``) to use as the model's input.
        input_shape: the shape of one image, e.g. ``(224, 224, 3)`` (height and width at least 32; None
            allowed without the top).
        pooling: without the top, ``None`` (4D feature maps), ``"avg"`` or ``"max"`` (global pooling to 2D).
        classes: the number of classes (1000 with ImageNet weights and the top).
        classifier_activation: the activation of the last layer (``None`` gives logits).
        name: the model's name.

    Returns:
        A Functional model. Scale its inputs with ``keras.applications.resnet.preprocess_input``.

    Example:
        model = keras.applications.ResNet152(weights=None, classes=10, input_shape=(64, 64, 3))
    """
    return _resnet(1, (3, 8, 36, 3), "resnet152", include_top, weights, input_tensor, input_shape, pooling, classes,
                   classifier_activation, name)


def ResNet50V2(include_top: bool = True, weights="imagenet", input_tensor=None, input_shape: tuple | None = None,
               pooling: str | None = None, classes: int = 1000, classifier_activation="softmax",
               name: str = "resnet50v2") -> Functional:
    """ResNet50V2: 16 pre-activation bottleneck blocks (3, 4, 6, 3).

    Scale its inputs with ``keras.applications.resnet_v2.preprocess_input`` (to ``[-1, 1]``).

    Args:
        include_top: whether to end with global average pooling and a ``classes``-way dense layer.
        weights: None (random initialisation), ``"imagenet"`` (Keras's published weights, downloaded
            once into ``~/.brickwork/models``) or the path of a weights file.
        input_tensor: an optional tensor (e.g. ``keras.Input``) to use as the model's input.
        input_shape: the shape of one image, e.g. ``(224, 224, 3)`` (height and width at least 32; None
            allowed without the top).
        pooling: without the top, ``None`` (4D feature maps), ``"avg"`` or ``"max"`` (global pooling to 2D).
        classes: the number of classes (1000 with ImageNet weights and the top).
        classifier_activation: the activation of the last layer (``None`` gives logits).
        name: the model's name.

    Returns:
        A Functional model. Scale its inputs with ``keras.applications.resnet_v2.preprocess_input``.

    Example:
        >>> model = keras.applications.ResNet50V2(weights=None, include_top=False, input_shape=(32, 32, 3))
        >>> model.output_shape
        (None, 1, 1, 2048)
    """
    return _resnet(2, (3, 4, 6, 3), "resnet50v2", include_top, weights, input_tensor, input_shape, pooling, classes,
                   classifier_activation, name)


def ResNet101V2(include_top: bool = True, weights="imagenet", input_tensor=None, input_shape: tuple | None = None,
                pooling: str | None = None, classes: int = 1000, classifier_activation="softmax",
                name: str = "resnet101v2") -> Functional:
    """ResNet101V2: 33 pre-activation bottleneck blocks (3, 4, 23, 3).

    Args:
        include_top: whether to end with global average pooling and a ``classes``-way dense layer.
        weights: None (random initialisation), ``"imagenet"`` (Keras's published weights, downloaded
            once into ``~/.brickwork/models``) or the path of a weights file.
        input_tensor: an optional tensor (e.g. ``keras.Input``) to use as the model's input.
        input_shape: the shape of one image, e.g. ``(224, 224, 3)`` (height and width at least 32; None
            allowed without the top).
        pooling: without the top, ``None`` (4D feature maps), ``"avg"`` or ``"max"`` (global pooling to 2D).
        classes: the number of classes (1000 with ImageNet weights and the top).
        classifier_activation: the activation of the last layer (``None`` gives logits).
        name: the model's name.

    Returns:
        A Functional model. Scale its inputs with ``keras.applications.resnet_v2.preprocess_input``.

    Example:
        model = keras.applications.ResNet101V2(weights=None, classes=10, input_shape=(64, 64, 3))
    """
    return _resnet(2, (3, 4, 23, 3), "resnet101v2", include_top, weights, input_tensor, input_shape, pooling, classes,
                   classifier_activation, name)


def ResNet152V2(include_top: bool = True, weights="imagenet", input_tensor=None, input_shape: tuple | None = None,
                pooling: str | None = None, classes: int = 1000, classifier_activation="softmax",
                name: str = "resnet152v2") -> Functional:
    """ResNet152V2: 50 pre-activation bottleneck blocks (3, 8, 36, 3).

    Args:
        include_top: whether to end with global average pooling and a ``classes``-way dense layer.
        weights: None (random initialisation), ``"imagenet"`` (Keras's published weights, downloaded
            once into ``~/.brickwork/models``) or the path of a weights file.
        input_tensor: an optional tensor (e.g. ``keras.Input``) to use as the model's input.
        input_shape: the shape of one image, e.g. ``(224, 224, 3)`` (height and width at least 32; None
            allowed without the top).
        pooling: without the top, ``None`` (4D feature maps), ``"avg"`` or ``"max"`` (global pooling to 2D).
        classes: the number of classes (1000 with ImageNet weights and the top).
        classifier_activation: the activation of the last layer (``None`` gives logits).
        name: the model's name.

    Returns:
        A Functional model. Scale its inputs with ``keras.applications.resnet_v2.preprocess_input``.

    Example:
        model = keras.applications.ResNet152V2(weights=None, classes=10, input_shape=(64, 64, 3))
    """
    return _resnet(2, (3, 8, 36, 3), "resnet152v2", include_top, weights, input_tensor, input_shape, pooling, classes,
                   classifier_activation, name)


def preprocess_input(x, data_format: str | None = None):
    """Scale RGB images (0-255) for ResNet (v1): converted to BGR, the ImageNet mean subtracted (``"caffe"``)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="caffe")


decode_predictions = imagenet_utils.decode_predictions
