"""Attention (dot and concat scores) against NumPy: scale, masks (given and from the inputs), causal mask,
scores, dropout, symbolic shapes, gradients, config and input errors."""

import numpy as np
import pytest
import torch

from brickwork import backend, layers, models
from brickwork.layers import masking
from tests.conftest import requires_training
from tests.layers.attention import reference as ref
from tests.layers.harness import run_layer_test
from tests.layers.normalization.layer_gradients import check_layer_gradients

RNG = np.random.default_rng(2)
Q, V = (2, 4, 5), (2, 3, 5)


def randn(*shape):
    return RNG.standard_normal(shape).astype("float32")


def dot_scores(scale=1.0):
    return lambda q, k: scale * q @ np.swapaxes(k, -1, -2)


def concat_scores(scale=1.0, weight=1.0):
    return lambda q, k: weight * np.tanh(scale * (q[:, :, None] + k[:, None])).sum(-1)


@pytest.mark.parametrize("kwargs, names", [
    ({}, []),
    ({"use_scale": True}, ["scale"]),
    ({"score_mode": "concat"}, ["concat_score_weight"]),
    ({"score_mode": "concat", "use_scale": True}, ["scale", "concat_score_weight"]),
])
def test_harness_against_numpy(kwargs, names):
    inputs = [randn(*Q), randn(*V), randn(*V)]

    def reference(data, w):
        if kwargs.get("score_mode") == "concat":
            fn = concat_scores(*(w if len(w) == 2 else [1.0, w[0]]))
        else:
            fn = dot_scores(*w)
        return ref.attention(data[0], data[1], data[2], score_fn=fn)[0]

    layer, _ = run_layer_test(layers.Attention, kwargs, input_data=inputs, expected_output_shape=Q,
                              expected_num_trainable_weights=len(names), reference=reference, rtol=1e-5, atol=1e-6)
    assert [w.path for w in layer.weights] == [f"{layer.name}/{name}" for name in names]


@pytest.mark.parametrize("causal", [False, True])
def test_masks_scores_and_causal_against_numpy(causal):
    layer = layers.Attention(use_scale=True)
    query, value = randn(*Q), randn(*V)
    layer([query, value])
    layer.set_weights([np.float32(0.7)])
    query_mask = np.array([[1, 1, 1, 0], [1, 1, 0, 0]], bool)
    value_mask = np.array([[1, 0, 1], [1, 1, 0]], bool)
    expected, expected_scores = ref.attention(query, value, query_mask=query_mask, value_mask=value_mask,
                                              causal_mask=causal, score_fn=dot_scores(0.7))
    out, scores = layer([query, value], mask=[query_mask, value_mask], return_attention_scores=True,
                        use_causal_mask=causal)
    np.testing.assert_allclose(ref.numpy(out), expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(ref.numpy(scores), expected_scores, rtol=1e-5, atol=1e-6)
    # The same masks carried by the inputs, as Embedding(mask_zero=True) leaves them.
    q, v = backend.convert_to_tensor(query), backend.convert_to_tensor(value)
    masking.set_mask(q, backend.convert_to_tensor(query_mask))
    masking.set_mask(v, backend.convert_to_tensor(value_mask))
    from_inputs = layer([q, v], use_causal_mask=causal)
    np.testing.assert_allclose(ref.numpy(from_inputs), expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(ref.numpy(masking.get_mask(from_inputs)), query_mask)


def test_symbolic_shapes_scores_and_mask_in_a_model():
    tokens = layers.Input((None,), dtype="int32")
    query = layers.Embedding(9, 5, mask_zero=True)(tokens)
    value = layers.Input((None, 5))
    out, scores = layers.Attention()([query, value], return_attention_scores=True)
    assert out.shape == (None, None, 5) and scores.shape == (None, None, None)
    assert getattr(out, "_keras_mask", None) is not None
    model = models.Model([tokens, value], [out, scores])
    ids, v = np.array([[1, 2, 0, 0], [3, 4, 5, 0]], "int32"), randn(*V)
    got_out, got_scores = model([ids, v])
    assert tuple(got_out.shape) == Q and tuple(got_scores.shape) == (2, 4, 3)
    np.testing.assert_allclose(ref.numpy(got_out)[ids == 0], 0.0)
    np.testing.assert_allclose(ref.numpy(got_scores).sum(-1), 1.0, rtol=1e-5)


def test_dropout_only_while_training():
    layer = layers.Attention(dropout=0.5, seed=3)
    query, value = randn(*Q), randn(*V)
    expected = ref.attention(query, value, score_fn=dot_scores())[0]
    np.testing.assert_allclose(ref.numpy(layer([query, value])), expected, rtol=1e-5, atol=1e-6)
    _, scores = layer([query, value], training=True, return_attention_scores=True)
    kept = ref.numpy(scores)
    assert np.any(kept == 0) and np.any(kept > 1.0 / 3)  # dropped, and the rest scaled by 2


@requires_training
@pytest.mark.parametrize("score_mode", ["dot", "concat"])
def test_gradients_match_torch(score_mode):
    layer = layers.Attention(use_scale=True, score_mode=score_mode, dtype="float64")
    query, value = RNG.standard_normal(Q), RNG.standard_normal(V)
    layer.build([Q, V])
    layer.set_weights([np.float64(0.8)] + ([np.float64(1.3)] if score_mode == "concat" else []))
    value_t = torch.tensor(value)

    def reference(q, scale, weight=None):
        if score_mode == "dot":
            logits = scale * q @ value_t.transpose(1, 2)
        else:
            logits = weight * torch.tanh(scale * (q[:, :, None] + value_t[:, None])).sum(-1)
        return torch.softmax(logits, -1) @ value_t

    # The layer takes a list; wrap it so the harness gradient check sees one input.
    class QueryOnly(layers.Layer):
        def __init__(self, inner):
            super().__init__(dtype="float64")
            self.inner = inner

        def call(self, q):
            return self.inner([q, backend.convert_to_tensor(value)])

    check_layer_gradients(QueryOnly(layer), query, reference)


def test_config_and_errors():
    layer = layers.Attention(use_scale=True, score_mode="concat", dropout=0.2, seed=4)
    config = layer.get_config()
    assert {"use_scale", "score_mode", "dropout", "seed"} <= set(config)
    assert layers.Attention.from_config(config).get_config() == config
    with pytest.raises(ValueError, match="score_mode"):
        layers.Attention(score_mode="add")
    with pytest.raises(ValueError, match="Attention layer must be called on a list"):
        layers.Attention()(randn(*Q))
    with pytest.raises(ValueError, match="Attention layer accepts inputs list of length 2 or 3"):
        layers.Attention()([randn(*Q)])
    with pytest.raises(ValueError, match="Attention layer mask must be a list"):
        layers.Attention()([randn(*Q), randn(*V)], mask=np.ones((2, 4), bool))
