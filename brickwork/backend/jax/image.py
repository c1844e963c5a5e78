"""jax backend: image ops (resize).

``jax.image.resize`` resizes any axes it is given a new size for, so no layout change is needed.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from brickwork.backend import config
from brickwork.backend.jax.core import convert_to_tensor

# jax's "nearest" is half-pixel nearest, like tf.image.resize and Keras.
_MODES = {"bilinear": "bilinear", "nearest": "nearest"}


def _crop_box(height: int, width: int, size) -> tuple[int, int, int, int]:
    """The centred window of ``size``'s aspect ratio: (top, left, crop_height, crop_width)."""
    target_height, target_width = size
    crop_height = max(min(height, int(width * target_height / target_width)), 1)
    crop_width = max(min(width, int(height * target_width / target_height)), 1)
    return (height - crop_height) // 2, (width - crop_width) // 2, crop_height, crop_width


def _check_resize(images, size, interpolation: str) -> None:
    if interpolation not in _MODES:
        raise ValueError(f"interpolation must be one of {sorted(_MODES)}, received {interpolation!r}")
    if len(size) != 2:
        raise ValueError(f"size must be (height, width), received {size!r}")
    if images.ndim not in (3, 4):
        raise ValueError(f"expected images of rank 3 (unbatched) or 4 (batched), received rank {images.ndim}")


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
    x = jax.image.resize(x, tuple(shape), method=_MODES[interpolation], antialias=bool(antialias))
    return x if x.dtype == dtype else _round_to(x, dtype)


def _round_to(x, dtype):
    """Floats computed for integer images, rounded and clipped back into ``dtype``."""
    if dtype == jnp.bool_:
        return x > 0.5
    info = jnp.iinfo(dtype)
    return jnp.clip(jnp.round(x), info.min, info.max).astype(dtype)
