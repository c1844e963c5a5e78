"""Regression metrics against NumPy and scikit-learn's r2_score."""

import numpy as np
import pytest
from sklearn.metrics import r2_score

from brickwork import metrics
from tests.metrics.metric_check import check_mean_metric, to_np

rng = np.random.default_rng(0)
EPS = 1e-7


def _normalize(x):
    return x / np.maximum(np.linalg.norm(x, axis=-1, keepdims=True), EPS)


CASES = {
    "MeanSquaredError": lambda t, p: ((t - p) ** 2).mean(-1),
    "MeanAbsoluteError": lambda t, p: np.abs(t - p).mean(-1),
    "MeanAbsolutePercentageError": lambda t, p: 100 * np.abs((t - p) / np.maximum(np.abs(t), EPS)).mean(-1),
    "MeanSquaredLogarithmicError": lambda t, p: (
        (np.log(np.maximum(p, EPS) + 1) - np.log(np.maximum(t, EPS) + 1)) ** 2).mean(-1),
    "LogCoshError": lambda t, p: np.log(np.cosh(p - t)).mean(-1),
    "CosineSimilarity": lambda t, p: (_normalize(t) * _normalize(p)).sum(-1),
}


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_mean_metrics_accumulate_over_batches(name, weighted):
    batches = [(rng.uniform(0.1, 2, (4, 3)), rng.uniform(0.1, 2, (4, 3)),
                rng.uniform(0, 1, 4) if weighted else None) for _ in range(3)]
    check_mean_metric(getattr(metrics, name)(), CASES[name], batches, rtol=1e-4)


def test_root_mean_squared_error():
    metric = metrics.RootMeanSquaredError()
    batches = [(rng.normal(size=(4, 2)), rng.normal(size=(4, 2)), rng.uniform(0, 1, 4)) for _ in range(2)]
    numerator = denominator = 0.0
    for y_true, y_pred, weights in batches:
        metric.update_state(y_true, y_pred, sample_weight=weights)
        numerator += (((y_true - y_pred) ** 2).mean(-1) * weights).sum()
        denominator += weights.sum()
    np.testing.assert_allclose(to_np(metric.result()), np.sqrt(numerator / denominator), rtol=1e-5)
    metric.reset_state()
    metric.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
    np.testing.assert_allclose(to_np(metric.result()), 0.5)


@pytest.mark.parametrize("aggregation, sklearn_name", [
    ("uniform_average", "uniform_average"), ("variance_weighted_average", "variance_weighted"),
    (None, "raw_values"),
])
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_r2_score_matches_sklearn(aggregation, sklearn_name, weighted):
    metric = metrics.R2Score(class_aggregation=aggregation)
    y_true, y_pred = rng.normal(size=(12, 3)), rng.normal(size=(12, 3))
    y_pred = 0.7 * y_true + 0.5 * y_pred
    weights = rng.uniform(0.1, 1, 12) if weighted else None
    for batch in (slice(0, 5), slice(5, 12)):
        metric.update_state(y_true[batch], y_pred[batch], sample_weight=None if weights is None else weights[batch])
    expected = r2_score(y_true, y_pred, sample_weight=weights, multioutput=sklearn_name)
    np.testing.assert_allclose(to_np(metric.result()), expected, rtol=1e-4, atol=1e-6)
    metric.reset_state()
    assert all(np.all(to_np(v.value) == 0) for v in metric.variables)


def test_adjusted_r2_score():
    y_true, y_pred = rng.normal(size=(10, 1)), rng.normal(size=(10, 1))
    metric = metrics.R2Score(num_regressors=3)
    metric.update_state(y_true, y_pred)
    r2, n, p = r2_score(y_true, y_pred), 10, 3
    np.testing.assert_allclose(to_np(metric.result()), 1 - (1 - r2) * (n - 1) / (n - p - 1), rtol=1e-4)
    too_many = metrics.R2Score(num_regressors=20)
    too_many.update_state(y_true, y_pred)
    np.testing.assert_allclose(to_np(too_many.result()), r2, rtol=1e-4)


def test_r2_score_rejects_bad_arguments_and_shapes():
    with pytest.raises(ValueError, match="class_aggregation.*'median'"):
        metrics.R2Score(class_aggregation="median")
    with pytest.raises(ValueError, match="num_regressors.*-1"):
        metrics.R2Score(num_regressors=-1)
    with pytest.raises(ValueError, match="R2Score expects 2D"):
        metrics.R2Score().update_state(np.ones((2, 2, 2)), np.ones((2, 2, 2)))
