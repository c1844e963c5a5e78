"""MultiHeadAttention against NumPy and torch scaled_dot_product_attention with the same weights: shapes
(eager, symbolic, None dims), masks (attention_mask, causal, Keras masks of the inputs, padded queries),
scores, dropout, attention axes, gradients, config, build config and Keras's weight layout."""

import h5py
import numpy as np
import pytest
import torch

from brickwork import backend, layers, models, ops
from brickwork.layers import masking
from tests.conftest import BACKEND, requires_training
from tests.layers.attention import reference as ref
from tests.layers.harness import run_layer_test
from tests.layers.normalization.layer_gradients import check_layer_gradients

RNG = np.random.default_rng(0)


def randn(*shape, dtype="float32"):
    return RNG.standard_normal(shape).astype(dtype)


def randomize(layer):
    """Random biases too: zeros would hide a bias on the wrong axis."""
    layer.set_weights([randn(*w.shape) * 0.5 for w in layer.get_weights()])


# One query/value shape and head size for most tests: the jax backend compiles once per shape.
Q, V = (2, 4, 6), (2, 3, 6)
CASES = [
    # init kwargs, query shape, value shape, key shape, expected output shape
    ({"num_heads": 2, "key_dim": 3}, Q, V, None, (2, 4, 6)),
    ({"num_heads": 2, "key_dim": 3, "value_dim": 5}, Q, V, None, (2, 4, 6)),
    ({"num_heads": 2, "key_dim": 3, "output_shape": 7}, Q, (2, 3, 5), None, (2, 4, 7)),
    ({"num_heads": 2, "key_dim": 3, "use_bias": False}, Q, V, None, (2, 4, 6)),
    ({"num_heads": 1, "key_dim": 3}, Q, V, (2, 3, 2), (2, 4, 6)),
]


@pytest.mark.parametrize("kwargs, q_shape, v_shape, k_shape, out_shape", CASES,
                         ids=["default", "value_dim", "output_shape", "no_bias", "key"])
def test_harness_against_numpy(kwargs, q_shape, v_shape, k_shape, out_shape):
    value = randn(*v_shape)
    key = None if k_shape is None else randn(*k_shape)
    call_kwargs = {"value": value} if key is None else {"value": value, "key": key}
    use_bias = kwargs.get("use_bias", True)

    def reference(query, weights):
        return ref.multi_head_attention(query, value, key, weights, use_bias=use_bias)[0]

    layer, _ = run_layer_test(layers.MultiHeadAttention, {**kwargs, "bias_initializer": "random_normal"},
                              input_shape=q_shape, call_kwargs=call_kwargs, expected_output_shape=out_shape,
                              expected_num_trainable_weights=8 if use_bias else 4, reference=reference,
                              rtol=1e-4, atol=1e-5, check_models=False)  # needs two inputs: not Sequential
    heads, key_dim = kwargs["num_heads"], kwargs["key_dim"]
    value_dim = kwargs.get("value_dim", key_dim)
    assert layer.query_dense.kernel.shape == (q_shape[-1], heads, key_dim)
    assert layer.value_dense.kernel.shape == (v_shape[-1], heads, value_dim)
    assert layer.output_dense.kernel.shape == (heads, value_dim, out_shape[-1])


def test_weight_names_order_and_paths_are_keras():
    layer = layers.MultiHeadAttention(2, 3, name="mha")
    layer(randn(*Q), randn(*V))
    assert [w.path for w in layer.weights] == [
        f"mha/{part}/{kind}" for part in ("query", "key", "value", "attention_output") for kind in ("kernel", "bias")]
    assert [tuple(w.shape) for w in layer.weights] == [(6, 2, 3), (2, 3)] * 3 + [(2, 3, 6), (6,)]
    assert layer._query_dense is layer.query_dense  # Keras's private names work for subclasses


