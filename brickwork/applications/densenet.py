"""DenseNet121, DenseNet169 and DenseNet201 (Huang et al., 2016): each layer's features concatenated to all
earlier ones within a dense block, transition blocks halving channels and resolution in between."""

from __future__ import annotations

from brickwork import layers
from brickwork.applications import _base, imagenet_utils
from brickwork.applications._weights import KERAS_ORIGIN
from brickwork.models.functional import Functional

WEIGHTS_ORIGIN = KERAS_ORIGIN + "densenet/"
# layers per dense block -> (weights name, MD5 with the top, MD5 without it)
WEIGHT_FILES = {
    (6, 12, 24, 16): ("densenet121", "9d60b8095a5708f2dcce2bca79d332c7", "30ee3e1110167f948a6b9946edeeb738"),
    (6, 12, 32, 32): ("densenet169", "d699b8f76981ab1b30698df4c175e90b", "b8c4d4c20dd625c148057b9ff1c1176b"),
    (6, 12, 48, 32): ("densenet201", "1ceb130c1ea1b78c3bf6114dbdfd8807", "c13680b51ded0fb44dff2d8f86ac8bb1"),
}

_EPSILON = 1.001e-5
_GROWTH_RATE = 32


def _bn_relu(x, name: str):
    x = layers.BatchNormalization(axis=_base.channel_axis(), epsilon=_EPSILON, name=f"{name}_bn")(x)
    return layers.Activation("relu", name=f"{name}_relu")(x)


def conv_block(x, growth_rate: int, name: str):
    """One dense layer: BN-ReLU-1x1 conv (``4 * growth_rate``), BN-ReLU-3x3 conv, concatenated to ``x``."""
    y = _bn_relu(x, f"{name}_0")
    y = layers.Conv2D(4 * growth_rate, 1, use_bias=False, name=f"{name}_1_conv")(y)
    y = _bn_relu(y, f"{name}_1")
    y = layers.Conv2D(growth_rate, 3, padding="same", use_bias=False, name=f"{name}_2_conv")(y)
    return layers.Concatenate(axis=_base.channel_axis(), name=f"{name}_concat")([x, y])


def dense_block(x, blocks: int, name: str):
    """``blocks`` dense layers."""
    for i in range(1, blocks + 1):
        x = conv_block(x, _GROWTH_RATE, name=f"{name}_block{i}")
    return x


def transition_block(x, reduction: float, name: str):
    """BN-ReLU, a 1x1 convolution keeping ``reduction`` of the channels, 2x2 average pooling."""
    x = _bn_relu(x, name)
    channels = x.shape[_base.channel_axis()]
    x = layers.Conv2D(int(channels * reduction), 1, use_bias=False, name=f"{name}_conv")(x)
    return layers.AveragePooling2D(2, strides=2, name=f"{name}_pool")(x)


def DenseNet(blocks, include_top: bool = True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None,
             classes: int = 1000, classifier_activation="softmax", name: str = "densenet") -> Functional:
    """A DenseNet with ``blocks`` dense layers in each of its four dense blocks (channels_last only).

    The other arguments are ``DenseNet121``'s.
    """
    _base.require_channels_last("DenseNet")
    _base.check_weights(weights, include_top, classes)
    # Keras checks the shape without the weights here: pretrained DenseNets accept any channel count
    img_input = _base.input_for(input_tensor, input_shape, default_size=224, min_size=32, include_top=include_top,
                                weights=None)
    axis = _base.channel_axis()
    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)))(img_input)
    x = layers.Conv2D(64, 7, strides=2, use_bias=False, name="conv1_conv")(x)
    x = layers.BatchNormalization(axis=axis, epsilon=_EPSILON, name="conv1_bn")(x)
    x = layers.Activation("relu", name="conv1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)))(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1")(x)
    for stage, count in enumerate(blocks, start=2):
        x = dense_block(x, count, name=f"conv{stage}")
        if stage < 5:
            x = transition_block(x, 0.5, name=f"pool{stage}")
    x = layers.BatchNormalization(axis=axis, epsilon=_EPSILON, name="bn")(x)
    x = layers.Activation("relu", name="relu")(x)
    x = _base.pooled_top(x, include_top=include_top, pooling=pooling, classes=classes,
                         classifier_activation=classifier_activation, weights=weights)
    imagenet_file = None
    if tuple(blocks) in WEIGHT_FILES:
        weights_name, top_hash, notop_hash = WEIGHT_FILES[tuple(blocks)]
        fname = f"{weights_name}_weights_tf_dim_ordering_tf_kernels{'' if include_top else '_notop'}.h5"
        imagenet_file = (fname, WEIGHTS_ORIGIN + fname, top_hash if include_top else notop_hash)
    return _base.build_model(input_tensor, img_input, x, name, weights, imagenet_file)


