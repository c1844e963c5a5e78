"""TensorFlow backend: image ops (resize, affine transforms, coordinate maps).

``resize`` is separable, as jax.image's: one ``(out, in)`` weight matrix per spatial axis (half-pixel
centres, each method's kernel, widened when antialiasing a downscale), applied with ``tf.einsum`` in the
images' own float dtype (float64 stays float64, which ``tf.image.resize`` would not keep); "area", a
method only TensorFlow has, is ``tf.image.resize``'s, as on Keras's TensorFlow backend. ``affine_transform`` and ``map_coordinates`` are written once in ``common/image_ops.py``
against ``xp`` and included here with ``xp = tf.experimental.numpy`` (see ``common/binding.py``).
"""

from __future__ import annotations

import tensorflow as tf
import tensorflow.experimental.numpy as tnp

from brickwork.backend import config
from brickwork.backend.common.binding import include
from brickwork.backend.tensorflow.core import convert_to_tensor

# ruff: noqa: F821 - the functions include() defines are unknown to linters
xp = tnp  # the array namespace common/image_ops.py runs on
include("image_ops", globals())

_TF_RESIZE_MODES = (*_RESIZE_MODES, "area")


def _is_floating(dtype) -> bool:
    return tf.as_dtype(dtype).is_floating


def _round_to(x, dtype):
    """Floats computed for integer images, rounded and clipped back into ``dtype``."""
    dtype = tf.as_dtype(dtype)
    if dtype == tf.bool:
        return x > 0.5
    return tf.cast(tf.clip_by_value(tf.round(x), dtype.min, dtype.max), dtype)


def resize(images, size, interpolation="bilinear", antialias=False, crop_to_aspect_ratio=False,
           data_format=None):
    images = convert_to_tensor(images)
    _check_resize(images, size, interpolation, _TF_RESIZE_MODES)
    channels_last = (data_format or config.image_data_format()) == "channels_last"
    rank = images.ndim
    x = images if channels_last else tf.transpose(images, [*range(rank - 3), rank - 2, rank - 1, rank - 3])
    if crop_to_aspect_ratio:
        top, left, crop_height, crop_width = _crop_box(x.shape[-3], x.shape[-2], size)
        x = x[..., top:top + crop_height, left:left + crop_width, :]
    dtype = x.dtype
    compute = dtype if dtype.is_floating else tf.float32
    if interpolation == "area":
        x = tf.image.resize(tf.cast(x, compute), [int(s) for s in size], method="area")
    else:
        rows = tf.constant(_resize_weights(x.shape[-3], int(size[0]), interpolation, antialias), compute)
        cols = tf.constant(_resize_weights(x.shape[-2], int(size[1]), interpolation, antialias), compute)
        x = tf.einsum("oh,...hwc,pw->...opc", rows, tf.cast(x, compute), cols)
    x = tf.cast(x, dtype) if dtype.is_floating else _round_to(x, dtype)
    return x if channels_last else tf.transpose(x, [*range(rank - 3), rank - 1, rank - 3, rank - 2])
