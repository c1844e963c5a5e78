"""numpy backend: image ops, for inference.

Written once in ``common/image_ops.py`` against ``xp`` and included here with ``xp = numpy``
(see ``common/binding.py``). Resizing is separable: one ``(out, in)`` weight matrix per spatial
axis, applied with ``einsum``.
"""

from __future__ import annotations

import numpy as np

from brickwork.backend import config
from brickwork.backend.common.binding import include
from brickwork.backend.numpy.core import convert_to_tensor

# ruff: noqa: F821 - the functions include() defines are unknown to linters
xp = np  # the array namespace common/image_ops.py runs on
include("image_ops", globals())


def _keys_cubic(x):
    """Keys' cubic convolution kernel with a = -0.5 (as jax.image and Keras's numpy backend use)."""
    near = (1.5 * x - 2.5) * x * x + 1.0
    far = ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0
    return np.where(x < 1.0, near, np.where(x < 2.0, far, 0.0))


def _lanczos(radius: float):
    def kernel(x):
        safe = np.where(x > 1e-3, x, 1.0)
        value = radius * np.sin(np.pi * safe) * np.sin(np.pi * safe / radius) / (np.pi ** 2 * safe * safe)
        return np.where(x > radius, 0.0, np.where(x > 1e-3, value, 1.0))

    return kernel


_RESIZE_KERNELS = {"bilinear": lambda x: np.maximum(0.0, 1.0 - x), "bicubic": _keys_cubic,
                   "lanczos3": _lanczos(3.0), "lanczos5": _lanczos(5.0)}


def _resize_weights(in_size: int, out_size: int, interpolation: str, antialias: bool) -> np.ndarray:
    """The ``(out_size, in_size)`` matrix mapping input to output pixels, half-pixel centres."""
    scale = in_size / out_size
    centres = (np.arange(out_size) + 0.5) * scale  # in input pixel units, edges at integers
    if interpolation == "nearest":
        weights = np.zeros((out_size, in_size))
        weights[np.arange(out_size), np.minimum(np.floor(centres).astype(int), in_size - 1)] = 1.0
        return weights
    # The method's kernel, widened when antialiasing a downscale; samples outside the image are dropped and
    # each row renormalised (for bilinear, the same as clamping the source coordinate at the edges).
    width = max(scale, 1.0) if antialias else 1.0
    distance = (np.arange(in_size)[None, :] + 0.5 - centres[:, None]) / width
    weights = _RESIZE_KERNELS[interpolation](np.abs(distance))
    total = weights.sum(axis=1, keepdims=True)
    return np.where(np.abs(total) > 1e-6, weights / np.where(total == 0, 1.0, total), 0.0)


def resize(images, size, interpolation="bilinear", antialias=False, crop_to_aspect_ratio=False,
           data_format=None):
    images = convert_to_tensor(images)
    _check_resize(images, size, interpolation)
    channels_last = (data_format or config.image_data_format()) == "channels_last"
    x = images if channels_last else np.moveaxis(images, -3, -1)
    if crop_to_aspect_ratio:
        top, left, crop_height, crop_width = _crop_box(x.shape[-3], x.shape[-2], size)
        x = x[..., top:top + crop_height, left:left + crop_width, :]
    dtype = x.dtype
    compute = dtype if dtype.kind == "f" else np.dtype("float32")
    rows = _resize_weights(x.shape[-3], int(size[0]), interpolation, antialias).astype(compute)
    cols = _resize_weights(x.shape[-2], int(size[1]), interpolation, antialias).astype(compute)
    x = np.einsum("oh,...hwc,pw->...opc", rows, x.astype(compute), cols).astype(compute)
    if dtype != compute:
        x = _round_to(x, dtype)
    return x if channels_last else np.moveaxis(x, -1, -3)
