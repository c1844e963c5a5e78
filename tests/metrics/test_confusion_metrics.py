"""Confusion-matrix metrics against NumPy counts and scikit-learn (precision, recall, ROC AUC)."""

import numpy as np
import pytest
from sklearn.metrics import precision_score, recall_score, roc_auc_score

from brickwork import backend, metrics
from tests.metrics.metric_check import to_np

rng = np.random.default_rng(0)
THRESHOLDS = [0.2, 0.5, 0.8]


def _batches(count=3, shape=(6,), weighted=True):
    return [(rng.integers(0, 2, shape), rng.uniform(0, 1, shape), rng.uniform(0, 2, shape[:1]) if weighted else None)
            for _ in range(count)]


def _counts(batches, thresholds, multi_label=False):
    """Weighted TP/FP/TN/FN at each threshold (``y_pred > t``), from the raw batches."""
    totals = {k: 0.0 for k in ("tp", "fp", "tn", "fn")}
    for y_true, y_pred, weights in batches:
        w = np.ones(y_true.shape) if weights is None else np.broadcast_to(
            np.reshape(weights, (-1,) + (1,) * (y_true.ndim - 1)), y_true.shape)
        pred = y_pred[None] > np.reshape(thresholds, (-1,) + (1,) * y_pred.ndim)
        true = y_true.astype(bool)[None]
        axes = 1 if multi_label else tuple(range(1, pred.ndim))
        totals["tp"] = totals["tp"] + (w * (pred & true)).sum(axes)
        totals["fp"] = totals["fp"] + (w * (pred & ~true)).sum(axes)
        totals["tn"] = totals["tn"] + (w * (~pred & ~true)).sum(axes)
        totals["fn"] = totals["fn"] + (w * (~pred & true)).sum(axes)
    return totals


@pytest.mark.parametrize("cls, kind", [(metrics.TruePositives, "tp"), (metrics.FalsePositives, "fp"),
                                       (metrics.TrueNegatives, "tn"), (metrics.FalseNegatives, "fn")],
                         ids=lambda v: getattr(v, "__name__", v))
@pytest.mark.parametrize("thresholds", [None, THRESHOLDS], ids=["default", "three"])
def test_condition_counts_accumulate_weighted(cls, kind, thresholds):
    metric = cls(thresholds=thresholds)
    batches = _batches(shape=(5, 2))
    for y_true, y_pred, weights in batches:
        metric.update_state(y_true, y_pred, sample_weight=weights)
    expected = _counts(batches, [0.5] if thresholds is None else thresholds)[kind]
    result = to_np(metric.result())
    assert result.shape == (() if thresholds is None else (3,))
    np.testing.assert_allclose(result, expected[0] if thresholds is None else expected, rtol=1e-5)
    metric.reset_state()
    assert np.all(to_np(metric.result()) == 0)


@pytest.mark.parametrize("cls, sklearn_fn", [(metrics.Precision, precision_score), (metrics.Recall, recall_score)],
                         ids=["Precision", "Recall"])
def test_precision_recall_match_sklearn(cls, sklearn_fn):
    metric = cls()
    batches = _batches()
    for y_true, y_pred, weights in batches:
        metric.update_state(y_true, y_pred, sample_weight=weights)
    y_true = np.concatenate([b[0] for b in batches])
    y_pred = np.concatenate([b[1] for b in batches]) > 0.5
    weights = np.concatenate([b[2] for b in batches])
    np.testing.assert_allclose(to_np(metric.result()), sklearn_fn(y_true, y_pred, sample_weight=weights), rtol=1e-5)


def test_precision_recall_at_several_thresholds():
    precision, recall = metrics.Precision(thresholds=THRESHOLDS), metrics.Recall(thresholds=THRESHOLDS)
    batches = _batches(shape=(8,))
    for y_true, y_pred, weights in batches:
        precision.update_state(y_true, y_pred, sample_weight=weights)
        recall.update_state(y_true, y_pred, sample_weight=weights)
    counts = _counts(batches, THRESHOLDS)
    np.testing.assert_allclose(to_np(precision.result()), counts["tp"] / (counts["tp"] + counts["fp"]), rtol=1e-5)
    np.testing.assert_allclose(to_np(recall.result()), counts["tp"] / (counts["tp"] + counts["fn"]), rtol=1e-5)


