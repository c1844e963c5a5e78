"""Intersection-over-union metrics for segmentation and classification: ``IoU`` and its variants.

Each accumulates a (weighted) confusion matrix over batches — rows are true classes, columns predicted
ones — and reports ``TP / (TP + FP + FN)`` per class, averaged over the target classes that occurred.
As in Keras, the state is integer (``int32``) unless ``dtype`` says otherwise, so fractional sample
weights are truncated; pass ``dtype="float32"`` to weight by fractions.
"""

from __future__ import annotations

import warnings

from brickwork import backend, ops
from brickwork.metrics.metric import Metric


def confusion_matrix(y_true, y_pred, num_classes: int, weights, dtype: str):
    """The ``(num_classes, num_classes)`` matrix of summed ``weights`` at ``(y_true[i], y_pred[i])``."""
    cells = ops.cast(y_true, "int32") * num_classes + ops.cast(y_pred, "int32")
    counts = ops.segment_sum(ops.cast(weights, dtype), cells, num_segments=num_classes * num_classes)
    return ops.reshape(counts, (num_classes, num_classes))


class IoU(Metric):
    """The mean intersection-over-union of the classes ``target_class_ids``.

    ``IoU = TP / (TP + FP + FN)`` per class, from a confusion matrix accumulated over batches; classes
    that never occurred (in labels or predictions) are left out of the mean.

    Args:
        num_classes: how many classes the labels can take (the confusion matrix is that square).
        target_class_ids: the classes whose IoUs are averaged.
        ignore_class: a label (e.g. a "void" class, 255 or -1) whose pixels/samples are not counted.
        sparse_y_true: labels are class ids (True) or scores to ``argmax`` over ``axis`` (False).
        sparse_y_pred: the same for predictions.
        axis: the class axis, for non-sparse inputs.
        name, dtype: the metric's name and the dtype of its state (default ``"int32"``, as Keras).

    Example:
    >>> m = IoU(num_classes=2, target_class_ids=[0])
    >>> m.update_state([0, 0, 1, 1], [0, 1, 0, 1])
    >>> m.result()  # 1 / (2 + 2 - 1) = 0.3333
    """

    def __init__(self, num_classes: int, target_class_ids, name=None, dtype=None, ignore_class=None,
                 sparse_y_true: bool = True, sparse_y_pred: bool = True, axis: int = -1):
        super().__init__(name=name, dtype=dtype or "int32")
        target_class_ids = [int(i) for i in target_class_ids]
        out_of_range = [i for i in target_class_ids if not 0 <= i < num_classes]
        if out_of_range:
            raise ValueError(f"{type(self).__name__}: target_class_ids {out_of_range} are out of range "
                             f"[0, {num_classes}) (num_classes={num_classes}).")
        self.num_classes = int(num_classes)
        self.target_class_ids = target_class_ids
        self.ignore_class = ignore_class
        self.sparse_y_true = sparse_y_true
        self.sparse_y_pred = sparse_y_pred
        self.axis = axis
        self.total_cm = self.add_variable(shape=(self.num_classes, self.num_classes), initializer="zeros",
                                          name="total_confusion_matrix")

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        """Add one batch to the confusion matrix (``sample_weight`` broadcastable to ``y_true``)."""
        if not self.sparse_y_true:
            y_true = ops.argmax(y_true, axis=self.axis)
        if not self.sparse_y_pred:
            y_pred = ops.argmax(y_pred, axis=self.axis)
        y_true = ops.reshape(ops.cast(y_true, "int32"), (-1,))
        y_pred = ops.reshape(ops.cast(y_pred, "int32"), (-1,))
        if sample_weight is None:
            weights = ops.ones_like(y_true, dtype=self.dtype)
        else:
            weight_dtype = getattr(sample_weight, "dtype", None)
            if weight_dtype is not None and backend.is_int(self.dtype) and backend.is_float(weight_dtype):
                warnings.warn(f"{type(self).__name__}: the sample weights are float but the metric's dtype is {self.dtype}; "
                              "casting truncates them. Pass dtype='float32' to weight by fractions.", stacklevel=2)
            weights = ops.reshape(ops.cast(sample_weight, self.dtype), (-1,))
            weights = ops.broadcast_to(weights, y_true.shape)
        in_range = ops.logical_and(
            ops.logical_and(y_true >= 0, y_true < self.num_classes),
            ops.logical_and(y_pred >= 0, y_pred < self.num_classes))
        if self.ignore_class is not None:
            in_range = ops.logical_and(in_range, ops.not_equal(y_true, self.ignore_class))
        y_true = ops.where(in_range, y_true, 0)
        y_pred = ops.where(in_range, y_pred, 0)
        weights = ops.where(in_range, weights, ops.zeros_like(weights))
        self.total_cm.assign_add(confusion_matrix(y_true, y_pred, self.num_classes, weights, self.dtype))

    def result(self):
        matrix = ops.cast(self.total_cm.value, "float32")
        true_positives = ops.diagonal(matrix)
        denominator = ops.sum(matrix, axis=0) + ops.sum(matrix, axis=1) - true_positives
        targets = ops.convert_to_tensor(self.target_class_ids, dtype="int32")
        true_positives = ops.take(true_positives, targets)
        denominator = ops.take(denominator, targets)
        present = ops.greater(denominator, 1e-9)  # classes absent from both labels and predictions don't count
        iou = ops.where(present, true_positives / (denominator + backend.epsilon()), 0.0)
        return ops.sum(iou) / (ops.sum(ops.cast(present, "float32")) + backend.epsilon())

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype, "num_classes": self.num_classes,
                "target_class_ids": self.target_class_ids, "ignore_class": self.ignore_class,
                "sparse_y_true": self.sparse_y_true, "sparse_y_pred": self.sparse_y_pred, "axis": self.axis}


