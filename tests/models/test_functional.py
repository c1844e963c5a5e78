"""The Functional API: graphs, multiple inputs/outputs, shared and nested models, masks, errors."""

import json

import numpy as np
import pytest

import brickwork as keras
from brickwork import backend, layers, models, ops
from tests.conftest import requires_training


def _np(x):
    return backend.convert_to_numpy(x)


def test_single_input_output_matches_manual_composition():
    inputs = layers.Input(shape=(4,))
    hidden = layers.Dense(3, activation="relu")
    out_layer = layers.Dense(2)
    model = models.Model(inputs, out_layer(hidden(inputs)))
    x = np.random.rand(5, 4).astype("float32")
    expected = _np(out_layer(hidden(x)))
    np.testing.assert_allclose(_np(model(x)), expected, rtol=1e-6)
    assert model.input_shape == (None, 4) and model.output_shape == (None, 2)
    assert [layer.name for layer in model.layers][1:] == [hidden.name, out_layer.name]


def test_two_inputs_two_outputs_with_a_shared_layer_lists_and_dicts():
    a = layers.Input((5,), name="a")
    b = layers.Input((5,), name="b")
    shared = layers.Dense(4, activation="tanh", name="shared")
    joined = ops.concatenate([shared(a), shared(b)], axis=-1)
    score = layers.Dense(1, name="score")(joined)
    label = layers.Dense(3, activation="softmax", name="label")(joined)
    model = models.Model([a, b], [score, label])
    xa, xb = np.random.rand(6, 5).astype("float32"), np.random.rand(6, 5).astype("float32")
    out_list = model([xa, xb])
    out_dict = model({"a": xa, "b": xb})
    for p, q in zip(out_list, out_dict):
        np.testing.assert_allclose(_np(p), _np(q))
    assert len(shared._inbound_nodes) == 2 and len(shared.weights) == 2
    expected = np.concatenate([np.tanh(xa @ shared.get_weights()[0] + shared.get_weights()[1]),
                               np.tanh(xb @ shared.get_weights()[0] + shared.get_weights()[1])], axis=-1)
    kernel, bias = model.get_layer("score").get_weights()
    np.testing.assert_allclose(_np(out_list[0]), expected @ kernel + bias, rtol=1e-5, atol=1e-6)
    assert model.output_names == ["score", "label"]


def test_dict_inputs_and_outputs():
    inputs = {"x": layers.Input((3,), name="x"), "y": layers.Input((2,), name="y")}
    merged = ops.concatenate([inputs["x"], inputs["y"]], axis=-1)
    model = models.Model(inputs, {"sum": ops.sum(merged, axis=-1, keepdims=True), "id": merged})
    out = model({"x": np.ones((2, 3), "float32"), "y": np.full((2, 2), 2.0, "float32")})
    np.testing.assert_allclose(_np(out["sum"]), [[7.0], [7.0]])
    assert _np(out["id"]).shape == (2, 5)


def test_nested_model_used_as_a_layer():
    inner_in = layers.Input((3,))
    inner = models.Model(inner_in, layers.Dense(2, name="inner_dense")(inner_in), name="inner")
    outer_in = layers.Input((3,))
    outer = models.Model(outer_in, layers.Dense(1)(inner(outer_in)))
    x = np.random.rand(4, 3).astype("float32")
    np.testing.assert_allclose(_np(outer(x)), _np(outer.layers[-1](inner(x))), rtol=1e-6)
    assert len(outer.weights) == 4


def test_an_input_ignored_by_every_output_is_allowed():
    a, b = layers.Input((2,)), layers.Input((2,))
    model = models.Model([a, b], layers.Dense(1)(a))
    assert _np(model([np.ones((1, 2), "float32"), np.ones((1, 2), "float32")])).shape == (1, 1)


def test_disconnected_input_is_named():
    a = layers.Input((2,), name="used")
    stray = layers.Input((2,), name="stray")
    out = layers.Dense(1)(ops.add(a, stray))
    with pytest.raises(ValueError, match="stray"):
        models.Model(a, out)


def test_incompatible_shape_names_layer_expected_and_received():
    inputs = layers.Input((4,))
    dense = layers.Dense(2, name="proj")
    dense(inputs)
    with pytest.raises(ValueError, match=r"proj.*4.*\(None, 7\)"):
        dense(layers.Input((7,)))


def test_masks_flow_through_the_graph():
    seen = {}

    class MaskProbe(layers.Layer):
        def call(self, x, mask=None):
            seen["mask"] = mask
            return x

    class ZeroMask(layers.Layer):
        def __init__(self):
            super().__init__()
            self.supports_masking = True

        def call(self, x):
            return x

        def compute_mask(self, inputs, previous_mask=None):
            return ops.not_equal(ops.sum(inputs, axis=-1), 0)

    inputs = layers.Input((3, 2))
    model = models.Model(inputs, MaskProbe()(layers.Activation("linear")(ZeroMask()(inputs))))
    x = np.ones((1, 3, 2), "float32")
    x[0, 1] = 0
    model(x)
    np.testing.assert_array_equal(_np(seen["mask"]), [[True, False, True]])


