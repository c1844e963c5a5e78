"""FlaxLayer: a flax.linen Module as a layer (jax backend, where the flax package is installed). Its params train
as a hand-written jax.grad loop on module.apply does; its other collections are state that training updates."""

import os

import numpy as np
import pytest

import brickwork as keras
from brickwork import layers, saving
from tests.conftest import BACKEND

if BACKEND != "jax":
    pytest.skip("FlaxLayer runs only on the jax backend", allow_module_level=True)
flax = pytest.importorskip("flax", reason="FlaxLayer needs the flax package, which is not installed here")
import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402

linen = flax.linen


@saving.register_keras_serializable(package="test_flax_layer")
class TwoDense(linen.Module):
    @linen.compact
    def __call__(self, inputs):
        return linen.Dense(2)(jnp.tanh(linen.Dense(5)(inputs)))

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


@saving.register_keras_serializable(package="test_flax_layer")
class NormDrop(linen.Module):
    @linen.compact
    def forward(self, inputs, training):
        x = linen.Dense(6)(inputs)
        x = linen.BatchNorm(use_running_average=not training)(x)
        x = linen.Dropout(0.5, deterministic=not training)(x)
        return linen.Dense(2)(x)

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


@saving.register_keras_serializable(package="test_flax_layer")
def norm_drop_forward(module, inputs, training):
    return module.forward(inputs, training)


def _data(n=32):
    rng = np.random.default_rng(3)
    return rng.normal(size=(n, 3)).astype("float32"), rng.normal(size=(n, 2)).astype("float32")


def test_fit_trains_the_params_as_a_jax_grad_loop_does():
    x, y = _data()
    module = TwoDense()
    layer = layers.FlaxLayer(module)
    model = keras.Sequential([keras.Input((3,)), layer])
    assert len(layer.trainable_weights) == 4 and not layer.non_trainable_weights
    initial = jax.tree_util.tree_map(lambda v: jnp.array(v.value), layer.params)
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1), loss="mse")
    model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)

    grad = jax.jit(jax.grad(lambda params, xb, yb: jnp.mean((module.apply(params, xb) - yb) ** 2)))
    params = initial
    for _ in range(2):
        for start in range(0, len(x), 8):
            g = grad(params, x[start:start + 8], y[start:start + 8])
            params = jax.tree_util.tree_map(lambda p, gi: p - 0.1 * gi, params, g)
    trained = jax.tree_util.tree_map(lambda v: np.asarray(v.value), layer.params)
    for got, expected in zip(jax.tree_util.tree_leaves(trained), jax.tree_util.tree_leaves(params)):
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


def test_batch_stats_are_state_and_dropout_gets_keys(tmp_path):
    x, y = _data()
    module = NormDrop()
    layer = layers.FlaxLayer(module, method=module.forward)
    model = keras.Sequential([keras.Input((3,)), layer])
    assert (len(layer.trainable_weights), len(layer.non_trainable_weights)) == (6, 2)
    before = [np.asarray(v.value) for v in layer.non_trainable_weights]
    inference = model.predict(x, verbose=0)
    np.testing.assert_allclose(model.predict(x, verbose=0), inference)  # no dropout, no statistics moved
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, y, batch_size=8, epochs=1, verbose=0)
    assert all(not np.allclose(np.asarray(v.value), b) for v, b in zip(layer.non_trainable_weights, before))
    assert not np.allclose(layer(x, training=True), layer(x, training=True))  # a fresh dropout key each call

    path = os.path.join(tmp_path, "flax.keras")
    model.save(path)
    loaded = saving.load_model(path)
    assert loaded.layers[0].method.__name__ == "forward"
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-5, atol=1e-6)


def test_unbound_method_and_calls_without_a_training_flag(tmp_path):
    x, _ = _data(4)
    layer = layers.FlaxLayer(NormDrop(), method=norm_drop_forward)
    model = keras.Sequential([keras.Input((3,)), layer])
    np.testing.assert_allclose(model(x), model(x))  # training=None reaches the method: running averages
    assert layer.get_config()["method"]["class_name"] == "function"
    path = os.path.join(tmp_path, "unbound.keras")
    model.save(path)
    np.testing.assert_allclose(saving.load_model(path)(x), model(x), rtol=1e-5, atol=1e-6)
    # a method bound to an equal module (Flax modules are dataclasses) is saved by name
    assert layers.FlaxLayer(NormDrop(), method=NormDrop().forward).get_config()["method"] == "forward"


def test_variables_given_and_state_without_params():
    class Counter(linen.Module):
        @linen.compact
        def __call__(self, x):
            count = self.variable("counts", "calls", lambda: jnp.zeros((), jnp.int32))
            count.value = count.value + 1
            return x

    layer = layers.FlaxLayer(Counter(), variables={"counts": {"calls": 0}})
    layer(np.ones((1,), "float32"))
    assert layer.params == {} and int(layer.state["counts"]["calls"].value) == 1


def test_refuses_what_is_not_a_flax_module():
    with pytest.raises(TypeError, match="flax.linen.Module"):
        layers.FlaxLayer(lambda x: x)
