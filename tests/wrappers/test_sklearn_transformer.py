"""SKLearnTransformer as a Pipeline step, and frozen with FrozenEstimator."""

import numpy as np
import pytest
from sklearn.datasets import make_blobs
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from brickwork.wrappers import SKLearnTransformer
from tests.conftest import requires_training
from tests.wrappers.sklearn_models import build_mlp

FIT = {"epochs": 2, "verbose": 0}


@requires_training
def test_transform_is_the_models_output_and_feeds_a_pipeline():
    X, y = make_blobs(n_samples=40, centers=2, n_features=4, random_state=0)
    step = SKLearnTransformer(build_mlp, model_kwargs={"loss": "mse", "activation": "tanh"}, fit_kwargs=FIT)
    features = step.fit_transform(X, y)
    assert features.shape == (40, 1)  # the model's output: one unit per target column
    np.testing.assert_allclose(features, step.model_.predict(X, verbose=0), rtol=1e-6)
    np.testing.assert_allclose(step.transform(X), features, rtol=1e-6)
    pipe = make_pipeline(SKLearnTransformer(build_mlp, model_kwargs={"loss": "mse"}, fit_kwargs=FIT),
                         LogisticRegression()).fit(X, y)
    assert pipe.predict(X).shape == (40,)


@requires_training
def test_frozen_transformer_is_not_refitted():
    frozen = pytest.importorskip("sklearn.frozen")
    X, y = make_blobs(n_samples=40, centers=2, n_features=4, random_state=0)
    step = SKLearnTransformer(build_mlp, model_kwargs={"loss": "mse"}, fit_kwargs=FIT).fit(X, y)
    weights = [w.copy() for w in step.model_.get_weights()]
    pipe = make_pipeline(frozen.FrozenEstimator(step), LogisticRegression()).fit(X, y)
    assert pipe.predict(X).shape == (40,)
    for before, after in zip(weights, step.model_.get_weights()):
        np.testing.assert_array_equal(before, after)
