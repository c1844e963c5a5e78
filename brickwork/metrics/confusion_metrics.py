"""Confusion-matrix metrics: TP/FP/TN/FN counts at thresholds, Precision, Recall and AUC (the counting itself
is in ``metrics_utils``)."""

from __future__ import annotations

import numpy as np

from brickwork import backend, ops
from brickwork.metrics.metric import Metric
from brickwork.metrics.metrics_utils import (
    NEG_INF,
    AUCCurve,
    AUCSummationMethod,
    is_evenly_distributed,
    parse_thresholds,
    update_confusion_matrix_variables,
)


class _ConfusionMatrixConditionCount(Metric):
    """The (weighted) count of one confusion-matrix cell at each threshold."""

    _kind = None

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.thresholds = parse_thresholds(thresholds, 0.5, type(self).__name__)
        self.accumulator = self.add_variable(shape=(len(self.thresholds),), initializer="zeros", name="accumulator")

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        update_confusion_matrix_variables({self._kind: self.accumulator}, y_true, y_pred, self.thresholds,
                                          sample_weight=sample_weight)

    def result(self):
        value = self.accumulator.value
        return value[0] if len(self.thresholds) == 1 else value

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype, "thresholds": self.init_thresholds}


class TruePositives(_ConfusionMatrixConditionCount):
    """The (weighted) number of true positives (``y_true`` true, ``y_pred > threshold``).

    Args:
        thresholds: a float or list of floats in ``[0, 1]`` (default 0.5); one count per threshold.

    Example:
    >>> m = TruePositives()
    >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    >>> m.result()   # 2.0
    """

    _kind = "tp"


class FalsePositives(_ConfusionMatrixConditionCount):
    """The (weighted) number of false positives; ``thresholds`` as in ``TruePositives``.

    Args:
        thresholds: a threshold or list of them; predictions above one count as positive (default 0.5).
        name: the name shown in logs and history.
        dtype: the dtype of the state and result.

    Example:
        y_true, y_pred = np.array([[0.0], [1.0], [1.0], [0.0]]), np.array([[0.2], [0.8], [0.4], [0.6]])
        metric = FalsePositives()
        metric.update_state(y_true, y_pred)
        metric.result()   # 1
    """

    _kind = "fp"


class TrueNegatives(_ConfusionMatrixConditionCount):
    """The (weighted) number of true negatives; ``thresholds`` as in ``TruePositives``.

    Args:
        thresholds: a threshold or list of them; predictions above one count as positive (default 0.5).
        name: the name shown in logs and history.
        dtype: the dtype of the state and result.

    Example:
        y_true, y_pred = np.array([[0.0], [1.0], [1.0], [0.0]]), np.array([[0.2], [0.8], [0.4], [0.6]])
        metric = TrueNegatives()
        metric.update_state(y_true, y_pred)
        metric.result()   # 1
    """

    _kind = "tn"


class FalseNegatives(_ConfusionMatrixConditionCount):
    """The (weighted) number of false negatives; ``thresholds`` as in ``TruePositives``.

    Args:
        thresholds: a threshold or list of them; predictions above one count as positive (default 0.5).
        name: the name shown in logs and history.
        dtype: the dtype of the state and result.

    Example:
        y_true, y_pred = np.array([[0.0], [1.0], [1.0], [0.0]]), np.array([[0.2], [0.8], [0.4], [0.6]])
        metric = FalseNegatives()
        metric.update_state(y_true, y_pred)
        metric.result()   # 1
    """

    _kind = "fn"


class _PrecisionRecall(Metric):
    """Shared by ``Precision`` and ``Recall``: true positives and the other cell of the ratio."""

    _other = None

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.top_k = top_k
        self.class_id = class_id
        default = 0.5 if top_k is None else NEG_INF
        self.thresholds = [default] if thresholds is None else parse_thresholds(
            thresholds, default, type(self).__name__)
        shape = (len(self.thresholds),)
        self.true_positives = self.add_variable(shape=shape, initializer="zeros", name="true_positives")
        other_name = "false_positives" if self._other == "fp" else "false_negatives"
        setattr(self, other_name, self.add_variable(shape=shape, initializer="zeros", name=other_name))
        self._other_variable = getattr(self, other_name)

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        update_confusion_matrix_variables(
            {"tp": self.true_positives, self._other: self._other_variable}, y_true, y_pred, self.thresholds,
            top_k=self.top_k, class_id=self.class_id, sample_weight=sample_weight)

    def result(self):
        true_pos = self.true_positives.value
        value = ops.divide_no_nan(true_pos, true_pos + self._other_variable.value)
        return value[0] if len(self.thresholds) == 1 else value

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype, "thresholds": self.init_thresholds, "top_k": self.top_k,
                "class_id": self.class_id}


