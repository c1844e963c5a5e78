"""ConvNeXt Tiny, Small, Base, Large and XLarge (Liu et al., 2022): a ResNet modernised toward vision
Transformers (7x7 depthwise convolutions, layer normalization, inverted bottlenecks, layer scale).

channels_last only. The models normalise 0-255 pixels themselves (``include_preprocessing=True``), so
``preprocess_input`` here returns its input unchanged.
"""

from __future__ import annotations

import numpy as np

from brickwork import initializers, layers, ops, random
from brickwork.applications import _base, imagenet_utils
from brickwork.applications._weights import KERAS_ORIGIN
from brickwork.backend.config import image_data_format
from brickwork.layers.layer import Layer
from brickwork.models.functional import Functional
from brickwork.models.sequential import Sequential
from brickwork.utils.keras_tensor_utils import get_source_inputs

BASE_WEIGHTS_PATH = KERAS_ORIGIN + "convnext/"
# weights name -> (SHA-256 with the top, SHA-256 without it) of "{name}[_notop].h5"
WEIGHTS_HASHES = {
    "convnext_tiny": ("8ae6e78ce2933352b1ef4008e6dd2f17bc40771563877d156bc6426c7cf503ff",
                      "d547c096cabd03329d7be5562c5e14798aa39ed24b474157cef5e85ab9e49ef1"),
    "convnext_small": ("ce1277d8f1ee5a0ef0e171469089c18f5233860ceaf9b168049cb9263fd7483c",
                       "6fc8009faa2f00c1c1dfce59feea9b0745eb260a7dd11bee65c8e20843da6eab"),
    "convnext_base": ("52cbb006d3dadd03f6e095a8ca1aca47aecdd75acb4bc74bce1f5c695d0086e6",
                      "40a20c5548a5e9202f69735ecc06c990e6b7c9d2de39f0361e27baeb24cb7c45"),
    "convnext_large": ("070c5ed9ed289581e477741d3b34beffa920db8cf590899d6d2c67fba2a198a6",
                       "96f02b6f0753d4f543261bc9d09bed650f24dd6bc02ddde3066135b63d23a1cd"),
    "convnext_xlarge": ("c1f5ccab661354fc3a79a10fa99af82f0fbf10ec65cb894a3ae0815f17a889ee",
                        "de3f8a54174130e0cecdc71583354753d557fcf1f4487331558e2a16ba0cfe05"),
}

MODEL_CONFIGS = {
    "tiny": {"depths": [3, 3, 9, 3], "projection_dims": [96, 192, 384, 768], "default_size": 224},
    "small": {"depths": [3, 3, 27, 3], "projection_dims": [96, 192, 384, 768], "default_size": 224},
    "base": {"depths": [3, 3, 27, 3], "projection_dims": [128, 256, 512, 1024], "default_size": 224},
    "large": {"depths": [3, 3, 27, 3], "projection_dims": [192, 384, 768, 1536], "default_size": 224},
    "xlarge": {"depths": [3, 3, 27, 3], "projection_dims": [256, 512, 1024, 2048], "default_size": 224},
}


class StochasticDepth(Layer):
    """Drop whole samples of a residual branch with probability ``drop_path_rate`` while training (scaling the
    kept ones up); the identity at inference."""

    def __init__(self, drop_path_rate: float, **kwargs):
        super().__init__(**kwargs)
        self.drop_path_rate = drop_path_rate

    def call(self, x, training=None):
        if not training:
            return x
        keep_prob = 1 - self.drop_path_rate
        shape = (ops.shape(x)[0],) + (1,) * (len(x.shape) - 1)
        mask = ops.floor(keep_prob + random.uniform(shape, 0, 1))
        return x / keep_prob * mask

    def get_config(self) -> dict:
        return {**super().get_config(), "drop_path_rate": self.drop_path_rate}


class LayerScale(Layer):
    """Multiply the last axis by a learned vector ``gamma`` (initialised to ``init_values``)."""

    def __init__(self, init_values: float, projection_dim: int, **kwargs):
        super().__init__(**kwargs)
        self.init_values = init_values
        self.projection_dim = projection_dim

    def build(self, _):
        self.gamma = self.add_weight(shape=(self.projection_dim,), initializer=initializers.Constant(self.init_values),
                                     trainable=True)

    def call(self, x):
        return x * self.gamma

    def get_config(self) -> dict:
        return {**super().get_config(), "init_values": self.init_values, "projection_dim": self.projection_dim}


