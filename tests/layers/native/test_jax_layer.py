"""JaxLayer: a pure jax function with parameters as a layer. Training is checked against a hand-written
jax.grad loop; state, keys, saving and the signature rules against what the functions receive."""

import os

import numpy as np
import pytest

import brickwork as keras
from brickwork import layers, saving
from tests.conftest import BACKEND

jax = pytest.importorskip("jax")
jnp = jax.numpy

on_jax = pytest.mark.skipif(BACKEND != "jax", reason="JaxLayer runs only on the jax backend")


@saving.register_keras_serializable(package="test_jax_layer")
def mlp_init(rng, inputs):
    sizes = [inputs.shape[-1], 6, 2]
    params = []
    for m, n in zip(sizes[:-1], sizes[1:]):
        rng, key = jax.random.split(rng)
        params.append({"w": jax.random.normal(key, (m, n)) / np.sqrt(m), "b": jnp.zeros((n,))})
    return params


@saving.register_keras_serializable(package="test_jax_layer")
def mlp_apply(params, inputs):
    x = inputs
    for layer in params[:-1]:
        x = jnp.tanh(x @ layer["w"] + layer["b"])
    return x @ params[-1]["w"] + params[-1]["b"]


@saving.register_keras_serializable(package="test_jax_layer")
def counting_init(rng, inputs, training):
    return mlp_init(rng, inputs), {"calls": jnp.zeros((), "int32")}


@saving.register_keras_serializable(package="test_jax_layer")
def counting_apply(params, state, inputs, training):
    """Counts the training calls in its state."""
    return mlp_apply(params, inputs), {"calls": state["calls"] + (1 if training else 0)}


def _data(n=32):
    rng = np.random.default_rng(2)
    return rng.normal(size=(n, 3)).astype("float32"), rng.normal(size=(n, 2)).astype("float32")


@pytest.mark.skipif(BACKEND == "jax", reason="checks the refusal on the other backends")
def test_other_backends_refuse_with_the_fix():
    with pytest.raises(ValueError, match="runs only on the jax backend.*KERAS_BACKEND=jax"):
        layers.JaxLayer(mlp_apply, mlp_init)


@on_jax
def test_fit_trains_the_params_as_a_jax_grad_loop_does():
    x, y = _data()
    layer = layers.JaxLayer(mlp_apply, mlp_init)
    model = keras.Sequential([keras.Input((3,)), layer])
    initial = jax.tree_util.tree_map(lambda v: jnp.array(v.value), layer.params)
    assert len(layer.trainable_weights) == 4 and not layer.non_trainable_weights
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1, momentum=0.9), loss="mse")
    model.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0)

    def loss_fn(params, xb, yb):
        return jnp.mean((mlp_apply(params, xb) - yb) ** 2)

    grad = jax.jit(jax.grad(loss_fn))
    params, velocity = initial, jax.tree_util.tree_map(jnp.zeros_like, initial)
    for _ in range(3):
        for start in range(0, len(x), 8):
            g = grad(params, x[start:start + 8], y[start:start + 8])
            velocity = jax.tree_util.tree_map(lambda v, gi: 0.9 * v - 0.1 * gi, velocity, g)
            params = jax.tree_util.tree_map(lambda p, v: p + v, params, velocity)
    trained = jax.tree_util.tree_map(lambda v: np.asarray(v.value), layer.params)
    for got, expected in zip(jax.tree_util.tree_leaves(trained), jax.tree_util.tree_leaves(params)):
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


@on_jax
def test_state_is_updated_by_training_calls_only():
    x, y = _data()
    layer = layers.JaxLayer(counting_apply, counting_init)
    model = keras.Sequential([keras.Input((3,)), layer])
    assert len(layer.non_trainable_weights) == 1 and layer.non_trainable_weights[0].dtype == "int32"
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, y, batch_size=8, epochs=2, verbose=0)
    assert int(layer.state["calls"].value) == 8
    model.predict(x, verbose=0)
    model(x)
    assert int(layer.state["calls"].value) == 8
    layer(x, training=True)
    assert int(layer.state["calls"].value) == 9


@on_jax
def test_rng_is_a_fresh_key_in_training_and_none_otherwise():
    received = []

    def call_fn(rng, inputs, training):
        received.append((training, rng))
        return inputs

    layer = layers.JaxLayer(call_fn, seed=3)
    x = np.ones((2, 2), "float32")
    layer(x, training=True)
    layer(x, training=True)
    layer(x)
    (t1, k1), (t2, k2), (t3, k3) = received[-3:]
    assert t1 and t2 and not t3 and k3 is None
    assert k1.shape == (2,) and k1.dtype == jnp.uint32 and not np.array_equal(k1, k2)


