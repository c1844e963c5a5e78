"""Bounding-box formats and the geometry on them: conversion, clipping, crop and pad, affine maps, anchor deltas.

Written once on ``brickwork.ops``, so every engine runs them. A box is the last axis of a tensor of shape
``(..., 4)``; its format names what the four numbers are:

=====================  ==========================================
``"xyxy"``             left, top, right, bottom
``"yxyx"``             top, left, bottom, right
``"xywh"``             left, top, width, height
``"center_xywh"``      centre x, centre y, width, height
``"center_yxhw"``      centre y, centre x, height, width
``"rel_<format>"``     the same with x and widths divided by the image width, y and heights by its height
                       (``rel_xyxy``, ``rel_yxyx``, ``rel_xywh``, ``rel_center_xywh``)
=====================  ==========================================

Every conversion passes through ``xyxy`` in pixels: a format is read as (which corner or centre, which
size, which axis first), so one reader and one writer serve all of them.
"""

from __future__ import annotations

import math

from brickwork import backend, ops

# base format -> (layout, y_first); "corners": two corners, "corner_size": a corner and the size,
# "center_size": the centre and the size.
_LAYOUTS: dict[str, tuple[str, bool]] = {
    "xyxy": ("corners", False),
    "yxyx": ("corners", True),
    "xywh": ("corner_size", False),
    "center_xywh": ("center_size", False),
    "center_yxhw": ("center_size", True),
}
SUPPORTED_FORMATS: tuple[str, ...] = (
    "xyxy", "yxyx", "xywh", "center_xywh", "center_yxhw", "rel_xyxy", "rel_yxyx", "rel_xywh", "rel_center_xywh",
)


def _check_format(name, argument: str, function: str) -> str:
    if not isinstance(name, str) or name.lower() not in SUPPORTED_FORMATS:
        raise ValueError(f"{function}: `{argument}` must be one of {SUPPORTED_FORMATS} (any case), "
                         f"received {name!r}.")
    return name.lower()


def _check_boxes(boxes, function: str):
    boxes = ops.convert_to_tensor(boxes)
    if len(boxes.shape) == 0 or boxes.shape[-1] != 4:
        raise ValueError(f"{function}: `boxes` must have a last dimension of 4, received shape {tuple(boxes.shape)}.")
    return boxes


def _to_xyxy(boxes, layout: str, y_first: bool, scale):
    """``boxes`` in a base format -> ``xyxy``; ``scale`` is ``(width, height)`` for relative boxes, else None."""
    first, second, third, fourth = ops.split(boxes, 4, axis=-1)
    if y_first:
        first, second, third, fourth = second, first, fourth, third
    if layout == "corners":
        x1, y1, x2, y2 = first, second, third, fourth
    elif layout == "corner_size":
        x1, y1, x2, y2 = first, second, first + third, second + fourth
    else:
        x1, y1, x2, y2 = first - third / 2.0, second - fourth / 2.0, first + third / 2.0, second + fourth / 2.0
    if scale is not None:
        x1, y1, x2, y2 = x1 * scale[0], y1 * scale[1], x2 * scale[0], y2 * scale[1]
    return x1, y1, x2, y2


def _from_xyxy(x1, y1, x2, y2, layout: str, y_first: bool, scale):
    if scale is not None:
        x1, y1, x2, y2 = x1 / scale[0], y1 / scale[1], x2 / scale[0], y2 / scale[1]
    if layout == "corners":
        parts = [x1, y1, x2, y2]
    elif layout == "corner_size":
        parts = [x1, y1, x2 - x1, y2 - y1]
    else:
        parts = [(x1 + x2) / 2.0, (y1 + y2) / 2.0, x2 - x1, y2 - y1]
    if y_first:
        parts = [parts[1], parts[0], parts[3], parts[2]]
    return ops.concatenate(parts, axis=-1)


