"""Accuracy metrics against NumPy: classes accumulating weighted batches, and the function forms."""

import numpy as np
import pytest

from brickwork import backend, metrics
from tests.metrics.metric_check import check_mean_metric, to_np

rng = np.random.default_rng(0)


def _top_k_hit(labels, scores, k):
    order = np.argsort(-scores, axis=-1)[..., :k]
    return (order == labels[..., None]).any(-1).astype(float)


# name -> (class kwargs, batch maker, per-sample NumPy reference)
CASES = {
    "Accuracy": ({}, lambda: (rng.integers(0, 3, (5, 1)), rng.integers(0, 3, (5, 1))),
                 lambda t, p: (t == p).mean(-1)),
    "BinaryAccuracy": ({}, lambda: (rng.integers(0, 2, (5, 2)), rng.uniform(0, 1, (5, 2))),
                       lambda t, p: (t == (p > 0.5)).mean(-1)),
    "BinaryAccuracy-threshold": ({"threshold": 0.8}, lambda: (rng.integers(0, 2, (5, 1)), rng.uniform(0, 1, (5, 1))),
                                 lambda t, p: (t == (p > 0.8)).mean(-1)),
    "CategoricalAccuracy": ({}, lambda: (np.eye(4)[rng.integers(0, 4, 6)], rng.normal(size=(6, 4))),
                            lambda t, p: (t.argmax(-1) == p.argmax(-1)).astype(float)),
    "SparseCategoricalAccuracy": ({}, lambda: (rng.integers(0, 4, 6), rng.normal(size=(6, 4))),
                                  lambda t, p: (t == p.argmax(-1)).astype(float)),
    "SparseCategoricalAccuracy-column": ({}, lambda: (rng.integers(0, 4, (6, 1)), rng.normal(size=(6, 4))),
                                         lambda t, p: (t[:, 0] == p.argmax(-1)).astype(float)),
    "TopKCategoricalAccuracy": ({"k": 2}, lambda: (np.eye(5)[rng.integers(0, 5, 6)], rng.normal(size=(6, 5))),
                                lambda t, p: _top_k_hit(t.argmax(-1), p, 2)),
    "SparseTopKCategoricalAccuracy": ({"k": 3}, lambda: (rng.integers(0, 5, 6), rng.normal(size=(6, 5))),
                                      lambda t, p: _top_k_hit(t.astype(int), p, 3)),
}


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_accumulates_over_batches(case, weighted):
    kwargs, make, reference = CASES[case]
    metric = getattr(metrics, case.split("-")[0])(**kwargs)
    batches = []
    for _ in range(3):
        y_true, y_pred = make()
        batches.append((y_true, y_pred, rng.uniform(0, 1, len(y_true)) if weighted else None))
    check_mean_metric(metric, reference, batches)


FUNCTIONS = {
    "binary_accuracy": ((rng.integers(0, 2, (4, 3)), rng.uniform(0, 1, (4, 3))), {"threshold": 0.3},
                        lambda t, p: (t == (p > 0.3)).astype(float)),
    "categorical_accuracy": ((np.eye(3)[[0, 2, 1, 1]], rng.normal(size=(4, 3))), {},
                             lambda t, p: (t.argmax(-1) == p.argmax(-1)).astype(float)),
    "sparse_categorical_accuracy": ((np.array([0, 2, 1, 1]), rng.normal(size=(4, 3))), {},
                                    lambda t, p: (t == p.argmax(-1)).astype(float)),
    "top_k_categorical_accuracy": ((np.eye(4)[[0, 2, 1, 3]], rng.normal(size=(4, 4))), {"k": 2},
                                   lambda t, p: _top_k_hit(t.argmax(-1), p, 2)),
    "sparse_top_k_categorical_accuracy": ((np.array([0, 2, 1, 3]), rng.normal(size=(4, 4))), {"k": 1},
                                          lambda t, p: _top_k_hit(t, p, 1)),
}


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_function_forms(name):
    (y_true, y_pred), kwargs, reference = FUNCTIONS[name]
    out = getattr(metrics, name)(y_true, y_pred.astype("float32"), **kwargs)
    assert backend.standardize_dtype(out.dtype) == "float32"
    np.testing.assert_allclose(to_np(out), reference(y_true, y_pred))


def test_sequence_labels_keep_their_shape():
    y_true = rng.integers(0, 3, (2, 4))
    y_pred = rng.normal(size=(2, 4, 3))
    out = metrics.sparse_categorical_accuracy(y_true, y_pred)
    assert tuple(out.shape) == (2, 4)
    np.testing.assert_allclose(to_np(out), (y_true == y_pred.argmax(-1)).astype(float))
    top = metrics.sparse_top_k_categorical_accuracy(y_true, y_pred, k=2)
    assert tuple(top.shape) == (2, 4)
    np.testing.assert_allclose(to_np(top), _top_k_hit(y_true, y_pred, 2))


def test_sparse_top_k_from_sorted_ids():
    y_true = np.array([2, 1, 0])
    sorted_ids = np.array([[2, 0, 1], [0, 2, 1], [1, 2, 0]])
    metric = metrics.SparseTopKCategoricalAccuracy(k=2, from_sorted_ids=True)
    metric.update_state(y_true, sorted_ids)
    np.testing.assert_allclose(to_np(metric.result()), 1 / 3, rtol=1e-6)


def test_keras_documented_values():
    metric = metrics.SparseTopKCategoricalAccuracy(k=1)
    metric.update_state([2, 1], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]], sample_weight=[0.7, 0.3])
    np.testing.assert_allclose(to_np(metric.result()), 0.3, rtol=1e-6)
    metric = metrics.BinaryAccuracy()
    metric.update_state([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]])
    np.testing.assert_allclose(to_np(metric.result()), 0.75)


def test_bad_threshold_names_the_argument():
    with pytest.raises(ValueError, match="BinaryAccuracy.*threshold.*1.5"):
        metrics.BinaryAccuracy(threshold=1.5)