@on_jax
def test_given_params_and_state_build_at_once():
    params = mlp_init(jax.random.PRNGKey(0), jnp.ones((1, 3)))
    layer = layers.JaxLayer(counting_apply, params=params, state={"calls": np.int32(5)})
    assert layer.built and len(layer.trainable_weights) == 4 and int(layer.state["calls"].value) == 5
    x = np.ones((2, 3), "float32")
    np.testing.assert_allclose(layer(x), mlp_apply(params, x), rtol=1e-6)
    # leaves that are not arrays or numbers are configuration, kept as they are; None is an empty subtree
    kept = layers.JaxLayer(lambda params, state, inputs: (inputs, state), state={"tag": "kept", "none": None})
    assert kept.state == {"tag": "kept", "none": None} and not kept.weights


@on_jax
def test_pytree_inputs_outputs_and_registered_state_nodes():
    @jax.tree_util.register_pytree_node_class
    class Point:
        def __init__(self, x, y):
            self.x, self.y = x, y

        def tree_flatten(self):
            return (self.x, self.y), None

        @classmethod
        def tree_unflatten(cls, aux, children):
            return cls(*children)

    def call_fn(params, state, inputs):
        a, b = inputs["a"], inputs["b"]
        return (jnp.concatenate([a, b], axis=1) * params["scale"], a.sum()), Point(state.x + 1, state.y)

    layer = layers.JaxLayer(call_fn, params={"scale": 2.0}, state=Point(1.0, 2.0))
    assert [tuple(v.shape) for v in layer.non_trainable_weights] == [(), ()]
    inputs = {"a": keras.Input((None, 3)), "b": keras.Input((None, 3))}
    model = keras.Model(inputs, layer(inputs))
    out, total = model({"a": np.ones((2, 4, 3), "float32"), "b": np.ones((2, 5, 3), "float32")})
    np.testing.assert_allclose(out, np.full((2, 9, 3), 2.0))
    assert float(total) == 24.0
    assert float(layer.state.x.value) == 2.0


@on_jax
def test_signature_rules():
    with pytest.raises(ValueError, match="`init_fn`, `params` and `state` cannot all be `None`"):
        layers.JaxLayer(lambda params, inputs: inputs)
    with pytest.raises(ValueError, match="`call_fn`.*`inputs`"):
        layers.JaxLayer(lambda params, rng, training: 0, lambda rng, inputs: {})
    with pytest.raises(ValueError, match="`init_fn`.*`inputs`"):
        layers.JaxLayer(lambda params, inputs: 0, lambda rng, training: {})
    with pytest.raises(ValueError, match="`call_fn`.*`mode`"):
        layers.JaxLayer(lambda params, inputs, mode: 0, lambda rng, inputs: {})
    # any order, and only `inputs` required
    layer = layers.JaxLayer(lambda training, inputs, rng, state, params: (inputs, {}),
                            lambda training, inputs, rng: ({}, {}))
    np.testing.assert_array_equal(layer(np.ones((1,), "float32")), [1.0])
    assert layers.JaxLayer(lambda inputs: inputs * 2)(np.ones((1,), "float32"))[0] == 2.0


@on_jax
def test_save_and_load_round_trip(tmp_path):
    x, y = _data()
    model = keras.Sequential([keras.Input((3,)), layers.JaxLayer(counting_apply, counting_init)])
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, y, epochs=1, verbose=0)
    path = os.path.join(tmp_path, "model.keras")
    model.save(path)
    loaded = saving.load_model(path)  # registered functions load in safe mode
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)
    assert int(loaded.layers[0].state["calls"].value) == int(model.layers[0].state["calls"].value)
    config = model.layers[0].get_config()
    assert config["call_fn"]["class_name"] == "function" and config["seed"] is None
    rebuilt = layers.JaxLayer.from_config(config)
    assert rebuilt.call_fn is counting_apply and rebuilt.init_fn is counting_init


@on_jax
def test_built_inside_a_trace_initializes_eagerly():
    layer = layers.JaxLayer(mlp_apply, mlp_init)

    @jax.jit
    def run(x):
        return layer(x)

    assert run(jnp.ones((2, 3))).shape == (2, 2)
    assert all(isinstance(v.value, jax.Array) and not isinstance(v.value, jax.core.Tracer)
               for v in layer.trainable_weights)
