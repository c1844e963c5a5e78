"""torch backend: image ops (resize, affine_transform, map_coordinates).

Written once in ``common/image_ops.py`` against ``xp`` and included here with ``xp = torch``
(see ``common/binding.py``): the checks, crop box and out-of-bounds index rules are shared. What
follows is torch's own: ``resize`` on ``F.interpolate``, and the samplers, which place the
tensors they build on the images' device. Images arrive channels-last by default and are permuted
to torch's channels-first view once per call.
"""

from __future__ import annotations

import functools
import itertools
import operator

import torch
import torch.nn.functional as F

from brickwork.backend import config
from brickwork.backend.common.binding import include
from brickwork.backend.torch.core import convert_to_tensor

# ruff: noqa: F821 - the functions include() defines are unknown to linters
xp = torch  # the array namespace common/image_ops.py runs on
include("image_ops", globals())

# Keras's "nearest" is half-pixel nearest (tf.image.resize), which is torch's "nearest-exact".
_INTERPOLATE_MODES = {"bilinear": "bilinear", "nearest": "nearest-exact", "bicubic": "bicubic"}


def resize(images, size, interpolation="bilinear", antialias=False, crop_to_aspect_ratio=False,
           data_format=None):
    images = convert_to_tensor(images)
    if interpolation in ("lanczos3", "lanczos5"):
        raise ValueError(f"interpolation={interpolation!r} is not supported by the torch backend (PyTorch "
                         "has no Lanczos resampling, as in Keras on torch); use 'bicubic', or the jax or numpy backend.")
    _check_resize(images, size, interpolation, tuple(_INTERPOLATE_MODES))
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
    mode = _INTERPOLATE_MODES[interpolation]
    x = F.interpolate(x, size=tuple(int(s) for s in size), mode=mode,
                      align_corners=False if mode in ("bilinear", "bicubic") else None,
                      antialias=bool(antialias) and mode in ("bilinear", "bicubic"))
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


def map_coordinates(inputs, coordinates, order, fill_mode="constant", fill_value=0.0):
    inputs = convert_to_tensor(inputs)
    coordinates = convert_to_tensor(coordinates)
    _check_map_coordinates(inputs, coordinates, order, fill_mode)
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