def test_config_round_trip_and_json():
    a = layers.Input((5,), name="a")
    b = layers.Input((5,), name="b")
    shared = layers.Dense(4, activation="tanh", name="shared")
    joined = layers.Dense(3, name="mix")(shared(a))
    model = models.Model([a, b], [joined, shared(b)])
    config = model.get_config()
    clone = models.Functional.from_config(json.loads(json.dumps(config)))
    assert [layer.name for layer in clone.layers] == [layer.name for layer in model.layers]
    clone.set_weights(model.get_weights())
    x = [np.random.rand(2, 5).astype("float32"), np.random.rand(2, 5).astype("float32")]
    for p, q in zip(model(x), clone(x)):
        np.testing.assert_allclose(_np(p), _np(q), rtol=1e-6)
    rebuilt = models.model_from_json(model.to_json())
    assert len(rebuilt.weights) == len(model.weights)


def test_summary_shows_connections_for_branches():
    a, b = layers.Input((2,), name="a"), layers.Input((2,), name="b")
    model = models.Model([a, b], layers.Dense(1, name="out")(ops.add(a, b)))
    lines = []
    model.summary(print_fn=lines.append)
    text = "\n".join(lines)
    assert "Connected to" in text and "out (Dense)" in text


class MLP(models.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.hidden = layers.Dense(16, activation="relu")
        self.out = layers.Dense(1)

    def call(self, x):
        return self.out(self.hidden(x))


@requires_training
def test_subclassed_model_in_fit_evaluate_predict():
    x = np.random.rand(64, 3).astype("float32")
    y = x.sum(axis=1, keepdims=True)
    model = MLP()
    model.compile(optimizer=keras.optimizers.Adam(0.02), loss="mse")
    history = model.fit(x, y, epochs=15, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < 0.1 * history.history["loss"][0]
    assert model.predict(x, verbose=0).shape == (64, 1)
    assert len(model.trainable_weights) == 4


@requires_training
def test_custom_train_step():
    calls = []

    if backend.backend() == "torch":
        import torch

        class Custom(MLP):
            def train_step(self, data):
                x, y = data
                calls.append(1)
                self.zero_grad()
                loss = self.compute_loss(y=y, y_pred=self(x, training=True))
                loss.backward()
                grads = [v.value.grad for v in self.trainable_weights]
                with torch.no_grad():
                    self.optimizer.apply(grads, self.trainable_weights)
                return {"custom_loss": loss}
    elif backend.backend() == "tensorflow":
        import tensorflow as tf

        class Custom(MLP):  # the step of Keras's TensorFlow guide
            def train_step(self, data):
                x, y = data
                calls.append(1)
                with tf.GradientTape() as tape:
                    loss = self.compute_loss(y=y, y_pred=self(x, training=True))
                grads = tape.gradient(loss, self.trainable_variables)
                self.optimizer.apply(grads, self.trainable_variables)
                return {"custom_loss": loss}
    else:
        import jax

        class Custom(MLP):
            def train_step(self, state, data):
                trainable, non_trainable, optimizer_vars, metrics_vars = state
                x, y = data
                calls.append(1)

                def loss_fn(trainable):
                    y_pred, new_non_trainable = self.stateless_call(trainable, non_trainable, x, training=True)
                    return self.compute_loss(y=y, y_pred=y_pred), new_non_trainable

                (loss, non_trainable), grads = jax.value_and_grad(loss_fn, has_aux=True)(trainable)
                trainable, optimizer_vars = self.optimizer.stateless_apply(optimizer_vars, grads, trainable)
                return {"custom_loss": loss}, (trainable, non_trainable, optimizer_vars, metrics_vars)

    x = np.random.rand(32, 3).astype("float32")
    y = x.sum(axis=1, keepdims=True)
    model = Custom()
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    history = model.fit(x, y, epochs=5, batch_size=8, verbose=0)
    assert calls
    assert history.history["custom_loss"][-1] < history.history["custom_loss"][0]


def test_inputs_missing_or_adding_a_trailing_axis_of_one_are_adjusted_as_in_keras():
    inputs = layers.Input((28, 28, 1))
    model = models.Model(inputs, layers.Flatten()(inputs))
    images = np.random.rand(2, 28, 28).astype("float32")
    np.testing.assert_allclose(_np(model(images)), images.reshape(2, -1), rtol=1e-6)
    assert model.predict(images, verbose=0).shape == (2, 784)
    vectors = layers.Input((4,))
    dense = layers.Dense(2)
    flat_model = models.Model(vectors, dense(vectors))
    x = np.random.rand(3, 4).astype("float32")
    np.testing.assert_allclose(_np(flat_model(x[..., None])), _np(dense(x)), rtol=1e-6)
    with pytest.raises(ValueError, match="Expected shape \\(None, 4\\)"):
        flat_model(np.ones((3, 4, 2), "float32"))


def test_training_given_to_the_model_reaches_layers_fixed_at_build():
    """As in Keras 3: an explicit ``training`` on the model's call replaces the one a node was built with."""
    inputs = keras.Input((20,))
    model = keras.Model(inputs, keras.layers.Dropout(0.5, seed=1)(inputs, training=True))
    ones = np.ones((4, 20), "float32")
    np.testing.assert_array_equal(model.predict(ones, verbose=0), ones)  # predict calls with training=False
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(model(ones, training=False)), ones)
    dropped = keras.ops.convert_to_numpy(model(ones))  # no training given: the node's own True holds
    assert set(np.unique(dropped)) <= {0.0, 2.0} and 0 < dropped.sum() < 2 * ones.sum()


def test_training_true_reaches_a_nested_model_built_with_training_false():
    inputs = keras.Input((3,))
    inner = keras.Model(inputs, keras.layers.BatchNormalization(epsilon=1e-3)(inputs))
    outer_inputs = keras.Input((3,))
    outer = keras.Model(outer_inputs, inner(outer_inputs, training=False))
    x = np.arange(12, dtype="float32").reshape(4, 3)
    expected = (x - x.mean(0)) / np.sqrt(x.var(0) + 1e-3)  # batch statistics: training mode
    np.testing.assert_allclose(keras.ops.convert_to_numpy(outer(x)), x / np.sqrt(1 + 1e-3), rtol=1e-5)  # moving stats
    np.testing.assert_allclose(keras.ops.convert_to_numpy(outer(x, training=True)), expected, rtol=1e-5)


def test_a_subclass_layer_held_outside_the_graph_is_among_the_models_layers_and_weights():
    import numpy as np

    from brickwork import Input, Model

    class WithHead(Model):
        def __init__(self):
            inputs = Input((3,))
            super().__init__(inputs, layers.Dense(4, name="body")(inputs))
            self.head = layers.Dense(2, name="head")  # not in the graph; called by whoever owns the model

    model = WithHead()
    model.head(np.ones((1, 4), "float32"))
    assert model.head in model._flatten_layers()
    assert model.head not in model.layers  # `layers` stays the graph's
    assert any(variable is model.head.kernel for variable in model.weights)


def test_unknown_keyword_arguments_are_dropped_as_keras_does():
    # KerasHub's backbones forward their whole **kwargs to Functional.__init__ (options a newer KerasHub
    # added, such as `enable_dora`, reach an older one that way); Keras 3.15.1 drops them without error.
    from tests.layers.keras_reference import run_keras

    keras_result = run_keras("""
x = keras.Input((3,))
model = keras.Model(x, keras.layers.Dense(2)(x), name="m", enable_dora=True, dora_rank=4)
out["ok"] = np.array([model.name == "m", hasattr(model, "enable_dora")])
""")
    x = keras.Input((3,))
    model = keras.Model(x, layers.Dense(2)(x), name="m", enable_dora=True, dora_rank=4)
    assert [model.name == "m", hasattr(model, "enable_dora")] == keras_result["ok"].tolist() == [True, False]

    class Backbone(keras.Model):
        def __init__(self, **kwargs):
            inputs = keras.Input((3,))
            super().__init__(inputs, layers.Dense(2)(inputs), **kwargs)

    assert Backbone(name="b", enable_dora=True).name == "b"
    with pytest.raises(TypeError, match="unrecognized keyword"):
        layers.Dense(2, enable_dora=True)  # plain layers still refuse them, as Keras does


def test_repeated_calls_run_the_graph_afresh_with_constant_arguments_kept():
    # The graph's running order and argument layout are worked out once; every call must still read its own
    # inputs, keep constant arguments (axis=, a list of tensors) as recorded, and leave the nodes untouched.
    a, b = layers.Input((3,)), layers.Input((3,))
    joined = layers.Concatenate(axis=-1)([a, layers.Add()([a, b])])
    model = models.Model([a, b], ops.sum(joined, axis=-1, keepdims=True))
    rng = np.random.default_rng(0)
    for _ in range(3):
        x, y = rng.random((2, 3), dtype=np.float32), rng.random((2, 3), dtype=np.float32)
        expected = np.sum(np.concatenate([x, x + y], axis=-1), axis=-1, keepdims=True)
        np.testing.assert_allclose(_np(model([x, y])), expected, rtol=1e-6)
    node = model._nodes[-1]
    assert isinstance(node.arguments_kwargs, dict) and node.arguments_kwargs.get("axis", -1) == -1
