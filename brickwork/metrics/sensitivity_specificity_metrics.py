"""One rate of a binary classifier at the best threshold where another rate reaches a target value.

``SensitivityAtSpecificity``, ``SpecificityAtSensitivity``, ``PrecisionAtRecall`` and
``RecallAtPrecision`` count TP/FP/TN/FN at ``num_thresholds`` evenly spaced thresholds in ``[0, 1]``,
then return the largest value of one rate among the thresholds where the other meets its target
(0 when none does).
"""

from __future__ import annotations

from brickwork import ops
from brickwork.metrics.confusion_metrics import update_confusion_matrix_variables
from brickwork.metrics.metric import Metric


class _RateAtRate(Metric):
    """Shared state and update: confusion counts at evenly spaced thresholds ``0, 1/(n-1), ..., 1``."""

    _target_name = None  # the constructor argument holding the target value

    def __init__(self, value: float, num_thresholds: int = 200, class_id=None, name=None, dtype=None):
        if not 0 <= value <= 1:
            raise ValueError(f"{type(self).__name__}: `{self._target_name}` must be in the range [0, 1]. "
                             f"Received: {self._target_name}={value}")
        if num_thresholds <= 0:
            raise ValueError(f"{type(self).__name__}: Argument `num_thresholds` must be an integer > 0. "
                             f"Received: num_thresholds={num_thresholds}")
        super().__init__(name=name, dtype=dtype)
        self.value = value
        self.num_thresholds = num_thresholds
        self.class_id = class_id
        if num_thresholds == 1:
            self.thresholds, self._evenly = [0.5], False
        else:
            self.thresholds = [i / (num_thresholds - 1) for i in range(num_thresholds)]
            self._evenly = True
        shape = (len(self.thresholds),)
        self.true_positives = self.add_variable(shape=shape, initializer="zeros", name="true_positives")
        self.false_positives = self.add_variable(shape=shape, initializer="zeros", name="false_positives")
        self.true_negatives = self.add_variable(shape=shape, initializer="zeros", name="true_negatives")
        self.false_negatives = self.add_variable(shape=shape, initializer="zeros", name="false_negatives")

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        """Add one batch of binary labels and scores in ``[0, 1]`` to the counts at every threshold."""
        update_confusion_matrix_variables(
            {"tp": self.true_positives, "fp": self.false_positives, "tn": self.true_negatives,
             "fn": self.false_negatives},
            y_true, y_pred, self.thresholds, class_id=self.class_id, sample_weight=sample_weight,
            thresholds_distributed_evenly=self._evenly)

    def _rates(self) -> dict:
        tp, fp = self.true_positives.value, self.false_positives.value
        tn, fn = self.true_negatives.value, self.false_negatives.value
        recall = ops.divide_no_nan(tp, tp + fn)
        return {"sensitivity": recall, "recall": recall, "specificity": ops.divide_no_nan(tn, tn + fp),
                "precision": ops.divide_no_nan(tp, tp + fp)}

    def _best_where_reached(self, constrained, reported):
        return ops.max(ops.where(ops.greater_equal(constrained, self.value), reported, 0.0), initial=0.0)

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype, "class_id": self.class_id,
                "num_thresholds": self.num_thresholds, self._target_name: self.value}


class SensitivityAtSpecificity(_RateAtRate):
    """The best sensitivity (recall, ``TP / (TP + FN)``) at a specificity of at least ``specificity``.

    Args:
        specificity: the target specificity, ``TN / (TN + FP)``, in ``[0, 1]``.
        num_thresholds: how many evenly spaced thresholds in ``[0, 1]`` are tried (default 200).
        class_id: compute it for this class (the last axis of ``y_pred``) only.
        name, dtype: the metric's name and dtype.

    Example:
    >>> m = SensitivityAtSpecificity(0.5)
    >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
    >>> m.result()  # 0.5
    """

    _target_name = "specificity"

    def __init__(self, specificity: float, num_thresholds: int = 200, class_id=None, name=None, dtype=None):
        super().__init__(specificity, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype)
        self.specificity = specificity

    def result(self):
        rates = self._rates()
        return self._best_where_reached(rates["specificity"], rates["sensitivity"])


class SpecificityAtSensitivity(_RateAtRate):
    """The best specificity (``TN / (TN + FP)``) at a sensitivity of at least ``sensitivity``.

    Args:
        sensitivity: the target sensitivity (recall) in ``[0, 1]``.
        num_thresholds, class_id, name, dtype: as in ``SensitivityAtSpecificity``.

    Example:
    >>> m = SpecificityAtSensitivity(0.5)
    >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
    >>> m.result()  # 0.6667
    """

    _target_name = "sensitivity"

    def __init__(self, sensitivity: float, num_thresholds: int = 200, class_id=None, name=None, dtype=None):
        super().__init__(sensitivity, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype)
        self.sensitivity = sensitivity

    def result(self):
        rates = self._rates()
        return self._best_where_reached(rates["sensitivity"], rates["specificity"])


class PrecisionAtRecall(_RateAtRate):
    """The best precision (``TP / (TP + FP)``) at a recall of at least ``recall``.

    Args:
        recall: the target recall in ``[0, 1]``.
        num_thresholds, class_id, name, dtype: as in ``SensitivityAtSpecificity``.

    Example:
    >>> m = PrecisionAtRecall(0.5)
    >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
    >>> m.result()  # 0.5
    """

    _target_name = "recall"

    def __init__(self, recall: float, num_thresholds: int = 200, class_id=None, name=None, dtype=None):
        super().__init__(recall, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype)
        self.recall = recall

    def result(self):
        rates = self._rates()
        return self._best_where_reached(rates["recall"], rates["precision"])


class RecallAtPrecision(_RateAtRate):
    """The best recall (``TP / (TP + FN)``) at a precision of at least ``precision``.

    Args:
        precision: the target precision in ``[0, 1]``.
        num_thresholds, class_id, name, dtype: as in ``SensitivityAtSpecificity``.

    Example:
    >>> m = RecallAtPrecision(0.8)
    >>> m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
    >>> m.result()  # 0.5
    """

    _target_name = "precision"

    def __init__(self, precision: float, num_thresholds: int = 200, class_id=None, name=None, dtype=None):
        super().__init__(precision, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype)
        self.precision = precision

    def result(self):
        rates = self._rates()
        return self._best_where_reached(rates["precision"], rates["recall"])
