"""Helpers shared by the confusion-matrix metrics (``confusion_metrics``, ``sensitivity_specificity_metrics``):
AUC's curve and summation names, threshold parsing, and the (weighted) TP/FP/TN/FN counts at thresholds.

A prediction counts as positive at threshold ``t`` when ``y_pred > t``. Counts at all thresholds are
computed at once: ``(thresholds, values)`` comparisons reduced against the (weighted) labels.
"""

from __future__ import annotations

import enum

import numpy as np

from brickwork import backend, ops
from brickwork.losses.loss import squeeze_or_expand_to_same_rank


class AUCCurve(str, enum.Enum):
    """The curve ``AUC`` integrates: ``"ROC"``, ``"PR"`` or ``"PRGAIN"`` (a member equals its string)."""

    ROC = "ROC"
    PR = "PR"
    PRGAIN = "PRGAIN"

    @staticmethod
    def from_str(key: str) -> AUCCurve:
        if str(key).upper() in ("ROC", "PR", "PRGAIN"):
            return AUCCurve(str(key).upper())
        raise ValueError(
            f'AUC: Invalid AUC curve value: "{key}". Argument `curve` expects one of ["PR", "ROC", "PRGAIN"].')


class AUCSummationMethod(str, enum.Enum):
    """How ``AUC`` sums the curve: ``"interpolation"``, ``"majoring"`` or ``"minoring"``."""

    INTERPOLATION = "interpolation"
    MAJORING = "majoring"
    MINORING = "minoring"

    @staticmethod
    def from_str(key: str) -> AUCSummationMethod:
        if str(key).lower() in ("interpolation", "majoring", "minoring"):
            return AUCSummationMethod(str(key).lower())
        raise ValueError(f'AUC: Invalid AUC summation method value: "{key}". '
                         'Argument `summation_method` expects one of ["interpolation", "majoring", "minoring"].')


NEG_INF = -1e10


def parse_thresholds(thresholds, default, owner: str) -> list:
    """``thresholds`` (a number, a sequence or None for ``[default]``) as a list of floats in [0, 1]."""
    if thresholds is None:
        return [default]
    values = list(thresholds) if isinstance(thresholds, (list, tuple, np.ndarray)) else [thresholds]
    invalid = [t for t in values if t is None or not 0 <= t <= 1]
    if invalid:
        raise ValueError(f"{owner}: Threshold values must be in [0, 1]. Received: {invalid}")
    return [float(t) for t in values]


def filter_top_k(x, k: int):
    """``x`` with all but the ``k`` largest entries of its last axis set to a large negative number."""
    _, indices = ops.top_k(x, k)
    keep = ops.sum(ops.one_hot(indices, x.shape[-1], dtype=x.dtype), axis=-2)
    return x * keep + NEG_INF * (1.0 - keep)


def is_evenly_distributed(thresholds) -> bool:
    """Whether ``thresholds`` are ``i / (n - 1)`` for ``i = 0..n-1`` (end points may be nudged by epsilon)."""
    count = len(thresholds)
    if count < 3:
        return False
    even = np.arange(count, dtype="float64") / (count - 1)
    return bool(np.allclose(thresholds, even, atol=backend.epsilon()))


def _bucketed_counts(y_pred, positives, negatives, num_thresholds: int, multi_label: bool):
    """TP and FP at ``num_thresholds`` evenly spaced thresholds in O(thresholds + values) memory.

    Each prediction falls in the bucket of the highest threshold it exceeds (``ceil(p * (n - 1)) - 1``);
    the count at threshold ``i`` is then the sum of the buckets ``>= i``, a reversed cumulative sum.
    """
    y_pred = ops.clip(y_pred, 0.0, 1.0)
    buckets = ops.cast(ops.relu(ops.ceil(y_pred * float(num_thresholds - 1)) - 1.0), "int32")
    num_segments = num_thresholds
    if multi_label:
        # One block of buckets per label: offset each label's bucket ids, then split the blocks again.
        num_labels = y_pred.shape[-1]
        buckets = buckets + ops.arange(num_labels, dtype="int32") * num_thresholds
        num_segments = num_thresholds * num_labels
    buckets = ops.reshape(buckets, (-1,))

    def reversed_cumsum(values):
        per_bucket = ops.segment_sum(ops.reshape(values, (-1,)), buckets, num_segments=num_segments)
        if multi_label:
            per_bucket = ops.transpose(ops.reshape(per_bucket, (-1, num_thresholds)))
        return ops.flip(ops.cumsum(ops.flip(per_bucket, axis=0), axis=0), axis=0)

    return reversed_cumsum(positives), reversed_cumsum(negatives)


