"""Image ops (affine_transform, map_coordinates, resize's checks and weights), written once against ``xp``.

Included by ``backend/<engine>/image.py`` (see ``common/binding.py``): the engine module binds the
names in ``REQUIRES`` and runs this code in its own namespace, then defines ``resize`` its own way.
"""

from __future__ import annotations

import functools
import itertools
import operator
from typing import TYPE_CHECKING

import numpy as _np

from brickwork.backend import config

REQUIRES = ("xp", "convert_to_tensor")
if TYPE_CHECKING:  # bound by the including engine module
    import numpy as xp  # or jax.numpy: any NumPy-like namespace

    def convert_to_tensor(x, dtype=None): ...


_MODES = ("bilinear", "nearest")


def _crop_box(height: int, width: int, size) -> tuple[int, int, int, int]:
    """The centred window of ``size``'s aspect ratio: (top, left, crop_height, crop_width)."""
    target_height, target_width = size
    crop_height = max(min(height, int(width * target_height / target_width)), 1)
    crop_width = max(min(width, int(height * target_width / target_height)), 1)
    return (height - crop_height) // 2, (width - crop_width) // 2, crop_height, crop_width


# resize's methods: Keras's on jax and numpy (no "area": that is TensorFlow's); torch lists its own.
_RESIZE_MODES = ("bilinear", "nearest", "bicubic", "lanczos3", "lanczos5")


def _check_resize(images, size, interpolation: str, modes=_RESIZE_MODES) -> None:
    if interpolation not in modes:
        raise ValueError(f"interpolation must be one of {sorted(modes)}, received {interpolation!r}")
    if len(size) != 2:
        raise ValueError(f"size must be (height, width), received {size!r}")
    if images.ndim not in (3, 4):
        raise ValueError(f"expected images of rank 3 (unbatched) or 4 (batched), received rank {images.ndim}")


# ---- resize's separable weights, computed on the host once per call (static sizes) ----


def _keys_cubic(x):
    """Keys' cubic convolution kernel with a = -0.5 (as jax.image and Keras's numpy backend use)."""
    near = (1.5 * x - 2.5) * x * x + 1.0
    far = ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0
    return _np.where(x < 1.0, near, _np.where(x < 2.0, far, 0.0))


def _lanczos(radius: float):
    def kernel(x):
        safe = _np.where(x > 1e-3, x, 1.0)
        value = radius * _np.sin(_np.pi * safe) * _np.sin(_np.pi * safe / radius) / (_np.pi ** 2 * safe * safe)
        return _np.where(x > radius, 0.0, _np.where(x > 1e-3, value, 1.0))

    return kernel


_RESIZE_KERNELS = {"bilinear": lambda x: _np.maximum(0.0, 1.0 - x), "bicubic": _keys_cubic,
                   "lanczos3": _lanczos(3.0), "lanczos5": _lanczos(5.0)}


def _resize_weights(in_size: int, out_size: int, interpolation: str, antialias: bool) -> _np.ndarray:
    """The ``(out_size, in_size)`` matrix mapping input to output pixels, half-pixel centres."""
    scale = in_size / out_size
    centres = (_np.arange(out_size) + 0.5) * scale  # in input pixel units, edges at integers
    if interpolation == "nearest":
        weights = _np.zeros((out_size, in_size))
        weights[_np.arange(out_size), _np.minimum(_np.floor(centres).astype(int), in_size - 1)] = 1.0
        return weights
    # The method's kernel, widened when antialiasing a downscale; samples outside the image are dropped and
    # each row renormalised (for bilinear, the same as clamping the source coordinate at the edges).
    width = max(scale, 1.0) if antialias else 1.0
    distance = (_np.arange(in_size)[None, :] + 0.5 - centres[:, None]) / width
    weights = _RESIZE_KERNELS[interpolation](_np.abs(distance))
    total = weights.sum(axis=1, keepdims=True)
    return _np.where(_np.abs(total) > 1e-6, weights / _np.where(total == 0, 1.0, total), 0.0)


def _is_floating(dtype) -> bool:
    """Whether ``dtype`` is a floating dtype (an engine whose ``xp`` has no NumPy dtype classes redefines it)."""
    return xp.issubdtype(dtype, xp.floating)


def _round_to(x, dtype):
    """Floats computed for integer images, rounded and clipped back into ``dtype``."""
    if dtype == xp.bool_:
        return x > 0.5
    info = xp.iinfo(dtype)
    return xp.clip(xp.round(x), info.min, info.max).astype(dtype)


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
        return xp.remainder(index, size)
    if fill_mode == "reflect":  # (d c b a | a b c d | d c b a)
        index = xp.remainder(index, 2 * size)
        return xp.where(index < size, index, 2 * size - 1 - index)
    if fill_mode == "mirror" and size > 1:  # (d c b | a b c d | c b a)
        index = xp.remainder(index, 2 * size - 2)
        return xp.where(index < size, index, 2 * size - 2 - index)
    return xp.clip(index, 0, size - 1)  # nearest; constant masks the outside afterwards


