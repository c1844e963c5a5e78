"""Colour-space helpers for the image layers, written on ``brickwork.ops`` (any backend, jit-safe).

Images are RGB with channels on the last axis (``channels_last``) or the third from last (``channels_first``).
"""

from __future__ import annotations

from brickwork import ops

# ITU-R 601 luma weights, the ones TensorFlow and Keras use for grayscale.
_LUMA = (0.2989, 0.5870, 0.1140)


def channel_axis(data_format: str) -> int:
    return -1 if data_format == "channels_last" else -3


def rgb_to_grayscale(images, data_format: str):
    """The luma of each pixel, keeping a channel axis of size 1 (it broadcasts against the RGB image)."""
    axis = channel_axis(data_format)
    red, green, blue = ops.split(images, 3, axis=axis)
    return red * _LUMA[0] + green * _LUMA[1] + blue * _LUMA[2]


def rgb_to_hsv(images, data_format: str):
    """Hue, saturation and value in ``[0, 1]`` (hue as a fraction of a turn) from RGB in ``[0, 1]``."""
    axis = channel_axis(data_format)
    red, green, blue = ops.split(images, 3, axis=axis)
    value = ops.maximum(ops.maximum(red, green), blue)
    spread = value - ops.minimum(ops.minimum(red, green), blue)
    saturation = ops.where(value > 0, spread / ops.where(value > 0, value, 1.0), 0.0)
    safe_spread = ops.where(spread > 0, spread, 1.0)
    # Sixths of a turn: red's sector is centred on 0, green's on 2, blue's on 4.
    sector = ops.where(value == red, (green - blue) / safe_spread,
                       ops.where(value == green, 2.0 + (blue - red) / safe_spread, 4.0 + (red - green) / safe_spread))
    hue = ops.where(spread > 0, sector / 6.0, 0.0)
    hue = ops.where(hue < 0, hue + 1.0, hue)
    return ops.concatenate([hue, saturation, value], axis=axis)


def hsv_to_rgb(images, data_format: str):
    """RGB from hue (a fraction of a turn, taken modulo 1), saturation and value."""
    axis = channel_axis(data_format)
    hue, saturation, value = ops.split(images, 3, axis=axis)
    sixths = ops.mod(hue, 1.0) * 6.0

    def channel(offset: float):
        # Each channel falls from full to zero over one sixth of a turn, offset per channel.
        k = ops.mod(offset + sixths, 6.0)
        return value - value * saturation * ops.clip(ops.minimum(k, 4.0 - k), 0.0, 1.0)

    return ops.concatenate([channel(5.0), channel(3.0), channel(1.0)], axis=axis)


def rescale_values(images, source, target):
    """Map pixel values linearly from the ``source`` range ``(min, max)`` to the ``target`` one."""
    if tuple(source) == tuple(target):
        return images
    unit = (images - source[0]) / (source[1] - source[0])
    return unit * (target[1] - target[0]) + target[0]
