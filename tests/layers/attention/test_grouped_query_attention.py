"""GroupQueryAttention against NumPy (key/value heads shared by groups of query heads) and torch
scaled_dot_product_attention(enable_gqa=True): shapes, masks, scores, gradients, config, errors."""

import numpy as np
import pytest
import torch

from brickwork import backend, layers, models, ops
from tests.conftest import requires_training
from tests.layers.attention import reference as ref
from tests.layers.harness import run_layer_test
from tests.layers.normalization.layer_gradients import check_layer_gradients

RNG = np.random.default_rng(1)
Q, V = (2, 4, 6), (2, 3, 6)


def randn(*shape):
    return RNG.standard_normal(shape).astype("float32")


@pytest.mark.parametrize("query_heads, kv_heads, use_bias", [(4, 2, True), (2, 1, False), (2, 2, True)])
def test_harness_against_numpy(query_heads, kv_heads, use_bias):
    value = randn(*V)
    kwargs = {"head_dim": 3, "num_query_heads": query_heads, "num_key_value_heads": kv_heads, "use_bias": use_bias,
              "bias_initializer": "random_normal"}
    layer, _ = run_layer_test(
        layers.GroupQueryAttention, kwargs, input_shape=Q, call_kwargs={"value": value}, expected_output_shape=Q,
        expected_num_trainable_weights=8 if use_bias else 4, check_models=False, rtol=1e-4, atol=1e-5,
        reference=lambda x, w: ref.multi_head_attention(x, value, None, w, use_bias=use_bias)[0])
    assert [tuple(w.shape) for w in layer.weights[::2 if use_bias else 1]] == [
        (6, query_heads, 3), (6, kv_heads, 3), (6, kv_heads, 3), (query_heads, 3, 6)]
    assert layer.weights[0].path == f"{layer.name}/query/kernel"


def test_masks_and_scores_against_torch_and_numpy():
    layer = layers.GroupQueryAttention(3, 4, 2)
    query, value = randn(*Q), randn(*V)
    layer(query, value)
    layer.set_weights([randn(*w.shape) * 0.5 for w in layer.get_weights()])
    mask = RNG.random((2, 4, 3)) > 0.4
    mask[:, :, 0] = True
    expected_mask = mask & ref.causal(4, 3)
    expected, expected_scores = ref.multi_head_attention(query, value, None, layer.get_weights(),
                                                         mask=expected_mask[:, None])
    out, scores = layer(query, value, attention_mask=mask, use_causal_mask=True, return_attention_scores=True)
    fused = layer(query, value, attention_mask=mask, use_causal_mask=True)
    assert tuple(scores.shape) == (2, 4, 4, 3)
    np.testing.assert_allclose(ref.numpy(scores), expected_scores, rtol=1e-4, atol=1e-6)
    for got in (out, fused):
        np.testing.assert_allclose(ref.numpy(got), expected, rtol=1e-4, atol=1e-5)
    weights = [torch.tensor(w) for w in layer.get_weights()]
    by_torch = ref.torch_multi_head_attention(torch.tensor(query), torch.tensor(value), None, weights,
                                              mask=torch.tensor(expected_mask)[:, None])
    np.testing.assert_allclose(ref.numpy(fused), by_torch.numpy(), rtol=1e-4, atol=1e-5)


def test_symbolic_with_none_dims_and_keras_masks():
    tokens = layers.Input((None,), dtype="int32")
    embedded = layers.Embedding(10, 6, mask_zero=True)(tokens)
    out, scores = layers.GroupQueryAttention(3, 4, 2)(embedded, embedded, return_attention_scores=True)
    assert out.shape == (None, None, 6) and scores.shape == (None, 4, None, None)
    model = models.Model(tokens, [out, scores])
    got_out, got_scores = model(np.array([[1, 2, 0], [3, 0, 0]], "int32"))
    assert np.all(np.isfinite(ref.numpy(got_out)))
    np.testing.assert_allclose(ref.numpy(got_scores)[1, :, 0].sum(-1), 1.0, rtol=1e-5)
    np.testing.assert_allclose(ref.numpy(got_scores)[1, :, :, 1:], 0.0)  # padded keys get nothing


