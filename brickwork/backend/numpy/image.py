"""numpy backend: image ops (resize), for inference.

Resizing is separable: one ``(out, in)`` weight matrix per spatial axis, applied with ``einsum``.
"""

from __future__ import annotations

import numpy as np

from brickwork.backend import config
from brickwork.backend.numpy.core import convert_to_tensor

_MODES = ("bilinear", "nearest")


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


def _resize_weights(in_size: int, out_size: int, interpolation: str, antialias: bool) -> np.ndarray:
    """The ``(out_size, in_size)`` matrix mapping input to output pixels, half-pixel centres."""
    scale = in_size / out_size
    centres = (np.arange(out_size) + 0.5) * scale  # in input pixel units, edges at integers
    if interpolation == "nearest":
        weights = np.zeros((out_size, in_size))
        weights[np.arange(out_size), np.minimum(np.floor(centres).astype(int), in_size - 1)] = 1.0
        return weights
    # A triangle kernel, widened when antialiasing a downscale; samples outside the image are
    # dropped and each row renormalised, which equals clamping the source coordinate at the edges.
    width = max(scale, 1.0) if antialias else 1.0
    distance = (np.arange(in_size)[None, :] + 0.5 - centres[:, None]) / width
    weights = np.maximum(0.0, 1.0 - np.abs(distance))
    return weights / weights.sum(axis=1, keepdims=True)


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


def _round_to(x, dtype):
    """Floats computed for integer images, rounded and clipped back into ``dtype``."""
    if dtype == np.bool_:
        return x > 0.5
    info = np.iinfo(dtype)
    return np.clip(np.round(x), info.min, info.max).astype(dtype)


# ---- affine_transform ----

_FILL_MODES = ("constant", "nearest", "wrap", "reflect", "mirror")


def _check_affine(images, transform, interpolation: str, fill_mode: str) -> None:
    if interpolation not in _MODES:
        raise ValueError(f"interpolation must be one of {sorted(_MODES)}, received {interpolation!r}")
    if fill_mode not in _FILL_MODES:
        raise ValueError(f"fill_mode must be one of {_FILL_MODES}, received {fill_mode!r}")
    if images.ndim not in (3, 4):
        raise ValueError(f"expected images of rank 3 (unbatched) or 4 (batched), received rank {images.ndim}")
    if transform.ndim not in (1, 2) or transform.shape[-1] != 8:
        raise ValueError(f"expected transform of shape (8,) or (batch, 8), received shape {tuple(transform.shape)}")


def _fill_index(index, size: int, fill_mode: str):
    """Integer coordinates outside ``[0, size)`` mapped into it by ``fill_mode`` (jax's map_coordinates)."""
    if fill_mode == "wrap":
        return np.remainder(index, size)
    if fill_mode == "reflect":  # (d c b a | a b c d | d c b a)
        index = np.remainder(index, 2 * size)
        return np.where(index < size, index, 2 * size - 1 - index)
    if fill_mode == "mirror" and size > 1:  # (d c b | a b c d | c b a)
        index = np.remainder(index, 2 * size - 2)
        return np.where(index < size, index, 2 * size - 2 - index)
    return np.clip(index, 0, size - 1)  # nearest; constant masks the outside afterwards


def _sample(x, rows, cols, fill_mode: str, fill_value):
    """``x[b, rows, cols]`` for (batch, H, W) integer coordinates, channels last."""
    height, width = x.shape[1], x.shape[2]
    batch = np.arange(x.shape[0])[:, None, None]
    values = x[batch, _fill_index(rows, height, fill_mode), _fill_index(cols, width, fill_mode)]
    if fill_mode != "constant":
        return values
    inside = (rows >= 0) & (rows < height) & (cols >= 0) & (cols < width)
    return np.where(inside[..., None], values, np.asarray(fill_value, dtype=x.dtype))


def affine_transform(images, transform, interpolation="bilinear", fill_mode="constant", fill_value=0,
                     data_format=None):
    images = convert_to_tensor(images)
    transform = convert_to_tensor(transform)
    _check_affine(images, transform, interpolation, fill_mode)
    channels_last = (data_format or config.image_data_format()) == "channels_last"
    unbatched = images.ndim == 3
    x = images[None] if unbatched else images
    if not channels_last:
        x = np.transpose(x, (0, 2, 3, 1))
    dtype = x.dtype
    if dtype.kind != "f":
        x = x.astype(np.float32)
    t = transform.astype(x.dtype).reshape(-1, 8)[:, :, None, None]
    rows, cols = np.meshgrid(np.arange(x.shape[1], dtype=x.dtype), np.arange(x.shape[2], dtype=x.dtype),
                              indexing="ij")
    # Output pixel (row y, column x) reads the input at ((b0 x + b1 y + b2) / k, (a0 x + a1 y + a2) / k).
    k = t[:, 6] * cols + t[:, 7] * rows + 1.0
    src_cols = (t[:, 0] * cols + t[:, 1] * rows + t[:, 2]) / k
    src_rows = (t[:, 3] * cols + t[:, 4] * rows + t[:, 5]) / k
    if interpolation == "nearest":
        out = _sample(x, np.floor(src_rows + 0.5).astype(np.int32), np.floor(src_cols + 0.5).astype(np.int32), fill_mode,
                      fill_value)
    else:
        top, left = np.floor(src_rows), np.floor(src_cols)
        dy, dx = (src_rows - top)[..., None], (src_cols - left)[..., None]
        top, left = top.astype(np.int32), left.astype(np.int32)
        out = ((1 - dy) * ((1 - dx) * _sample(x, top, left, fill_mode, fill_value)
                           + dx * _sample(x, top, left + 1, fill_mode, fill_value))
               + dy * ((1 - dx) * _sample(x, top + 1, left, fill_mode, fill_value)
                       + dx * _sample(x, top + 1, left + 1, fill_mode, fill_value)))
    if out.dtype != dtype:
        out = _round_to(out, dtype)
    if not channels_last:
        out = np.transpose(out, (0, 3, 1, 2))
    return out[0] if unbatched else out
