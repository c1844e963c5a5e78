"""VGG16 and VGG19 (Simonyan & Zisserman, 2014): stacks of 3x3 convolutions with max pooling."""

from __future__ import annotations

from brickwork import layers
from brickwork.applications import _base, imagenet_utils
from brickwork.applications._weights import KERAS_ORIGIN
from brickwork.models.functional import Functional

# (depth, include_top) -> (file name, MD5) of Keras's published weights
WEIGHT_FILES = {
    (16, True): ("vgg16_weights_tf_dim_ordering_tf_kernels.h5", "64373286793e3c8b2b4e3219cbf3544b"),
    (16, False): ("vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5", "6d6bbae143d832006294945121d1f1fc"),
    (19, True): ("vgg19_weights_tf_dim_ordering_tf_kernels.h5", "cbe5617147190e668d6c5d5026f83318"),
    (19, False): ("vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5", "253f8cb515780f3b799900260a226db6"),
}

# convolutions per block, for each depth; the blocks have 64, 128, 256, 512 and 512 filters
_BLOCKS = {16: (2, 2, 3, 3, 3), 19: (2, 2, 4, 4, 4)}
_FILTERS = (64, 128, 256, 512, 512)


def _vgg(depth: int, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation,
         name) -> Functional:
    _base.check_weights(weights, include_top, classes)
    img_input = _base.input_for(input_tensor, input_shape, default_size=224, min_size=32, include_top=include_top,
                                weights=weights)
    x = img_input
    for block, (convs, filters) in enumerate(zip(_BLOCKS[depth], _FILTERS), start=1):
        for i in range(1, convs + 1):
            x = layers.Conv2D(filters, (3, 3), activation="relu", padding="same", name=f"block{block}_conv{i}")(x)
        x = layers.MaxPooling2D((2, 2), strides=(2, 2), name=f"block{block}_pool")(x)
    if include_top:
        x = layers.Flatten(name="flatten")(x)
        x = layers.Dense(4096, activation="relu", name="fc1")(x)
        x = layers.Dense(4096, activation="relu", name="fc2")(x)
        x = _base.classifier(x, classes, classifier_activation, weights)
    else:
        x = _base.global_pool(x, pooling, named=False)
    fname, file_hash = WEIGHT_FILES[depth, bool(include_top)]
    return _base.build_model(input_tensor, img_input, x, name, weights,
                             (fname, f"{KERAS_ORIGIN}vgg{depth}/{fname}", file_hash))


def VGG16(include_top: bool = True, weights="imagenet", input_tensor=None, input_shape: tuple | None = None,
          pooling: str | None = None, classes: int = 1000, classifier_activation="softmax",
          name: str = "vgg16") -> Functional:
    """The VGG16 model: 13 convolutions in 5 blocks, then (with the top) two 4096-wide dense layers.

    Args:
        include_top: whether to end with the 3 fully connected layers (this needs a fixed input size,
            224x224 with ImageNet weights).
        weights: None (random initialisation), ``"imagenet"`` (Keras's published weights, downloaded
            once into ``~/.brickwork/models``) or the path of a weights file.
        input_tensor: an optional tensor (e.g. ``keras.Input``) to use as the model's input.
        input_shape: the shape of one image, e.g. ``(224, 224, 3)``; without the top, height and width
            may be None (at least 32 each).
        pooling: without the top, ``None`` (4D feature maps), ``"avg"`` or ``"max"`` (global pooling to 2D).
        classes: the number of classes (1000 with ImageNet weights and the top).
        classifier_activation: the activation of the last layer (``None`` gives logits).
        name: the model's name.

    Returns:
        A Functional model. Scale its inputs with ``keras.applications.vgg16.preprocess_input``.

    Example:
        >>> model = keras.applications.VGG16(weights=None, include_top=False, input_shape=(32, 32, 3))
        >>> model.output_shape
        (None, 1, 1, 512)
    """
    return _vgg(16, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name)


def VGG19(include_top: bool = True, weights="imagenet", input_tensor=None, input_shape: tuple | None = None,
          pooling: str | None = None, classes: int = 1000, classifier_activation="softmax",
          name: str = "vgg19") -> Functional:
    """The VGG19 model: 16 convolutions in 5 blocks, then (with the top) two 4096-wide dense layers.

    The arguments are ``VGG16``'s.

    Args:
        include_top: whether to end with the 3 fully connected layers (this needs a fixed input size,
            224x224 with ImageNet weights).
        weights: None (random initialisation), ``"imagenet"`` (Keras's published weights, downloaded
            once into ``~/.brickwork/models``) or the path of a weights file.
        input_tensor: an optional tensor (e.g. ``keras.Input``) to use as the model's input.
        input_shape: the shape of one image, e.g. ``(224, 224, 3)``; without the top, height and width
            may be None (at least 32 each).
        pooling: without the top, ``None`` (4D feature maps), ``"avg"`` or ``"max"`` (global pooling to 2D).
        classes: the number of classes (1000 with ImageNet weights and the top).
        classifier_activation: the activation of the last layer (``None`` gives logits).
        name: the model's name.

    Returns:
        A Functional model. Scale its inputs with ``keras.applications.vgg19.preprocess_input``.

    Example:
        >>> model = keras.applications.VGG19(weights=None, include_top=False, pooling="avg",
        ...                                  input_shape=(32, 32, 3))
        >>> model.output_shape
        (None, 512)
    """
    return _vgg(19, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name)


def preprocess_input(x, data_format: str | None = None):
    """Scale RGB images (0-255) for VGG: converted to BGR, the ImageNet mean subtracted (``"caffe"`` mode).

    See ``keras.applications.imagenet_utils.preprocess_input``.
    """
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="caffe")


decode_predictions = imagenet_utils.decode_predictions
