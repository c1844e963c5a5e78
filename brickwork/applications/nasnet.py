"""NASNetMobile and NASNetLarge (Zoph et al., 2017): normal and reduction cells found by architecture search.

channels_last only, like Keras's.
"""

from __future__ import annotations

from brickwork import layers
from brickwork.applications import _base, imagenet_utils
from brickwork.applications._weights import KERAS_ORIGIN
from brickwork.models.functional import Functional

BASE_WEIGHTS_PATH = KERAS_ORIGIN + "nasnet/"
# (default size, include_top) -> (cache file name, URL file name, MD5) of Keras's published weights
WEIGHT_FILES = {
    (224, True): ("nasnet_mobile.h5", "NASNet-mobile.h5", "020fb642bf7360b370c678b08e0adf61"),
    (224, False): ("nasnet_mobile_no_top.h5", "NASNet-mobile-no-top.h5", "1ed92395b5b598bdda52abe5c0dbfd63"),
    (331, True): ("nasnet_large.h5", "NASNet-large.h5", "11577c9a518f0070763c2b964a382f17"),
    (331, False): ("nasnet_large_no_top.h5", "NASNet-large-no-top.h5", "d81d89dc07e6e56530c4e77faddd61b5"),
}


def _bn(x, name: str | None):
    return layers.BatchNormalization(axis=-1, momentum=0.9997, epsilon=1e-3, name=name)(x)


def _conv1x1(x, filters: int, name: str):
    return layers.Conv2D(filters, (1, 1), strides=(1, 1), padding="same", use_bias=False, name=name,
                         kernel_initializer="he_normal")(x)


def _separable_conv_block(ip, filters: int, kernel_size=(3, 3), strides=(1, 1), block_id: str | None = None):
    """Two ReLU-separable convolution-BN steps (the first may stride, after TensorFlow-style padding)."""
    x = layers.Activation("relu")(ip)
    if strides == (2, 2):
        x = layers.ZeroPadding2D(padding=imagenet_utils.correct_pad(x, kernel_size),
                                 name=f"separable_conv_1_pad_{block_id}")(x)
    x = layers.SeparableConv2D(filters, kernel_size, strides=strides, name=f"separable_conv_1_{block_id}",
                               padding="valid" if strides == (2, 2) else "same", use_bias=False)(x)
    x = _bn(x, f"separable_conv_1_bn_{block_id}")
    x = layers.Activation("relu")(x)
    x = layers.SeparableConv2D(filters, kernel_size, name=f"separable_conv_2_{block_id}", padding="same",
                               use_bias=False)(x)
    return _bn(x, f"separable_conv_2_bn_{block_id}")