def test_top_k_and_class_id():
    y_true = rng.integers(0, 2, (6, 4))
    y_pred = rng.uniform(0, 1, (6, 4))
    in_top_2 = np.zeros_like(y_pred, dtype=bool)
    np.put_along_axis(in_top_2, np.argsort(-y_pred, -1)[:, :2], True, axis=-1)
    precision = metrics.Precision(top_k=2)
    precision.update_state(y_true, y_pred)
    true_pos = (in_top_2 & (y_true == 1)).sum()
    np.testing.assert_allclose(to_np(precision.result()), true_pos / in_top_2.sum(), rtol=1e-6)

    recall = metrics.Recall(class_id=2)
    recall.update_state(y_true, y_pred)
    hits = (y_pred[:, 2] > 0.5) & (y_true[:, 2] == 1)
    np.testing.assert_allclose(to_np(recall.result()), hits.sum() / max((y_true[:, 2] == 1).sum(), 1), rtol=1e-6)


def test_keras_documented_values():
    precision = metrics.Precision()
    precision.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    np.testing.assert_allclose(to_np(precision.result()), 2 / 3, rtol=1e-6)
    precision = metrics.Precision(top_k=2)
    precision.update_state([0, 0, 1, 1], [1, 1, 1, 1])
    np.testing.assert_allclose(to_np(precision.result()), 0.0)
    auc = metrics.AUC(num_thresholds=3)
    auc.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
    np.testing.assert_allclose(to_np(auc.result()), 0.75, rtol=1e-6)
    auc.reset_state()
    auc.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9], sample_weight=[1, 0, 0, 1])
    np.testing.assert_allclose(to_np(auc.result()), 1.0, rtol=1e-6)


def _auc_reference(counts, curve, method, label_weights=None):
    """Keras's Riemann sums, in NumPy, from the confusion counts."""
    tp, fp, tn, fn = (np.asarray(counts[k], float) for k in ("tp", "fp", "tn", "fn"))
    div = np.divide
    safe = lambda a, b: np.where(b > 0, div(a, np.where(b > 0, b, 1)), 0.0)  # noqa: E731
    if curve == "PR" and method == "interpolation":
        dtp = tp[:-1] - tp[1:]
        p = tp + fp
        slope = safe(dtp, np.maximum(p[:-1] - p[1:], 0))
        intercept = tp[1:] - slope * p[1:]
        ratio = np.where((p[:-1] > 0) & (p[1:] > 0), safe(p[:-1], np.maximum(p[1:], 0)), 1.0)
        terms = safe(slope * (dtp + intercept * np.log(ratio)), np.maximum(tp[1:] + fn[1:], 0))
    else:
        recall = safe(tp, tp + fn)
        x, y = (safe(fp, fp + tn), recall) if curve == "ROC" else (recall, safe(tp, tp + fp))
        heights = {"interpolation": (y[:-1] + y[1:]) / 2, "minoring": np.minimum(y[:-1], y[1:]),
                   "majoring": np.maximum(y[:-1], y[1:])}[method]
        terms = (x[:-1] - x[1:]) * heights
    if terms.ndim == 1:
        return terms.sum()
    by_label = terms.sum(0)
    return by_label.mean() if label_weights is None else (by_label * label_weights).sum() / np.sum(label_weights)


@pytest.mark.parametrize("curve", ["ROC", "PR"])
@pytest.mark.parametrize("method", ["interpolation", "minoring", "majoring"])
def test_auc_is_keras_riemann_sum(curve, method):
    metric = metrics.AUC(num_thresholds=9, curve=curve, summation_method=method)
    batches = _batches(shape=(10,))
    for y_true, y_pred, weights in batches:
        metric.update_state(y_true, y_pred, sample_weight=weights)
    counts = _counts(batches, metric.thresholds)
    np.testing.assert_allclose(to_np(metric.result()), _auc_reference(counts, curve, method), rtol=1e-5, atol=1e-6)


def test_auc_close_to_sklearn_roc_auc_with_many_thresholds():
    y_true = rng.integers(0, 2, 200)
    y_pred = np.clip(0.3 * y_true + rng.uniform(0, 0.7, 200), 0, 1)
    weights = rng.uniform(0, 1, 200)
    metric = metrics.AUC(num_thresholds=2000)
    metric.update_state(y_true[:120], y_pred[:120], sample_weight=weights[:120])
    metric.update_state(y_true[120:], y_pred[120:], sample_weight=weights[120:])
    expected = roc_auc_score(y_true, y_pred, sample_weight=weights)
    np.testing.assert_allclose(to_np(metric.result()), expected, atol=2e-3)


