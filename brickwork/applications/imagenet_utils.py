"""ImageNet helpers shared by the application models: input scaling, label decoding, input-shape checks.

``preprocess_input`` scales images the way each published model was trained (``"caffe"``: BGR, mean
subtracted; ``"tf"``: to ``[-1, 1]``; ``"torch"``: to ``[0, 1]`` then normalised per channel);
``decode_predictions`` turns a batch of 1000-way scores into ``(class_id, name, score)`` tuples using
Keras's ImageNet class index (downloaded once into ``<cache>/models``, checksum verified).

Example:
    >>> import numpy as np
    >>> x = np.full((1, 2, 2, 3), 255.0)
    >>> float(preprocess_input(x, mode="tf").max())
    1.0
"""

from __future__ import annotations

import json
import warnings

import numpy as np

from brickwork import activations, ops
from brickwork.backend import config as backend_config

CLASS_INDEX: dict | None = None
CLASS_INDEX_PATH = "https://storage.googleapis.com/download.tensorflow.org/data/imagenet_class_index.json"
CLASS_INDEX_HASH = "c2c37ea517e94d9795004a39431a14cb"

_MODES = ("caffe", "tf", "torch")
_CAFFE_MEAN = (103.939, 116.779, 123.68)  # BGR order
_TORCH_MEAN = (0.485, 0.456, 0.406)
_TORCH_STD = (0.229, 0.224, 0.225)


def _data_format(data_format: str | None) -> str:
    if data_format is None:
        return backend_config.image_data_format()
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError("Expected data_format to be one of `channels_first` or `channels_last`. "
                         f"Received: data_format={data_format}")
    return data_format


def preprocess_input(x, data_format: str | None = None, mode: str = "caffe"):
    """Scale a batch of RGB images (values 0-255) the way an ImageNet model expects.

    Args:
        x: a 3D (one image) or 4D (a batch) NumPy array or tensor with 3 colour channels. A floating
            NumPy array is scaled in place (pass ``np.copy(x)`` to keep it); other dtypes are
            converted to floatx first.
        data_format: ``"channels_last"`` or ``"channels_first"``; default
            ``keras.config.image_data_format()``.
        mode: ``"caffe"`` (RGB to BGR, then subtract the ImageNet mean per channel, no scaling),
            ``"tf"`` (scale to ``[-1, 1]``) or ``"torch"`` (scale to ``[0, 1]``, then normalise each
            channel by the ImageNet mean and standard deviation).

    Returns:
        The scaled images, float.

    Example:
        >>> import numpy as np
        >>> preprocess_input(np.zeros((1, 1, 1, 3)))[0, 0, 0].round(3).tolist()
        [-103.939, -116.779, -123.68]
    """
    if mode not in _MODES:
        raise ValueError(f"Expected mode to be one of `caffe`, `tf` or `torch`. Received: mode={mode}")
    data_format = _data_format(data_format)
    if isinstance(x, np.ndarray):
        return _preprocess_numpy(x, data_format, mode)
    return _preprocess_tensor(x, data_format, mode)


def _channel_shape(ndim: int, data_format: str) -> tuple:
    """The shape a per-channel constant takes to broadcast against an image or a batch."""
    if data_format == "channels_first":
        return (3, 1, 1) if ndim == 3 else (1, 3) + (1,) * (ndim - 2)
    return (1,) * (ndim - 1) + (3,)


def _preprocess_numpy(x: np.ndarray, data_format: str, mode: str) -> np.ndarray:
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(backend_config.floatx(), copy=False)
    if mode == "tf":
        x /= 127.5
        x -= 1.0
        return x
    if mode == "torch":
        x /= 255.0
        mean, std = _TORCH_MEAN, _TORCH_STD
    else:
        channel_axis = (0 if x.ndim == 3 else 1) if data_format == "channels_first" else -1
        x = np.flip(x, axis=channel_axis)  # RGB -> BGR, a view: the caller's array is still updated in place
        mean, std = _CAFFE_MEAN, None
    shape = _channel_shape(x.ndim, data_format)
    x -= np.asarray(mean, x.dtype).reshape(shape)
    if std is not None:
        x /= np.asarray(std, x.dtype).reshape(shape)
    return x


def _preprocess_tensor(x, data_format: str, mode: str):
    if mode == "tf":
        return x / 127.5 - 1.0
    ndim = len(x.shape)
    shape = _channel_shape(ndim, data_format)
    if mode == "torch":
        mean = ops.reshape(ops.convert_to_tensor(np.asarray(_TORCH_MEAN), dtype=x.dtype), shape)
        std = ops.reshape(ops.convert_to_tensor(np.asarray(_TORCH_STD), dtype=x.dtype), shape)
        return (x / 255.0 - mean) / std
    channel_axis = (0 if ndim == 3 else 1) if data_format == "channels_first" else ndim - 1
    x = ops.flip(x, axis=channel_axis)
    return x - ops.reshape(ops.convert_to_tensor(np.asarray(_CAFFE_MEAN), dtype=x.dtype), shape)


