"""torch backend: image ops (resize, affine_transform, map_coordinates).

Images arrive channels-last by default and are permuted to torch's channels-first view once per call.
"""

from __future__ import annotations

import functools
import itertools
import operator

import torch
import torch.nn.functional as F

from brickwork.backend import config
from brickwork.backend.torch.core import convert_to_tensor

# Keras's "nearest" is half-pixel nearest (tf.image.resize), which is torch's "nearest-exact".
_MODES = {"bilinear": "bilinear", "nearest": "nearest-exact"}


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
    unbatched = images.ndim == 3
    x = images[None] if unbatched else images
    if channels_last:
        x = x.permute(0, 3, 1, 2)
    if crop_to_aspect_ratio:
        top, left, crop_height, crop_width = _crop_box(x.shape[2], x.shape[3], size)
        x = x[:, :, top:top + crop_height, left:left + crop_width]
    dtype = x.dtype
    if not x.is_floating_point():
        x = x.to(torch.float32)
    mode = _MODES[interpolation]
    x = F.interpolate(x, size=tuple(int(s) for s in size), mode=mode,
                      align_corners=False if mode == "bilinear" else None,
                      antialias=bool(antialias) and mode == "bilinear")
    if x.dtype != dtype:
        x = _round_to(x, dtype)
    if channels_last:
        x = x.permute(0, 2, 3, 1)
    return x[0] if unbatched else x


def _round_to(x, dtype):
    """Floats computed for integer images, rounded and clipped back into ``dtype``."""
    if dtype == torch.bool:
        return x > 0.5
    info = torch.iinfo(dtype)
    return torch.clamp(torch.round(x), info.min, info.max).to(dtype)


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
        return torch.remainder(index, size)
    if fill_mode == "reflect":  # (d c b a | a b c d | d c b a)
        index = torch.remainder(index, 2 * size)
        return torch.where(index < size, index, 2 * size - 1 - index)
    if fill_mode == "mirror" and size > 1:  # (d c b | a b c d | c b a)
        index = torch.remainder(index, 2 * size - 2)
        return torch.where(index < size, index, 2 * size - 2 - index)
    return torch.clamp(index, 0, size - 1)  # nearest; constant masks the outside afterwards


def _sample(x, rows, cols, fill_mode: str, fill_value):
    """``x[b, rows, cols]`` for (batch, H, W) integer coordinates, channels last."""
    height, width = x.shape[1], x.shape[2]
    batch = torch.arange(x.shape[0], device=x.device)[:, None, None]
    values = x[batch, _fill_index(rows, height, fill_mode), _fill_index(cols, width, fill_mode)]
    if fill_mode != "constant":
        return values
    inside = (rows >= 0) & (rows < height) & (cols >= 0) & (cols < width)
    return torch.where(inside[..., None], values, torch.as_tensor(fill_value, dtype=x.dtype, device=x.device))


def affine_transform(images, transform, interpolation="bilinear", fill_mode="constant", fill_value=0,
                     data_format=None):
    images = convert_to_tensor(images)
    transform = convert_to_tensor(transform)
    _check_affine(images, transform, interpolation, fill_mode)
    channels_last = (data_format or config.image_data_format()) == "channels_last"
    unbatched = images.ndim == 3
    x = images[None] if unbatched else images
    if not channels_last:
        x = x.permute(0, 2, 3, 1)
    dtype = x.dtype
    if not x.is_floating_point():
        x = x.to(torch.float32)
    t = transform.to(x.dtype).reshape(-1, 8)[:, :, None, None]
    rows, cols = torch.meshgrid(torch.arange(x.shape[1], dtype=x.dtype, device=x.device),
                                torch.arange(x.shape[2], dtype=x.dtype, device=x.device), indexing="ij")
    # Output pixel (row y, column x) reads the input at ((b0 x + b1 y + b2) / k, (a0 x + a1 y + a2) / k).
    k = t[:, 6] * cols + t[:, 7] * rows + 1.0
    src_cols = (t[:, 0] * cols + t[:, 1] * rows + t[:, 2]) / k
    src_rows = (t[:, 3] * cols + t[:, 4] * rows + t[:, 5]) / k
    if interpolation == "nearest":
        out = _sample(x, torch.floor(src_rows + 0.5).long(), torch.floor(src_cols + 0.5).long(), fill_mode,
                      fill_value)
    else:
        top, left = torch.floor(src_rows), torch.floor(src_cols)
        dy, dx = (src_rows - top)[..., None], (src_cols - left)[..., None]
        top, left = top.long(), left.long()
        out = ((1 - dy) * ((1 - dx) * _sample(x, top, left, fill_mode, fill_value)
                           + dx * _sample(x, top, left + 1, fill_mode, fill_value))
               + dy * ((1 - dx) * _sample(x, top + 1, left, fill_mode, fill_value)
                       + dx * _sample(x, top + 1, left + 1, fill_mode, fill_value)))
    if out.dtype != dtype:
        out = _round_to(out, dtype)
    if not channels_last:
        out = out.permute(0, 3, 1, 2)
    return out[0] if unbatched else out


# ---- map_coordinates ----

_MAP_FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")


def _round_half_away(x):
    return torch.sign(x) * torch.floor(torch.abs(x) + 0.5)


def map_coordinates(inputs, coordinates, order, fill_mode="constant", fill_value=0.0):
    inputs = convert_to_tensor(inputs)
    coordinates = convert_to_tensor(coordinates)
    if coordinates.ndim < 2 or coordinates.shape[0] != inputs.ndim:
        raise ValueError(
            f"map_coordinates: expected coordinates of shape ({inputs.ndim}, ...), one row per axis of inputs "
            f"(shape {tuple(inputs.shape)}), received shape {tuple(coordinates.shape)}"
        )
    if order not in (0, 1):
        raise ValueError(f"map_coordinates: order must be 0 (nearest) or 1 (linear), received order={order!r}")
    if fill_mode not in _MAP_FILL_MODES:
        raise ValueError(f"map_coordinates: fill_mode must be one of {_MAP_FILL_MODES}, received {fill_mode!r}")
    dtype = inputs.dtype
    compute = dtype if dtype.is_floating_point else torch.float32
    coordinates = coordinates.to(compute)
    # Each axis contributes one (order 0) or two (order 1) (index, weight) nodes; the result sums the
    # products over every combination of nodes, a corner outside the input reading fill_value.
    nodes = []
    for coordinate, size in zip(coordinates, inputs.shape):
        if order == 0:
            corners = [(_round_half_away(coordinate).long(), 1.0)]
        else:
            lower = torch.floor(coordinate)
            corners = [(lower.long(), 1 - (coordinate - lower)), (lower.long() + 1, coordinate - lower)]
        nodes.append([(_fill_index(index, size, fill_mode), (index >= 0) & (index < size), weight)
                      for index, weight in corners])
    fill = torch.as_tensor(fill_value, dtype=compute, device=inputs.device)
    values = inputs.to(compute)
    out = 0
    for combination in itertools.product(*nodes):
        indices, inside, weights = zip(*combination)
        sample = values[tuple(indices)]
        if fill_mode == "constant":
            sample = torch.where(functools.reduce(operator.and_, inside), sample, fill)
        out = out + functools.reduce(operator.mul, weights) * sample
    if compute != dtype:
        return _round_to(_round_half_away(out), dtype)
    return out.to(dtype)
