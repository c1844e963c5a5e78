"""``MaxNumBoundingBoxes``: pad or truncate the bounding boxes of each image to a fixed number."""

from __future__ import annotations

from brickwork import backend, ops
from brickwork.layers.layer import Layer


class MaxNumBoundingBoxes(Layer):
    """Give every image exactly ``max_number`` boxes: extra ones are dropped, missing ones are ``fill_value``.

    Takes a dict ``{"images": ..., "bounding_boxes": {"boxes": (batch, n, 4), "labels": (batch, n)}}`` and
    returns it with ``boxes`` of shape ``(batch, max_number, 4)`` and ``labels`` ``(batch, max_number)``; the
    images pass through. Applied at inference too (as in Keras). Bare images pass through unchanged.

    Args:
        max_number: the number of boxes per image.
        fill_value: the value of the padding boxes and labels.
        bounding_box_format: the boxes' format (``"xyxy"``, ``"yxyx"``, ``"xywh"``, ...), kept in the config
            for Keras; padding does not depend on it.
        data_format: ``"channels_last"`` or ``"channels_first"``, kept for Keras (images pass through);
            default ``image_data_format()``.

    Example:
    >>> data = {"images": np.zeros((2, 8, 8, 3)),
    ...         "bounding_boxes": {"boxes": np.ones((2, 1, 4)), "labels": np.ones((2, 1))}}
    >>> MaxNumBoundingBoxes(max_number=3)(data)["bounding_boxes"]["labels"]   # [[1, -1, -1], [1, -1, -1]]
    """

    def __init__(self, max_number: int, fill_value: int = -1, bounding_box_format: str | None = None,
                 data_format: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = backend.standardize_data_format(data_format)
        self.bounding_box_format = bounding_box_format
        if isinstance(max_number, bool) or int(max_number) != max_number or max_number < 1:
            raise ValueError(f"MaxNumBoundingBoxes: `max_number` must be a positive int, received {max_number!r}.")
        self.max_number = int(max_number)
        self.fill_value = int(fill_value)

    def _fit(self, values, trailing: int):
        """Truncate or pad axis 1 of ``values`` (``(batch, n, ...)``) to ``max_number``."""
        values = values[:, : self.max_number]
        missing = self.max_number - values.shape[1]
        if missing > 0:
            padding = [(0, 0), (0, missing)] + [(0, 0)] * trailing
            values = ops.pad(values, padding, constant_values=self.fill_value)
        return values

    def call(self, inputs, training=None):
        if not isinstance(inputs, dict) or "bounding_boxes" not in inputs:
            return inputs
        boxes_in = inputs["bounding_boxes"]
        extra = set(boxes_in) - {"boxes", "labels"}
        if extra:
            raise KeyError(f"MaxNumBoundingBoxes: unsupported keys in `bounding_boxes`: {sorted(extra)}; "
                           f"only 'boxes' and 'labels' are supported.")
        boxes, labels = ops.convert_to_tensor(boxes_in["boxes"]), ops.convert_to_tensor(boxes_in["labels"])
        single = len(boxes.shape) == 2
        if single:
            boxes, labels = ops.expand_dims(boxes, 0), ops.expand_dims(labels, 0)
        boxes, labels = self._fit(boxes, 1), self._fit(labels, 0)
        if single:
            boxes, labels = boxes[0], labels[0]
        return {**inputs, "bounding_boxes": {**boxes_in, "boxes": boxes, "labels": labels}}

    def compute_output_shape(self, input_shape):
        if not isinstance(input_shape, dict) or "bounding_boxes" not in input_shape:
            return input_shape
        boxes = dict(input_shape["bounding_boxes"])
        axis = 0 if len(boxes["boxes"]) == 2 else 1
        for key in ("boxes", "labels"):
            shape = list(boxes[key])
            shape[axis] = self.max_number
            boxes[key] = tuple(shape)
        return {**input_shape, "bounding_boxes": boxes}

    def get_config(self) -> dict:
        config = {**super().get_config(), "max_number": self.max_number, "fill_value": self.fill_value,
                  "data_format": self.data_format}
        if self.bounding_box_format is not None:
            config["bounding_box_format"] = self.bounding_box_format
        return config
