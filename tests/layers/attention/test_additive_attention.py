"""AdditiveAttention against NumPy: scores sum(scale * tanh(query + key)) with a learned scale vector,
masks, causal mask, gradients, config."""

import numpy as np
import pytest
import torch

from brickwork import backend, layers
from tests.conftest import requires_training
from tests.layers.attention import reference as ref
from tests.layers.harness import run_layer_test
from tests.layers.normalization.layer_gradients import check_layer_gradients

RNG = np.random.default_rng(3)
Q, V = (2, 4, 5), (2, 3, 5)


def randn(*shape):
    return RNG.standard_normal(shape).astype("float32")


def additive_scores(scale):
    return lambda q, k: (np.asarray(scale) * np.tanh(q[:, :, None] + k[:, None])).sum(-1)


@pytest.mark.parametrize("use_scale", [True, False])
def test_harness_against_numpy(use_scale):
    inputs = [randn(*Q), randn(*V), randn(*V)]

    def reference(data, w):
        return ref.attention(data[0], data[1], data[2], score_fn=additive_scores(w[0] if w else 1.0))[0]

    layer, _ = run_layer_test(layers.AdditiveAttention, {"use_scale": use_scale}, input_data=inputs,
                              expected_output_shape=Q, expected_num_trainable_weights=int(use_scale),
                              reference=reference, rtol=1e-5, atol=1e-6)
    if use_scale:
        assert layer.scale.shape == (5,) and layer.scale.path == f"{layer.name}/scale"


@pytest.mark.parametrize("causal", [False, True])
def test_masks_and_scores(causal):
    layer = layers.AdditiveAttention()
    query, value = randn(*Q), randn(*V)
    layer([query, value])
    query_mask = np.array([[1, 1, 0, 1], [1, 1, 1, 0]], bool)
    value_mask = np.array([[1, 1, 0], [1, 0, 1]], bool)
    expected, expected_scores = ref.attention(query, value, query_mask=query_mask, value_mask=value_mask,
                                              causal_mask=causal, score_fn=additive_scores(layer.get_weights()[0]))
    out, scores = layer([query, value], mask=[query_mask, value_mask], use_causal_mask=causal,
                        return_attention_scores=True)
    np.testing.assert_allclose(ref.numpy(out), expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(ref.numpy(scores), expected_scores, rtol=1e-5, atol=1e-6)


@requires_training
def test_gradients_match_torch():
    layer = layers.AdditiveAttention(dtype="float64")
    query, value = RNG.standard_normal(Q), RNG.standard_normal(V)
    layer.build([Q, V])
    value_t = torch.tensor(value)

    class QueryOnly(layers.Layer):  # one input for the gradient check; the value is fixed
        def __init__(self, inner):
            super().__init__(dtype="float64")
            self.inner = inner

        def call(self, q):
            return self.inner([q, backend.convert_to_tensor(value)])

    def reference(q, scale):
        logits = (scale * torch.tanh(q[:, :, None] + value_t[:, None])).sum(-1)
        return torch.softmax(logits, -1) @ value_t

    check_layer_gradients(QueryOnly(layer), query, reference)


def test_config_has_no_score_mode():
    layer = layers.AdditiveAttention(use_scale=False, dropout=0.1, seed=5)
    config = layer.get_config()
    assert "score_mode" not in config and {"use_scale", "dropout", "seed"} <= set(config)
    assert layers.AdditiveAttention.from_config(config).get_config() == config
