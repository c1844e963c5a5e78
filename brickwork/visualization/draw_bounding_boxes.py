"""``draw_bounding_boxes``: boxes (and their class names) drawn onto a batch of images."""

from __future__ import annotations

import numpy as np

from brickwork import ops
from brickwork.utils.bounding_boxes import convert_format
from brickwork.visualization._canvas import (
    check_batch,
    check_data_format,
    composite,
    matplotlib_parts,
    overlay,
    to_uint8,
)


def _text_colour(colour) -> str:
    """Black or white, whichever reads better on ``colour`` (RGB on [0, 1])."""
    return "black" if 0.2989 * colour[0] + 0.5870 * colour[1] + 0.1140 * colour[2] > 0.5 else "white"


def draw_bounding_boxes(images, bounding_boxes: dict, bounding_box_format: str, class_mapping: dict | None = None,
                        color=(128, 128, 128), line_thickness: int = 2, text_thickness: int = 1,
                        font_scale: float = 1.0, data_format: str | None = None) -> np.ndarray:
    """Draw each image's boxes on it, with its class name (and confidence) in a tag above the box.

    Boxes whose label is ``-1`` (padding) are skipped; a name is written only for labels in ``class_mapping``.
    Drawn with matplotlib (antialiased lines and text; no OpenCV needed).

    Args:
        images: a batch of images, ``(batch, height, width, channels)`` (or channels first); channels 1, 3 or
            4. Float images with every value <= 1 are taken as ``[0, 1]``, others as ``[0, 255]``.
        bounding_boxes: a dict with ``"boxes"`` ``(batch, num_boxes, 4)``, ``"labels"`` ``(batch, num_boxes)`` and
            optionally ``"confidences"`` ``(batch, num_boxes)``.
        bounding_box_format: the boxes' format (``"xyxy"``, ``"yxyx"``, ``"xywh"``, ``"center_xywh"``,
            ``"rel_xyxy"``, ...; see ``keras.utils.bounding_boxes.convert_format``).
        class_mapping: ``{class id: name}`` for the tags; ``None`` draws no text.
        color: the RGB colour (0-255) of the boxes and tags.
        line_thickness: the box outline's width in pixels.
        text_thickness: ``1`` for regular text, ``2`` or more for bold.
        font_scale: the text size, 1.0 being 11 pixels high.
        data_format: ``"channels_last"`` or ``"channels_first"``; default ``image_data_format()``.

    Returns:
        A uint8 NumPy array of the images' shape with the boxes drawn.

    Example:
    >>> from brickwork import visualization
    >>> images = np.zeros((1, 64, 64, 3), "uint8")
    >>> boxes = {"boxes": np.array([[[8, 8, 40, 56]]]), "labels": np.array([[0]])}
    >>> drawn = visualization.draw_bounding_boxes(images, boxes, "xyxy", class_mapping={0: "cat"})
    """
    shape = check_batch(images, "draw_bounding_boxes")
    data_format = check_data_format(data_format, "draw_bounding_boxes")
    if not isinstance(bounding_boxes, dict):
        raise TypeError(f"draw_bounding_boxes: `bounding_boxes` must be a dict with 'boxes' and 'labels', "
                        f"received {type(bounding_boxes).__name__}.")
    if "boxes" not in bounding_boxes or "labels" not in bounding_boxes:
        raise ValueError(f"draw_bounding_boxes: `bounding_boxes` must have 'boxes' and 'labels', "
                         f"received keys {sorted(bounding_boxes)}.")
    height, width = shape[1:3] if data_format == "channels_last" else shape[2:4]
    boxes = ops.convert_to_numpy(convert_format(bounding_boxes["boxes"], bounding_box_format, "xyxy",
                                                height=height, width=width))
    labels = np.asarray(ops.convert_to_numpy(bounding_boxes["labels"]))
    confidences = bounding_boxes.get("confidences")
    confidences = None if confidences is None else np.asarray(ops.convert_to_numpy(confidences))
    class_mapping = class_mapping or {}
    pixels = to_uint8(images)
    if data_format == "channels_first":
        pixels = pixels.transpose(0, 2, 3, 1)
    colour = tuple(float(c) for c in np.asarray(color, "float32")[:3] / 255.0)
    patches = matplotlib_parts()[2]
    font_px = 11.0 * font_scale

    def draw(index):
        def on(axes, points_per_pixel):
            for number, (box, label) in enumerate(zip(boxes[index], labels[index])):
                label = int(label)
                if label == -1:
                    continue
                x1, y1, x2, y2 = (float(v) for v in box)
                axes.add_patch(patches.Rectangle((x1, y1), x2 - x1, y2 - y1, fill=False, edgecolor=colour,
                                                 linewidth=line_thickness * points_per_pixel, joinstyle="miter"))
                if label not in class_mapping:
                    continue
                text = str(class_mapping[label])
                if confidences is not None:
                    text += f" | {float(confidences[index][number]):.2f}"
                # The tag sits on the box's top edge, outside; inside when the box touches the image top.
                outside = y1 - font_px * 1.6 >= 0
                axes.text(x1, y1, text, color=_text_colour(colour), fontsize=font_px * points_per_pixel,
                          fontweight="bold" if (text_thickness or 1) >= 2 else "normal",
                          va="bottom" if outside else "top", ha="left", clip_on=True,
                          bbox=dict(boxstyle="square,pad=0.15", facecolor=colour, edgecolor="none"))
        return on

    result = np.stack([composite(pixels[i], overlay(height, width, draw(i))) for i in range(shape[0])])
    return result.transpose(0, 3, 1, 2) if data_format == "channels_first" else result
