"""SKLearnRegressor against scikit-learn's LinearRegression, in GridSearchCV and Pipeline."""

import numpy as np
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from brickwork.wrappers import SKLearnRegressor
from tests.conftest import requires_training
from tests.wrappers.sklearn_models import build_linear


def _linear_task():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 3))
    return X, X @ np.array([1.5, -2.0, 0.5]) + 0.3


@requires_training
def test_matches_linear_regression_on_a_linear_task():
    X, y = _linear_task()
    reference = LinearRegression().fit(X, y)
    reg = SKLearnRegressor(build_linear, model_kwargs={"jit_compile": "auto"},
                           fit_kwargs={"epochs": 150, "batch_size": 64, "verbose": 0}).fit(X, y)
    prediction = reg.predict(X)
    assert prediction.shape == (64,)
    np.testing.assert_allclose(prediction, reference.predict(X), atol=0.05)
    np.testing.assert_allclose(reg.model_.layers[0].kernel.numpy()[:, 0], reference.coef_, atol=0.05)
    assert reg.score(X, y) > 0.999


@requires_training
def test_grid_search_over_fit_kwargs_and_cross_validation_in_a_pipeline():
    X, y = _linear_task()
    reg = SKLearnRegressor(build_linear, fit_kwargs={"epochs": 1, "verbose": 0})
    search = GridSearchCV(reg, {"fit_kwargs": [{"epochs": 1, "verbose": 0}, {"epochs": 60, "verbose": 0}]}, cv=2)
    search.fit(X, y)
    assert search.best_params_["fit_kwargs"]["epochs"] == 60  # more training fits a linear task better
    assert search.best_estimator_.epoch_ == 60
    scores = cross_val_score(make_pipeline(StandardScaler(), reg), X, y, cv=2)
    assert scores.shape == (2,)