def DenseNet121(include_top: bool = True, weights="imagenet", input_tensor=None, input_shape: tuple | None = None,
                pooling: str | None = None, classes: int = 1000, classifier_activation="softmax",
                name: str = "densenet121") -> Functional:
    """DenseNet121: dense blocks of 6, 12, 24 and 16 layers.

    Args:
        include_top: whether to end with global average pooling and a ``classes``-way dense layer.
        weights: None (random initialisation), ``"imagenet"`` (Keras's published weights, downloaded
            once into ``~/.brickwork/models``) or the path of a weights file.
        input_tensor: an optional tensor (e.g. ``keras.Input``) to use as the model's input.
        input_shape: the shape of one image, e.g. ``(224, 224, 3)`` (height and width at least 32).
        pooling: without the top, ``None`` (4D feature maps), ``"avg"`` or ``"max"``.
        classes: the number of classes (1000 with ImageNet weights and the top).
        classifier_activation: the activation of the last layer (``None`` gives logits).
        name: the model's name.

    Returns:
        A Functional model. Scale its inputs with ``keras.applications.densenet.preprocess_input``.

    Example:
        >>> model = keras.applications.DenseNet121(weights=None, include_top=False, pooling="avg",
        ...                                        input_shape=(32, 32, 3))
        >>> model.output_shape
        (None, 1024)
    """
    return DenseNet((6, 12, 24, 16), include_top, weights, input_tensor, input_shape, pooling, classes,
                    classifier_activation, name)


def DenseNet169(include_top: bool = True, weights="imagenet", input_tensor=None, input_shape: tuple | None = None,
                pooling: str | None = None, classes: int = 1000, classifier_activation="softmax",
                name: str = "densenet169") -> Functional:
    """DenseNet169: dense blocks of 6, 12, 32 and 32 layers.

    Args:
        include_top: whether to end with global average pooling and a ``classes``-way dense layer.
        weights: None (random initialisation), ``"imagenet"`` (Keras's published weights, downloaded
            once into ``~/.brickwork/models``) or the path of a weights file.
        input_tensor: an optional tensor (e.g. ``keras.Input``) to use as the model's input.
        input_shape: the shape of one image, e.g. ``(224, 224, 3)`` (height and width at least 32).
        pooling: without the top, ``None`` (4D feature maps), ``"avg"`` or ``"max"``.
        classes: the number of classes (1000 with ImageNet weights and the top).
        classifier_activation: the activation of the last layer (``None`` gives logits).
        name: the model's name.

    Returns:
        A Functional model. Scale its inputs with ``keras.applications.densenet.preprocess_input``.

    Example:
        model = keras.applications.DenseNet169(weights=None, classes=10, input_shape=(64, 64, 3))
    """
    return DenseNet((6, 12, 32, 32), include_top, weights, input_tensor, input_shape, pooling, classes,
                    classifier_activation, name)


def DenseNet201(include_top: bool = True, weights="imagenet", input_tensor=None, input_shape: tuple | None = None,
                pooling: str | None = None, classes: int = 1000, classifier_activation="softmax",
                name: str = "densenet201") -> Functional:
    """DenseNet201: dense blocks of 6, 12, 48 and 32 layers.

    Args:
        include_top: whether to end with global average pooling and a ``classes``-way dense layer.
        weights: None (random initialisation), ``"imagenet"`` (Keras's published weights, downloaded
            once into ``~/.brickwork/models``) or the path of a weights file.
        input_tensor: an optional tensor (e.g. ``keras.Input``) to use as the model's input.
        input_shape: the shape of one image, e.g. ``(224, 224, 3)`` (height and width at least 32).
        pooling: without the top, ``None`` (4D feature maps), ``"avg"`` or ``"max"``.
        classes: the number of classes (1000 with ImageNet weights and the top).
        classifier_activation: the activation of the last layer (``None`` gives logits).
        name: the model's name.

    Returns:
        A Functional model. Scale its inputs with ``keras.applications.densenet.preprocess_input``.

    Example:
        model = keras.applications.DenseNet201(weights=None, classes=10, input_shape=(64, 64, 3))
    """
    return DenseNet((6, 12, 48, 32), include_top, weights, input_tensor, input_shape, pooling, classes,
                    classifier_activation, name)


def preprocess_input(x, data_format: str | None = None):
    """Scale RGB images (0-255) for DenseNet: to ``[0, 1]``, then normalised per channel (``"torch"`` mode)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="torch")


decode_predictions = imagenet_utils.decode_predictions