def _sample(x, rows, cols, fill_mode: str, fill_value):
    """``x[b, rows, cols]`` for (batch, H, W) integer coordinates, channels last."""
    height, width = x.shape[1], x.shape[2]
    batch = xp.arange(x.shape[0])[:, None, None]
    values = x[batch, _fill_index(rows, height, fill_mode), _fill_index(cols, width, fill_mode)]
    if fill_mode != "constant":
        return values
    inside = (rows >= 0) & (rows < height) & (cols >= 0) & (cols < width)
    return xp.where(inside[..., None], values, xp.asarray(fill_value, dtype=x.dtype))


def affine_transform(images, transform, interpolation="bilinear", fill_mode="constant", fill_value=0,
                     data_format=None):
    images = convert_to_tensor(images)
    transform = convert_to_tensor(transform)
    _check_affine(images, transform, interpolation, fill_mode)
    channels_last = (data_format or config.image_data_format()) == "channels_last"
    unbatched = images.ndim == 3
    x = images[None] if unbatched else images
    if not channels_last:
        x = xp.transpose(x, (0, 2, 3, 1))
    dtype = x.dtype
    if not _is_floating(dtype):
        x = x.astype(xp.float32)
    t = transform.astype(x.dtype).reshape(-1, 8)[:, :, None, None]
    rows, cols = xp.meshgrid(xp.arange(x.shape[1], dtype=x.dtype), xp.arange(x.shape[2], dtype=x.dtype),
                              indexing="ij")
    # Output pixel (row y, column x) reads the input at ((b0 x + b1 y + b2) / k, (a0 x + a1 y + a2) / k).
    k = t[:, 6] * cols + t[:, 7] * rows + 1.0
    src_cols = (t[:, 0] * cols + t[:, 1] * rows + t[:, 2]) / k
    src_rows = (t[:, 3] * cols + t[:, 4] * rows + t[:, 5]) / k
    if interpolation == "nearest":
        nearest_rows = xp.floor(src_rows + 0.5).astype(xp.int32)
        nearest_cols = xp.floor(src_cols + 0.5).astype(xp.int32)
        out = _sample(x, nearest_rows, nearest_cols, fill_mode, fill_value)
    else:
        top, left = xp.floor(src_rows), xp.floor(src_cols)
        dy, dx = (src_rows - top)[..., None], (src_cols - left)[..., None]
        top, left = top.astype(xp.int32), left.astype(xp.int32)
        out = ((1 - dy) * ((1 - dx) * _sample(x, top, left, fill_mode, fill_value)
                           + dx * _sample(x, top, left + 1, fill_mode, fill_value))
               + dy * ((1 - dx) * _sample(x, top + 1, left, fill_mode, fill_value)
                       + dx * _sample(x, top + 1, left + 1, fill_mode, fill_value)))
    if out.dtype != dtype:
        out = _round_to(out, dtype)
    if not channels_last:
        out = xp.transpose(out, (0, 3, 1, 2))
    return out[0] if unbatched else out


# ---- map_coordinates ----

_MAP_FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")


def _check_map_coordinates(inputs, coordinates, order, fill_mode) -> None:
    if coordinates.ndim < 2 or coordinates.shape[0] != inputs.ndim:
        raise ValueError(
            f"map_coordinates: expected coordinates of shape ({inputs.ndim}, ...), one row per axis of inputs "
            f"(shape {tuple(inputs.shape)}), received shape {tuple(coordinates.shape)}"
        )
    if order not in (0, 1):
        raise ValueError(f"map_coordinates: order must be 0 (nearest) or 1 (linear), received order={order!r}")
    if fill_mode not in _MAP_FILL_MODES:
        raise ValueError(f"map_coordinates: fill_mode must be one of {_MAP_FILL_MODES}, received {fill_mode!r}")


def _round_half_away(x):
    return xp.sign(x) * xp.floor(xp.abs(x) + 0.5)


def map_coordinates(inputs, coordinates, order, fill_mode="constant", fill_value=0.0):
    inputs = convert_to_tensor(inputs)
    coordinates = convert_to_tensor(coordinates)
    _check_map_coordinates(inputs, coordinates, order, fill_mode)
    dtype = inputs.dtype
    compute = dtype if _is_floating(dtype) else xp.float32
    coordinates = coordinates.astype(compute)
    # Each axis contributes one (order 0) or two (order 1) (index, weight) nodes; the result sums the
    # products over every combination of nodes, a corner outside the input reading fill_value.
    nodes = []
    for coordinate, size in zip(coordinates, inputs.shape):
        if order == 0:
            corners = [(_round_half_away(coordinate).astype(xp.int32), 1.0)]
        else:
            lower = xp.floor(coordinate)
            corners = [(lower.astype(xp.int32), 1 - (coordinate - lower)), (lower.astype(xp.int32) + 1,
                                                                           coordinate - lower)]
        nodes.append([(_fill_index(index, size, fill_mode), (index >= 0) & (index < size), weight)
                      for index, weight in corners])
    fill = xp.asarray(fill_value, dtype=compute)
    values = inputs.astype(compute)
    out = 0
    for combination in itertools.product(*nodes):
        indices, inside, weights = zip(*combination)
        sample = values[tuple(indices)]
        if fill_mode == "constant":
            sample = xp.where(functools.reduce(operator.and_, inside), sample, fill)
        out = out + functools.reduce(operator.mul, weights) * sample
    if compute != dtype:
        return _round_to(_round_half_away(out), dtype)
    return out.astype(dtype)
