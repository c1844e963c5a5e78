"""InceptionV3 (Szegedy et al., 2015): factorised inception modules ``mixed0`` to ``mixed10``."""

from __future__ import annotations

from brickwork import layers
from brickwork.applications import _base, imagenet_utils
from brickwork.applications._weights import KERAS_ORIGIN
from brickwork.models.functional import Functional

# include_top -> (file name, MD5) of Keras's published weights
WEIGHT_FILES = {
    True: ("inception_v3_weights_tf_dim_ordering_tf_kernels.h5", "9a0d58056eeedaa3f26cb7ebd46da564"),
    False: ("inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5", "bcbd6486424b2319ff4ef7d526e38f63"),
}


def conv2d_bn(x, filters: int, num_row: int, num_col: int, padding: str = "same", strides=(1, 1),
              name: str | None = None):
    """Convolution (no bias), batch normalization (no scale), ReLU."""
    x = layers.Conv2D(filters, (num_row, num_col), strides=strides, padding=padding, use_bias=False,
                      name=None if name is None else f"{name}_conv")(x)
    x = layers.BatchNormalization(axis=_base.channel_axis(), scale=False,
                                  name=None if name is None else f"{name}_bn")(x)
    return layers.Activation("relu", name=name)(x)


def _avg_branch(x, filters: int):
    return conv2d_bn(layers.AveragePooling2D((3, 3), strides=(1, 1), padding="same")(x), filters, 1, 1)


def _module_a(x, pool_filters: int, name: str):
    """35x35: 1x1, 5x5, double 3x3 and pooled branches."""
    branch1x1 = conv2d_bn(x, 64, 1, 1)
    branch5x5 = conv2d_bn(conv2d_bn(x, 48, 1, 1), 64, 5, 5)
    branch3x3dbl = conv2d_bn(conv2d_bn(conv2d_bn(x, 64, 1, 1), 96, 3, 3), 96, 3, 3)
    branch_pool = _avg_branch(x, pool_filters)
    return layers.concatenate([branch1x1, branch5x5, branch3x3dbl, branch_pool], axis=_base.channel_axis(),
                              name=name)


def _module_c(x, filters: int, name: str):
    """17x17: 1x1, factorised 7x7, double factorised 7x7 and pooled branches."""
    branch1x1 = conv2d_bn(x, 192, 1, 1)
    branch7x7 = conv2d_bn(conv2d_bn(conv2d_bn(x, filters, 1, 1), filters, 1, 7), 192, 7, 1)
    branch7x7dbl = conv2d_bn(x, filters, 1, 1)
    for size, (rows, cols) in ((filters, (7, 1)), (filters, (1, 7)), (filters, (7, 1)), (192, (1, 7))):
        branch7x7dbl = conv2d_bn(branch7x7dbl, size, rows, cols)
    branch_pool = _avg_branch(x, 192)
    return layers.concatenate([branch1x1, branch7x7, branch7x7dbl, branch_pool], axis=_base.channel_axis(),
                              name=name)


def _module_e(x, index: int):
    """8x8: 1x1, split 3x3, double split 3x3 and pooled branches."""
    axis = _base.channel_axis()
    branch1x1 = conv2d_bn(x, 320, 1, 1)
    branch3x3 = conv2d_bn(x, 384, 1, 1)
    branch3x3 = layers.concatenate([conv2d_bn(branch3x3, 384, 1, 3), conv2d_bn(branch3x3, 384, 3, 1)], axis=axis,
                                   name=f"mixed9_{index}")
    branch3x3dbl = conv2d_bn(conv2d_bn(x, 448, 1, 1), 384, 3, 3)
    branch3x3dbl = layers.concatenate([conv2d_bn(branch3x3dbl, 384, 1, 3), conv2d_bn(branch3x3dbl, 384, 3, 1)],
                                      axis=axis)
    branch_pool = _avg_branch(x, 192)
    return layers.concatenate([branch1x1, branch3x3, branch3x3dbl, branch_pool], axis=axis, name=f"mixed{9 + index}")


def InceptionV3(include_top: bool = True, weights="imagenet", input_tensor=None, input_shape: tuple | None = None,
                pooling: str | None = None, classes: int = 1000, classifier_activation="softmax",
                name: str = "inception_v3") -> Functional:
    """InceptionV3 (default input 299x299).

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
        A Functional model. Scale its inputs with ``keras.applications.inception_v3.preprocess_input``.

    Example:
        >>> model = keras.applications.InceptionV3(weights=None, input_shape=(75, 75, 3), classes=10)
        >>> model.output_shape
        (None, 10)
    """
    _base.check_weights(weights, include_top, classes)
    img_input = _base.input_for(input_tensor, input_shape, default_size=299, min_size=75, include_top=include_top,
                                weights=weights)
    axis = _base.channel_axis()
    x = conv2d_bn(img_input, 32, 3, 3, strides=(2, 2), padding="valid")
    x = conv2d_bn(x, 32, 3, 3, padding="valid")
    x = conv2d_bn(x, 64, 3, 3)
    x = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = conv2d_bn(x, 80, 1, 1, padding="valid")
    x = conv2d_bn(x, 192, 3, 3, padding="valid")
    x = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = _module_a(x, 32, "mixed0")
    x = _module_a(x, 64, "mixed1")
    x = _module_a(x, 64, "mixed2")
    # reduction to 17x17
    branch3x3 = conv2d_bn(x, 384, 3, 3, strides=(2, 2), padding="valid")
    branch3x3dbl = conv2d_bn(conv2d_bn(conv2d_bn(x, 64, 1, 1), 96, 3, 3), 96, 3, 3, strides=(2, 2), padding="valid")
    branch_pool = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = layers.concatenate([branch3x3, branch3x3dbl, branch_pool], axis=axis, name="mixed3")
    x = _module_c(x, 128, "mixed4")
    x = _module_c(x, 160, "mixed5")
    x = _module_c(x, 160, "mixed6")
    x = _module_c(x, 192, "mixed7")
    # reduction to 8x8
    branch3x3 = conv2d_bn(conv2d_bn(x, 192, 1, 1), 320, 3, 3, strides=(2, 2), padding="valid")
    branch7x7x3 = conv2d_bn(conv2d_bn(conv2d_bn(x, 192, 1, 1), 192, 1, 7), 192, 7, 1)
    branch7x7x3 = conv2d_bn(branch7x7x3, 192, 3, 3, strides=(2, 2), padding="valid")
    branch_pool = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = layers.concatenate([branch3x3, branch7x7x3, branch_pool], axis=axis, name="mixed8")
    x = _module_e(x, 0)
    x = _module_e(x, 1)
    x = _base.pooled_top(x, include_top=include_top, pooling=pooling, classes=classes,
                         classifier_activation=classifier_activation, weights=weights, named_pools=False)
    fname, file_hash = WEIGHT_FILES[bool(include_top)]
    return _base.build_model(input_tensor, img_input, x, name, weights,
                             (fname, f"{KERAS_ORIGIN}inception_v3/{fname}", file_hash))


def preprocess_input(x, data_format: str | None = None):
    """Scale RGB images (0-255) for InceptionV3: to ``[-1, 1]`` (``"tf"`` mode)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


decode_predictions = imagenet_utils.decode_predictions