class Precision(_PrecisionRecall):
    """``TP / (TP + FP)``: the fraction of positive predictions that are right.

    Args:
        thresholds: a float or list in ``[0, 1]`` (default 0.5; use 0 for logits); one value per threshold.
        top_k: only the ``top_k`` highest predictions of each sample count as positive.
        class_id: compute the metric for this class only.

    Example:
    >>> m = Precision()
    >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    >>> m.result()   # 0.6667
    """

    _other = "fp"


class Recall(_PrecisionRecall):
    """``TP / (TP + FN)``: the fraction of positives that are found. Arguments as in ``Precision``.

    Args:
        thresholds: a threshold or list of them; predictions above one count as positive (default 0.5).
        top_k: count only the ``k`` highest predictions of each sample as positive.
        class_id: the class whose binary metric is computed.
        name: the name shown in logs and history.
        dtype: the dtype of the state and result.

    Example:
    >>> m = Recall()
    >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    >>> m.result()   # 0.6667
    """

    _other = "fn"


class AUC(Metric):
    """The area under the ROC or precision-recall curve, by a Riemann sum over ``num_thresholds`` thresholds.

    Args:
        num_thresholds: how many thresholds discretize the curve (default 200).
        curve: ``"ROC"`` (default), ``"PR"`` or ``"PRGAIN"`` (precision-recall gain, Flach & Kull 2015).
        summation_method: ``"interpolation"`` (default; for PR, the Davis & Goadrich interpolation),
            ``"minoring"`` or ``"majoring"``.
        thresholds: explicit thresholds in ``[0, 1]`` instead of ``num_thresholds`` evenly spaced ones.
        multi_label: one curve per label, averaged (else all labels are flattened into one).
        num_labels: the number of labels with ``multi_label`` (default: from the first batch).
        label_weights: per-label weights (averaging with ``multi_label``, else in the counts).
        from_logits: apply a sigmoid to ``y_pred`` first.

    Example:
    >>> m = AUC(num_thresholds=3)
    >>> m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
    >>> m.result()   # 0.75
    """

    def __init__(self, num_thresholds=200, curve="ROC", summation_method="interpolation", name=None, dtype=None,
                 thresholds=None, multi_label=False, num_labels=None, label_weights=None, from_logits=False):
        curve_name = AUCCurve.from_str(curve)
        method = AUCSummationMethod.from_str(summation_method)
        self._init_from_thresholds = thresholds is not None
        if thresholds is not None:
            inner = sorted(float(t) for t in thresholds)
            self.num_thresholds = len(inner) + 2
            self._thresholds_distributed_evenly = is_evenly_distributed([0.0] + inner + [1.0])
        else:
            if num_thresholds <= 1:
                raise ValueError(f"AUC: Argument `num_thresholds` must be an integer > 1. Received: {num_thresholds!r}")
            self.num_thresholds = int(num_thresholds)
            inner = [(i + 1) / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self._thresholds_distributed_evenly = True
        # End points just outside [0, 1] so that every prediction falls between them.
        self._thresholds = np.array([0.0 - backend.epsilon()] + inner + [1.0 + backend.epsilon()])
        self.curve = curve_name
        self.summation_method = method
        super().__init__(name=name, dtype=dtype)
        self.multi_label = multi_label
        self.num_labels = num_labels
        self._label_weights_arg = None if label_weights is None else np.asarray(label_weights).tolist()
        self.label_weights = None if label_weights is None else ops.convert_to_tensor(
            np.asarray(label_weights), dtype=self.dtype)
        self._from_logits = from_logits
        self._built = False
        if multi_label:
            if num_labels:
                self._build((None, num_labels))
        else:
            if num_labels:
                raise ValueError("AUC: `num_labels` is needed only when `multi_label` is True.")
            self._build(None)

    @property
    def thresholds(self) -> list:
        """The thresholds the curve is evaluated at, end points included."""
        return list(self._thresholds)

    def _build(self, shape) -> None:
        if self.multi_label:
            if len(shape) != 2:
                raise ValueError(f"AUC: `y_pred` must have rank 2 when `multi_label=True`, received shape {shape}.")
            self._num_labels = shape[1]
            variable_shape = (self.num_thresholds, self._num_labels)
        else:
            variable_shape = (self.num_thresholds,)
        for name in ("true_positives", "false_positives", "true_negatives", "false_negatives"):
            setattr(self, name, self.add_variable(shape=variable_shape, initializer="zeros", name=name))
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        if not self._built:
            self._build(tuple(y_pred.shape))
        if self._from_logits:
            y_pred = ops.sigmoid(y_pred)
        update_confusion_matrix_variables(
            {"tp": self.true_positives, "tn": self.true_negatives, "fp": self.false_positives,
             "fn": self.false_negatives},
            y_true, y_pred, self._thresholds, sample_weight=sample_weight, multi_label=self.multi_label,
            label_weights=None if self.multi_label else self.label_weights,
            thresholds_distributed_evenly=self._thresholds_distributed_evenly)

    def _average(self, terms):
        if not self.multi_label:
            return ops.sum(terms)
        by_label = ops.sum(terms, axis=0)
        if self.label_weights is None:
            return ops.mean(by_label)
        return ops.divide_no_nan(ops.sum(by_label * self.label_weights), ops.sum(self.label_weights))

    def interpolate_pr_auc(self):
        """PR AUC with precision interpolated between thresholds (Davis & Goadrich, 2006, section 4)."""
        tp, fp, fn = self.true_positives.value, self.false_positives.value, self.false_negatives.value
        dtp = tp[:-1] - tp[1:]
        p = tp + fp
        dp = p[:-1] - p[1:]
        slope = ops.divide_no_nan(dtp, ops.maximum(dp, 0.0))
        intercept = tp[1:] - slope * p[1:]
        safe_ratio = ops.where(ops.logical_and(p[:-1] > 0, p[1:] > 0),
                               ops.divide_no_nan(p[:-1], ops.maximum(p[1:], 0.0)), ops.ones_like(p[1:]))
        terms = ops.divide_no_nan(slope * (dtp + intercept * ops.log(safe_ratio)), ops.maximum(tp[1:] + fn[1:], 0.0))
        return self._average(terms)

    def result(self):
        if self.curve == "PR" and self.summation_method == "interpolation":
            return self.interpolate_pr_auc()
        tp, fp = self.true_positives.value, self.false_positives.value
        tn, fn = self.true_negatives.value, self.false_negatives.value
        recall = ops.divide_no_nan(tp, tp + fn)
        if self.curve == "ROC":
            x, y = ops.divide_no_nan(fp, fp + tn), recall
        elif self.curve == "PR":
            x, y = recall, ops.divide_no_nan(tp, tp + fp)
        else:
            # Gains rescale recall and precision by positives/negatives. Without true positives both are
            # undefined: recall gain 0 and precision gain 1 then; a negative recall gain is clipped to 0.
            scale = ops.divide_no_nan(tp + fn, tn + fp)
            no_hits = ops.equal(tp, 0.0)
            x = ops.maximum(ops.where(no_hits, 0.0, 1.0 - scale * ops.divide_no_nan(fn, tp)), 0.0)
            y = ops.where(no_hits, 1.0, 1.0 - scale * ops.divide_no_nan(fp, tp))
        if self.summation_method == "interpolation":
            heights = (y[:-1] + y[1:]) / 2.0
        elif self.summation_method == "minoring":
            heights = ops.minimum(y[:-1], y[1:])
        else:
            heights = ops.maximum(y[:-1], y[1:])
        return self._average((x[:-1] - x[1:]) * heights)

    def reset_state(self) -> None:
        if self._built:
            super().reset_state()

    def get_config(self) -> dict:
        config = {"name": self.name, "dtype": self.dtype, "num_thresholds": self.num_thresholds,
                  "curve": self.curve.value, "summation_method": self.summation_method.value,
                  "multi_label": self.multi_label,
                  "num_labels": self.num_labels, "label_weights": self._label_weights_arg,
                  "from_logits": self._from_logits}
        # Given thresholds without the end points, so that from_config rebuilds the same ones; generated ones
        # are left out (num_thresholds makes them again), as in Keras.
        if self._init_from_thresholds:
            config["thresholds"] = [float(t) for t in self._thresholds[1:-1]]
        return config
