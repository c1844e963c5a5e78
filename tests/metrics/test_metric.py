"""The Metric base: variables, custom subclasses, stateless forms (inside jax.jit on jax), config round
trips of every metric class, and lookup by name."""

import inspect

import numpy as np
import pytest

from brickwork import backend, metrics, ops
from tests.metrics.metric_check import to_np

BACKEND = backend.backend()
rng = np.random.default_rng(0)


class BinaryTruePositives(metrics.Metric):
    def __init__(self, name="binary_true_positives", **kwargs):
        super().__init__(name=name, **kwargs)
        self.true_positives = self.add_variable(shape=(), initializer="zeros", name="true_positives")

    def update_state(self, y_true, y_pred, sample_weight=None):
        values = ops.cast(ops.logical_and(ops.cast(y_true, "bool"), ops.cast(y_pred, "bool")), self.dtype)
        if sample_weight is not None:
            values = values * ops.cast(sample_weight, self.dtype)
        self.true_positives.assign(self.true_positives + ops.sum(values))

    def result(self):
        return self.true_positives.value


def test_custom_metric_subclass_accumulates_and_resets():
    metric = BinaryTruePositives()
    metric.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    metric.update_state([1, 1], [1, 1], sample_weight=[0.5, 2.0])
    assert float(to_np(metric.result())) == pytest.approx(4.5)
    assert [v.path for v in metric.variables] == ["binary_true_positives/true_positives"]
    assert not metric.variables[0].trainable
    metric.reset_state()
    assert float(to_np(metric.result())) == 0.0
    assert float(to_np(metric([1, 1], [1, 0]))) == 1.0  # __call__: update, then result


def test_forgetting_super_init_is_reported():
    class Broken(metrics.Metric):
        def __init__(self):
            pass

    with pytest.raises(RuntimeError, match="super\\(\\).__init__"):
        Broken().add_variable((), "zeros")


def test_composite_metric_tracks_the_variables_of_its_metrics():
    class MeanAndSum(metrics.Metric):
        def __init__(self):
            super().__init__(name="mean_and_sum")
            self.mean = metrics.Mean()
            self.sum = metrics.Sum()

        def update_state(self, values):
            self.mean.update_state(values)
            self.sum.update_state(values)

        def result(self):
            return {"mean": self.mean.result(), "sum": self.sum.result()}

    metric = MeanAndSum()
    assert len(metric.variables) == 3
    metric.update_state([1.0, 3.0])
    assert float(to_np(metric.result()["sum"])) == 4.0


STATELESS_CASES = [
    (lambda: metrics.Mean(), lambda: (rng.normal(size=(4,)),), {"sample_weight": rng.uniform(0, 1, 4)}),
    (lambda: metrics.AUC(num_thresholds=11), lambda: (rng.integers(0, 2, 6), rng.uniform(0, 1, 6)), {}),
    (lambda: metrics.Precision(thresholds=[0.3, 0.6]), lambda: (rng.integers(0, 2, 6), rng.uniform(0, 1, 6)), {}),
    (lambda: metrics.SparseCategoricalAccuracy(), lambda: (rng.integers(0, 3, 5), rng.normal(size=(5, 3))), {}),
    (lambda: metrics.F1Score(average="macro", threshold=0.5),
     lambda: (rng.integers(0, 2, (5, 3)), rng.uniform(0, 1, (5, 3))), {}),
    (lambda: metrics.R2Score(), lambda: (rng.normal(size=(5, 2)), rng.normal(size=(5, 2))), {}),
    (lambda: BinaryTruePositives(), lambda: (rng.integers(0, 2, 6), rng.integers(0, 2, 6)), {}),
]


def _built(make, args, kwargs):
    """A metric whose lazily created variables exist (built by one update, then reset)."""
    metric = make()
    metric.update_state(*args, **kwargs)
    metric.reset_state()
    return metric


@pytest.mark.parametrize("index", range(len(STATELESS_CASES)))
def test_stateless_forms_match_eager_and_leave_variables_alone(index):
    make, sample, kwargs = STATELESS_CASES[index]
    batches = [sample() for _ in range(2)]
    eager = _built(make, batches[0], kwargs)
    stateless = _built(make, batches[0], kwargs)
    values = stateless.stateless_reset_state()
    for batch in batches:
        eager.update_state(*batch, **kwargs)
        values = stateless.stateless_update_state(values, *batch, **kwargs)
    np.testing.assert_allclose(to_np(stateless.stateless_result(values)), to_np(eager.result()), rtol=1e-6)
    for variable in stateless.variables:  # untouched: still the reset values
        np.testing.assert_allclose(to_np(variable.value), 0.0)
    with pytest.raises(ValueError, match="metric_variables"):
        stateless.stateless_update_state(values[:-1], *batches[0], **kwargs)


@pytest.mark.skipif(BACKEND != "jax", reason="jax.jit is the jax backend's compiler")
@pytest.mark.parametrize("index", range(len(STATELESS_CASES)))
def test_stateless_update_inside_jax_jit_matches_eager(index):
    import jax

    make, sample, kwargs = STATELESS_CASES[index]
    batches = [sample() for _ in range(3)]
    eager = _built(make, batches[0], kwargs)
    jitted = _built(make, batches[0], kwargs)

    @jax.jit
    def step(values, *args):
        return jitted.stateless_update_state(values, *args, **kwargs)

    values = [v.value for v in jitted.variables]
    for batch in batches:
        eager.update_state(*batch, **kwargs)
        values = step(values, *batch)
    result = jax.jit(jitted.stateless_result)(values)
    np.testing.assert_allclose(to_np(result), to_np(eager.result()), rtol=1e-5, atol=1e-6)


