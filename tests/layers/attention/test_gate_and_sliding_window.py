"""``use_gate`` and ``sliding_window`` of MultiHeadAttention and GroupQueryAttention against Keras 3.15.1: the
same outputs and scores on the same inputs and weights (no mask, causal, user mask, cross attention), Keras's
weight names, shapes and order, ``.weights.h5`` and ``.keras`` files moving both ways, and configs."""

import json

import numpy as np
import pytest

from brickwork import backend, layers, models
from tests.layers.keras_reference import run_keras

RNG = np.random.default_rng(7)
SELF_Q = RNG.standard_normal((2, 5, 6)).astype("float32")
CROSS_V = RNG.standard_normal((2, 4, 6)).astype("float32")
USER_MASK = RNG.random((2, 5, 5)) > 0.3
USER_MASK[:, np.arange(5), np.arange(5)] = True  # every query keeps a key under the causal and window masks

LAYERS = {
    "mha": (layers.MultiHeadAttention, "MultiHeadAttention",
            {"num_heads": 2, "key_dim": 3, "value_dim": 4, "use_gate": True, "sliding_window": 2}),
    "gqa": (layers.GroupQueryAttention, "GroupQueryAttention",
            {"head_dim": 3, "num_query_heads": 4, "num_key_value_heads": 2, "use_gate": True, "sliding_window": 2}),
}


def numpy(x) -> np.ndarray:
    return np.asarray(backend.convert_to_numpy(x))


def make_layer(kind: str, **overrides):
    cls, _, kwargs = LAYERS[kind]
    layer = cls(**{**kwargs, **overrides}, name="attention")
    layer.build(SELF_Q.shape, SELF_Q.shape)
    # Random biases too: zeros would hide a gate bias on the wrong axis. A fresh generator: the same weights
    # whatever ran before, so Keras's cached answers stay valid.
    rng = np.random.default_rng(11)
    layer.set_weights([rng.standard_normal(w.shape).astype("float32") * 0.5 for w in layer.get_weights()])
    return layer


def weight_arrays(layer) -> dict:
    return {f"w{i}": numpy(w) for i, w in enumerate(layer.get_weights())}


KERAS_CALLS = """
    import json
    cls = getattr(keras.layers, str(data["cls"]))
    layer = cls(**json.loads(str(data["kwargs"])), name="attention")
    layer.build(data["q"].shape, data["q"].shape)
    layer.set_weights([data[f"w{i}"] for i in range(len(layer.weights))])
    q, v, m = data["q"], data["v"], data["mask"]
    calls = {
        "plain": dict(query=q, value=q),
        "causal": dict(query=q, value=q, use_causal_mask=True),
        "mask": dict(query=q, value=q, attention_mask=m),
        "causal_mask": dict(query=q, value=q, attention_mask=m, use_causal_mask=True),
        "cross": dict(query=q, value=v),
    }
    for name, kwargs in calls.items():
        out[name] = keras.ops.convert_to_numpy(layer(**kwargs))
        _, scores = layer(**kwargs, return_attention_scores=True)
        out[name + "_scores"] = keras.ops.convert_to_numpy(scores)
    out["paths"] = np.array([w.path for w in layer.weights])
    out["config"] = np.array(json.dumps(layer.get_config()))
"""