@requires_training
def test_gradients_match_torch():
    layer = layers.GroupQueryAttention(3, 4, 2, dtype="float64", bias_initializer="random_normal")
    x, value = RNG.standard_normal(Q), RNG.standard_normal(V)
    layer.build(Q, V)
    check_layer_gradients(layer, x, lambda q, *w: ref.torch_multi_head_attention(q, torch.tensor(value), None, w),
                          call_kwargs={"value": backend.convert_to_tensor(value)})


def test_config_and_build_config():
    layer = layers.GroupQueryAttention(3, 4, 2, dropout=0.1, seed=2)
    layer(randn(*Q), randn(*V))
    config = layer.get_config()
    assert set(config) == {"name", "trainable", "dtype", "head_dim", "num_query_heads", "num_key_value_heads",
                           "use_bias", "use_gate", "sliding_window", "dropout", "kernel_initializer",
                           "bias_initializer", "kernel_regularizer", "bias_regularizer", "activity_regularizer",
                           "kernel_constraint", "bias_constraint", "seed"}
    assert layer.get_build_config() == {"shapes_dict": {"query_shape": Q, "value_shape": V}}
    clone = layers.GroupQueryAttention.from_config(config)
    clone.build_from_config({"shapes_dict": {"query_shape": [None, 4, 6], "value_shape": [None, 3, 6]}})
    clone.set_weights(layer.get_weights())
    x, v = randn(*Q), randn(*V)
    np.testing.assert_allclose(ref.numpy(clone(x, v)), ref.numpy(layer(x, v)), rtol=1e-6)
    assert type(clone).__name__ == "GroupedQueryAttention"  # Keras's class name, saved in configs
    assert layers.GroupQueryAttention is layers.GroupedQueryAttention


@pytest.mark.parametrize("kwargs, message", [
    ({"head_dim": 2, "num_query_heads": 3, "num_key_value_heads": 2}, "divisible"),
    ({"head_dim": 0, "num_query_heads": 2, "num_key_value_heads": 1}, "head_dim"),
    ({"head_dim": 2, "num_query_heads": 2, "num_key_value_heads": 1, "dropout": 0.1, "flash_attention": True},
     "flash attention"),
])
def test_bad_arguments_are_named(kwargs, message):
    with pytest.raises(ValueError, match=f"GroupQueryAttention.*{message}"):
        layers.GroupQueryAttention(**kwargs)


def test_mismatched_feature_dims_are_named():
    with pytest.raises(ValueError, match="group_query_attention|grouped_query_attention"):
        layers.GroupQueryAttention(2, 2, 1)(layers.Input((4, 6)), layers.Input((3, 5)))


def test_keras_protected_hooks_keep_keras_signatures():
    seen = []

    class Traced(layers.GroupedQueryAttention):
        def _compute_attention(self, query, key, value, attention_mask=None, training=None, use_causal_mask=False):
            seen.append(("compute_attention", use_causal_mask, self._return_attention_scores))
            return super()._compute_attention(query, key, value, attention_mask, training)

        def _masked_softmax(self, scores, attention_mask=None):
            seen.append(("masked_softmax",))
            return super()._masked_softmax(scores, attention_mask)

    layer = Traced(head_dim=3, num_query_heads=4, num_key_value_heads=2)
    x = np.random.rand(2, 5, 6).astype("float32")
    _, scores = layer(x, x, return_attention_scores=True, use_causal_mask=True)
    assert seen == [("compute_attention", False, True), ("masked_softmax",)]
    np.testing.assert_allclose(ops.convert_to_numpy(scores)[0, 0], np.tril(ops.convert_to_numpy(scores)[0, 0]))
    assert tuple(layer._compute_causal_mask(x).shape) == (1, 5, 5)
