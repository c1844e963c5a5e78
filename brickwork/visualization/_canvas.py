"""What the visualization functions share: matplotlib loaded lazily, images as uint8 NumPy arrays, overlays.

Everything draws with matplotlib's Agg renderer on figures of their own (no pyplot state), so it works without a
display; pyplot is touched only to ``show`` a gallery.
"""

from __future__ import annotations

import numpy as np

from brickwork import backend, ops


def matplotlib_parts():
    """``(Figure, FigureCanvasAgg, patches)``, or an ImportError that says how to get matplotlib."""
    try:
        from matplotlib import patches
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError as error:
        raise ImportError("keras.visualization draws with matplotlib: `pip install matplotlib`.") from error
    return Figure, FigureCanvasAgg, patches


def check_batch(images, function: str):
    shape = tuple(ops.shape(images))
    if len(shape) != 4:
        raise ValueError(f"{function}: `images` must be a batch of images (a 4D tensor or array), "
                         f"received shape {shape}.")
    return shape


def check_data_format(data_format, function: str) -> str:
    data_format = data_format or backend.image_data_format()
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(f"{function}: `data_format` must be 'channels_last' or 'channels_first', "
                         f"received {data_format!r}.")
    return data_format


def to_uint8(images) -> np.ndarray:
    """Pixels as uint8 on [0, 255]: float images whose values are all <= 1 are taken as [0, 1] (as Keras does)."""
    images = np.asarray(ops.convert_to_numpy(images))
    if images.dtype.kind == "f" and images.size:
        images = np.clip(images, 0, 1) * 255 if images.max() <= 1.0 else np.clip(images, 0, 255)
    elif images.dtype.kind in "iu":
        images = np.clip(images, 0, 255)
    return images.astype("uint8")


def rescale(images, value_range) -> np.ndarray:
    """Pixels from ``value_range`` to [0, 255], as float NumPy."""
    images = np.asarray(ops.convert_to_numpy(images), dtype="float32")
    low, high = value_range
    return (images - low) * (255.0 / (high - low))


def overlay(height: int, width: int, draw, dpi: int = 72) -> np.ndarray:
    """Render what ``draw(axes, points_per_pixel)`` puts on a transparent ``height`` x ``width`` canvas.

    The axes span the canvas with pixel coordinates: x from 0 (left) to ``width``, y from 0 (top) to
    ``height``, so pixel ``(row, col)`` covers ``[col, col + 1] x [row, row + 1]``. Returns float RGBA on [0, 1].
    """
    Figure, FigureCanvasAgg, _ = matplotlib_parts()
    # A hair over the exact size: Agg truncates the canvas size, and w / dpi * dpi may fall below w.
    figure = Figure(figsize=((width + 1e-3) / dpi, (height + 1e-3) / dpi), dpi=dpi)
    canvas = FigureCanvasAgg(figure)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(0, width)
    axes.set_ylim(height, 0)
    axes.set_axis_off()
    figure.patch.set_alpha(0.0)
    axes.patch.set_alpha(0.0)
    draw(axes, 72.0 / dpi)
    canvas.draw()
    rgba = np.asarray(canvas.buffer_rgba())[:height, :width].astype("float32") / 255.0
    return rgba


def composite(image: np.ndarray, rgba: np.ndarray) -> np.ndarray:
    """``rgba`` (float, [0, 1]) painted over a uint8 ``(height, width, channels)`` image; channels 1, 3 or 4."""
    colour, alpha = rgba[..., :3] * 255.0, rgba[..., 3:]
    channels = image.shape[-1]
    if channels == 1:
        colour = colour @ np.array([[0.2989], [0.5870], [0.1140]], "float32")
    base = image[..., : min(channels, 3)].astype("float32")
    painted = np.clip(np.rint(base * (1.0 - alpha) + colour * alpha), 0, 255).astype("uint8")
    return np.concatenate([painted, image[..., 3:]], axis=-1) if channels == 4 else painted