@pytest.mark.parametrize("kind", sorted(LAYERS))
def test_outputs_scores_weights_and_config_equal_keras(kind):
    layer = make_layer(kind)
    cls_name, kwargs = LAYERS[kind][1], LAYERS[kind][2]
    expected = run_keras(KERAS_CALLS, cls=np.array(cls_name), kwargs=np.array(json.dumps(kwargs)), q=SELF_Q,
                         v=CROSS_V, mask=USER_MASK, **weight_arrays(layer))
    calls = {
        "plain": {"value": SELF_Q},
        "causal": {"value": SELF_Q, "use_causal_mask": True},
        "mask": {"value": SELF_Q, "attention_mask": USER_MASK},
        "causal_mask": {"value": SELF_Q, "attention_mask": USER_MASK, "use_causal_mask": True},
        "cross": {"value": CROSS_V},
    }
    for name, call_kwargs in calls.items():
        np.testing.assert_allclose(numpy(layer(SELF_Q, **call_kwargs)), expected[name], rtol=1e-4, atol=1e-5,
                                   err_msg=name)
        _, scores = layer(SELF_Q, **call_kwargs, return_attention_scores=True)
        np.testing.assert_allclose(numpy(scores), expected[name + "_scores"], rtol=1e-4, atol=1e-6, err_msg=name)
    assert [w.path for w in layer.weights] == expected["paths"].tolist()
    keras_config = json.loads(str(expected["config"]))
    config = layer.get_config()
    assert set(config) == set(keras_config)
    assert (config["use_gate"], config["sliding_window"]) == (keras_config["use_gate"], keras_config["sliding_window"])


@pytest.mark.parametrize("kind", sorted(LAYERS))
def test_sliding_window_band(kind):
    """Each query attends to keys fewer than ``sliding_window`` positions away; with the causal mask, only back."""
    layer = make_layer(kind, sliding_window=3)
    x = np.concatenate([SELF_Q, SELF_Q], axis=1)  # T = 10: the band leaves keys out on both sides
    distance = np.arange(10)[:, None] - np.arange(10)[None, :]
    for causal, allowed in ((False, np.abs(distance) < 3), (True, (distance >= 0) & (distance < 3))):
        _, scores = layer(x, x, use_causal_mask=causal, return_attention_scores=True)
        scores = numpy(scores)
        assert np.all(scores[..., ~allowed] == 0.0) and np.all(scores[..., allowed] > 0.0)


@pytest.mark.parametrize("kind", sorted(LAYERS))
def test_gate_weights_are_keras_shapes_and_gate_the_heads(kind):
    layer = make_layer(kind)
    heads = 2 if kind == "mha" else 4
    gate_dim = 4 if kind == "mha" else 3  # MHA gates value heads (value_dim); GQA heads of head_dim
    assert [w.path for w in layer._gate_dense.weights] == ["attention/gate/kernel", "attention/gate/bias"]
    assert tuple(layer._gate_dense.kernel.shape) == (6, heads, gate_dim)
    ungated = make_layer(kind, use_gate=False)
    assert len(layer.weights) == len(ungated.weights) + 2
    no_bias = make_layer(kind, use_bias=False)
    assert [w.path for w in no_bias.weights][2] == "attention/gate/kernel" and len(no_bias.weights) == 5


@pytest.mark.parametrize("kind", sorted(LAYERS))
def test_from_config_rebuilds_the_same_layer(kind):
    layer = make_layer(kind)
    clone = type(layer).from_config(layer.get_config())
    assert (clone.get_config()["use_gate"], clone.get_config()["sliding_window"]) == (True, 2)
    clone.build(SELF_Q.shape, SELF_Q.shape)
    clone.set_weights(layer.get_weights())
    np.testing.assert_allclose(numpy(clone(SELF_Q, SELF_Q, use_causal_mask=True)),
                               numpy(layer(SELF_Q, SELF_Q, use_causal_mask=True)), rtol=1e-6)
    # A config from before these arguments (Keras < 3.15) means no gate and no window.
    old = {k: v for k, v in layer.get_config().items() if k not in ("use_gate", "sliding_window")}
    assert (type(layer).from_config(old).get_config()["use_gate"],
            type(layer).from_config(old).get_config()["sliding_window"]) == (False, None)


@pytest.mark.parametrize("kind", sorted(LAYERS))
@pytest.mark.parametrize("window", [0, -3, 2.5, True, "2"])
def test_bad_sliding_window_is_named(kind, window):
    cls, name, kwargs = LAYERS[kind]
    with pytest.raises(ValueError, match=f"{name}.*sliding_window"):
        cls(**{**kwargs, "sliding_window": window})


