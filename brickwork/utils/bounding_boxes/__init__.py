"""``brickwork.utils.bounding_boxes`` (Keras's ``keras.utils.bounding_boxes``): box formats, IoU, box geometry.

Example:
>>> from brickwork.utils import bounding_boxes
>>> bounding_boxes.convert_format(np.array([[10, 20, 30, 40]]), source="xyxy", target="center_xywh")
... # [[20., 30., 20., 20.]]
"""

from brickwork.utils.bounding_boxes.converters import (  # noqa: F401
    affine_transform,
    clip_to_image_size,
    convert_format,
    crop,
    decode_deltas_to_boxes,
    encode_box_to_deltas,
    pad,
)
from brickwork.utils.bounding_boxes.iou import compute_ciou, compute_iou  # noqa: F401
