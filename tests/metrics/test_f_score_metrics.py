"""F1Score and FBetaScore against scikit-learn's f1_score / fbeta_score."""

import numpy as np
import pytest
from sklearn.metrics import f1_score, fbeta_score

from brickwork import metrics
from tests.metrics.metric_check import to_np

rng = np.random.default_rng(0)
AVERAGES = [None, "micro", "macro", "weighted"]


@pytest.mark.parametrize("average", AVERAGES, ids=str)
@pytest.mark.parametrize("beta", [1.0, 2.0])
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_multi_label_matches_sklearn(average, beta, weighted):
    metric = metrics.FBetaScore(average=average, beta=beta, threshold=0.5)
    y_true, y_pred = rng.integers(0, 2, (20, 4)), rng.uniform(0, 1, (20, 4))
    weights = rng.uniform(0.1, 1, 20) if weighted else None
    for batch in (slice(0, 8), slice(8, 20)):
        metric.update_state(y_true[batch], y_pred[batch], sample_weight=None if weights is None else weights[batch])
    expected = fbeta_score(y_true, (y_pred > 0.5).astype(int), beta=beta, average=average, sample_weight=weights,
                           zero_division=0)
    result = to_np(metric.result())
    assert result.shape == np.shape(expected)
    np.testing.assert_allclose(result, expected, rtol=1e-4, atol=1e-5)
    metric.reset_state()
    assert all(np.all(to_np(v.value) == 0) for v in metric.variables)


@pytest.mark.parametrize("average", AVERAGES, ids=str)
def test_f1_with_argmax_predictions_matches_sklearn(average):
    labels = rng.integers(0, 3, 15)
    y_true = np.eye(3)[labels]
    y_pred = rng.uniform(0, 1, (15, 3))
    metric = metrics.F1Score(average=average)
    metric.update_state(y_true, y_pred)
    predicted = np.eye(3)[y_pred.argmax(-1)]
    expected = f1_score(y_true, predicted, average=average, zero_division=0)
    np.testing.assert_allclose(to_np(metric.result()), expected, rtol=1e-4, atol=1e-5)


def test_keras_documented_values():
    y_true = np.array([[1, 1, 1], [1, 0, 0], [1, 1, 0]], np.int32)
    y_pred = np.array([[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]], np.float32)
    fbeta = metrics.FBetaScore(beta=2.0, threshold=0.5)
    fbeta.update_state(y_true, y_pred)
    np.testing.assert_allclose(to_np(fbeta.result()), [0.3846154, 0.90909094, 0.8333334], rtol=1e-5)
    f1 = metrics.F1Score(threshold=0.5)
    f1.update_state(y_true, y_pred)
    np.testing.assert_allclose(to_np(f1.result()), [0.5, 0.8, 0.6666667], rtol=1e-5)


@pytest.mark.parametrize("kwargs, message", [
    ({"average": "median"}, "average"), ({"beta": 2}, "beta"), ({"beta": -1.0}, "beta"),
    ({"threshold": 1}, "threshold"), ({"threshold": 1.5}, "threshold"),
])
def test_bad_arguments_name_the_argument(kwargs, message):
    with pytest.raises(ValueError, match=f"FBetaScore.*{message}"):
        metrics.FBetaScore(**kwargs)


def test_inputs_must_be_2d():
    with pytest.raises(ValueError, match="F1Score expects 2D"):
        metrics.F1Score().update_state(np.ones((4,)), np.ones((4,)))