KERAS_WRITES_WEIGHTS = """
    import json, os, tempfile
    cls = getattr(keras.layers, str(data["cls"]))
    query, value = keras.Input(data["q"].shape[1:]), keras.Input(data["v"].shape[1:])
    layer = cls(**json.loads(str(data["kwargs"])), name="attention")
    model = keras.Model([query, value], layer(query, value, use_causal_mask=True))
    layer.set_weights([data[f"w{i}"] for i in range(len(layer.weights))])
    path = os.path.join(tempfile.mkdtemp(), "model.weights.h5")
    model.save_weights(path)
    out["h5"] = np.frombuffer(open(path, "rb").read(), np.uint8)
    out["y"] = model.predict([data["q"], data["v"]], verbose=0)
"""


def attention_model(kind: str):
    cls, _, kwargs = LAYERS[kind]
    query, value = layers.Input(SELF_Q.shape[1:]), layers.Input(CROSS_V.shape[1:])
    layer = cls(**kwargs, name="attention")
    return models.Model([query, value], layer(query, value, use_causal_mask=True)), layer


@pytest.mark.parametrize("kind", sorted(LAYERS))
def test_keras_weights_file_loads_here(kind, tmp_path):
    reference = make_layer(kind)
    _, cls_name, kwargs = LAYERS[kind]
    expected = run_keras(KERAS_WRITES_WEIGHTS, cls=np.array(cls_name), kwargs=np.array(json.dumps(kwargs)),
                         q=SELF_Q, v=CROSS_V, **weight_arrays(reference))
    path = tmp_path / "model.weights.h5"
    path.write_bytes(expected["h5"].tobytes())
    model, layer = attention_model(kind)
    model.load_weights(str(path))
    for got, want in zip(layer.get_weights(), reference.get_weights()):
        np.testing.assert_array_equal(numpy(got), numpy(want))
    np.testing.assert_allclose(numpy(model.predict([SELF_Q, CROSS_V], verbose=0)), expected["y"], rtol=1e-4,
                               atol=1e-5)


KERAS_READS_WEIGHTS = """
    import json
    cls = getattr(keras.layers, str(data["cls"]))
    query, value = keras.Input(data["q"].shape[1:]), keras.Input(data["v"].shape[1:])
    layer = cls(**json.loads(str(data["kwargs"])), name="attention")
    model = keras.Model([query, value], layer(query, value, use_causal_mask=True))
    model.load_weights(str(data["weights"]))
    out["y"] = model.predict([data["q"], data["v"]], verbose=0)
"""


@pytest.mark.parametrize("kind", sorted(LAYERS))
def test_keras_reads_weights_file_written_here(kind, tmp_path):
    model, layer = attention_model(kind)
    layer.set_weights(make_layer(kind).get_weights())
    path = tmp_path / "model.weights.h5"
    model.save_weights(str(path))
    _, cls_name, kwargs = LAYERS[kind]
    expected = run_keras(KERAS_READS_WEIGHTS, cls=np.array(cls_name), kwargs=np.array(json.dumps(kwargs)),
                         weights=np.array(str(path)), q=SELF_Q, v=CROSS_V)
    np.testing.assert_allclose(numpy(model.predict([SELF_Q, CROSS_V], verbose=0)), expected["y"], rtol=1e-4,
                               atol=1e-5)


KERAS_READS_ARCHIVE = """
    model = keras.saving.load_model(str(data["archive"]))
    out["y"] = model.predict([data["q"], data["v"]], verbose=0)
    config = model.get_layer("attention").get_config()
    out["config"] = np.array([str(config["use_gate"]), str(config["sliding_window"])])
"""