def decode_predictions(preds, top: int = 5) -> list:
    """The ``top`` ImageNet classes of each prediction, best first.

    Args:
        preds: a batch of scores, shape ``(samples, 1000)`` (array or tensor).
        top: how many classes to return per sample.

    Returns:
        One list per sample of ``(class_id, class_name, score)`` tuples, e.g.
            ``("n02504458", "African_elephant", 0.92)``.

    Example:
        labels = keras.applications.imagenet_utils.decode_predictions(model.predict(images), top=3)
    """
    global CLASS_INDEX
    shape = tuple(preds.shape)
    if len(shape) != 2 or shape[1] != 1000:
        raise ValueError("`decode_predictions` expects a batch of predictions (i.e. a 2D array of shape "
                         f"(samples, 1000)). Received array with shape: {shape}")
    if CLASS_INDEX is None:
        from brickwork.applications._weights import fetch

        path = fetch("imagenet_class_index.json", CLASS_INDEX_PATH, CLASS_INDEX_HASH)
        with open(path) as f:
            CLASS_INDEX = json.load(f)
    preds = np.asarray(ops.convert_to_numpy(preds))
    results = []
    for scores in preds:
        best = np.argsort(scores, kind="stable")[::-1][:top]
        results.append([tuple(CLASS_INDEX[str(int(i))]) + (scores[i],) for i in best])
    return results


def obtain_input_shape(input_shape, default_size: int, min_size: int, data_format: str, require_flatten: bool,
                       weights=None) -> tuple:
    """The model's input shape (one image, no batch), checked or defaulted.

    Args:
        input_shape: the user's shape, or None for the default.
        default_size: the model's usual height and width.
        min_size: the smallest height and width the model accepts.
        data_format: ``"channels_last"`` or ``"channels_first"``.
        require_flatten: whether the top needs a fixed spatial size (``include_top=True``).
        weights: ``"imagenet"`` requires 3 channels (and, with ``require_flatten``, the default shape).

    Returns:
        A 3-tuple, with ``None`` for sizes left free.
    """
    channels_first = data_format == "channels_first"
    if weights != "imagenet" and input_shape and len(input_shape) == 3:
        channels = input_shape[0] if channels_first else input_shape[-1]
        if channels not in (1, 3):
            warnings.warn("This model usually expects 1 or 3 input channels. However, it was passed an "
                          f"input_shape with {channels} input channels.", stacklevel=2)
        default_shape = ((channels, default_size, default_size) if channels_first
                         else (default_size, default_size, channels))
    else:
        default_shape = (3, default_size, default_size) if channels_first else (default_size, default_size, 3)
    if weights == "imagenet" and require_flatten:
        if input_shape is not None and tuple(input_shape) != default_shape:
            raise ValueError(f"When setting `include_top=True` and loading `imagenet` weights, `input_shape` "
                             f"should be {default_shape}.  Received: input_shape={input_shape}")
        return default_shape
    if input_shape:
        if len(input_shape) != 3:
            raise ValueError(f"`input_shape` must be a tuple of three integers. Received: input_shape={input_shape}")
        channels = input_shape[0] if channels_first else input_shape[-1]
        sizes = input_shape[1:] if channels_first else input_shape[:2]
        if channels != 3 and weights == "imagenet":
            raise ValueError(f"The input must have 3 channels; Received `input_shape={input_shape}`")
        if any(size is not None and size < min_size for size in sizes):
            raise ValueError(f"Input size must be at least {min_size}x{min_size}; Received: "
                             f"input_shape={input_shape}")
        input_shape = tuple(input_shape)
    elif require_flatten:
        input_shape = default_shape
    else:
        input_shape = (3, None, None) if channels_first else (None, None, 3)
    if require_flatten and None in input_shape:
        raise ValueError("If `include_top` is True, you should specify a static `input_shape`. "
                         f"Received: input_shape={input_shape}")
    return input_shape


def correct_pad(inputs, kernel_size) -> tuple:
    """The zero padding that makes a strided 'valid' convolution behave like TensorFlow's 'same' one.

    Args:
        inputs: the symbolic input of the convolution (4D).
        kernel_size: an int or a pair of ints.

    Returns:
        ``((top, bottom), (left, right))`` for ``ZeroPadding2D``.
    """
    first = 2 if backend_config.image_data_format() == "channels_first" else 1
    size = inputs.shape[first:first + 2]
    kernel = (kernel_size, kernel_size) if isinstance(kernel_size, int) else tuple(kernel_size)
    adjust = (1, 1) if size[0] is None else (1 - size[0] % 2, 1 - size[1] % 2)
    half = (kernel[0] // 2, kernel[1] // 2)
    return ((half[0] - adjust[0], half[0]), (half[1] - adjust[1], half[1]))


def validate_activation(classifier_activation, weights) -> None:
    """Pretrained weights fix the classifier: only ``None`` or ``"softmax"`` can follow it."""
    if weights is None:
        return
    activation = activations.get(classifier_activation)
    if activation not in (activations.get("softmax"), activations.get(None)):
        raise ValueError("Only `None` and `softmax` activations are allowed for the `classifier_activation` "
                         "argument when using pretrained weights, with `include_top=True`; Received: "
                         f"classifier_activation={classifier_activation}")
