"""Circle and generalized cross entropy against NumPy restatements of the papers and against Keras 3."""

import inspect

import numpy as np
import pytest

import brickwork as keras
from brickwork import losses
from tests.conftest import requires_training
from tests.layers.keras_reference import run_keras
from tests.metrics.metric_check import to_np

rng = np.random.default_rng(0)


def _unit(x):
    return (x / np.linalg.norm(x, axis=-1, keepdims=True)).astype("float32")


def _circle_numpy(labels, embeddings, ref_labels=None, ref_embeddings=None, gamma=80.0, margin=0.4,
                  remove_diagonal=True):
    """Sun et al. (2020), eq. 4-6 on cosine distances, one query (row) at a time, in float64."""
    ref_labels = labels if ref_labels is None else ref_labels
    ref_embeddings = embeddings if ref_embeddings is None else ref_embeddings
    out = []
    for i, (label, query) in enumerate(zip(labels, embeddings.astype("float64"))):
        distance = np.maximum(1.0 - ref_embeddings.astype("float64") @ query, 0.0)
        positive = ref_labels == label
        negative = ~positive
        if remove_diagonal and i < len(ref_labels):
            positive[i] = False
        positive_terms = [-gamma * max(margin + d, 0.0) * (margin - d) for d in distance[positive]]
        negative_terms = [gamma * max(1.0 + margin - d, 0.0) * (1.0 - margin - d) for d in distance[negative]]
        logsumexp = lambda v: np.logaddexp.reduce(v) if len(v) else -np.inf  # noqa: E731
        out.append(np.logaddexp(0.0, logsumexp(positive_terms) + logsumexp(negative_terms)))
    return np.array(out)


def _gce_numpy(labels, probabilities, q):
    p = probabilities[np.arange(len(labels)), labels]
    return (1.0 - p ** q) / q