@pytest.mark.parametrize("kind", ["mha", "gqa"])  # gqa: the config names it GroupQueryAttention, as Keras does
def test_keras_loads_archive_written_here(kind, tmp_path):
    model, layer = attention_model(kind)
    layer.set_weights(make_layer(kind).get_weights())
    path = tmp_path / "model.keras"
    model.save(str(path))
    expected = run_keras(KERAS_READS_ARCHIVE, archive=np.array(str(path)), q=SELF_Q, v=CROSS_V)
    assert expected["config"].tolist() == ["True", "2"]
    np.testing.assert_allclose(numpy(model.predict([SELF_Q, CROSS_V], verbose=0)), expected["y"], rtol=1e-4,
                               atol=1e-5)


KERAS_WRITES_ARCHIVE = """
    import json, os, tempfile
    cls = getattr(keras.layers, str(data["cls"]))
    query, value = keras.Input(data["q"].shape[1:]), keras.Input(data["v"].shape[1:])
    layer = cls(**json.loads(str(data["kwargs"])), name="attention")
    model = keras.Model([query, value], layer(query, value, use_causal_mask=True))
    layer.set_weights([data[f"w{i}"] for i in range(len(layer.weights))])
    path = os.path.join(tempfile.mkdtemp(), "model.keras")
    model.save(path)
    out["archive"] = np.frombuffer(open(path, "rb").read(), np.uint8)
    out["y"] = model.predict([data["q"], data["v"]], verbose=0)
"""


@pytest.mark.parametrize("kind", sorted(LAYERS))
def test_keras_archive_loads_here(kind, tmp_path):
    reference = make_layer(kind)
    _, cls_name, kwargs = LAYERS[kind]
    expected = run_keras(KERAS_WRITES_ARCHIVE, cls=np.array(cls_name), kwargs=np.array(json.dumps(kwargs)),
                         q=SELF_Q, v=CROSS_V, **weight_arrays(reference))
    path = tmp_path / "model.keras"
    path.write_bytes(expected["archive"].tobytes())
    model = models.load_model(str(path))
    layer = model.get_layer("attention")
    assert (layer.get_config()["use_gate"], layer.get_config()["sliding_window"]) == (True, 2)
    np.testing.assert_allclose(numpy(model.predict([SELF_Q, CROSS_V], verbose=0)), expected["y"], rtol=1e-4,
                               atol=1e-5)


KERAS_QUANTIZES = """
    import json
    cls = getattr(keras.layers, str(data["cls"]))
    query = keras.Input(data["q"].shape[1:])
    layer = cls(**json.loads(str(data["kwargs"])), name="attention")
    model = keras.Model(query, layer(query, query))
    layer.set_weights([data[f"w{i}"] for i in range(len(layer.weights))])
    model.quantize("int8")
    out["y"] = keras.ops.convert_to_numpy(model(data["q"]))
    out["paths"] = np.array([w.path for w in model.weights])
    out["dtypes"] = np.array([str(w.dtype) for w in model.weights])
"""


@pytest.mark.parametrize("kind", sorted(LAYERS))
def test_int8_quantized_model_equals_keras(kind):
    """``Model.quantize("int8")`` reaches the projections (the gate too): Keras's outputs, paths and dtypes."""
    reference = make_layer(kind)
    cls, cls_name, kwargs = LAYERS[kind]
    query = layers.Input(SELF_Q.shape[1:])
    layer = cls(**kwargs, name="attention")
    model = models.Model(query, layer(query, query))
    layer.set_weights(reference.get_weights())
    model.quantize("int8")
    expected = run_keras(KERAS_QUANTIZES, cls=np.array(cls_name), kwargs=np.array(json.dumps(kwargs)), q=SELF_Q,
                         **weight_arrays(reference))
    assert [w.path for w in model.weights] == expected["paths"].tolist()
    assert [backend.standardize_dtype(w.dtype) for w in model.weights] == expected["dtypes"].tolist()
    np.testing.assert_allclose(numpy(model(SELF_Q)), expected["y"], rtol=1e-4, atol=1e-5)