def convert_format(boxes, source: str, target: str, height=None, width=None, dtype: str = "float32"):
    """Convert bounding boxes from one format to another.

    Args:
        boxes: boxes of shape ``(..., 4)``, or a dict with ``"boxes"`` (the other entries, such as
            ``"labels"``, are kept; a new dict is returned).
        source: the format of ``boxes``: ``"xyxy"``, ``"yxyx"``, ``"xywh"``, ``"center_xywh"``,
            ``"center_yxhw"``, ``"rel_xyxy"``, ``"rel_yxyx"``, ``"rel_xywh"`` or ``"rel_center_xywh"``
            (any case).
        target: the format to return, from the same list.
        height: the image height in pixels; needed when exactly one format is relative (``rel_*``).
        width: the image width in pixels; needed likewise.
        dtype: the dtype of the result.

    Returns:
        The converted boxes (a tensor of ``dtype``), or the dict with its ``"boxes"`` converted.

    Example:
    >>> from brickwork.utils import bounding_boxes
    >>> bounding_boxes.convert_format(np.array([[10, 20, 30, 40]]), source="xyxy", target="xywh")
    ... # [[10., 20., 20., 20.]]
    >>> bounding_boxes.convert_format(np.array([[10, 20, 30, 40]]), "xyxy", "rel_xyxy", height=200, width=100)
    ... # [[0.1, 0.1, 0.3, 0.2]]
    """
    if isinstance(boxes, dict):
        if "boxes" not in boxes:
            raise ValueError(f"convert_format: a dict of boxes needs a 'boxes' entry, received keys {sorted(boxes)}.")
        return {**boxes, "boxes": convert_format(boxes["boxes"], source, target, height, width, dtype)}
    source = _check_format(source, "source", "convert_format")
    target = _check_format(target, "target", "convert_format")
    boxes = ops.cast(_check_boxes(boxes, "convert_format"), dtype)
    relative = (source.startswith("rel_"), target.startswith("rel_"))
    if any(relative) and (height is None or width is None):
        raise ValueError(f"convert_format() must receive `height` and `width` to convert between relative and "
                         f"absolute formats; received source={source!r}, target={target!r}, height={height}, "
                         f"width={width}.")
    if source == target:
        return boxes
    if all(relative):  # both relative: the scale cancels, convert the fractions directly
        source, target, relative = source[4:], target[4:], (False, False)
    scale = None
    if any(relative):
        scale = (ops.cast(width, dtype), ops.cast(height, dtype))
    source_layout = _LAYOUTS[source.removeprefix("rel_")]
    target_layout = _LAYOUTS[target.removeprefix("rel_")]
    corners = _to_xyxy(boxes, *source_layout, scale if relative[0] else None)
    return _from_xyxy(*corners, *target_layout, scale if relative[1] else None)


def _area(x1, y1, x2, y2):
    return ops.squeeze((x2 - x1) * (y2 - y1), axis=-1)


def clip_to_image_size(bounding_boxes: dict, height=None, width=None, bounding_box_format: str = "xyxy") -> dict:
    """Clip boxes to the image, and mark the boxes left with no area: their label becomes ``-1``.

    Args:
        bounding_boxes: a dict with ``"boxes"`` (``(N, 4)`` or ``(batch, N, 4)``) and optionally ``"labels"``
            (``(N,)`` or ``(batch, N)``).
        height: the image height in pixels (needed for absolute formats).
        width: the image width in pixels (needed for absolute formats).
        bounding_box_format: the boxes' format; relative formats are clipped to ``[0, 1]``.

    Returns:
        A new dict with the clipped ``"boxes"`` (in the same format) and, if given, the updated ``"labels"``.

    Example:
    >>> from brickwork.utils import bounding_boxes
    >>> out = bounding_boxes.clip_to_image_size(
    ...     {"boxes": np.array([[-10., -20., 150., 160.], [130., 10., 140., 20.]]), "labels": np.array([0, 1])},
    ...     height=100, width=120)
    >>> out["boxes"], out["labels"]   # [[0, 0, 120, 100], [120, 10, 120, 20]], [0, -1]
    """
    if not isinstance(bounding_boxes, dict) or "boxes" not in bounding_boxes:
        raise ValueError(f"clip_to_image_size: `bounding_boxes` must be a dict with 'boxes' (and optionally "
                         f"'labels'), received {type(bounding_boxes).__name__}.")
    box_format = _check_format(bounding_box_format, "bounding_box_format", "clip_to_image_size")
    relative = box_format.startswith("rel_")
    if not relative and (height is None or width is None):
        raise ValueError(f"clip_to_image_size: `height` and `width` must be given for the absolute format "
                         f"{box_format!r}; received height={height}, width={width}.")
    boxes = _check_boxes(bounding_boxes["boxes"], "clip_to_image_size")
    dtype = boxes.dtype if backend.is_float_dtype(boxes.dtype) else "float32"
    layout = _LAYOUTS[box_format.removeprefix("rel_")]
    x1, y1, x2, y2 = _to_xyxy(ops.cast(boxes, dtype), *layout, None)
    x_max, y_max = (1.0, 1.0) if relative else (ops.cast(width, dtype), ops.cast(height, dtype))
    x1, x2 = ops.clip(x1, 0.0, x_max), ops.clip(x2, 0.0, x_max)
    y1, y2 = ops.clip(y1, 0.0, y_max), ops.clip(y2, 0.0, y_max)
    result = {**bounding_boxes, "boxes": _from_xyxy(x1, y1, x2, y2, *layout, None)}
    labels = bounding_boxes.get("labels")
    if labels is not None:
        labels = ops.convert_to_tensor(labels)
        result["labels"] = ops.where(_area(x1, y1, x2, y2) > 0, labels, ops.cast(-1, labels.dtype))
    return result