def test_matches_torch_scaled_dot_product_attention():
    layer = layers.MultiHeadAttention(2, 3)
    query, value = randn(*Q), randn(*V)
    mask = RNG.random((2, 4, 3)) > 0.3
    mask[:, :, 0] = True
    layer(query, value)
    randomize(layer)
    out = layer(query, value, attention_mask=mask)
    weights = [torch.tensor(w) for w in layer.get_weights()]
    expected = ref.torch_multi_head_attention(torch.tensor(query), torch.tensor(value), None, weights,
                                              mask=torch.tensor(mask)[:, None])
    np.testing.assert_allclose(ref.numpy(out), expected.numpy(), rtol=1e-4, atol=1e-5)


MASK_CASES = ["attention_mask", "causal", "causal_and_mask", "keras_masks", "padded_query"]


@pytest.mark.parametrize("case", MASK_CASES)
def test_masks_match_numpy_on_both_paths(case):
    """The fused path (no scores) and the explicit one (scores returned) agree with NumPy."""
    layer = layers.MultiHeadAttention(2, 3)
    query, value = randn(*Q), randn(*V)
    layer(query, value)
    randomize(layer)
    attention_mask = RNG.random((2, 4, 3)) > 0.4
    attention_mask[:, :, 0] = True
    expected_mask = np.ones((2, 4, 3), bool)
    kwargs = {}
    q, v = backend.convert_to_tensor(query), backend.convert_to_tensor(value)
    if case in ("attention_mask", "causal_and_mask"):
        kwargs["attention_mask"] = attention_mask
        expected_mask &= attention_mask
    if case.startswith("causal"):
        kwargs["use_causal_mask"] = True
        expected_mask &= ref.causal(4, 3)
    if case in ("keras_masks", "padded_query"):
        query_mask = np.array([[1, 1, 1, 0], [1, 1, 0, 0]], bool)
        value_mask = np.array([[1, 0, 1], [1, 1, 0]], bool)
        masking.set_mask(q, backend.convert_to_tensor(query_mask))
        masking.set_mask(v, backend.convert_to_tensor(value_mask))
        expected_mask &= query_mask[:, :, None] & value_mask[:, None, :]
    expected, expected_scores = ref.multi_head_attention(query, value, None, layer.get_weights(),
                                                         mask=expected_mask[:, None])
    fused = layer(q, v, **kwargs)
    explicit, scores = layer(q, v, return_attention_scores=True, **kwargs)
    for got in (fused, explicit):
        assert np.all(np.isfinite(ref.numpy(got)))
        np.testing.assert_allclose(ref.numpy(got), expected, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(ref.numpy(scores), expected_scores, rtol=1e-4, atol=1e-6)
    if case in ("keras_masks", "padded_query"):
        np.testing.assert_array_equal(ref.numpy(masking.get_mask(fused)), query_mask)


def test_padded_queries_give_the_output_bias():
    """A query that may attend to nothing gets zero attention, so its output is the output bias."""
    layer = layers.MultiHeadAttention(2, 3)
    query, value = randn(*Q), randn(*V)
    layer(query, value)
    randomize(layer)
    mask = np.ones((2, 4, 3), bool)
    mask[0, 1] = mask[1, 3] = False
    out = ref.numpy(layer(query, value, attention_mask=mask))
    for row in (out[0, 1], out[1, 3]):
        np.testing.assert_allclose(row, layer.get_weights()[-1], rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("axes, shape", [((1, 2), (2, 3, 2, 6)), ((2,), (2, 3, 2, 6)), ((-2,), (2, 3, 2, 6))])
def test_attention_axes_against_flattened_numpy(axes, shape):
    """Attention over several axes is attention over their flattened product; over one inner axis, the
    other axes act as batch."""
    layer = layers.MultiHeadAttention(2, 3, attention_axes=axes)
    x = randn(*shape)
    layer(x, x)
    randomize(layer)
    out, scores = layer(x, x, return_attention_scores=True)
    batch, d1, d2, dim = shape
    if axes == (1, 2):
        flat = x.reshape(batch, d1 * d2, dim)
        expected = ref.multi_head_attention(flat, flat, None, layer.get_weights())[0].reshape(shape)
        assert scores.shape == (batch, 2, d1, d2, d1, d2)
    else:  # axis 2 (given as 2 or -2): axis 1 is a batch axis
        rows = x.reshape(batch * d1, d2, dim)
        expected = ref.multi_head_attention(rows, rows, None, layer.get_weights())[0].reshape(shape)
        assert scores.shape == (batch, d1, 2, d2, d2)
    np.testing.assert_allclose(ref.numpy(out), expected, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(ref.numpy(layer(x, x)), expected, rtol=1e-4, atol=1e-5)


def test_symbolic_shapes_with_none_dims_and_masks_through_a_model():
    tokens = layers.Input((None,), dtype="int32")
    embedded = layers.Embedding(10, 6, mask_zero=True)(tokens)
    context = layers.Input((None, 6))
    out, scores = layers.MultiHeadAttention(2, 3, value_dim=4, output_shape=5)(
        embedded, context, return_attention_scores=True)
    assert out.shape == (None, None, 5) and scores.shape == (None, 2, None, None)
    assert out.dtype == scores.dtype == "float32"
    assert getattr(out, "_keras_mask", None) is not None  # the query's mask travels on
    model = models.Model([tokens, context], [out, scores])
    ids = np.array([[3, 4, 0], [5, 0, 0]], "int32")
    got_out, got_scores = model([ids, randn(2, 5, 6)])
    assert tuple(got_out.shape) == (2, 3, 5) and tuple(got_scores.shape) == (2, 2, 3, 5)
    # Padded query rows attend to nothing: zero scores.
    np.testing.assert_allclose(ref.numpy(got_scores)[1, :, 1:], 0.0)
    np.testing.assert_allclose(ref.numpy(got_scores)[0, :, :2].sum(-1), 1.0, rtol=1e-5)


def test_keyword_call_and_attention_mask_input_in_a_functional_model():
    query, mask = layers.Input(Q[1:]), layers.Input((4, 4), dtype="bool")
    out = layers.MultiHeadAttention(2, 3)(query=query, value=query, key=query, attention_mask=mask)
    model = models.Model([query, mask], out)
    x, m = randn(*Q), np.tril(np.ones((2, 4, 4), bool))
    layer = model.layers[-1]
    expected = ref.multi_head_attention(x, x, x, layer.get_weights(), mask=m[:, None])[0]
    np.testing.assert_allclose(ref.numpy(model([x, m])), expected, rtol=1e-4, atol=1e-5)


def test_dropout_only_while_training():
    layer = layers.MultiHeadAttention(2, 3, dropout=0.5, seed=1)
    x = randn(*Q)
    inference = ref.numpy(layer(x, x))
    expected = ref.multi_head_attention(x, x, None, layer.get_weights())[0]
    np.testing.assert_allclose(inference, expected, rtol=1e-4, atol=1e-5)
    trained, scores = layer(x, x, training=True, return_attention_scores=True)
    assert not np.allclose(ref.numpy(trained), inference)
    np.testing.assert_allclose(ref.numpy(scores).sum(-1), 1.0, rtol=1e-5)  # scores are before dropout


@requires_training
def test_gradients_match_torch():
    layer = layers.MultiHeadAttention(2, 3, dtype="float64", bias_initializer="random_normal")
    x, value = RNG.standard_normal(Q), RNG.standard_normal(V)
    mask = np.array([[[1, 1, 0]] * 4, [[1, 0, 1]] * 4], bool)
    layer.build(Q, V)
    for kwargs, torch_mask in (({}, None), ({"attention_mask": mask}, torch.tensor(mask)[:, None])):
        check_layer_gradients(layer, x, lambda q, *w, m=torch_mask: ref.torch_multi_head_attention(
            q, torch.tensor(value), None, w, mask=m), call_kwargs={"value": backend.convert_to_tensor(value), **kwargs})


@requires_training
def test_gradients_through_the_einsum_path():
    """Attention over an inner axis of 4-D inputs takes the explicit einsum path; axis 1 acts as batch."""
    shape = (2, 3, 2, 6)
    layer = layers.MultiHeadAttention(2, 3, dtype="float64", attention_axes=(2,), bias_initializer="random_normal")
    x, value = RNG.standard_normal(shape), RNG.standard_normal(shape)
    layer.build(shape, shape)

    def reference(q, *w):
        rows = ref.torch_multi_head_attention(q.reshape(6, 2, 6), torch.tensor(value).reshape(6, 2, 6), None, w)
        return rows.reshape(shape)

    check_layer_gradients(layer, x, reference, call_kwargs={"value": backend.convert_to_tensor(value)})


def test_config_and_build_config_round_trip():
    layer = layers.MultiHeadAttention(2, 3, value_dim=4, dropout=0.1, output_shape=(5,), attention_axes=1,
                                      seed=3, kernel_regularizer="l2")
    layer(randn(*Q), randn(*V))
    config = layer.get_config()
    assert set(config) == {"name", "trainable", "dtype", "num_heads", "key_dim", "value_dim", "dropout", "use_bias",
                           "use_gate", "output_shape", "attention_axes", "sliding_window", "kernel_initializer",
                           "bias_initializer", "kernel_regularizer", "bias_regularizer", "activity_regularizer",
                           "kernel_constraint", "bias_constraint", "seed"}
    assert layer.get_build_config() == {"shapes_dict": {"query_shape": Q, "value_shape": V}}
    clone = layers.MultiHeadAttention.from_config(config)
    clone.build_from_config({"shapes_dict": {"query_shape": [None, 4, 6], "value_shape": [None, 3, 6]}})
    assert [tuple(w.shape) for w in clone.weights] == [tuple(w.shape) for w in layer.weights]
    clone.set_weights(layer.get_weights())
    x, v = randn(*Q), randn(*V)
    np.testing.assert_allclose(ref.numpy(clone(x, v)), ref.numpy(layer(x, v)), rtol=1e-6)
    assert len(layer.losses) == 4  # the kernel regularizer on each projection


def test_weights_file_uses_keras_paths(tmp_path):
    inputs = layers.Input(Q[1:])
    model = models.Model(inputs, layers.MultiHeadAttention(2, 3)(inputs, inputs))
    path = str(tmp_path / "mha.weights.h5")
    model.save_weights(path)
    with h5py.File(path) as f:
        for part in ("query_dense", "key_dense", "value_dense", "output_dense"):
            assert f[f"layers/multi_head_attention/{part}/vars/0"].shape[-1] in (3, 6)
    clone = models.Model(inputs, layers.MultiHeadAttention(2, 3)(inputs, inputs))
    clone.load_weights(path)
    x = randn(*Q)
    np.testing.assert_allclose(ref.numpy(clone(x)), ref.numpy(model(x)), rtol=1e-6)


@pytest.mark.parametrize("kwargs, message", [
    ({"num_heads": 0, "key_dim": 2}, "num_heads"),
    ({"num_heads": 2, "key_dim": 2, "dropout": 1.5}, "dropout"),
    ({"num_heads": 2, "key_dim": 2, "dropout": 0.1, "flash_attention": True}, "flash attention"),
    ({"num_heads": 2, "key_dim": 2, "attention_axes": "x"}, "attention_axes"),
])
def test_bad_arguments_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        layers.MultiHeadAttention(**kwargs)


def test_mismatched_key_and_value_are_named():
    with pytest.raises(ValueError, match="MultiHeadAttention.*value.*key"):
        layers.MultiHeadAttention(2, 2)(randn(1, 2, 3), randn(1, 4, 3), randn(1, 5, 3))
    with pytest.raises(ValueError, match="multi_head_attention"):
        layers.MultiHeadAttention(2, 2)(layers.Input((2, 3)), layers.Input((4, 3)), layers.Input((5, 3)))


def test_mixed_precision_compute_dtype():
    layer = layers.MultiHeadAttention(2, 3, dtype="mixed_float16" if BACKEND != "numpy" else "float32")
    x = randn(*Q)
    out = layer(x, x)
    assert backend.standardize_dtype(out.dtype) == layer.compute_dtype
    assert layer.query_dense.kernel.dtype == "float32"
    assert ops.all(ops.isfinite(out))


def test_keras_archive_round_trip_of_every_attention_layer(tmp_path):
    query, value = layers.Input(Q[1:]), layers.Input(V[1:])
    out = layers.MultiHeadAttention(2, 3, dropout=0.1)(query, value)
    out = layers.GroupQueryAttention(3, 2, 1)(out, value)
    out = layers.AdditiveAttention()([layers.Attention(use_scale=True)([out, value]), value])
    model = models.Model([query, value], out)
    path = str(tmp_path / "attention.keras")
    model.save(path)
    loaded = models.load_model(path)
    data = [randn(*Q), randn(*V)]
    np.testing.assert_allclose(ref.numpy(loaded(data)), ref.numpy(model(data)), rtol=1e-6, atol=1e-6)


@requires_training
def test_fit_with_attention_dropout():
    """Dropout's seed state is carried through the trainer's step (compiled on jax)."""
    query = layers.Input(Q[1:])
    out = layers.GlobalAveragePooling1D()(layers.MultiHeadAttention(2, 3, dropout=0.2, seed=0)(query, query))
    model = models.Model(query, layers.Dense(1)(out))
    model.compile(optimizer="adam", loss="mse")
    x, y = randn(8, 4, 6), randn(8, 1)
    history = model.fit(x, y, epochs=2, batch_size=4, verbose=0)
    assert np.all(np.isfinite(history.history["loss"]))


def test_subclass_building_with_keras_private_helpers():
    """KerasHub's Whisper attention rebuilds the projections itself (a key without bias) through Keras's private
    ``_get_common_kwargs_for_sublayer`` and ``_build_attention``; the result must still compute attention."""

    class KeyWithoutBias(layers.MultiHeadAttention):
        def build(self, query_shape, value_shape, key_shape=None):
            self._query_dense = layers.EinsumDense("abc,cde->abde", output_shape=(None, 2, 3), bias_axes="de",
                                                   name="query", **self._get_common_kwargs_for_sublayer())
            self._query_dense.build(query_shape)
            self._key_dense = layers.EinsumDense("abc,cde->abde", output_shape=(None, 2, 3), name="key",
                                                 **self._get_common_kwargs_for_sublayer())
            self._key_dense.build(value_shape)
            self._value_dense = layers.EinsumDense("abc,cde->abde", output_shape=(None, 2, 3), bias_axes="de",
                                                   name="value", **self._get_common_kwargs_for_sublayer())
            self._value_dense.build(value_shape)
            self._build_attention(4)
            self._output_dense = layers.EinsumDense("abcd,cde->abe", output_shape=(None, 6), bias_axes="e",
                                                    name="attention_output", **self._get_common_kwargs_for_sublayer())
            self._output_dense.build((None, None, 2, 3))
            self.built = True

    layer = KeyWithoutBias(num_heads=2, key_dim=3)
    query, value = randn(*Q), randn(*V)
    out = layer(query, value)
    assert tuple(out.shape) == (2, 4, 6)
    assert [w.path.split("/")[-1] for w in layer.key_dense.weights] == ["kernel"]
    assert layer._get_common_kwargs_for_sublayer()["kernel_initializer"] is not \
        layer._get_common_kwargs_for_sublayer()["kernel_initializer"]  # a fresh initializer for each projection
    randomize(layer)
    wq, bq, wk, wv, bv, wo, bo = layer.get_weights()
    expected, _ = ref.multi_head_attention(query, value, value, [wq, bq, wk, np.zeros(wk.shape[1:]), wv, bv, wo, bo])
    np.testing.assert_allclose(ops.convert_to_numpy(layer(query, value)), expected, atol=1e-5)


class _CachedAttention(layers.MultiHeadAttention):
    """A KerasHub-style cached decoder attention: its own ``call`` over Keras's protected hooks."""

    def call(self, query, value, key=None, attention_mask=None, cache=None, training=None):
        key = value if key is None else key
        query = self._query_dense(query)
        key, value = self._key_dense(key), self._value_dense(value)
        if cache is not None:  # (2, B, S_past, N, dim): keys and values seen before
            key = ops.concatenate([cache[0], key], axis=1)
            value = ops.concatenate([cache[1], value], axis=1)
        output, _ = self._compute_attention(query=query, key=key, value=value, attention_mask=attention_mask,
                                            training=training)
        return self._output_dense(output), ops.stack([key, value])


def test_keras_protected_hooks_serve_a_cached_attention_subclass():
    x = randn(2, 4, 6)
    plain = layers.MultiHeadAttention(num_heads=2, key_dim=3)
    expected = plain(x, x, use_causal_mask=True)
    cached = _CachedAttention(num_heads=2, key_dim=3)
    cached(x, x)
    cached.set_weights(plain.get_weights())
    mask = cached._compute_causal_mask(x)
    assert tuple(mask.shape) == (1, 4, 4)
    merged = cached._compute_attention_mask(x, x, use_causal_mask=True)
    np.testing.assert_array_equal(ops.convert_to_numpy(merged)[0], np.tril(np.ones((4, 4), bool)))
    full, _ = cached(x, x, attention_mask=mask)
    np.testing.assert_allclose(ops.convert_to_numpy(full), ops.convert_to_numpy(expected), atol=1e-5)
    # Decoding the last position against the cache of the first three gives the same output.
    _, past = cached(x[:, :3], x[:, :3], attention_mask=np.tril(np.ones((1, 3, 3), bool)))
    step, _ = cached(x[:, 3:], x[:, 3:], cache=past)
    np.testing.assert_allclose(ops.convert_to_numpy(step)[:, 0], ops.convert_to_numpy(expected)[:, 3], atol=1e-5)


def test_overridden_compute_attention_and_masked_softmax_are_used():
    calls = []

    class Traced(layers.MultiHeadAttention):
        def _compute_attention(self, query, key, value, attention_mask=None, training=None,
                               return_attention_scores=False, use_causal_mask=False):
            calls.append("compute_attention")
            return super()._compute_attention(query, key, value, attention_mask, training, return_attention_scores,
                                              use_causal_mask=use_causal_mask)

        def _masked_softmax(self, attention_scores, attention_mask=None):
            calls.append("masked_softmax")
            return super()._masked_softmax(attention_scores, attention_mask)

    layer = Traced(num_heads=2, key_dim=3)
    query, value = randn(*Q), randn(*V)
    _, scores = layer(query, value, return_attention_scores=True)
    assert calls == ["compute_attention", "masked_softmax"]
    np.testing.assert_allclose(ops.convert_to_numpy(ops.sum(scores, axis=-1)), np.ones((2, 2, 4)), atol=1e-5)
    q = layer._query_dense(query)
    k, v = layer._key_dense(query), layer._value_dense(query)
    causal, _ = layer._compute_attention(q, k, v, use_causal_mask=True)
    explicit, _ = layer._compute_attention(q, k, v, attention_mask=layer._compute_causal_mask(query))
    np.testing.assert_allclose(ops.convert_to_numpy(causal), ops.convert_to_numpy(explicit), atol=1e-6)
