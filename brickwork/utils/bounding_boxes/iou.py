"""Overlap of bounding boxes: the pairwise IoU table and the element-wise Complete IoU (CIoU)."""

from __future__ import annotations

import math

from brickwork import backend, ops
from brickwork.utils.bounding_boxes.converters import convert_format


def _check_rank(boxes, name: str, function: str):
    boxes = ops.convert_to_tensor(boxes)
    if len(boxes.shape) not in (2, 3):
        raise ValueError(f"{function}: `{name}` must be (N, 4) or (batch, N, 4) boxes, "
                         f"received shape {tuple(boxes.shape)}.")
    return boxes


def _as_xyxy(boxes, box_format: str, image_shape, function: str):
    if "rel" in box_format.lower() and image_shape is None:
        raise ValueError(f"{function}: relative bounding box formats (received {box_format!r}) need the "
                         f"`image_shape` argument, (height, width, channels); received image_shape=None.")
    height, width = (None, None) if image_shape is None else (image_shape[0], image_shape[1])
    return convert_format(boxes, box_format, "xyxy", height=height, width=width)


def compute_iou(boxes1, boxes2, bounding_box_format: str, use_masking: bool = False, mask_val=-1,
                image_shape=None):
    """The intersection over union of every box of ``boxes1`` with every box of ``boxes2``.

    Ranks may differ: ``(M, 4)`` with ``(N, 4)`` gives ``(M, N)``; when either is batched
    (``(batch, M, 4)`` / ``(batch, N, 4)``) the unbatched one is shared by every image and the result is
    ``(batch, M, N)``.

    Args:
        boxes1: the first boxes, ``(M, 4)`` or ``(batch, M, 4)``.
        boxes2: the second boxes, ``(N, 4)`` or ``(batch, N, 4)``.
        bounding_box_format: the format of both (``"xyxy"``, ``"yxyx"``, ``"center_xywh"``, ``"rel_xyxy"``, ...).
        use_masking: if True, a pair where either box is padding (all four values negative) gets ``mask_val``.
        mask_val: the value of masked pairs.
        image_shape: ``(height, width, channels)``, needed for relative formats.

    Returns:
        The IoU table, ``(M, N)`` or ``(batch, M, N)``.

    Example:
    >>> from brickwork.utils import bounding_boxes
    >>> bounding_boxes.compute_iou(np.array([[0., 0., 10., 10.]]), np.array([[5., 0., 15., 10.], [20., 20., 30., 30.]]),
    ...                            "xyxy")   # [[0.3333, 0.]]
    """
    boxes1 = _as_xyxy(_check_rank(boxes1, "boxes1", "compute_iou"), bounding_box_format, image_shape, "compute_iou")
    boxes2 = _as_xyxy(_check_rank(boxes2, "boxes2", "compute_iou"), bounding_box_format, image_shape, "compute_iou")
    # (..., M, 1, 4) against (..., 1, N, 4): each pair meets on the (M, N) grid, batches broadcast.
    first, second = ops.expand_dims(boxes1, -2), ops.expand_dims(boxes2, -3)
    if len(boxes2.shape) == 3 and len(boxes1.shape) == 2:
        first = ops.expand_dims(first, 0)
    overlap = ops.maximum(ops.minimum(first[..., 2:], second[..., 2:]) - ops.maximum(first[..., :2], second[..., :2]),
                          0.0)
    intersection = overlap[..., 0] * overlap[..., 1]
    area1 = (first[..., 2] - first[..., 0]) * (first[..., 3] - first[..., 1])
    area2 = (second[..., 2] - second[..., 0]) * (second[..., 3] - second[..., 1])
    iou = intersection / (area1 + area2 - intersection + backend.epsilon())
    if not use_masking:
        return iou
    padding1 = ops.max(first, axis=-1) < 0
    padding2 = ops.max(second, axis=-1) < 0
    return ops.where(ops.logical_or(padding1, padding2), ops.cast(mask_val, iou.dtype), iou)


def compute_ciou(boxes1, boxes2, bounding_box_format: str, image_shape=None):
    """The Complete IoU of corresponding boxes: IoU less a centre-distance and an aspect-ratio penalty.

    ``CIoU = IoU - d² / c² - α v``, where ``d`` is the distance between the centres, ``c`` the diagonal of the
    smallest box enclosing both, ``v = (4 / π²) (atan(w2 / h2) - atan(w1 / h1))²`` and ``α = v / (1 - IoU + v)``.
    Boxes pair up element-wise (they broadcast), unlike ``compute_iou``'s table.

    Args:
        boxes1: boxes of shape ``(..., 4)``.
        boxes2: boxes of a shape that broadcasts with ``boxes1``.
        bounding_box_format: the format of both.
        image_shape: ``(height, width, channels)``, needed for relative formats.

    Returns:
        The CIoU of each pair, of the broadcast shape less the last axis; in ``[-1, 1]``.

    Example:
    >>> from brickwork.utils import bounding_boxes
    >>> bounding_boxes.compute_ciou(np.array([[0., 0., 10., 10.]]), np.array([[0., 0., 10., 10.]]), "xyxy")  # [1.]
    """
    boxes1 = _as_xyxy(boxes1, bounding_box_format, image_shape, "compute_ciou")
    boxes2 = _as_xyxy(boxes2, bounding_box_format, image_shape, "compute_ciou")
    epsilon = backend.epsilon()
    x1a, y1a, x2a, y2a = (boxes1[..., i] for i in range(4))
    x1b, y1b, x2b, y2b = (boxes2[..., i] for i in range(4))
    width1, height1 = x2a - x1a, y2a - y1a + epsilon
    width2, height2 = x2b - x1b, y2b - y1b + epsilon
    intersection = (ops.maximum(ops.minimum(x2a, x2b) - ops.maximum(x1a, x1b), 0.0)
                    * ops.maximum(ops.minimum(y2a, y2b) - ops.maximum(y1a, y1b), 0.0))
    union = width1 * height1 + width2 * height2 - intersection + epsilon
    iou = intersection / (union + epsilon)
    enclosing_diagonal = ((ops.maximum(x2a, x2b) - ops.minimum(x1a, x1b)) ** 2
                          + (ops.maximum(y2a, y2b) - ops.minimum(y1a, y1b)) ** 2 + epsilon)
    centre_distance = ((x1a + x2a - x1b - x2b) / 2.0) ** 2 + ((y1a + y2a - y1b - y2b) / 2.0) ** 2
    v = (4.0 / math.pi ** 2) * (ops.arctan(width2 / height2) - ops.arctan(width1 / height1)) ** 2
    alpha = v / (v - iou + (1.0 + epsilon))
    return iou - (centre_distance / enclosing_diagonal + v * alpha)
