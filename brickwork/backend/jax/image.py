"""jax backend: image ops.

Written once in ``common/image_ops.py`` against ``xp`` and included here with ``xp = jax.numpy``
(see ``common/binding.py``). ``jax.image.resize`` resizes any axes it is given a new size for, so
no layout change is needed; its "nearest" is half-pixel nearest, like tf.image.resize and Keras.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from brickwork.backend import config
from brickwork.backend.common.binding import include
from brickwork.backend.jax.core import convert_to_tensor

# ruff: noqa: F821 - the functions include() defines are unknown to linters
xp = jnp  # the array namespace common/image_ops.py runs on
include("image_ops", globals())


def resize(images, size, interpolation="bilinear", antialias=False, crop_to_aspect_ratio=False,
           data_format=None):
    images = convert_to_tensor(images)
    _check_resize(images, size, interpolation)
    channels_last = (data_format or config.image_data_format()) == "channels_last"
    h_axis = images.ndim - 3 if channels_last else images.ndim - 2
    x = images
    if crop_to_aspect_ratio:
        top, left, crop_height, crop_width = _crop_box(x.shape[h_axis], x.shape[h_axis + 1], size)
        x = jax.lax.slice_in_dim(x, top, top + crop_height, axis=h_axis)
        x = jax.lax.slice_in_dim(x, left, left + crop_width, axis=h_axis + 1)
    shape = list(x.shape)
    shape[h_axis:h_axis + 2] = [int(s) for s in size]
    dtype = x.dtype
    if not jnp.issubdtype(dtype, jnp.floating):
        x = x.astype(jnp.float32)
    x = jax.image.resize(x, tuple(shape), method=interpolation, antialias=bool(antialias))
    return x if x.dtype == dtype else _round_to(x, dtype)


def map_coordinates(inputs, coordinates, order, fill_mode="constant", fill_value=0.0):
    inputs = convert_to_tensor(inputs)
    coordinates = convert_to_tensor(coordinates)
    _check_map_coordinates(inputs, coordinates, order, fill_mode)
    if not jnp.issubdtype(coordinates.dtype, jnp.floating):
        coordinates = coordinates.astype(jnp.float32)
    return jax.scipy.ndimage.map_coordinates(inputs, tuple(coordinates), order, mode=fill_mode, cval=fill_value)