def ConvNeXtBlock(projection_dim: int, drop_path_rate: float = 0.0, layer_scale_init_value: float | None = 1e-6,
                  name: str | None = None):
    """A ConvNeXt block, as a function of its input: 7x7 depthwise convolution, layer normalization, a 4x
    pointwise MLP with GELU, layer scale, stochastic depth, plus the input."""
    name = name or "convnext_block"

    def apply(inputs):
        x = layers.Conv2D(filters=projection_dim, kernel_size=7, padding="same", groups=projection_dim,
                          name=f"{name}_depthwise_conv")(inputs)
        x = layers.LayerNormalization(epsilon=1e-6, name=f"{name}_layernorm")(x)
        x = layers.Dense(4 * projection_dim, name=f"{name}_pointwise_conv_1")(x)
        x = layers.Activation("gelu", name=f"{name}_gelu")(x)
        x = layers.Dense(projection_dim, name=f"{name}_pointwise_conv_2")(x)
        if layer_scale_init_value is not None:
            x = LayerScale(layer_scale_init_value, projection_dim, name=f"{name}_layer_scale")(x)
        if drop_path_rate:
            last = StochasticDepth(drop_path_rate, name=f"{name}_stochastic_depth")
        else:
            last = layers.Activation("linear", name=f"{name}_identity")
        return inputs + last(x)

    return apply


def PreStem(name: str | None = None):
    """Normalise 0-255 RGB pixels by ImageNet's mean and variance (a fixed ``Normalization`` layer)."""
    name = name or "convnext"

    def apply(x):
        return layers.Normalization(mean=[0.485 * 255, 0.456 * 255, 0.406 * 255],
                                    variance=[(0.229 * 255) ** 2, (0.224 * 255) ** 2, (0.225 * 255) ** 2],
                                    name=f"{name}_prestem_normalization")(x)

    return apply


def Head(num_classes: int = 1000, classifier_activation=None, name: str | None = None):
    """Global average pooling, layer normalization and the classifier."""
    name = name or "convnext"

    def apply(x):
        x = layers.GlobalAveragePooling2D(name=f"{name}_head_gap")(x)
        x = layers.LayerNormalization(epsilon=1e-6, name=f"{name}_head_layernorm")(x)
        return layers.Dense(num_classes, activation=classifier_activation, name=f"{name}_head_dense")(x)

    return apply


def ConvNeXt(depths, projection_dims, drop_path_rate: float = 0.0, layer_scale_init_value: float = 1e-6,
             default_size: int = 224, name: str = "convnext", include_preprocessing: bool = True,
             include_top: bool = True, weights=None, input_tensor=None, input_shape=None, pooling=None,
             classes: int = 1000, classifier_activation="softmax", weights_name: str | None = None) -> Functional:
    """A ConvNeXt: a 4x4 patchify stem, then four stages of ``depths`` blocks with ``projection_dims`` channels,
    separated by 2x2 downsampling. The other arguments are ``ConvNeXtTiny``'s."""
    _base.require_channels_last("ConvNeXt")
    _base.check_weights(weights, include_top, classes)
    if weights == "imagenet":
        expected = MODEL_CONFIGS.get((weights_name or "").split("convnext_")[-1])
        if expected is None or list(depths) != expected["depths"] or \
                list(projection_dims) != expected["projection_dims"]:
            raise ValueError(f"Architecture configuration does not match the {weights_name} variant: pretrained "
                             f"weights need its exact depths and projection_dims. Received: depths={depths}, "
                             f"projection_dims={projection_dims}")
    input_shape = imagenet_utils.obtain_input_shape(input_shape, default_size=default_size, min_size=32,
                                                    data_format=image_data_format(), require_flatten=include_top,
                                                    weights=weights)
    if input_tensor is not None:
        inputs, x = get_source_inputs(input_tensor)[0], input_tensor
        if not _base.is_keras_tensor(input_tensor):
            inputs = x = _base.image_input(input_tensor, input_shape)
    else:
        inputs = x = _base.image_input(None, input_shape)
    if include_preprocessing and input_shape[-1] == 3:
        x = PreStem(name=name)(x)
    stem = Sequential([layers.Conv2D(projection_dims[0], kernel_size=4, strides=4, name=f"{name}_stem_conv"),
                       layers.LayerNormalization(epsilon=1e-6, name=f"{name}_stem_layernorm")], name=f"{name}_stem")
    downsample_layers = [stem] + [
        Sequential([layers.LayerNormalization(epsilon=1e-6, name=f"{name}_downsampling_layernorm_{i}"),
                    layers.Conv2D(projection_dims[i + 1], kernel_size=2, strides=2,
                                  name=f"{name}_downsampling_conv_{i}")], name=f"{name}_downsampling_block_{i}")
        for i in range(3)]
    drop_rates = [float(rate) for rate in np.linspace(0.0, drop_path_rate, sum(depths))]
    done = 0
    for i in range(4):
        x = downsample_layers[i](x)
        for j in range(depths[i]):
            x = ConvNeXtBlock(projection_dim=projection_dims[i], drop_path_rate=drop_rates[done + j],
                              layer_scale_init_value=layer_scale_init_value, name=f"{name}_stage_{i}_block_{j}")(x)
        done += depths[i]
    if include_top:
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = Head(num_classes=classes, classifier_activation=classifier_activation, name=name)(x)
    else:
        x = _base.global_pool(x, pooling, named=False)
        x = layers.LayerNormalization(epsilon=1e-6)(x)
    model = Functional(inputs=inputs, outputs=x, name=name)
    if weights == "imagenet":
        fname = f"{weights_name}{'.h5' if include_top else '_notop.h5'}"
        model.load_weights(_base.fetch(fname, BASE_WEIGHTS_PATH + fname,
                                       WEIGHTS_HASHES[weights_name][0 if include_top else 1]))
    elif weights is not None:
        model.load_weights(weights)
    return model