def test_circle_function_matches_the_paper():
    labels = np.array([0, 0, 1, 1, 2, 2, 3, 3])
    embeddings = _unit(rng.normal(size=(8, 6)))
    np.testing.assert_allclose(to_np(losses.circle(labels, embeddings)), _circle_numpy(labels, embeddings),
                               rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(to_np(losses.circle(labels, embeddings, gamma=10.0, margin=0.25,
                                                   remove_diagonal=False)),
                               _circle_numpy(labels, embeddings, gamma=10.0, margin=0.25, remove_diagonal=False),
                               rtol=1e-4, atol=1e-4)


def test_circle_with_reference_set():
    labels, ref_labels = np.array([0, 1, 2]), np.array([0, 0, 1, 2, 2])
    embeddings, refs = _unit(rng.normal(size=(3, 4))), _unit(rng.normal(size=(5, 4)))
    np.testing.assert_allclose(
        to_np(losses.circle(labels, embeddings, ref_labels=ref_labels, ref_embeddings=refs, remove_diagonal=False)),
        _circle_numpy(labels, embeddings, ref_labels, refs, remove_diagonal=False), rtol=1e-4, atol=1e-4)


def test_circle_class_averages_only_nonzero_losses():
    labels = np.array([0, 0, 1, 1, 2, 2])
    embeddings = _unit(rng.normal(size=(6, 5)))
    per_sample = _circle_numpy(labels, embeddings, gamma=4.0)
    weights = rng.uniform(0.5, 1.5, 6)
    loss = losses.Circle(gamma=4.0)
    kept = per_sample > 0
    np.testing.assert_allclose(to_np(loss(labels, embeddings)), per_sample[kept].sum() / kept.sum(), rtol=1e-4)
    np.testing.assert_allclose(to_np(losses.Circle(gamma=4.0, reduction="sum")(labels, embeddings, weights)),
                               (per_sample * weights).sum(), rtol=1e-4)


@pytest.mark.parametrize("q", [0.1, 0.5, 0.9])
def test_generalized_cross_entropy_matches_the_formula(q):
    labels = rng.integers(0, 4, 10)
    probabilities = rng.dirichlet(np.ones(4), 10).astype("float32")
    expected = _gce_numpy(labels, probabilities.astype("float64"), q)
    np.testing.assert_allclose(to_np(losses.categorical_generalized_cross_entropy(labels, probabilities, q)),
                               expected, rtol=1e-5)
    np.testing.assert_allclose(to_np(losses.CategoricalGeneralizedCrossEntropy(q=q)(labels, probabilities)),
                               expected.mean(), rtol=1e-5)


def test_both_match_keras():
    labels = np.array([0, 1, 1, 2, 0, 2])
    embeddings = _unit(rng.normal(size=(6, 5)))
    probabilities = rng.dirichlet(np.ones(3), 6).astype("float32")
    weights = rng.uniform(0, 1, 6).astype("float32")
    script = """
    out["circle"] = keras.losses.Circle()(data["y"], data["e"]).numpy()
    out["circle_none"] = keras.losses.Circle(gamma=8.0, reduction=None)(data["y"], data["e"]).numpy()
    out["circle_w"] = keras.losses.Circle(margin=0.3)(data["y"], data["e"], data["w"]).numpy()
    out["gce"] = keras.losses.CategoricalGeneralizedCrossEntropy(q=0.3)(data["y"], data["p"]).numpy()
    out["gce_none"] = keras.losses.CategoricalGeneralizedCrossEntropy(reduction=None)(data["y"], data["p"]).numpy()
    """
    expected = run_keras(script, y=labels, e=embeddings, p=probabilities, w=weights)
    ours = {
        "circle": losses.Circle()(labels, embeddings),
        "circle_none": losses.Circle(gamma=8.0, reduction=None)(labels, embeddings),
        "circle_w": losses.Circle(margin=0.3)(labels, embeddings, weights),
        "gce": losses.CategoricalGeneralizedCrossEntropy(q=0.3)(labels, probabilities),
        "gce_none": losses.CategoricalGeneralizedCrossEntropy(reduction=None)(labels, probabilities),
    }
    for name, value in ours.items():
        np.testing.assert_allclose(to_np(value), expected[name], rtol=1e-4, atol=1e-4, err_msg=name)


def test_q_is_validated():
    with pytest.raises(ValueError, match="q must be in"):
        losses.CategoricalGeneralizedCrossEntropy(q=1.0)


@pytest.mark.parametrize("cls, kwargs", [(losses.Circle, {"gamma": 32.0, "margin": 0.25, "remove_diagonal": False}),
                                         (losses.CategoricalGeneralizedCrossEntropy, {"q": 0.7})])
def test_config_serialize_and_lookup_by_name(cls, kwargs):
    loss = cls(name="custom", reduction="sum", **kwargs)
    config = loss.get_config()
    assert set(config) == set(inspect.signature(cls.__init__).parameters) - {"self"}
    assert cls.from_config(config).get_config() == config
    again = losses.deserialize(losses.serialize(loss))
    assert type(again) is cls and again.get_config() == config
    assert type(losses.get(cls.__name__)) is cls
    function = getattr(losses, cls().name)
    assert losses.get(cls().name) is function and losses.deserialize(losses.serialize(function)) is function


@requires_training
def test_fit_with_both():
    x = rng.normal(size=(32, 6)).astype("float32")
    y = rng.integers(0, 3, 32)
    embedder = keras.Sequential([keras.Input((6,)), keras.layers.Dense(4), keras.layers.UnitNormalization()])
    embedder.compile(optimizer="adam", loss=losses.Circle(gamma=16.0))
    history = embedder.fit(x, y, batch_size=16, epochs=3, verbose=0).history["loss"]
    assert np.all(np.isfinite(history))
    classifier = keras.Sequential([keras.Input((6,)), keras.layers.Dense(3, activation="softmax")])
    classifier.compile(optimizer=keras.optimizers.SGD(0.5), loss=losses.CategoricalGeneralizedCrossEntropy())
    history = classifier.fit(x, y, batch_size=32, epochs=5, verbose=0).history["loss"]
    assert history[-1] < history[0]
