"""``plot_bounding_box_gallery``: a grid of images with their true and predicted boxes drawn in."""

from __future__ import annotations

import numpy as np

from brickwork.visualization._canvas import check_batch, check_data_format, matplotlib_parts, rescale
from brickwork.visualization.draw_bounding_boxes import draw_bounding_boxes
from brickwork.visualization.plot_image_gallery import plot_image_gallery


def plot_bounding_box_gallery(images, bounding_box_format: str, y_true: dict | None = None,
                              y_pred: dict | None = None, value_range=(0, 255), true_color=(0, 188, 212),
                              pred_color=(255, 235, 59), line_thickness: int = 2, font_scale: float = 1.0,
                              text_thickness: int | None = None, class_mapping: dict | None = None,
                              ground_truth_mapping: dict | None = None, prediction_mapping: dict | None = None,
                              legend: bool = False, legend_handles=None, rows: int | None = None,
                              cols: int | None = None, data_format: str | None = None, **kwargs):
    """Plot images in a grid with the ground-truth boxes in one colour and the predicted boxes in another.

    Args:
        images: ``(batch, height, width, channels)`` (or channels first) images.
        bounding_box_format: the boxes' format (see ``keras.utils.bounding_boxes.convert_format``).
        y_true: ground truth, a dict ``{"boxes", "labels"}`` as ``draw_bounding_boxes`` takes.
        y_pred: predictions, the same (``"confidences"`` are written beside the names).
        value_range: the ``(min, max)`` of the pixel values.
        true_color: RGB (0-255) of the ground-truth boxes.
        pred_color: RGB (0-255) of the predicted boxes.
        line_thickness: box outline width in pixels.
        font_scale: text size (1.0: 11 pixels high).
        text_thickness: ``2`` or more for bold names (default: ``line_thickness``).
        class_mapping: ``{class id: name}`` for both.
        ground_truth_mapping: names for the ground truth (default ``class_mapping``).
        prediction_mapping: names for the predictions (default ``class_mapping``).
        legend: add a "Ground Truth" / "Prediction" legend.
        legend_handles: your own legend handles instead (not together with ``legend=True``).
        rows: grid rows.
        cols: grid columns.
        data_format: ``"channels_last"`` or ``"channels_first"``; default ``image_data_format()``.
        **kwargs: passed to ``plot_image_gallery`` (``path``, ``show``, ``scale``, ``dpi``, ...).

    Returns:
        The matplotlib ``Figure``.

    Example:
    >>> from brickwork import visualization
    >>> y_true = {"boxes": np.array([[[4, 4, 20, 28]]]), "labels": np.array([[1]])}
    >>> visualization.plot_bounding_box_gallery(np.zeros((1, 32, 32, 3)), "xyxy", y_true=y_true,
    ...                                         class_mapping={1: "cup"}, path="/tmp/boxes.png")
    """
    check_batch(images, "plot_bounding_box_gallery")
    data_format = check_data_format(data_format, "plot_bounding_box_gallery")
    if legend and legend_handles:
        raise ValueError("plot_bounding_box_gallery: pass `legend=True` or `legend_handles`, not both.")
    pixels = np.clip(rescale(images, value_range), 0, 255).astype("uint8")
    if data_format == "channels_first":
        pixels = pixels.transpose(0, 2, 3, 1)
    drawing = dict(bounding_box_format=bounding_box_format, line_thickness=line_thickness,
                   text_thickness=text_thickness or line_thickness, font_scale=font_scale,
                   data_format="channels_last")
    if y_true is not None:
        pixels = draw_bounding_boxes(pixels, y_true, color=true_color,
                                     class_mapping=ground_truth_mapping or class_mapping, **drawing)
    if y_pred is not None:
        pixels = draw_bounding_boxes(pixels, y_pred, color=pred_color,
                                     class_mapping=prediction_mapping or class_mapping, **drawing)
    if legend:
        patches = matplotlib_parts()[2]
        legend_handles = [patches.Patch(color=np.asarray(true_color) / 255.0, label="Ground Truth"),
                          patches.Patch(color=np.asarray(pred_color) / 255.0, label="Prediction")]
    return plot_image_gallery(pixels, value_range=(0, 255), legend_handles=legend_handles, rows=rows, cols=cols,
                              data_format="channels_last", **kwargs)
