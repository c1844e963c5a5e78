"""ReversibleEmbedding against NumPy (lookup, tied and untied reverse projection, soft cap) and Keras 3."""

import numpy as np
import pytest

from brickwork import backend, initializers, layers
from brickwork.layers import masking
from tests.layers.harness import run_layer_test
from tests.layers.keras_reference import run_keras
from tests.layers.model_round_trip import check_fit_and_reload

IDS = np.array([[1, 2, 0, 5], [3, 3, 4, 0]], "int32")
HIDDEN = np.random.default_rng(0).normal(size=(2, 4, 3)).astype("float32")


def to_np(x):
    return backend.convert_to_numpy(x)


@pytest.mark.parametrize("tie_weights", [True, False])
def test_forward_is_a_lookup(tie_weights):
    layer, _ = run_layer_test(layers.ReversibleEmbedding, {"input_dim": 6, "output_dim": 3, "tie_weights": tie_weights},
                              input_data=IDS, expected_output_shape=(2, 4, 3),
                              expected_num_trainable_weights=1 if tie_weights else 2,
                              reference=lambda ids, w: w[0][ids])
    names = [w.path.split("/")[-1] for w in layer.weights]
    assert names == (["embeddings"] if tie_weights else ["embeddings", "reverse_embeddings"])


@pytest.mark.parametrize("tie_weights, soft_cap", [(True, None), (False, None), (True, 0.5)])
def test_reverse_projects_to_logits(tie_weights, soft_cap):
    def reference(x, w):
        logits = x @ (w[0].T if tie_weights else w[1])
        return logits if soft_cap is None else np.tanh(logits / soft_cap) * soft_cap

    kwargs = {"input_dim": 6, "output_dim": 3, "tie_weights": tie_weights, "logit_soft_cap": soft_cap,
              "embeddings_initializer": initializers.RandomNormal(seed=1)}
    run_layer_test(layers.ReversibleEmbedding, kwargs, input_data=HIDDEN, expected_output_shape=(2, 4, 6),
                   call_kwargs={"reverse": True}, reference=reference, check_models=False)
    if soft_cap is not None:
        out = to_np(layers.ReversibleEmbedding(6, 3, logit_soft_cap=soft_cap)(HIDDEN * 100, reverse=True))
        assert np.abs(out).max() <= soft_cap


def test_symbolic_forward_and_reverse_in_a_model():
    layer = layers.ReversibleEmbedding(7, 4, mask_zero=True)
    ids = layers.Input((None,), dtype="int32")
    hidden = layer(ids)
    logits = layer(hidden, reverse=True)
    assert hidden.shape == (None, None, 4) and logits.shape == (None, None, 7)
    assert hidden._keras_mask is not None and getattr(logits, "_keras_mask", None) is None
    out = layer(IDS)
    np.testing.assert_array_equal(to_np(masking.get_mask(out)), IDS != 0)
    assert layer.compute_output_shape((2, 4, 4), reverse=True) == (2, 4, 7)


def test_weights_argument_and_config():
    table, reverse = np.ones((5, 2), "float32"), np.full((2, 5), 2.0, "float32")
    layer = layers.ReversibleEmbedding(5, 2, tie_weights=False, weights=[table, reverse])
    np.testing.assert_allclose(to_np(layer(np.ones((1, 2), "float32"), reverse=True)), np.full((1, 5), 4.0))
    config = layers.ReversibleEmbedding(5, 2, reverse_dtype="float32", logit_soft_cap=30.0).get_config()
    assert config["tie_weights"] is True and config["reverse_dtype"] == "float32" and config["logit_soft_cap"] == 30.0
    assert layers.ReversibleEmbedding.from_config(config).get_config() == config


def test_matches_keras():
    rng = np.random.default_rng(3)
    table, reverse = rng.normal(size=(6, 3)).astype("float32"), rng.normal(size=(3, 6)).astype("float32")
    expected = run_keras("""
        for tie in (True, False):
            layer = keras.layers.ReversibleEmbedding(6, 3, tie_weights=tie, logit_soft_cap=2.0)
            layer.build()
            layer.set_weights([data["table"]] if tie else [data["table"], data["reverse"]])
            out[f"forward_{tie}"] = keras.ops.convert_to_numpy(layer(data["ids"]))
            out[f"reverse_{tie}"] = keras.ops.convert_to_numpy(layer(data["hidden"], reverse=True))
        out["config_keys"] = np.array(sorted(layer.get_config()))
    """, ids=IDS, hidden=HIDDEN, table=table, reverse=reverse)
    for tie in (True, False):
        layer = layers.ReversibleEmbedding(6, 3, tie_weights=tie, logit_soft_cap=2.0)
        layer.build()
        layer.set_weights([table] if tie else [table, reverse])
        np.testing.assert_allclose(to_np(layer(IDS)), expected[f"forward_{tie}"], rtol=1e-5)
        np.testing.assert_allclose(to_np(layer(HIDDEN, reverse=True)), expected[f"reverse_{tie}"], rtol=1e-5, atol=1e-6)
    assert set(layer.get_config()) == set(expected["config_keys"].tolist())


@pytest.mark.parametrize("tie_weights", [True, False])
def test_language_model_fits_and_reloads(tie_weights, tmp_path):
    ids = np.random.default_rng(4).integers(0, 8, size=(8, 5)).astype("int32")
    layer = layers.ReversibleEmbedding(8, 4, tie_weights=tie_weights)
    check_fit_and_reload(layer, ids, ids, tmp_path, head=[_ReverseOf(layer)], loss="sparse_categorical_crossentropy")


class _ReverseOf:
    """Calls ``layer`` in reverse: the second node of a weight-tied language-model head."""

    def __init__(self, layer):
        self.layer = layer

    def __call__(self, x):
        return self.layer(x, reverse=True)


def test_keras_loads_the_saved_model(tmp_path):
    from brickwork import models

    ids = layers.Input((4,), dtype="int32")
    embedding = layers.ReversibleEmbedding(6, 3, tie_weights=False, logit_soft_cap=5.0,
                                           embeddings_initializer="random_normal")
    model = models.Model(ids, embedding(layers.Dense(3)(embedding(ids)), reverse=True))
    path = str(tmp_path / "reversible.keras")
    model.save(path)
    expected = run_keras("""
        model = keras.saving.load_model(str(data["path"]))
        out["y"] = model.predict(data["ids"], verbose=0)
    """, path=np.array(path), ids=IDS)
    np.testing.assert_allclose(to_np(model.predict(IDS, verbose=0)), expected["y"], rtol=1e-5, atol=1e-5)