class BinaryIoU(IoU):
    """IoU of a binary task: predictions ``>= threshold`` are class 1, the rest class 0.

    Args:
        target_class_ids: ``[0]``, ``[1]`` or ``[0, 1]`` (default: the mean of both).
        threshold: the score from which a prediction is class 1 (default 0.5).
        name, dtype: as in ``IoU``.

    Example:
    >>> m = BinaryIoU(target_class_ids=[0, 1], threshold=0.3)
    >>> m.update_state([0, 1, 0, 1], [0.1, 0.2, 0.4, 0.7])
    >>> m.result()  # (1/3 + 1/3) / 2 = 0.3333
    """

    def __init__(self, target_class_ids=(0, 1), threshold: float = 0.5, name=None, dtype=None):
        super().__init__(num_classes=2, target_class_ids=target_class_ids, name=name, dtype=dtype)
        self.threshold = threshold

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        """Threshold ``y_pred`` into classes 0 and 1, then accumulate as ``IoU``."""
        y_pred = ops.cast(ops.greater_equal(ops.cast(y_pred, "float32"), self.threshold), "int32")
        super().update_state(y_true, y_pred, sample_weight)

    def get_config(self) -> dict:
        return {"target_class_ids": self.target_class_ids, "threshold": self.threshold, "name": self.name,
                "dtype": self.dtype}


class MeanIoU(IoU):
    """The IoU averaged over all ``num_classes`` classes (those that occurred).

    Args:
        num_classes, ignore_class, sparse_y_true, sparse_y_pred, axis, name, dtype: as in ``IoU``.

    Example:
    >>> m = MeanIoU(num_classes=2)
    >>> m.update_state([0, 0, 1, 1], [0, 1, 0, 1])
    >>> m.result()  # (1/3 + 1/3) / 2 = 0.3333
    """

    def __init__(self, num_classes: int, name=None, dtype=None, ignore_class=None, sparse_y_true: bool = True,
                 sparse_y_pred: bool = True, axis: int = -1):
        super().__init__(num_classes=num_classes, target_class_ids=list(range(num_classes)), name=name,
                         dtype=dtype, ignore_class=ignore_class, sparse_y_true=sparse_y_true,
                         sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self) -> dict:
        return {"num_classes": self.num_classes, "name": self.name, "dtype": self.dtype,
                "ignore_class": self.ignore_class, "sparse_y_true": self.sparse_y_true,
                "sparse_y_pred": self.sparse_y_pred, "axis": self.axis}


class OneHotIoU(IoU):
    """``IoU`` for one-hot labels (and, by default, score predictions): both are ``argmax``-ed over ``axis``.

    Args:
        num_classes, target_class_ids, ignore_class, axis, name, dtype: as in ``IoU``.
        sparse_y_pred: predictions are already class ids (default False: scores).

    Example:
    >>> m = OneHotIoU(num_classes=3, target_class_ids=[0, 2])
    >>> m.update_state([[0, 0, 1], [1, 0, 0]], [[0.2, 0.3, 0.5], [0.1, 0.2, 0.7]])
    >>> m.result()  # class 0: 0 / 1, class 2: 1 / 2 -> 0.25
    """

    def __init__(self, num_classes: int, target_class_ids, name=None, dtype=None, ignore_class=None,
                 sparse_y_pred: bool = False, axis: int = -1):
        super().__init__(num_classes=num_classes, target_class_ids=target_class_ids, name=name, dtype=dtype,
                         ignore_class=ignore_class, sparse_y_true=False, sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self) -> dict:
        return {"num_classes": self.num_classes, "target_class_ids": self.target_class_ids, "name": self.name,
                "dtype": self.dtype, "ignore_class": self.ignore_class, "sparse_y_pred": self.sparse_y_pred,
                "axis": self.axis}


class OneHotMeanIoU(MeanIoU):
    """``MeanIoU`` for one-hot labels (and, by default, score predictions).

    Args:
        num_classes, ignore_class, axis, name, dtype: as in ``IoU``.
        sparse_y_pred: predictions are already class ids (default False: scores).

    Example:
    >>> m = OneHotMeanIoU(num_classes=3)
    >>> m.update_state([[0, 0, 1], [1, 0, 0]], [[0.2, 0.3, 0.5], [0.1, 0.2, 0.7]])
    >>> m.result()  # classes 0 and 2 occurred: (0 + 0.5) / 2 = 0.25
    """

    def __init__(self, num_classes: int, name=None, dtype=None, ignore_class=None, sparse_y_pred: bool = False,
                 axis: int = -1):
        super().__init__(num_classes=num_classes, name=name, dtype=dtype, ignore_class=ignore_class,
                         sparse_y_true=False, sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self) -> dict:
        return {"num_classes": self.num_classes, "name": self.name, "dtype": self.dtype,
                "ignore_class": self.ignore_class, "sparse_y_pred": self.sparse_y_pred, "axis": self.axis}