def _adjust_block(p, ip, filters: int, block_id: str | None = None):
    """Bring the previous cell's output ``p`` to ``ip``'s resolution and ``filters`` channels."""
    if p is None:
        return ip
    if p.shape[-2] != ip.shape[-2]:
        p = layers.Activation("relu", name=f"adjust_relu_1_{block_id}")(p)
        p1 = layers.AveragePooling2D((1, 1), strides=(2, 2), padding="valid", name=f"adjust_avg_pool_1_{block_id}")(p)
        p1 = _conv1x1(p1, filters // 2, f"adjust_conv_1_{block_id}")
        p2 = layers.ZeroPadding2D(padding=((0, 1), (0, 1)))(p)
        p2 = layers.Cropping2D(cropping=((1, 0), (1, 0)))(p2)
        p2 = layers.AveragePooling2D((1, 1), strides=(2, 2), padding="valid", name=f"adjust_avg_pool_2_{block_id}")(p2)
        p2 = _conv1x1(p2, filters // 2, f"adjust_conv_2_{block_id}")
        p = layers.concatenate([p1, p2], axis=-1)
        return _bn(p, f"adjust_bn_{block_id}")
    if p.shape[-1] != filters:
        p = layers.Activation("relu")(p)
        p = _conv1x1(p, filters, f"adjust_conv_projection_{block_id}")
        return _bn(p, f"adjust_bn_{block_id}")
    return p


def _squeeze_input(ip, filters: int, kind: str, block_id: str):
    h = layers.Activation("relu")(ip)
    h = _conv1x1(h, filters, f"{kind}_conv_1_{block_id}")
    return _bn(h, f"{kind}_bn_1_{block_id}")


def _avg3(x, strides, padding: str, name: str):
    return layers.AveragePooling2D((3, 3), strides=strides, padding=padding, name=name)(x)


def _normal_a_cell(ip, p, filters: int, block_id: str | None = None):
    """A normal cell: five pairs of operations on the two previous outputs, concatenated."""
    p = _adjust_block(p, ip, filters, block_id)
    h = _squeeze_input(ip, filters, "normal", block_id)
    x1 = layers.add([_separable_conv_block(h, filters, kernel_size=(5, 5), block_id=f"normal_left1_{block_id}"),
                     _separable_conv_block(p, filters, block_id=f"normal_right1_{block_id}")],
                    name=f"normal_add_1_{block_id}")
    x2 = layers.add([_separable_conv_block(p, filters, (5, 5), block_id=f"normal_left2_{block_id}"),
                     _separable_conv_block(p, filters, (3, 3), block_id=f"normal_right2_{block_id}")],
                    name=f"normal_add_2_{block_id}")
    x3 = layers.add([_avg3(h, (1, 1), "same", f"normal_left3_{block_id}"), p], name=f"normal_add_3_{block_id}")
    x4 = layers.add([_avg3(p, (1, 1), "same", f"normal_left4_{block_id}"),
                     _avg3(p, (1, 1), "same", f"normal_right4_{block_id}")], name=f"normal_add_4_{block_id}")
    x5 = layers.add([_separable_conv_block(h, filters, block_id=f"normal_left5_{block_id}"), h],
                    name=f"normal_add_5_{block_id}")
    x = layers.concatenate([p, x1, x2, x3, x4, x5], axis=-1, name=f"normal_concat_{block_id}")
    return x, ip


def _reduction_a_cell(ip, p, filters: int, block_id: str | None = None):
    """A reduction cell: like a normal cell, halving the resolution."""
    p = _adjust_block(p, ip, filters, block_id)
    h = _squeeze_input(ip, filters, "reduction", block_id)
    h3 = layers.ZeroPadding2D(padding=imagenet_utils.correct_pad(h, 3), name=f"reduction_pad_1_{block_id}")(h)
    x1 = layers.add([
        _separable_conv_block(h, filters, (5, 5), strides=(2, 2), block_id=f"reduction_left1_{block_id}"),
        _separable_conv_block(p, filters, (7, 7), strides=(2, 2), block_id=f"reduction_right1_{block_id}")],
        name=f"reduction_add_1_{block_id}")
    x2 = layers.add([
        layers.MaxPooling2D((3, 3), strides=(2, 2), padding="valid", name=f"reduction_left2_{block_id}")(h3),
        _separable_conv_block(p, filters, (7, 7), strides=(2, 2), block_id=f"reduction_right2_{block_id}")],
        name=f"reduction_add_2_{block_id}")
    x3 = layers.add([
        _avg3(h3, (2, 2), "valid", f"reduction_left3_{block_id}"),
        _separable_conv_block(p, filters, (5, 5), strides=(2, 2), block_id=f"reduction_right3_{block_id}")],
        name=f"reduction_add3_{block_id}")
    x4 = layers.add([x2, _avg3(x1, (1, 1), "same", f"reduction_left4_{block_id}")])
    x5 = layers.add([
        _separable_conv_block(x1, filters, (3, 3), block_id=f"reduction_left4_{block_id}"),
        layers.MaxPooling2D((3, 3), strides=(2, 2), padding="valid", name=f"reduction_right5_{block_id}")(h3)],
        name=f"reduction_add4_{block_id}")
    x = layers.concatenate([x2, x3, x4, x5], axis=-1, name=f"reduction_concat_{block_id}")
    return x, ip


def NASNet(input_shape=None, penultimate_filters: int = 4032, num_blocks: int = 6, stem_block_filters: int = 96,
           skip_reduction: bool = True, filter_multiplier: int = 2, include_top: bool = True, weights="imagenet",
           input_tensor=None, pooling=None, classes: int = 1000, default_size: int | None = None,
           classifier_activation="softmax", name: str = "NASNet") -> Functional:
    """A NASNet-A: a stem, then three stacks of ``num_blocks`` normal cells separated by reduction cells.

    Args:
        penultimate_filters: the channels before the top (a multiple of ``24 * filter_multiplier ** 2``).
        num_blocks: normal cells per stack.
        stem_block_filters: the stem convolution's filters.
        skip_reduction: whether the cell after a reduction reads the reduction's input instead of its output.
        filter_multiplier: how much each reduction multiplies the filters.
        default_size: the default input size (224: NASNetMobile's weights, 331: NASNetLarge's).

    The other arguments are ``NASNetMobile``'s.
    """
    _base.require_channels_last("NASNet")
    _base.check_weights(weights, include_top, classes)
    if isinstance(input_shape, tuple) and None in input_shape and weights == "imagenet":
        raise ValueError("When specifying the input shape of a NASNet and loading `ImageNet` weights, the "
                         f"input_shape argument must be static (no None entries). Got: `input_shape={input_shape}`.")
    default_size = 331 if default_size is None else default_size
    img_input = _base.input_for(input_tensor, input_shape, default_size=default_size, min_size=32,
                                include_top=include_top, weights=weights)
    if penultimate_filters % (24 * (filter_multiplier**2)) != 0:
        raise ValueError("For NASNet-A models, the `penultimate_filters` must be a multiple of 24 * "
                         f"(`filter_multiplier` ** 2). Current value: {penultimate_filters}")
    filters = penultimate_filters // 24
    x = layers.Conv2D(stem_block_filters, (3, 3), strides=(2, 2), padding="valid", use_bias=False, name="stem_conv1",
                      kernel_initializer="he_normal")(img_input)
    x = _bn(x, "stem_bn1")
    p = None
    x, p = _reduction_a_cell(x, p, filters // (filter_multiplier**2), block_id="stem_1")
    x, p = _reduction_a_cell(x, p, filters // filter_multiplier, block_id="stem_2")
    for stack in range(3):
        if stack:
            x, reduced = _reduction_a_cell(x, p, filters * filter_multiplier**stack,
                                           block_id=f"reduce_{stack * num_blocks}")
            p = p if skip_reduction else reduced
        for i in range(num_blocks):
            block_id = f"{i}" if stack == 0 else f"{stack * num_blocks + i + 1}"
            x, p = _normal_a_cell(x, p, filters * filter_multiplier**stack, block_id=block_id)
    x = layers.Activation("relu")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D()(x)
        x = _base.classifier(x, classes, classifier_activation, weights)
    else:
        x = _base.global_pool(x, pooling, named=False)
    imagenet_file = None
    if weights == "imagenet":
        if (default_size, True) not in WEIGHT_FILES:
            raise ValueError("ImageNet weights can only be loaded with NASNetLarge or NASNetMobile")
        fname, url_name, file_hash = WEIGHT_FILES[default_size, bool(include_top)]
        imagenet_file = (fname, BASE_WEIGHTS_PATH + url_name, file_hash)
    return _base.build_model(input_tensor, img_input, x, name, weights, imagenet_file)


def NASNetMobile(input_shape: tuple | None = None, include_top: bool = True, weights="imagenet", input_tensor=None,
                 pooling: str | None = None, classes: int = 1000, classifier_activation="softmax",
                 name: str = "nasnet_mobile") -> Functional:
    """NASNetMobile (default input 224x224; channels_last only).

    Args:
        input_shape: the shape of one image (height and width at least 32; 224x224x3 with ImageNet weights
            and the top; without the top it defaults to ``(224, 224, 3)``).
        include_top: whether to end with global average pooling and a ``classes``-way dense layer.
        weights: None (random initialisation), ``"imagenet"`` (Keras's published weights, downloaded
            once into ``~/.brickwork/models``) or the path of a weights file.
        input_tensor: an optional tensor (e.g. ``keras.Input``) to use as the model's input.
        pooling: without the top, ``None`` (4D feature maps), ``"avg"`` or ``"max"``.
        classes: the number of classes (1000 with ImageNet weights and the top).
        classifier_activation: the activation of the last layer (``None`` gives logits).
        name: the model's name.

    Returns:
        A Functional model. Scale its inputs with ``keras.applications.nasnet.preprocess_input``.

    Example:
        >>> model = keras.applications.NASNetMobile(weights=None, input_shape=(32, 32, 3), classes=10)
        >>> model.output_shape
        (None, 10)
    """
    if not include_top and input_shape is None:
        input_shape = (224, 224, 3)
    return NASNet(input_shape, penultimate_filters=1056, num_blocks=4, stem_block_filters=32, skip_reduction=False,
                  filter_multiplier=2, include_top=include_top, weights=weights, input_tensor=input_tensor,
                  pooling=pooling, classes=classes, default_size=224, classifier_activation=classifier_activation,
                  name=name)


def NASNetLarge(input_shape: tuple | None = None, include_top: bool = True, weights="imagenet", input_tensor=None,
                pooling: str | None = None, classes: int = 1000, classifier_activation="softmax",
                name: str = "nasnet_large") -> Functional:
    """NASNetLarge (default input 331x331; channels_last only); without the top, height and width may be None.

    Args:
        input_shape: the shape of one image (height and width at least 32; 331x331x3 with ImageNet weights
            and the top; without the top it defaults to ``(331, 331, 3)``).
        include_top: whether to end with global average pooling and a ``classes``-way dense layer.
        weights: None (random initialisation), ``"imagenet"`` (Keras's published weights, downloaded
            once into ``~/.brickwork/models``) or the path of a weights file.
        input_tensor: an optional tensor (e.g. ``keras.Input``) to use as the model's input.
        pooling: without the top, ``None`` (4D feature maps), ``"avg"`` or ``"max"``.
        classes: the number of classes (1000 with ImageNet weights and the top).
        classifier_activation: the activation of the last layer (``None`` gives logits).
        name: the model's name.

    Returns:
        A Functional model. Scale its inputs with ``keras.applications.nasnet.preprocess_input``.

    Example:
        model = keras.applications.NASNetLarge(weights=None, include_top=False, input_shape=(64, 64, 3))
    """
    return NASNet(input_shape, penultimate_filters=4032, num_blocks=6, stem_block_filters=96, skip_reduction=True,
                  filter_multiplier=2, include_top=include_top, weights=weights, input_tensor=input_tensor,
                  pooling=pooling, classes=classes, default_size=331, classifier_activation=classifier_activation,
                  name=name)


def preprocess_input(x, data_format: str | None = None):
    """Scale RGB images (0-255) for NASNet: to ``[-1, 1]`` (``"tf"`` mode)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


decode_predictions = imagenet_utils.decode_predictions
