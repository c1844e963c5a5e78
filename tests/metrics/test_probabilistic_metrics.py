"""Probabilistic metrics against NumPy: the weighted mean of each crossentropy / divergence over batches."""

import numpy as np
import pytest

from brickwork import metrics
from tests.metrics.metric_check import check_mean_metric

rng = np.random.default_rng(0)
EPS = 1e-7


def _softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def _cce(t, p, from_logits=False, label_smoothing=0.0):
    t = t * (1 - label_smoothing) + label_smoothing / t.shape[-1]
    p = _softmax(p) if from_logits else p / p.sum(-1, keepdims=True)
    return -(t * np.log(np.clip(p, EPS, 1 - EPS))).sum(-1)


def _bce(t, p, from_logits=False, label_smoothing=0.0):
    t = t * (1 - label_smoothing) + 0.5 * label_smoothing
    if from_logits:
        return (np.maximum(p, 0) - p * t + np.log1p(np.exp(-np.abs(p)))).mean(-1)
    p = np.clip(p, EPS, 1 - EPS)
    return -(t * np.log(p) + (1 - t) * np.log(1 - p)).mean(-1)


def _one_hot_probabilities():
    return np.eye(3)[rng.integers(0, 3, 5)], _softmax(rng.normal(size=(5, 3)))


CASES = {
    "KLDivergence": ({}, lambda: (_softmax(rng.normal(size=(5, 3))), _softmax(rng.normal(size=(5, 3)))),
                     lambda t, p: (np.clip(t, EPS, 1) * np.log(np.clip(t, EPS, 1) / np.clip(p, EPS, 1))).sum(-1)),
    "Poisson": ({}, lambda: (rng.uniform(0, 3, (5, 2)), rng.uniform(0.1, 3, (5, 2))),
                lambda t, p: (p - t * np.log(p + EPS)).mean(-1)),
    "BinaryCrossentropy": ({}, lambda: (rng.integers(0, 2, (5, 2)), rng.uniform(0.05, 0.95, (5, 2))), _bce),
    "BinaryCrossentropy-logits": ({"from_logits": True, "label_smoothing": 0.1},
                                  lambda: (rng.integers(0, 2, (5, 2)), rng.normal(size=(5, 2))),
                                  lambda t, p: _bce(t, p, True, 0.1)),
    "CategoricalCrossentropy": ({}, _one_hot_probabilities, _cce),
    "CategoricalCrossentropy-logits": ({"from_logits": True, "label_smoothing": 0.2},
                                       lambda: (np.eye(3)[rng.integers(0, 3, 5)], rng.normal(size=(5, 3))),
                                       lambda t, p: _cce(t, p, True, 0.2)),
    "SparseCategoricalCrossentropy": ({}, lambda: (rng.integers(0, 3, 5), _softmax(rng.normal(size=(5, 3)))),
                                      lambda t, p: _cce(np.eye(3)[t.astype(int)], p)),
    "SparseCategoricalCrossentropy-logits": ({"from_logits": True},
                                             lambda: (rng.integers(0, 3, 5), rng.normal(size=(5, 3))),
                                             lambda t, p: _cce(np.eye(3)[t.astype(int)], p, True)),
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
    check_mean_metric(metric, reference, batches, rtol=1e-4)