def update_confusion_matrix_variables(variables: dict, y_true, y_pred, thresholds, top_k=None, class_id=None,
                                      sample_weight=None, multi_label=False, label_weights=None,
                                      thresholds_distributed_evenly=False) -> None:
    """Add the (weighted) confusion counts of one batch at each threshold to ``variables``.

    Args:
        variables: ``{"tp" | "fp" | "tn" | "fn": Variable}``, each of shape ``(num_thresholds,)``, or
            ``(num_thresholds, num_labels)`` with ``multi_label``.
        y_true: labels, cast to bool. y_pred: scores in ``[0, 1]``.
        thresholds: a list of floats.
        top_k: only the ``top_k`` highest predictions of each sample may count as positive.
        class_id: restrict to this class (the last axis of ``y_pred``).
        sample_weight: rank 0, or broadcastable to ``y_true``.
        multi_label: keep the label axis (else everything is flattened into one binary problem).
        label_weights: per-label weights, for flattened multi-label data.
        thresholds_distributed_evenly: the thresholds are ``i / (n - 1)`` with end points just outside
            ``[0, 1]`` (AUC's): counts are then bucketed instead of compared with every threshold.
    """
    dtype = next(iter(variables.values())).dtype
    y_true = ops.cast(y_true, dtype)
    y_pred = ops.cast(y_pred, dtype)
    thresholds = ops.convert_to_tensor(np.asarray(thresholds), dtype=dtype)
    y_pred, y_true = squeeze_or_expand_to_same_rank(y_pred, y_true)
    if sample_weight is not None:
        sample_weight = ops.expand_dims(ops.cast(sample_weight, dtype), axis=-1)
        _, sample_weight = squeeze_or_expand_to_same_rank(y_true, sample_weight, expand_rank_1=False)
    if top_k is not None:
        y_pred = filter_top_k(y_pred, top_k)
    if class_id is not None:
        if len(y_pred.shape) == 1:
            raise ValueError(
                "When class_id is provided, y_pred must be a 2D array with shape (num_samples, num_classes), "
                f"found shape: {tuple(y_pred.shape)} (class_id={class_id}).")
        y_true = y_true[..., class_id:class_id + 1]
        y_pred = y_pred[..., class_id:class_id + 1]

    weights = None
    if sample_weight is not None:
        weights = ops.broadcast_to(sample_weight, y_pred.shape)
    if label_weights is not None and not multi_label:
        label_weights = ops.broadcast_to(ops.expand_dims(ops.cast(label_weights, dtype), 0), y_pred.shape)
        weights = label_weights if weights is None else weights * label_weights
    positives = ops.cast(ops.cast(y_true, "bool"), dtype)
    if not multi_label:
        positives = ops.reshape(positives, (-1,))
        y_pred = ops.reshape(y_pred, (-1,))
        weights = None if weights is None else ops.reshape(weights, (-1,))
    negatives = 1.0 - positives
    if weights is not None:
        positives, negatives = positives * weights, negatives * weights

    if thresholds_distributed_evenly:
        true_pos, false_pos = _bucketed_counts(y_pred, positives, negatives, thresholds.shape[0], multi_label)
    else:
        # (thresholds, samples[, labels]): which predictions are positive at each threshold.
        threshold_shape = (-1,) + (1,) * len(y_pred.shape)
        predicted = ops.cast(ops.greater(ops.expand_dims(y_pred, 0), ops.reshape(thresholds, threshold_shape)), dtype)
        true_pos = ops.sum(predicted * positives, axis=1)
        false_pos = ops.sum(predicted * negatives, axis=1)
    counts = {"tp": lambda: true_pos, "fp": lambda: false_pos,
              "fn": lambda: ops.sum(positives, axis=0) - true_pos,
              "tn": lambda: ops.sum(negatives, axis=0) - false_pos}
    for kind, variable in variables.items():
        variable.assign_add(counts[kind]())
