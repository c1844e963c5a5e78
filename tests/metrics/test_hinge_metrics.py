"""Hinge metrics against NumPy: the weighted mean of each hinge loss over batches."""

import numpy as np
import pytest

from brickwork import metrics
from tests.metrics.metric_check import check_mean_metric

rng = np.random.default_rng(0)


def _signed(t):
    return 2 * t - 1 if np.all((t == 0) | (t == 1)) else t


CASES = {
    "Hinge": (lambda: (rng.integers(0, 2, (5, 3)), rng.normal(size=(5, 3))),
              lambda t, p: np.maximum(1 - _signed(t) * p, 0).mean(-1)),
    "SquaredHinge": (lambda: (rng.choice([-1, 1], (5, 3)), rng.normal(size=(5, 3))),
                     lambda t, p: (np.maximum(1 - _signed(t) * p, 0) ** 2).mean(-1)),
    "CategoricalHinge": (lambda: (np.eye(3)[rng.integers(0, 3, 5)], rng.normal(size=(5, 3))),
                         lambda t, p: np.maximum(((1 - t) * p).max(-1) - (t * p).sum(-1) + 1, 0)),
}


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_accumulates_over_batches(name, weighted):
    make, reference = CASES[name]
    batches = []
    for _ in range(3):
        y_true, y_pred = make()
        batches.append((y_true, y_pred, rng.uniform(0, 1, len(y_true)) if weighted else None))
    check_mean_metric(getattr(metrics, name)(), reference, batches)