def _variant(size: str, include_top, include_preprocessing, weights, input_tensor, input_shape, pooling, classes,
             classifier_activation, name) -> Functional:
    config = MODEL_CONFIGS[size]
    return ConvNeXt(config["depths"], config["projection_dims"], drop_path_rate=0.0, layer_scale_init_value=1e-6,
                    default_size=config["default_size"], name=name, include_preprocessing=include_preprocessing,
                    include_top=include_top, weights=weights, input_tensor=input_tensor, input_shape=input_shape,
                    pooling=pooling, classes=classes, classifier_activation=classifier_activation,
                    weights_name=f"convnext_{size}")


def ConvNeXtTiny(include_top: bool = True, include_preprocessing: bool = True, weights="imagenet", input_tensor=None,
                 input_shape: tuple | None = None, pooling: str | None = None, classes: int = 1000,
                 classifier_activation="softmax", name: str = "convnext_tiny") -> Functional:
    """ConvNeXtTiny: 3, 3, 9, 3 blocks of 96 to 768 channels (default input 224x224; channels_last only).

    Args:
        include_top: whether to end with pooling, layer normalization and a ``classes``-way dense layer.
        include_preprocessing: whether the model normalises 0-255 pixels itself.
        weights: None (random initialisation), ``"imagenet"`` (Keras's published ImageNet-1k weights,
            downloaded once into ``~/.brickwork/models``) or the path of a weights file.
        input_tensor: an optional tensor (e.g. ``keras.Input``) to use as the model's input.
        input_shape: the shape of one image (height and width at least 32; None allowed without the top).
        pooling: without the top, ``None`` (4D feature maps), ``"avg"`` or ``"max"`` (then layer-normalised).
        classes: the number of classes (1000 with ImageNet weights and the top).
        classifier_activation: the activation of the last layer (``None`` gives logits).
        name: the model's name.

    Returns:
        A Functional model taking pixels in ``[0, 255]`` (with preprocessing).

    Example:
        >>> model = keras.applications.ConvNeXtTiny(weights=None, input_shape=(32, 32, 3), classes=10)
        >>> model.output_shape
        (None, 10)
    """
    return _variant("tiny", include_top, include_preprocessing, weights, input_tensor, input_shape, pooling, classes,
                    classifier_activation, name)


def ConvNeXtSmall(include_top: bool = True, include_preprocessing: bool = True, weights="imagenet", input_tensor=None,
                 input_shape: tuple | None = None, pooling: str | None = None, classes: int = 1000,
                 classifier_activation="softmax", name: str = "convnext_small") -> Functional:
    """ConvNeXtSmall: 3, 3, 27, 3 blocks of 96 to 768 channels.

    Args:
        include_top: whether to end with pooling, layer normalization and a ``classes``-way dense layer.
        include_preprocessing: whether the model normalises 0-255 pixels itself.
        weights: None (random initialisation), ``"imagenet"`` (Keras's published ImageNet-1k weights,
            downloaded once into ``~/.brickwork/models``) or the path of a weights file.
        input_tensor: an optional tensor (e.g. ``keras.Input``) to use as the model's input.
        input_shape: the shape of one image (height and width at least 32; None allowed without the top).
        pooling: without the top, ``None`` (4D feature maps), ``"avg"`` or ``"max"`` (then layer-normalised).
        classes: the number of classes (1000 with ImageNet weights and the top).
        classifier_activation: the activation of the last layer (``None`` gives logits).
        name: the model's name.

    Returns:
        A Functional model taking pixels in ``[0, 255]`` (with preprocessing).

    Example:
        model = keras.applications.ConvNeXtSmall(weights=None, include_top=False, input_shape=(64, 64, 3))
    """
    return _variant("small", include_top, include_preprocessing, weights, input_tensor, input_shape, pooling, classes,
                    classifier_activation, name)


