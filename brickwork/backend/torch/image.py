"""torch backend: image ops (resize).

Images arrive channels-last by default and are permuted to torch's channels-first view once per call.
"""

from __future__ import annotations

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
