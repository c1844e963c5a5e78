"""Pearson and concordance correlation against SciPy's ``pearsonr`` and Lin's formula in NumPy."""

import numpy as np
import pytest
from scipy.stats import pearsonr

import brickwork as keras
from brickwork import metrics
from tests.conftest import BACKEND, requires_training
from tests.metrics.metric_check import check_mean_metric, to_np

rng = np.random.default_rng(0)


def _pearson_rows(y_true, y_pred):
    return np.array([pearsonr(t, p).statistic for t, p in zip(y_true, y_pred)])


def _concordance_rows(y_true, y_pred):
    """Lin (1989): 2 s_tp / (s_t^2 + s_p^2 + (mean_t - mean_p)^2), population moments."""
    rows = []
    for t, p in zip(y_true, y_pred):
        covariance = np.mean((t - t.mean()) * (p - p.mean()))
        rows.append(2 * covariance / (t.var() + p.var() + (t.mean() - p.mean()) ** 2))
    return np.array(rows)


@pytest.mark.parametrize("fn, reference", [(metrics.pearson_correlation, _pearson_rows),
                                           (metrics.concordance_correlation, _concordance_rows)],
                         ids=["pearson", "concordance"])
def test_functions_per_sample(fn, reference):
    y_true = rng.normal(size=(5, 8))
    y_pred = 0.7 * y_true + rng.normal(size=(5, 8)) + 0.3
    np.testing.assert_allclose(to_np(fn(y_true.astype("float32"), y_pred.astype("float32"))),
                               reference(y_true, y_pred), rtol=1e-4, atol=1e-5)


def test_axis_zero_correlates_columns():
    y_true, y_pred = rng.normal(size=(8, 3)), rng.normal(size=(8, 3))
    np.testing.assert_allclose(to_np(metrics.pearson_correlation(y_true, y_pred, axis=0)),
                               _pearson_rows(y_true.T, y_pred.T), rtol=1e-4, atol=1e-5)


def test_concordance_of_identical_series_is_one_and_pearson_ignores_scale():
    y = rng.normal(size=(2, 6)).astype("float32")
    np.testing.assert_allclose(to_np(metrics.concordance_correlation(y, y)), [1.0, 1.0], rtol=1e-5)
    np.testing.assert_allclose(to_np(metrics.pearson_correlation(y, 3 * y + 1)), [1.0, 1.0], rtol=1e-5)
    assert float(to_np(metrics.concordance_correlation(y, 3 * y + 1))[0]) < 0.9


@pytest.mark.parametrize("cls, reference", [(metrics.PearsonCorrelation, _pearson_rows),
                                            (metrics.ConcordanceCorrelation, _concordance_rows)],
                         ids=["pearson", "concordance"])
def test_metrics_average_over_weighted_samples(cls, reference):
    batches = [(rng.normal(size=(4, 6)), rng.normal(size=(4, 6)), rng.uniform(0, 1, 4)) for _ in range(3)]
    check_mean_metric(cls(), reference, batches, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("cls", [metrics.PearsonCorrelation, metrics.ConcordanceCorrelation])
def test_config_serialize_and_names(cls):
    metric = cls(name="corr", axis=0)
    assert metric.get_config() == {"name": "corr", "dtype": "float32", "axis": 0}
    again = metrics.deserialize(metrics.serialize(metric))
    assert type(again) is cls and again.get_config() == metric.get_config()
    function = metrics.get(cls().name)
    assert isinstance(function, cls) or function is getattr(metrics, cls().name)
    assert metrics.deserialize(metrics.serialize(getattr(metrics, cls().name))) is getattr(metrics, cls().name)


@pytest.mark.skipif(BACKEND != "jax", reason="jax.jit is the jax backend's compiler")
def test_stateless_update_inside_jax_jit():
    import jax

    eager, jitted = metrics.ConcordanceCorrelation(), metrics.ConcordanceCorrelation()
    step = jax.jit(lambda values, t, p: jitted.stateless_update_state(values, t, p))
    values = [v.value for v in jitted.variables]
    for _ in range(3):
        y_true, y_pred = rng.normal(size=(4, 5)), rng.normal(size=(4, 5))
        eager.update_state(y_true, y_pred)
        values = step(values, y_true, y_pred)
    np.testing.assert_allclose(to_np(jitted.stateless_result(values)), to_np(eager.result()), rtol=1e-5)


@requires_training
def test_in_fit():
    x = rng.normal(size=(32, 5)).astype("float32")
    y = (x @ rng.normal(size=(5, 3))).astype("float32")
    model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(3)])
    model.compile(optimizer="adam", loss="mse", metrics=[metrics.PearsonCorrelation(), "concordance_correlation"])
    model.fit(x, y, batch_size=8, epochs=2, verbose=0)
    logs = model.evaluate(x, y, batch_size=32, verbose=0, return_dict=True)
    predicted = model.predict(x, verbose=0)
    np.testing.assert_allclose(logs["pearson_correlation"], _pearson_rows(y, predicted).mean(), rtol=1e-4)
    np.testing.assert_allclose(logs["concordance_correlation"], _concordance_rows(y, predicted).mean(), rtol=1e-4)
