"""``plot_image_gallery``: a batch of images laid out in a grid, with optional true / predicted class names."""

from __future__ import annotations

import math
import os

import numpy as np

from brickwork.visualization._canvas import check_batch, check_data_format, matplotlib_parts, rescale


def grid_shape(count: int, rows: int | None, cols: int | None) -> tuple[int, int]:
    """Rows and columns for ``count`` images: near-square by default, or completing the one given."""
    if rows is None and cols is None:
        rows = max(1, math.ceil(math.sqrt(count)))
    if cols is None:
        cols = max(1, math.ceil(count / rows))
    if rows is None:
        rows = max(1, math.ceil(count / cols))
    return rows, cols


def new_figure(rows: int, cols: int, scale: float, show: bool):
    """A figure of ``rows`` x ``cols`` panels of ``scale`` inches: pyplot's when it is to be shown, else a figure
    of its own on the Agg canvas (no global state, no display needed). Constrained layout keeps titles and a
    legend below the grid clear of the images."""
    figsize = (cols * scale, rows * scale)
    if show:
        import matplotlib.pyplot as plt

        return plt.figure(figsize=figsize, layout="constrained")
    Figure, FigureCanvasAgg, _ = matplotlib_parts()
    figure = Figure(figsize=figsize, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def finish(figure, path, show: bool, transparent: bool, dpi: int):
    """Save the figure to ``path`` and/or show it; return it."""
    if path is not None:
        figure.savefig(os.fspath(path), pad_inches=0, bbox_inches="tight", transparent=transparent, dpi=dpi)
    if show:
        import matplotlib.pyplot as plt

        plt.show()
        plt.close(figure)
    return figure


def plot_image_gallery(images, y_true=None, y_pred=None, label_map: dict | None = None, rows: int | None = None,
                       cols: int | None = None, value_range=(0, 255), scale: float = 2, path=None,
                       show: bool | None = None, transparent: bool = True, dpi: int = 60, legend_handles=None,
                       data_format: str | None = None, titles=None):
    """Show a batch of images in a grid, each titled with its true and/or predicted class name.

    Args:
        images: ``(batch, height, width, channels)`` (or channels first) images; 1, 3 or 4 channels.
        y_true: the true class id of each image (titles "Label: name"); needs ``label_map``.
        y_pred: the predicted class id of each image (titles "Pred: name"); needs ``label_map``.
        label_map: ``{class id: name}``.
        rows: grid rows (default: near-square, or what ``cols`` leaves).
        cols: grid columns.
        value_range: the ``(min, max)`` of the pixel values, shown as black and white.
        scale: inches per panel.
        path: save the gallery to this file (PNG, or any format matplotlib writes).
        show: display it with pyplot; default: when no ``path`` is given. ``path`` and ``show=True`` together
            are an error.
        transparent: save with a transparent background.
        dpi: the saved picture's dots per inch.
        legend_handles: matplotlib handles (e.g. ``Patch``) for a legend below the grid.
        data_format: ``"channels_last"`` or ``"channels_first"``; default ``image_data_format()``.
        titles: a title per image, replacing the label titles (brickwork's addition; used by the mask gallery).

    Returns:
        The matplotlib ``Figure``.

    Example:
    >>> from brickwork import visualization
    >>> images = np.random.randint(0, 256, (6, 32, 32, 3))
    >>> visualization.plot_image_gallery(images, y_true=[0, 1, 0, 1, 1, 0], label_map={0: "cat", 1: "dog"},
    ...                                  path="/tmp/gallery.png")
    """
    shape = check_batch(images, "plot_image_gallery")
    data_format = check_data_format(data_format, "plot_image_gallery")
    if path is not None and show:
        raise ValueError("plot_image_gallery: give either `path` (save to a file) or `show=True`, not both.")
    if (y_true is not None or y_pred is not None) and label_map is None:
        raise ValueError("plot_image_gallery: `y_true` / `y_pred` need a `label_map` ({class id: name}).")
    show = path is None if show is None else bool(show)
    rows, cols = grid_shape(shape[0], rows, cols)
    pixels = np.clip(rescale(images, value_range), 0, 255).astype("uint8")
    if data_format == "channels_first":
        pixels = pixels.transpose(0, 2, 3, 1)
    labels = [None if y is None else np.asarray(_to_numpy(y)).reshape(-1) for y in (y_true, y_pred)]

    figure = new_figure(rows, cols, scale, show)
    for index in range(rows * cols):
        axes = figure.add_subplot(rows, cols, index + 1)
        axes.set_axis_off()
        if index >= shape[0]:
            continue
        image = pixels[index]
        axes.imshow(image[..., 0] if image.shape[-1] == 1 else image, cmap="gray", vmin=0, vmax=255,
                    interpolation="nearest")
        if titles is not None:
            title = titles[index] if index < len(titles) else ""
        else:
            parts = [f"{prefix}: {label_map.get(_key(values[index]), 'Unknown')}"
                     for prefix, values in zip(("Label", "Pred"), labels)
                     if values is not None and index < len(values)]
            title = "  ".join(parts)
        if title:
            axes.set_title(title, fontsize=8)
    if legend_handles is not None:
        figure.legend(handles=legend_handles, loc="outside lower center", ncols=min(len(legend_handles), 4))
    return finish(figure, path, show, transparent, dpi)


def _to_numpy(values):
    from brickwork import ops

    return ops.convert_to_numpy(values)


def _key(value):
    """A NumPy scalar label as the plain int (or str) a ``label_map`` is keyed by."""
    value = value.item() if hasattr(value, "item") else value
    return int(value) if isinstance(value, float) and value.is_integer() else value