def _public_metric_classes():
    return [obj for name in metrics.__all__ if inspect.isclass(obj := getattr(metrics, name))
            and issubclass(obj, metrics.Metric) and obj not in (metrics.Metric, metrics.MeanMetricWrapper)]


REQUIRED_ARGUMENTS = {  # the classes that cannot be built from defaults alone
    metrics.IoU: {"num_classes": 3, "target_class_ids": [0, 2]}, metrics.MeanIoU: {"num_classes": 3},
    metrics.OneHotIoU: {"num_classes": 3, "target_class_ids": [1]}, metrics.OneHotMeanIoU: {"num_classes": 3},
    metrics.PrecisionAtRecall: {"recall": 0.4}, metrics.RecallAtPrecision: {"precision": 0.6},
    metrics.SensitivityAtSpecificity: {"specificity": 0.7}, metrics.SpecificityAtSensitivity: {"sensitivity": 0.8},
}


@pytest.mark.parametrize("cls", _public_metric_classes(), ids=lambda c: c.__name__)
def test_config_round_trip(cls):
    metric = cls(name="custom", **REQUIRED_ARGUMENTS.get(cls, {}))
    config = metric.get_config()
    # Keras leaves out AUC's generated thresholds (num_thresholds makes them again): nothing is lost.
    left_out = {"thresholds"} if cls is metrics.AUC else set()
    assert set(config) | left_out == set(inspect.signature(cls.__init__).parameters) - {"self"}
    assert config["name"] == "custom"
    rebuilt = cls.from_config(config)
    assert type(rebuilt) is cls and rebuilt.get_config() == config
    again = metrics.deserialize(metrics.serialize(metric))
    assert type(again) is cls and again.get_config() == config


@pytest.mark.parametrize("cls, kwargs", [
    (metrics.AUC, {"thresholds": [0.2, 0.5, 0.8], "curve": "PR", "multi_label": True, "num_labels": 2,
                   "label_weights": [0.3, 0.7], "from_logits": True}),
    (metrics.Precision, {"thresholds": [0.3, 0.7], "top_k": 2, "class_id": 1}),
    (metrics.FBetaScore, {"average": "weighted", "beta": 2.0, "threshold": 0.4}),
    (metrics.R2Score, {"class_aggregation": None, "num_regressors": 2}),
    (metrics.BinaryAccuracy, {"threshold": 0.7}),
    (metrics.CategoricalCrossentropy, {"from_logits": True, "label_smoothing": 0.1, "axis": 1}),
])
def test_config_round_trip_with_arguments(cls, kwargs):
    metric = cls(**kwargs)
    rebuilt = cls.from_config(metric.get_config())
    assert rebuilt.get_config() == metric.get_config()
    for key, value in kwargs.items():
        assert rebuilt.get_config()[key] == value


def test_mean_metric_wrapper_config_round_trip():
    wrapper = metrics.MeanMetricWrapper(metrics.binary_accuracy, name="acc", threshold=0.3)
    rebuilt = metrics.MeanMetricWrapper.from_config(wrapper.get_config())
    assert rebuilt._fn is metrics.binary_accuracy and rebuilt._fn_kwargs == {"threshold": 0.3}
    assert rebuilt.name == "acc"


@pytest.mark.parametrize("identifier, expected", [
    ("accuracy", metrics.Accuracy), ("AUC", metrics.AUC), ("auc", metrics.AUC), ("Precision", metrics.Precision),
    ("mean_squared_error", metrics.MeanSquaredError), ("categorical_accuracy", metrics.CategoricalAccuracy),
    ("binary_crossentropy", metrics.BinaryCrossentropy), ("r2_score", metrics.R2Score),
])
def test_get_by_name_gives_a_metric(identifier, expected):
    assert type(metrics.get(identifier)) is expected


@pytest.mark.parametrize("identifier, expected", [
    ("mae", metrics.MeanAbsoluteError), ("MSE", metrics.MeanSquaredError), ("bce", metrics.BinaryCrossentropy),
    ("top_k_categorical_accuracy", metrics.TopKCategoricalAccuracy), ("kld", None),
])
def test_get_by_short_name(identifier, expected):
    # As in Keras 3, a short name gives the metric class's instance; "kld" (not one of Keras's names) the function.
    found = metrics.get(identifier)
    if expected is None:
        assert found is metrics.kl_divergence
    else:
        assert type(found) is expected


def test_get_from_config_instance_class_and_none():
    from_dict = metrics.get({"class_name": "AUC", "config": {"num_thresholds": 7}})
    assert isinstance(from_dict, metrics.AUC) and from_dict.num_thresholds == 7
    metric = metrics.Mean()
    assert metrics.get(metric) is metric
    assert isinstance(metrics.get(metrics.Sum), metrics.Sum)
    assert metrics.get(None) is None
    assert metrics.deserialize(metrics.serialize(metrics.binary_accuracy)) is metrics.binary_accuracy


def test_unknown_name_lists_close_matches():
    with pytest.raises(ValueError, match="'acuracy'.*Did you mean 'accuracy'"):
        metrics.get("acuracy")
    with pytest.raises(ValueError, match="Could not interpret metric identifier"):
        metrics.get(42)
