"""Sum, Mean and MeanMetricWrapper against NumPy: weights of every rank, masks, accumulation, reset."""

import numpy as np
import pytest

from brickwork import metrics, ops
from brickwork.losses.loss import set_mask
from tests.metrics.metric_check import to_np

rng = np.random.default_rng(0)


@pytest.mark.parametrize("values_shape, weight_shape", [
    ((4,), None), ((4,), (4,)), ((4, 3), None), ((4, 3), (4,)), ((4, 3), (4, 1)), ((4, 3), (4, 3)), ((4,), ()),
], ids=str)
def test_mean_and_sum_accumulate_weighted_values(values_shape, weight_shape):
    mean, total = metrics.Mean(), metrics.Sum()
    numerator = denominator = summed = 0.0
    for _ in range(3):
        values = rng.normal(size=values_shape)
        weights = None if weight_shape is None else rng.uniform(0, 2, weight_shape)
        mean.update_state(values, sample_weight=weights)
        total.update_state(values, sample_weight=weights)
        # Keras: values are first averaged (Mean) or summed (Sum) down to the weight's rank, per sample.
        w = np.ones(values_shape[:1]) if weights is None else np.broadcast_to(
            weights, values_shape[:max(np.ndim(weights), 1)])
        per_sample_mean = values.reshape(values_shape[0], -1).mean(-1) if w.ndim == 1 else values
        per_sample_sum = values.reshape(values_shape[0], -1).sum(-1) if w.ndim == 1 else values
        numerator += float((per_sample_mean * w).sum())
        denominator += float(w.sum())
        summed += float((per_sample_sum * w).sum())
    np.testing.assert_allclose(to_np(mean.result()), numerator / denominator, rtol=1e-5)
    np.testing.assert_allclose(to_np(total.result()), summed, rtol=1e-5)
    mean.reset_state()
    total.reset_state()
    assert float(to_np(mean.result())) == 0.0 and float(to_np(total.result())) == 0.0


def test_mean_of_scalars_with_python_weights_is_the_loss_tracker_path():
    tracker = metrics.Mean(name="loss")
    for loss, batch_size in ((2.0, 32), (4.0, 32), (1.0, 16)):
        tracker.update_state(ops.convert_to_tensor(loss), sample_weight=batch_size)
    np.testing.assert_allclose(to_np(tracker.result()), (2 * 32 + 4 * 32 + 1 * 16) / 80, rtol=1e-6)
    tracker.update_state(3.0)
    np.testing.assert_allclose(to_np(tracker.result()), (2 * 32 + 4 * 32 + 16 + 3) / 81, rtol=1e-6)


def test_keras_documented_values():
    mean = metrics.Mean()
    mean.update_state([1, 3, 5, 7], sample_weight=[1, 1, 0, 0])
    assert float(to_np(mean.result())) == 2.0
    total = metrics.Sum()
    total.update_state([1, 3, 5, 7])
    assert float(to_np(total.result())) == 16.0


def test_mean_metric_wrapper_averages_fn_over_samples_and_respects_a_mask():
    def squared_error(y_true, y_pred, scale=1.0):
        return scale * ops.square(ops.convert_to_tensor(y_true) - ops.convert_to_tensor(y_pred))

    metric = metrics.MeanMetricWrapper(squared_error, scale=2.0)
    assert metric.name == "squared_error"
    y_true, y_pred = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    weights = rng.uniform(0, 1, 4)
    metric.update_state(y_true, y_pred, sample_weight=weights)
    per_sample = (2 * (y_true - y_pred) ** 2).mean(-1)
    np.testing.assert_allclose(to_np(metric.result()), (per_sample * weights).sum() / weights.sum(), rtol=1e-5)

    masked = metrics.MeanMetricWrapper(squared_error)
    y_pred_tensor = ops.convert_to_tensor(y_pred.astype("float32"))
    mask = np.array([True, False, True, True])
    set_mask(y_pred_tensor, ops.convert_to_tensor(mask))
    masked.update_state(y_true.astype("float32"), y_pred_tensor)
    np.testing.assert_allclose(to_np(masked.result()), ((y_true - y_pred) ** 2).mean(-1)[mask].mean(), rtol=1e-5)


def test_dtype_of_state_and_result():
    metric = metrics.Mean(dtype="float64")
    metric.update_state(np.array([1, 2], "float32"))
    assert metric.dtype == "float64" and all(v.dtype == "float64" for v in metric.variables)
    assert str(to_np(metric.result()).dtype) == "float64"