def _absolute_xyxy(boxes, box_format: str, function: str, height=None, width=None):
    """``boxes`` (in ``box_format``) as float ``xyxy`` pixel coordinates, with the format's layout to go back."""
    box_format = _check_format(box_format, "bounding_box_format", function)
    boxes = _check_boxes(boxes, function)
    dtype = boxes.dtype if backend.is_float_dtype(boxes.dtype) else "float32"
    scale = None
    if box_format.startswith("rel_"):
        if height is None or width is None:
            raise ValueError(f"{function}: the relative format {box_format!r} needs the image `height` and `width`; "
                             f"received height={height}, width={width}.")
        scale = (ops.cast(width, dtype), ops.cast(height, dtype))
    layout = _LAYOUTS[box_format.removeprefix("rel_")]
    return _to_xyxy(ops.cast(boxes, dtype), *layout, scale), (*layout, scale)


def affine_transform(boxes, angle, translate_x, translate_y, scale, shear_x, shear_y, height, width,
                     center_x=None, center_y=None, bounding_box_format: str = "xyxy"):
    """Move boxes as Keras's geometric image layers move their images: the box around the four mapped corners.

    The map rotates by ``angle`` and shears by ``shear_x`` / ``shear_y`` (degrees) about the centre
    ``(center_x, center_y)`` (fractions of the image, default the middle), scales by ``scale`` and shifts by
    ``translate_x`` / ``translate_y`` (fractions of the image size) — in the convention of Keras (and
    TensorFlow's) inverse affine matrix, so the boxes follow the images those layers transform.

    Args:
        boxes: ``(batch, N, 4)`` boxes (or ``(N, 4)`` with scalar parameters).
        angle: rotation in degrees, one per image (``(batch,)``) or a scalar.
        translate_x: horizontal shift as a fraction of the width, per image.
        translate_y: vertical shift as a fraction of the height, per image.
        scale: scale factor, per image.
        shear_x: shear angle along x in degrees, per image.
        shear_y: shear angle along y in degrees, per image.
        height: the image height in pixels.
        width: the image width in pixels.
        center_x: the x of the centre of the map, a fraction of the width (default 0.5).
        center_y: the y of the centre of the map, a fraction of the height (default 0.5).
        bounding_box_format: the boxes' format (the result has the same).

    Returns:
        The transformed boxes, of the shape of ``boxes``.

    Example:
    >>> from brickwork.utils import bounding_boxes
    >>> zero, one = np.zeros(1), np.ones(1)
    >>> bounding_boxes.affine_transform(np.array([[[10., 20., 30., 40.]]]), angle=zero, translate_x=zero,
    ...     translate_y=zero, scale=one, shear_x=zero, shear_y=zero, height=100, width=100)  # unchanged
    """
    (x1, y1, x2, y2), back = _absolute_xyxy(boxes, bounding_box_format, "affine_transform", height, width)
    dtype = x1.dtype

    def per_image(value, default=None):
        value = ops.cast(default if value is None else value, dtype)
        # one value per image of the batch, broadcast over the boxes: (batch,) -> (batch, 1, 1)
        return ops.reshape(value, (-1, 1, 1)) if len(value.shape) == 1 and len(x1.shape) == 3 else value

    rotation = per_image(angle) * (-math.pi / 180.0)
    shear_along_x = per_image(shear_x) * (-math.pi / 180.0)
    shear_along_y = per_image(shear_y) * (-math.pi / 180.0)
    factor = per_image(scale)
    # The rotation-shear matrix [[a, b], [c, d]] (determinant 1) whose adjugate, scaled, maps the points.
    cos_y, tan_x = ops.cos(shear_along_y), ops.tan(shear_along_x)
    a = ops.cos(rotation - shear_along_y) / cos_y
    c = -ops.sin(rotation - shear_along_y) / cos_y
    b = a * tan_x + ops.sin(rotation)
    d = ops.cos(rotation) - c * tan_x
    m_xx, m_xy, m_yx, m_yy = d * factor, -b * factor, -c * factor, a * factor
    pivot_x = per_image(center_x, 0.5) * (width - 1)
    pivot_y = per_image(center_y, 0.5) * (height - 1)
    source_x = pivot_x - per_image(translate_x) * (width - 1)
    source_y = pivot_y - per_image(translate_y) * (height - 1)
    offset_x = pivot_x - m_xx * source_x - m_xy * source_y
    offset_y = pivot_y - m_yx * source_x - m_yy * source_y
    corner_x = ops.concatenate([x1, x2, x2, x1], axis=-1)
    corner_y = ops.concatenate([y1, y1, y2, y2], axis=-1)
    moved_x = m_xx * corner_x + m_xy * corner_y + offset_x
    moved_y = m_yx * corner_x + m_yy * corner_y + offset_y
    new_x1, new_x2 = ops.min(moved_x, axis=-1, keepdims=True), ops.max(moved_x, axis=-1, keepdims=True)
    new_y1, new_y2 = ops.min(moved_y, axis=-1, keepdims=True), ops.max(moved_y, axis=-1, keepdims=True)
    return _from_xyxy(new_x1, new_y1, new_x2, new_y2, *back)