def test_auc_multi_label_with_label_weights_and_logits():
    label_weights = [0.2, 0.3, 0.5]
    metric = metrics.AUC(num_thresholds=7, multi_label=True, label_weights=label_weights, from_logits=True)
    logits_batches = [(rng.integers(0, 2, (6, 3)), rng.normal(size=(6, 3)), None) for _ in range(2)]
    for y_true, logits, _ in logits_batches:
        metric.update_state(y_true, logits)
    probability_batches = [(t, 1 / (1 + np.exp(-p)), w) for t, p, w in logits_batches]
    counts = _counts(probability_batches, metric.thresholds, multi_label=True)
    expected = _auc_reference(counts, "ROC", "interpolation", np.array(label_weights))
    np.testing.assert_allclose(to_np(metric.result()), expected, rtol=1e-5)
    assert tuple(metric.true_positives.shape) == (7, 3)


def test_auc_flattened_multi_label_uses_label_weights_in_counts():
    label_weights = np.array([1.0, 0.0])
    metric = metrics.AUC(num_thresholds=5, label_weights=label_weights)
    y_true, y_pred = rng.integers(0, 2, (8, 2)), rng.uniform(0, 1, (8, 2))
    metric.update_state(y_true, y_pred)
    reference = metrics.AUC(num_thresholds=5)
    reference.update_state(y_true[:, 0], y_pred[:, 0])
    np.testing.assert_allclose(to_np(metric.result()), to_np(reference.result()), rtol=1e-6)


@pytest.mark.parametrize("multi_label", [False, True], ids=["flat", "multi_label"])
def test_bucketed_counts_equal_compared_counts(multi_label):
    from brickwork.metrics.confusion_metrics import update_confusion_matrix_variables

    thresholds = metrics.AUC(num_thresholds=11).thresholds
    y_true, y_pred = rng.integers(0, 2, (9, 3)), rng.uniform(0, 1, (9, 3))
    y_pred[0, 0], y_pred[1, 1] = 0.0, 1.0  # the end points
    weights = rng.uniform(0, 1, 9)
    shape = (11, 3) if multi_label else (11,)
    results = []
    for evenly in (False, True):
        variables = {kind: backend.Variable(np.zeros(shape, "float32"), trainable=False) for kind in
                     ("tp", "fp", "tn", "fn")}
        update_confusion_matrix_variables(variables, y_true, y_pred, thresholds, sample_weight=weights,
                                          multi_label=multi_label, thresholds_distributed_evenly=evenly)
        results.append({kind: to_np(v.value) for kind, v in variables.items()})
    for kind in results[0]:
        np.testing.assert_allclose(results[1][kind], results[0][kind], rtol=1e-5, atol=1e-6, err_msg=kind)


def test_auc_with_uneven_thresholds_matches_numpy():
    metric = metrics.AUC(thresholds=[0.1, 0.25, 0.7])
    batches = _batches(shape=(10,))
    for y_true, y_pred, weights in batches:
        metric.update_state(y_true, y_pred, sample_weight=weights)
    counts = _counts(batches, metric.thresholds)
    np.testing.assert_allclose(to_np(metric.result()), _auc_reference(counts, "ROC", "interpolation"), rtol=1e-5)


def test_auc_with_explicit_thresholds():
    metric = metrics.AUC(thresholds=[0.7, 0.3, 0.5])
    assert metric.num_thresholds == 5
    np.testing.assert_allclose(metric.thresholds[1:-1], [0.3, 0.5, 0.7])
    assert metric.get_config()["thresholds"] == [0.3, 0.5, 0.7]


@pytest.mark.parametrize("kwargs, message", [
    ({"curve": "XY"}, "curve"), ({"summation_method": "trapezoid"}, "summation_method"),
    ({"num_thresholds": 1}, "num_thresholds"), ({"num_labels": 3}, "num_labels"),
])
def test_auc_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=f"AUC.*{message}"):
        metrics.AUC(**kwargs)


def test_thresholds_outside_unit_interval_are_rejected():
    with pytest.raises(ValueError, match="Precision.*\\[0, 1\\].*1.5"):
        metrics.Precision(thresholds=[0.5, 1.5])
