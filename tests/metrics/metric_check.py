"""Shared checks for metric tests: accumulate batches with sample weights, compare with NumPy, reset."""

from __future__ import annotations

import numpy as np

from brickwork import backend


def to_np(x):
    return np.asarray(backend.convert_to_numpy(x))


def check_mean_metric(metric, reference, batches, rtol=1e-5, atol=1e-6):
    """Feed ``batches`` of ``(y_true, y_pred, sample_weight)`` to ``metric``; its result must be the weighted
    mean of ``reference(y_true, y_pred)`` (per-sample NumPy values); then ``reset_state`` must zero it."""
    total, weight = 0.0, 0.0
    for y_true, y_pred, sample_weight in batches:
        metric.update_state(y_true, y_pred, sample_weight=sample_weight)
        values = np.asarray(reference(np.asarray(y_true, "float64"), np.asarray(y_pred, "float64")), "float64")
        weights = np.ones(values.shape[:1]) if sample_weight is None else np.asarray(sample_weight, "float64")
        total += float(np.sum(values * weights))
        weight += float(np.sum(np.broadcast_to(weights, values.shape[:1])))
    result = metric.result()
    assert tuple(result.shape) == ()
    assert backend.standardize_dtype(result.dtype) == metric.dtype
    np.testing.assert_allclose(to_np(result), total / weight, rtol=rtol, atol=atol)
    metric.reset_state()
    np.testing.assert_allclose(to_np(metric.result()), 0.0)
    return total / weight