def crop(boxes, top, left, height, width, bounding_box_format: str = "xyxy"):
    """Boxes in the frame of a crop of the image: shift by ``(left, top)``, then clip to ``height`` x ``width``.

    Args:
        boxes: ``(N, 4)`` or ``(batch, N, 4)`` boxes in pixels.
        top: the crop's top offset in pixels (a scalar, or per image broadcasting against the boxes).
        left: the crop's left offset in pixels.
        height: the crop's height (``None``: no lower clipping edge).
        width: the crop's width (``None``: no right clipping edge).
        bounding_box_format: the boxes' format; an absolute one (the result has the same).

    Returns:
        The cropped boxes.

    Example:
    >>> from brickwork.utils import bounding_boxes
    >>> bounding_boxes.crop(np.array([[10., 20., 50., 60.]]), top=10, left=20, height=40, width=30)
    ... # [[0., 10., 30., 40.]]
    """
    _refuse_relative(bounding_box_format, "crop")
    (x1, y1, x2, y2), back = _absolute_xyxy(boxes, bounding_box_format, "crop")

    def inside(value, offset, size):
        value = value - ops.cast(offset, value.dtype)
        return ops.maximum(value, 0.0) if size is None else ops.clip(value, 0.0, ops.cast(size, value.dtype))

    return _from_xyxy(inside(x1, left, width), inside(y1, top, height), inside(x2, left, width),
                      inside(y2, top, height), *back)


def pad(boxes, top, left, height=None, width=None, bounding_box_format: str = "xyxy"):
    """Boxes in the frame of a padded image: shifted right by ``left`` and down by ``top`` pixels.

    Args:
        boxes: ``(N, 4)`` or ``(batch, N, 4)`` boxes in pixels.
        top: the padding added above the image.
        left: the padding added left of the image.
        height: unused (kept for Keras's signature).
        width: unused (kept for Keras's signature).
        bounding_box_format: the boxes' format; an absolute one (the result has the same).

    Returns:
        The shifted boxes.

    Example:
    >>> from brickwork.utils import bounding_boxes
    >>> bounding_boxes.pad(np.array([[10., 20., 50., 60.]]), top=5, left=2)   # [[12., 25., 52., 65.]]
    """
    _refuse_relative(bounding_box_format, "pad")
    (x1, y1, x2, y2), back = _absolute_xyxy(boxes, bounding_box_format, "pad")
    left, top = ops.cast(left, x1.dtype), ops.cast(top, x1.dtype)
    return _from_xyxy(x1 + left, y1 + top, x2 + left, y2 + top, *back)


def _refuse_relative(box_format, function: str) -> None:
    if isinstance(box_format, str) and box_format.lower().startswith("rel_"):
        raise ValueError(f"{function}: offsets are in pixels, so `bounding_box_format` must be an absolute format; "
                         f"received {box_format!r}. Convert with convert_format(..., height=, width=) first.")


def _check_variance(variance):
    if variance is None:
        return None
    variance = ops.convert_to_tensor(variance, "float32")
    if len(variance.shape) == 0 or variance.shape[-1] != 4:
        raise ValueError(f"`variance` must be length 4, received {variance}.")
    return variance


def _check_center_format(name: str, argument: str, function: str) -> None:
    if name not in ("center_xywh", "center_yxhw"):
        raise ValueError(f"{function}: `{argument}` should be one of 'center_xywh' or 'center_yxhw', "
                         f"received {name!r}.")


