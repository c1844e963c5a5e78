"""What the three wrappers share: parameters, clone, pickling, warm start, fit arguments, errors."""

import pickle

import numpy as np
import pytest
import sklearn
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import cross_validate

import brickwork as keras
from brickwork.wrappers import SKLearnClassifier, SKLearnRegressor, SKLearnTransformer
from tests.conftest import requires_training
from tests.wrappers.sklearn_models import build_linear, build_mlp

X = np.random.default_rng(0).normal(size=(24, 3))
Y = X @ np.array([1.0, -1.0, 2.0])
FIT = {"epochs": 1, "verbose": 0}


def _compiled_model():
    return build_linear(X, Y.reshape(-1, 1))


def test_exports_and_keras_src_path():
    import brickwork.wrappers as wrappers
    from brickwork.compat.keras_src_map import brickwork_module_for

    assert sorted(wrappers.__all__) == ["SKLearnClassifier", "SKLearnRegressor", "SKLearnTransformer"]
    assert keras.wrappers.SKLearnRegressor is SKLearnRegressor
    assert brickwork_module_for("keras.src.wrappers") == "brickwork.wrappers"


@pytest.mark.parametrize("cls", [SKLearnClassifier, SKLearnRegressor, SKLearnTransformer])
def test_params_are_the_constructor_arguments_and_clone_keeps_them(cls):
    est = cls(build_mlp, warm_start=True, model_kwargs={"hidden": 3}, fit_kwargs=FIT)
    assert est.get_params() == {"model": build_mlp, "warm_start": True, "model_kwargs": {"hidden": 3},
                                "fit_kwargs": FIT}
    twin = clone(est)
    assert twin.get_params() == est.get_params() and twin.model_kwargs is not est.model_kwargs
    twin.set_params(model_kwargs={"hidden": 5})
    assert est.model_kwargs == {"hidden": 3}


def test_clone_copies_a_model_instance():
    model = _compiled_model()
    twin = clone(SKLearnRegressor(model))
    assert isinstance(twin.model, keras.Model) and twin.model is not model
    assert twin.model.compiled


@requires_training
def test_a_model_instance_is_cloned_and_compiled_before_fitting():
    model = _compiled_model()
    weights = [w.copy() for w in model.get_weights()]
    reg = SKLearnRegressor(model, fit_kwargs=FIT).fit(X, Y)
    assert reg.model_ is not model and reg.model_.compiled
    for before, after in zip(weights, model.get_weights()):
        np.testing.assert_array_equal(before, after)  # the given model is left untouched


@requires_training
def test_warm_start_keeps_training_the_same_model():
    model = _compiled_model()
    reg = SKLearnRegressor(model, warm_start=True, fit_kwargs=FIT).fit(X, Y)
    assert reg.model_ is model
    before = [w.copy() for w in model.get_weights()]
    reg.fit(X, Y)
    assert reg.model_ is model
    assert any(not np.array_equal(a, b) for a, b in zip(before, model.get_weights()))
    cold = SKLearnRegressor(build_linear, fit_kwargs=FIT).fit(X, Y)
    first = cold.model_
    assert cold.fit(X, Y).model_ is not first


@requires_training
def test_fit_arguments_override_fit_kwargs_without_changing_them():
    fit_kwargs = {"epochs": 1, "verbose": 0}
    reg = SKLearnRegressor(build_linear, fit_kwargs=fit_kwargs).fit(X, Y, epochs=3)
    assert reg.epoch_ == 3 and len(reg.history_.history["loss"]) == 3
    assert fit_kwargs == {"epochs": 1, "verbose": 0}


@requires_training
def test_a_fitted_wrapper_pickles():
    clf = SKLearnClassifier(build_mlp, fit_kwargs=FIT).fit(X, Y > 0)
    copy = pickle.loads(pickle.dumps(clf))
    np.testing.assert_allclose(copy.decision_function(X), clf.decision_function(X), rtol=1e-6)
    np.testing.assert_array_equal(copy.classes_, clf.classes_)
    assert copy.history_.history == clf.history_.history and copy.history_.model is copy.model_


@requires_training
def test_sample_weight_is_routed_to_model_fit():
    seen = {}

    class Recorder(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            seen["called"] = True

    reg = SKLearnRegressor(build_linear, fit_kwargs={**FIT, "callbacks": [Recorder()]})
    reg.fit(X, Y, sample_weight=np.ones(len(X)))
    assert seen["called"]
    with sklearn.config_context(enable_metadata_routing=True):
        routed = SKLearnRegressor(build_linear, fit_kwargs=FIT).set_fit_request(sample_weight=True)
        result = cross_validate(routed, X, Y, cv=2, params={"sample_weight": np.ones(len(X))})
    assert result["test_score"].shape == (2,)


def test_set_fit_request_needs_metadata_routing():
    with pytest.raises(RuntimeError, match="enable_metadata_routing=True"):
        SKLearnRegressor(build_linear).set_fit_request(sample_weight=True)


def test_bad_models_are_named():
    with pytest.raises(TypeError, match=r"`model` must be a compiled Model or a callable.*received int"):
        SKLearnRegressor(42).fit(X, Y)
    with pytest.raises(TypeError, match="must return a compiled Model; it returned str"):
        SKLearnRegressor(lambda X, y: "not a model").fit(X, Y)
    uncompiled = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    with pytest.raises(RuntimeError, match=r"must be compiled.*model.compile\(loss=..., optimizer=...\)"):
        SKLearnRegressor(uncompiled).fit(X, Y)


def test_predict_before_fit_and_wrong_feature_count():
    with pytest.raises(NotFittedError):
        SKLearnRegressor(build_linear).predict(X)
    with pytest.raises(ValueError, match="Found array with 0 sample"):
        SKLearnRegressor(build_linear).fit(X[:0], Y[:0])


@requires_training
def test_wrong_feature_count_after_fit():
    reg = SKLearnRegressor(build_linear, fit_kwargs=FIT).fit(X, Y)
    with pytest.raises(ValueError, match="expecting 3 features"):
        reg.predict(X[:, :2])
