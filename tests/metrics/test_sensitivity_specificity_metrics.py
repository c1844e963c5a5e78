"""Rate-at-rate metrics against a NumPy sweep over the same thresholds, and against Keras 3."""

import numpy as np
import pytest

import brickwork as keras
from brickwork import metrics
from tests.conftest import BACKEND, requires_training
from tests.layers.keras_reference import run_keras
from tests.metrics.metric_check import to_np

rng = np.random.default_rng(0)
CASES = [  # (class, the rate that must reach the target, the rate reported)
    (metrics.SensitivityAtSpecificity, "specificity", "sensitivity"),
    (metrics.SpecificityAtSensitivity, "sensitivity", "specificity"),
    (metrics.PrecisionAtRecall, "recall", "precision"),
    (metrics.RecallAtPrecision, "precision", "recall"),
]


def _reference(y_true, y_pred, weights, target, constrained, reported, num_thresholds):
    """Sweep thresholds ``i / (n - 1)`` (``y_pred > t`` is positive) and take the best feasible value."""
    best = 0.0
    for t in np.linspace(0.0, 1.0, num_thresholds) if num_thresholds > 1 else [0.5]:
        predicted, actual = y_pred > t, y_true.astype(bool)
        tp, fp = weights[predicted & actual].sum(), weights[predicted & ~actual].sum()
        tn, fn = weights[~predicted & ~actual].sum(), weights[~predicted & actual].sum()
        ratio = lambda a, b: a / (a + b) if a + b > 0 else 0.0  # noqa: E731
        rates = {"sensitivity": ratio(tp, fn), "recall": ratio(tp, fn), "specificity": ratio(tn, fp),
                 "precision": ratio(tp, fp)}
        if rates[constrained] >= target:
            best = max(best, rates[reported])
    return best


@pytest.mark.parametrize("cls, constrained, reported", CASES, ids=lambda v: getattr(v, "__name__", v))
@pytest.mark.parametrize("target", [0.3, 0.8])
@pytest.mark.parametrize("num_thresholds", [1, 7, 200])
def test_matches_a_threshold_sweep(cls, constrained, reported, target, num_thresholds):
    batches = [(rng.integers(0, 2, 16), rng.uniform(0.001, 0.999, 16), rng.uniform(0, 2, 16)) for _ in range(3)]
    metric = cls(target, num_thresholds=num_thresholds)
    for y_true, y_pred, weights in batches:
        metric.update_state(y_true, y_pred, sample_weight=weights)
    y_true, y_pred, weights = (np.concatenate([b[i] for b in batches]) for i in range(3))
    expected = _reference(y_true, y_pred, weights, target, constrained, reported, num_thresholds)
    np.testing.assert_allclose(to_np(metric.result()), expected, rtol=1e-5, atol=1e-6)
    metric.reset_state()
    np.testing.assert_allclose(to_np(metric.result()), 0.0)


def test_class_id_selects_one_column_and_matches_keras():
    y_true = rng.integers(0, 2, (10, 3))
    y_pred = rng.uniform(size=(10, 3)).astype("float32")
    script = """
    for name, cls, value in [("sas", keras.metrics.SensitivityAtSpecificity, 0.6),
                             ("sps", keras.metrics.SpecificityAtSensitivity, 0.6),
                             ("par", keras.metrics.PrecisionAtRecall, 0.5),
                             ("rap", keras.metrics.RecallAtPrecision, 0.5)]:
        m = cls(value, num_thresholds=50, class_id=1)
        m.update_state(data["t"], data["p"])
        out[name] = m.result().numpy()
    """
    expected = run_keras(script, t=y_true, p=y_pred)
    for name, cls, value in [("sas", metrics.SensitivityAtSpecificity, 0.6),
                             ("sps", metrics.SpecificityAtSensitivity, 0.6),
                             ("par", metrics.PrecisionAtRecall, 0.5), ("rap", metrics.RecallAtPrecision, 0.5)]:
        metric = cls(value, num_thresholds=50, class_id=1)
        metric.update_state(y_true, y_pred)
        np.testing.assert_allclose(to_np(metric.result()), expected[name], rtol=1e-5, err_msg=name)


@pytest.mark.parametrize("cls", [case[0] for case in CASES], ids=lambda c: c.__name__)
def test_arguments_are_validated(cls):
    with pytest.raises(ValueError, match="must be in"):
        cls(1.5)
    with pytest.raises(ValueError, match="num_thresholds"):
        cls(0.5, num_thresholds=0)


@pytest.mark.parametrize("cls", [case[0] for case in CASES], ids=lambda c: c.__name__)
def test_config_and_deserialize_by_name(cls):
    metric = cls(0.25, num_thresholds=9, class_id=2, name="m")
    rebuilt = cls.from_config(metric.get_config())
    assert rebuilt.get_config() == metric.get_config() and rebuilt.num_thresholds == 9
    again = metrics.deserialize({"class_name": cls.__name__, "config": metric.get_config()})
    assert type(again) is cls and again.get_config() == metric.get_config()


@pytest.mark.skipif(BACKEND != "jax", reason="jax.jit is the jax backend's compiler")
def test_stateless_update_inside_jax_jit():
    import jax

    eager, jitted = metrics.PrecisionAtRecall(0.5), metrics.PrecisionAtRecall(0.5)
    step = jax.jit(lambda values, t, p: jitted.stateless_update_state(values, t, p))
    values = [v.value for v in jitted.variables]
    for _ in range(3):
        y_true, y_pred = rng.integers(0, 2, 8), rng.uniform(size=8)
        eager.update_state(y_true, y_pred)
        values = step(values, y_true, y_pred)
    np.testing.assert_allclose(to_np(jitted.stateless_result(values)), to_np(eager.result()), rtol=1e-6)


@requires_training
def test_in_fit():
    x = rng.normal(size=(32, 4)).astype("float32")
    y = (x[:, 0] > 0).astype("float32")
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy",
                  metrics=[metrics.RecallAtPrecision(0.7, name="rap"), metrics.SensitivityAtSpecificity(0.5)])
    model.fit(x, y, batch_size=8, epochs=2, verbose=0)
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    scores = model.predict(x, verbose=0).ravel()
    np.testing.assert_allclose(logs["rap"], _reference(y, scores, np.ones(32), 0.7, "precision", "recall", 200),
                               rtol=1e-5)