def _image_size(image_shape):
    if image_shape is None:
        return None, None
    return image_shape[0], image_shape[1]


def encode_box_to_deltas(anchors, boxes, anchor_format: str, box_format: str, encoding_format: str = "center_yxhw",
                         variance=None, image_shape=None):
    """The offsets that move ``anchors`` onto ``boxes``: centre shift over anchor size, and log size ratio.

    In ``encoding_format`` (a centre format), each box becomes ``[(centre - anchor_centre) / anchor_size,
    log(size / anchor_size)]`` per axis, divided by ``variance`` when given — the regression target of
    anchor-based detectors. ``decode_deltas_to_boxes`` is its inverse.

    Args:
        anchors: ``(N, 4)`` anchor boxes.
        boxes: ``(N, 4)`` or ``(batch, N, 4)`` boxes to encode.
        anchor_format: the format of ``anchors``.
        box_format: the format of ``boxes``.
        encoding_format: ``"center_yxhw"`` (default) or ``"center_xywh"``: the order of the deltas.
        variance: four numbers dividing the deltas, or ``None``.
        image_shape: ``(height, width, channels)``, needed for relative formats.

    Returns:
        The deltas, of the shape of ``boxes``.

    Example:
    >>> from brickwork.utils import bounding_boxes
    >>> anchors = np.array([[0., 0., 10., 10.]])
    >>> bounding_boxes.encode_box_to_deltas(anchors, np.array([[2., 0., 12., 20.]]), "xyxy", "xyxy")
    ... # [[0.5, 0.2, 0.693, 0.]]  (cy, cx, log h-ratio, log w-ratio)
    """
    variance = _check_variance(variance)
    _check_center_format(encoding_format, "encoding_format", "encode_box_to_deltas")
    height, width = _image_size(image_shape)
    anchors = convert_format(anchors, anchor_format, encoding_format, height=height, width=width)
    boxes = convert_format(boxes, box_format, encoding_format, height=height, width=width)
    anchor_size = ops.maximum(anchors[..., 2:], backend.epsilon())
    box_size = ops.maximum(boxes[..., 2:], backend.epsilon())
    deltas = ops.concatenate([(boxes[..., :2] - anchors[..., :2]) / anchor_size, ops.log(box_size / anchor_size)],
                             axis=-1)
    return deltas if variance is None else deltas / variance


def decode_deltas_to_boxes(anchors, boxes_delta, anchor_format: str, box_format: str,
                           encoded_format: str = "center_yxhw", variance=None, image_shape=None):
    """Boxes from anchors and the deltas ``encode_box_to_deltas`` gives (its inverse).

    Args:
        anchors: ``(N, 4)`` anchor boxes, or a dict ``{level: anchors}`` (then ``boxes_delta`` is a dict with the
            same keys, and so is the result).
        boxes_delta: ``(N, 4)`` or ``(batch, N, 4)`` deltas.
        anchor_format: the format of ``anchors``.
        box_format: the format of the boxes returned.
        encoded_format: ``"center_yxhw"`` (default) or ``"center_xywh"``: the order of the deltas.
        variance: four numbers multiplying the deltas, or ``None``.
        image_shape: ``(height, width, channels)``, needed for relative formats.

    Returns:
        The boxes in ``box_format`` (a dict per level when given dicts).

    Example:
    >>> from brickwork.utils import bounding_boxes
    >>> anchors = np.array([[0., 0., 10., 10.]])
    >>> bounding_boxes.decode_deltas_to_boxes(anchors, np.array([[0.5, 0.2, 0.6931472, 0.]]), "xyxy", "xyxy")
    ... # [[2., 0., 12., 20.]]
    """
    variance = _check_variance(variance)
    _check_center_format(encoded_format, "encoded_format", "decode_deltas_to_boxes")
    height, width = _image_size(image_shape)

    def decode(anchor, delta):
        anchor = convert_format(anchor, anchor_format, encoded_format, height=height, width=width)
        delta = ops.convert_to_tensor(delta)
        if variance is not None:
            delta = delta * variance
        boxes = ops.concatenate([delta[..., :2] * anchor[..., 2:] + anchor[..., :2],
                                 ops.exp(delta[..., 2:]) * anchor[..., 2:]], axis=-1)
        return convert_format(boxes, encoded_format, box_format, height=height, width=width)

    if isinstance(anchors, dict) and isinstance(boxes_delta, dict):
        return {level: decode(anchor, boxes_delta[level]) for level, anchor in anchors.items()}
    return decode(anchors, boxes_delta)
