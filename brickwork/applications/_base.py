"""What every application model does around its own layers: check the arguments, make the input, add the
pooling or classifier top, wrap a Functional model and load its weights."""

from __future__ import annotations

import os

from brickwork import layers
from brickwork.applications import imagenet_utils
from brickwork.applications._weights import fetch
from brickwork.backend.common.keras_tensor import is_keras_tensor
from brickwork.backend.config import image_data_format
from brickwork.models.functional import Functional
from brickwork.utils.keras_tensor_utils import get_source_inputs


def channel_axis() -> int:
    """The channel axis of a 4D image batch in the current data format."""
    return 1 if image_data_format() == "channels_first" else 3


def check_weights(weights, include_top: bool, classes: int) -> None:
    """``weights`` is None, ``"imagenet"`` or an existing file; ImageNet's top has 1000 classes."""
    if not (weights is None or weights == "imagenet" or os.path.exists(weights)):
        raise ValueError("The `weights` argument should be either `None` (random initialization), 'imagenet' "
                         "(pre-training on ImageNet), or the path to the weights file to be loaded.  Received: "
                         f"weights={weights}")
    if weights == "imagenet" and include_top and classes != 1000:
        raise ValueError("If using `weights='imagenet'` with `include_top=True`, `classes` should be 1000.  "
                         f"Received classes={classes}")


def require_channels_last(model_name: str) -> None:
    if image_data_format() == "channels_first":
        raise ValueError(f"{model_name} does not support the `channels_first` image data format. Switch to "
                         "`channels_last` with `keras.config.set_image_data_format('channels_last')`.")


def image_input(input_tensor, input_shape: tuple):
    """The model's input: a new ``Input``, ``input_tensor`` itself if symbolic, or an ``Input`` wrapping it."""
    if input_tensor is None:
        return layers.Input(shape=input_shape)
    if not is_keras_tensor(input_tensor):
        return layers.Input(tensor=input_tensor, shape=input_shape)
    return input_tensor


def input_for(input_tensor, input_shape, *, default_size: int, min_size: int, include_top: bool, weights):
    """``obtain_input_shape`` then ``image_input``: the usual start of an application model."""
    shape = imagenet_utils.obtain_input_shape(input_shape, default_size=default_size, min_size=min_size,
                                              data_format=image_data_format(), require_flatten=include_top,
                                              weights=weights)
    return image_input(input_tensor, shape)


def global_pool(x, pooling: str | None, named: bool = True):
    """``pooling="avg"`` or ``"max"`` over height and width (layers named ``avg_pool``/``max_pool`` if
    ``named``); anything else leaves ``x`` as it is."""
    if pooling == "avg":
        return layers.GlobalAveragePooling2D(name="avg_pool" if named else None)(x)
    if pooling == "max":
        return layers.GlobalMaxPooling2D(name="max_pool" if named else None)(x)
    return x


def classifier(x, classes: int, classifier_activation, weights, name: str = "predictions"):
    """The final ``Dense`` layer of a top (its activation checked against pretrained weights)."""
    imagenet_utils.validate_activation(classifier_activation, weights)
    return layers.Dense(classes, activation=classifier_activation, name=name)(x)


def pooled_top(x, *, include_top: bool, pooling, classes: int, classifier_activation, weights,
               named_pools: bool = True, dropout: float = 0.0, dropout_name: str = "top_dropout"):
    """The common top: global average pooling, optional dropout and a classifier; or just ``pooling``."""
    if not include_top:
        return global_pool(x, pooling, named_pools)
    x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    if dropout > 0:
        x = layers.Dropout(dropout, name=dropout_name)(x)
    return classifier(x, classes, classifier_activation, weights)


def build_model(input_tensor, img_input, outputs, name: str, weights, imagenet_file=None) -> Functional:
    """The Functional model from the input (or ``input_tensor``'s own inputs) to ``outputs``, with weights.

    ``imagenet_file`` is ``(file name, URL, hash)`` of the published weights, used when
    ``weights="imagenet"``; a path in ``weights`` is loaded as it is.
    """
    inputs = get_source_inputs(input_tensor) if input_tensor is not None else img_input
    model = Functional(inputs, outputs, name=name)
    if weights == "imagenet":
        if imagenet_file is None:
            raise ValueError(f"No ImageNet weights are published for the model {name!r}; pass `weights=None` "
                             "or the path of a weights file.")
        model.load_weights(fetch(*imagenet_file))
    elif weights is not None:
        model.load_weights(weights)
    return model
