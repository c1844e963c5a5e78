"""SKLearnClassifier against scikit-learn's LogisticRegression, in GridSearchCV and Pipeline."""

import numpy as np
import pytest
from sklearn.datasets import make_blobs
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from brickwork.wrappers import SKLearnClassifier
from tests.conftest import requires_training
from tests.wrappers.sklearn_models import build_linear, build_mlp

FIT = {"epochs": 40, "batch_size": 64, "verbose": 0}
LOGISTIC = {"loss": "categorical_crossentropy", "activation": "softmax"}



def _separable(n_classes: int = 3):
    """Well separated blobs: a linear model classifies every sample correctly."""
    centers = [[-3.0, -3.0], [3.0, -3.0], [0.0, 3.0]][:n_classes]
    X, y = make_blobs(n_samples=60, centers=centers, cluster_std=0.5, random_state=0)
    return StandardScaler().fit_transform(X), y


@requires_training
def test_matches_logistic_regression_on_a_separable_task():
    X, y = _separable()
    labels = np.array(["cat", "dog", "emu"])[y]
    reference = LogisticRegression().fit(X, labels)
    clf = SKLearnClassifier(build_linear, model_kwargs={**LOGISTIC, "jit_compile": "auto"}, fit_kwargs=FIT)
    clf.fit(X, labels)
    np.testing.assert_array_equal(clf.classes_, reference.classes_)
    np.testing.assert_array_equal(clf.predict(X), reference.predict(X))
    assert clf.predict(X).dtype == labels.dtype
    assert clf.score(X, labels) == reference.score(X, labels) == 1.0
    assert clf.decision_function(X).shape == (60, 3)
    np.testing.assert_array_equal(clf.classes_[clf.decision_function(X).argmax(axis=1)], clf.predict(X))
    assert clf.n_features_in_ == 2 and clf.epoch_ == 40
    assert not hasattr(clf, "predict_proba")  # Keras's wrapper has none


@requires_training
def test_binary_targets_are_one_hot_with_two_columns():
    X, y = _separable(n_classes=2)
    seen = {}

    def build(X, y):
        seen["y"] = y
        return build_linear(X, y, **LOGISTIC)

    clf = SKLearnClassifier(build, fit_kwargs=FIT).fit(X, y + 5)
    np.testing.assert_array_equal(seen["y"], np.eye(2)[y])
    np.testing.assert_array_equal(clf.classes_, [5, 6])
    np.testing.assert_array_equal(clf.predict(X), y + 5)


@requires_training
def test_grid_search_and_pipeline():
    X, y = _separable()
    pipe = make_pipeline(StandardScaler(), SKLearnClassifier(build_mlp, fit_kwargs={"epochs": 3, "verbose": 0}))
    search = GridSearchCV(pipe, {"sklearnclassifier__model_kwargs": [{"hidden": 2}, {"hidden": 4}]}, cv=2)
    search.fit(X, y)
    assert search.best_params_["sklearnclassifier__model_kwargs"] in ({"hidden": 2}, {"hidden": 4})
    assert len(search.cv_results_["mean_test_score"]) == 2
    best = search.best_estimator_[-1]
    assert best.model_.layers[0].units == best.model_kwargs["hidden"]
    assert search.predict(X).shape == (60,)


def test_rejects_continuous_and_single_class_targets():
    X = np.random.rand(10, 2)
    clf = SKLearnClassifier(build_mlp)
    with pytest.raises(ValueError, match="Unknown label type"):
        clf.fit(X, np.linspace(0, 1, 10))
    with pytest.raises(ValueError, match="only one class"):
        clf.fit(X, np.zeros(10))


@requires_training
def test_a_model_with_the_wrong_number_of_outputs_is_named():
    X, y = _separable()

    def one_output(X, y):
        return build_linear(X, y[:, :2], **LOGISTIC)  # two outputs for three classes

    clf = SKLearnClassifier(one_output, fit_kwargs={"epochs": 1, "verbose": 0})
    with pytest.raises(Exception):
        clf.fit(X, y)  # the loss sees mismatched shapes
    clf.classes_, clf.model_, clf.n_features_in_ = np.array([0, 1, 2]), one_output(X, np.eye(3)), 2
    with pytest.raises(ValueError, match=r"one column per class.*\(n_samples, 3\)"):
        clf.predict(X)