def ConvNeXtBase(include_top: bool = True, include_preprocessing: bool = True, weights="imagenet", input_tensor=None,
                 input_shape: tuple | None = None, pooling: str | None = None, classes: int = 1000,
                 classifier_activation="softmax", name: str = "convnext_base") -> Functional:
    """ConvNeXtBase: 3, 3, 27, 3 blocks of 128 to 1024 channels.

    Args:
        include_top: whether to end with pooling, layer normalization and a ``classes``-way dense layer.
        include_preprocessing: whether the model normalises 0-255 pixels itself.
        weights: None (random initialisation), ``"imagenet"`` (Keras's published ImageNet-1k weights,
            downloaded once into ``~/.brickwork/models``) or the path of a weights file.
        input_tensor: an optional tensor (e.g. ``keras.Input``) to use as the model's input.
        input_shape: the shape of one image (height and width at least 32; None allowed without the top).
        pooling: without the top, ``None`` (4D feature maps), ``"avg"`` or ``"max"`` (then layer-normalised).
        classes: the number of classes (1000 with ImageNet weights and the top).
        classifier_activation: the activation of the last layer (``None`` gives logits).
        name: the model's name.

    Returns:
        A Functional model taking pixels in ``[0, 255]`` (with preprocessing).

    Example:
        model = keras.applications.ConvNeXtBase(weights=None, include_top=False, input_shape=(64, 64, 3))
    """
    return _variant("base", include_top, include_preprocessing, weights, input_tensor, input_shape, pooling, classes,
                    classifier_activation, name)


def ConvNeXtLarge(include_top: bool = True, include_preprocessing: bool = True, weights="imagenet", input_tensor=None,
                 input_shape: tuple | None = None, pooling: str | None = None, classes: int = 1000,
                 classifier_activation="softmax", name: str = "convnext_large") -> Functional:
    """ConvNeXtLarge: 3, 3, 27, 3 blocks of 192 to 1536 channels.

    Args:
        include_top: whether to end with pooling, layer normalization and a ``classes``-way dense layer.
        include_preprocessing: whether the model normalises 0-255 pixels itself.
        weights: None (random initialisation), ``"imagenet"`` (Keras's published ImageNet-1k weights,
            downloaded once into ``~/.brickwork/models``) or the path of a weights file.
        input_tensor: an optional tensor (e.g. ``keras.Input``) to use as the model's input.
        input_shape: the shape of one image (height and width at least 32; None allowed without the top).
        pooling: without the top, ``None`` (4D feature maps), ``"avg"`` or ``"max"`` (then layer-normalised).
        classes: the number of classes (1000 with ImageNet weights and the top).
        classifier_activation: the activation of the last layer (``None`` gives logits).
        name: the model's name.

    Returns:
        A Functional model taking pixels in ``[0, 255]`` (with preprocessing).

    Example:
        model = keras.applications.ConvNeXtLarge(weights=None, include_top=False, input_shape=(64, 64, 3))
    """
    return _variant("large", include_top, include_preprocessing, weights, input_tensor, input_shape, pooling, classes,
                    classifier_activation, name)


def ConvNeXtXLarge(include_top: bool = True, include_preprocessing: bool = True, weights="imagenet", input_tensor=None,
                 input_shape: tuple | None = None, pooling: str | None = None, classes: int = 1000,
                 classifier_activation="softmax", name: str = "convnext_xlarge") -> Functional:
    """ConvNeXtXLarge: 3, 3, 27, 3 blocks of 256 to 2048 channels.

    Args:
        include_top: whether to end with pooling, layer normalization and a ``classes``-way dense layer.
        include_preprocessing: whether the model normalises 0-255 pixels itself.
        weights: None (random initialisation), ``"imagenet"`` (Keras's published ImageNet-1k weights,
            downloaded once into ``~/.brickwork/models``) or the path of a weights file.
        input_tensor: an optional tensor (e.g. ``keras.Input``) to use as the model's input.
        input_shape: the shape of one image (height and width at least 32; None allowed without the top).
        pooling: without the top, ``None`` (4D feature maps), ``"avg"`` or ``"max"`` (then layer-normalised).
        classes: the number of classes (1000 with ImageNet weights and the top).
        classifier_activation: the activation of the last layer (``None`` gives logits).
        name: the model's name.

    Returns:
        A Functional model taking pixels in ``[0, 255]`` (with preprocessing).

    Example:
        model = keras.applications.ConvNeXtXLarge(weights=None, include_top=False, input_shape=(64, 64, 3))
    """
    return _variant("xlarge", include_top, include_preprocessing, weights, input_tensor, input_shape, pooling, classes,
                    classifier_activation, name)


def preprocess_input(x, data_format: str | None = None):
    """The identity: ConvNeXt models normalise their inputs themselves (see ``include_preprocessing``).

    Example:
        >>> preprocess_input(3.0)
        3.0
    """
    return x


decode_predictions = imagenet_utils.decode_predictions
