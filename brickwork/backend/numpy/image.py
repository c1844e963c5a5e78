"""numpy backend: image ops, for inference.

Written once in ``common/image_ops.py`` against ``xp`` and included here with ``xp = numpy``
(see ``common/binding.py``). Resizing is separable: one ``(out, in)`` weight matrix per spatial
axis (``common/image_ops._resize_weights``), applied with ``einsum``.
"""

from __future__ import annotations

import numpy as np

from brickwork.backend import config
from brickwork.backend.common.binding import include
from brickwork.backend.numpy.core import convert_to_tensor

# ruff: noqa: F821 - the functions include() defines are unknown to linters
xp = np  # the array namespace common/image_ops.py runs on
include("image_ops", globals())


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
