"""One custom train_step for every engine: ``value_and_grad`` against finite differences and the built-in
step, the compiled jax path against the eager one, state the step assigns, and the example program (a GAN
and a custom metric) run on torch and on jax with the same weights and data, compared number for number."""

import os
import pathlib
import subprocess
import sys

import numpy as np
import pytest

import brickwork as keras
from brickwork import layers, ops
from brickwork.trainers import value_and_grad
from tests.conftest import BACKEND, requires_training

REPO = pathlib.Path(__file__).resolve().parents[2]


def _dense(units=3, inputs=4, seed=0):
    rng = np.random.default_rng(seed)
    layer = layers.Dense(units)
    layer.build((None, inputs))
    layer.set_weights([rng.normal(size=(inputs, units)).astype("float32"),
                       rng.normal(size=(units,)).astype("float32")])
    return layer


@requires_training
def test_value_and_grad_matches_finite_differences():
    layer = _dense()
    x = np.random.default_rng(1).normal(size=(5, 4)).astype("float32")

    def loss_fn():
        return ops.mean(ops.square(ops.tanh(layer(x))))

    loss, grads = value_and_grad(loss_fn, layer.trainable_variables)
    kernel, bias = [w.astype("float64") for w in layer.get_weights()]

    def numpy_loss(k, b):
        return np.mean(np.tanh(x.astype("float64") @ k + b) ** 2)

    assert np.isclose(float(loss), numpy_loss(kernel, bias), rtol=1e-5)
    eps = 1e-6
    for index, (grad, value) in enumerate(zip(grads, (kernel, bias))):
        expected = np.zeros_like(value)
        for position in np.ndindex(value.shape):
            plus, minus = value.copy(), value.copy()
            plus[position] += eps
            minus[position] -= eps
            args_plus = (plus, bias) if index == 0 else (kernel, plus)
            args_minus = (minus, bias) if index == 0 else (kernel, minus)
            expected[position] = (numpy_loss(*args_plus) - numpy_loss(*args_minus)) / (2 * eps)
        np.testing.assert_allclose(ops.convert_to_numpy(grad), expected, rtol=1e-4, atol=1e-6)


@requires_training
def test_value_and_grad_returns_aux_and_zeros_for_an_unused_variable():
    used, unused = _dense(seed=0), _dense(seed=1)
    x = np.ones((2, 4), "float32")
    (_, aux), grads = value_and_grad(lambda: (ops.sum(used(x)), used(x) * 2), [*used.trainable_variables,
                                                                                  *unused.trainable_variables],
                                        has_aux=True)
    np.testing.assert_allclose(ops.convert_to_numpy(aux), 2 * ops.convert_to_numpy(used(x)), rtol=1e-6)
    np.testing.assert_allclose(ops.convert_to_numpy(grads[1]), [2.0, 2.0, 2.0])  # d sum / d bias = batch size
    for grad in grads[2:]:
        assert np.all(ops.convert_to_numpy(grad) == 0)


@requires_training
def test_value_and_grad_keeps_what_the_function_assigns():
    bn = layers.BatchNormalization(momentum=0.5)
    x = np.random.default_rng(2).normal(loc=3.0, size=(8, 2)).astype("float32")
    bn.build(x.shape)
    value_and_grad(lambda: ops.sum(bn(x, training=True)), bn.trainable_variables)
    np.testing.assert_allclose(ops.convert_to_numpy(bn.moving_mean), 0.5 * x.mean(axis=0), rtol=1e-5)


@pytest.mark.skipif(BACKEND != "numpy", reason="numpy-only refusal")
def test_value_and_grad_on_numpy_says_why_not():
    layer = _dense()
    with pytest.raises(NotImplementedError, match="inference only"):
        value_and_grad(lambda: ops.sum(layer(np.ones((1, 4), "float32"))), layer.trainable_variables)


class _Portable(keras.Model):
    def train_step(self, data):
        x, y = data

        def loss_fn():
            y_pred = self(x, training=True)
            return self.compute_loss(x=x, y=y, y_pred=y_pred), y_pred

        (loss, y_pred), grads = value_and_grad(loss_fn, self.trainable_variables, has_aux=True)
        self.optimizer.apply(grads, self.trainable_variables)
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
        return self.compute_metrics(x, y, y_pred)

    def test_step(self, data):
        x, y = data
        y_pred = self(x, training=False)
        self.metrics[0].update_state(self.compute_loss(x=x, y=y, y_pred=y_pred))
        return self.compute_metrics(x, y, y_pred)


def _model(cls, jit_compile="auto"):
    keras.utils.set_random_seed(3)
    inputs = keras.Input((4,))
    hidden = layers.BatchNormalization()(layers.Dense(8, activation="relu")(inputs))
    model = cls(inputs, layers.Dense(1)(hidden))
    model.set_weights([np.random.default_rng(4).normal(scale=0.5, size=w.shape).astype("float32")
                       if w.ndim == 2 else w for w in model.get_weights()])
    model.compile(optimizer="adam", loss="mse", metrics=["mae"], jit_compile=jit_compile)
    return model


def _data():
    rng = np.random.default_rng(5)
    return rng.normal(size=(48, 4)).astype("float32"), rng.normal(size=(48, 1)).astype("float32")


@requires_training
def test_portable_step_trains_exactly_as_the_built_in_step():
    x, y = _data()
    portable, built_in = _model(_Portable), _model(keras.Model)
    hp = portable.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0).history
    hb = built_in.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0).history
    np.testing.assert_allclose(hp["loss"], hb["loss"], rtol=1e-5)
    np.testing.assert_allclose(hp["mae"], hb["mae"], rtol=1e-5)
    for a, b in zip(portable.get_weights(), built_in.get_weights()):  # moving mean and variance included
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert int(portable.optimizer.iterations) == int(built_in.optimizer.iterations) == 9
    np.testing.assert_allclose(portable.evaluate(x, y, batch_size=16, verbose=0),
                               built_in.evaluate(x, y, batch_size=16, verbose=0), rtol=1e-5)


@pytest.mark.skipif(BACKEND not in ("jax", "tensorflow"),
                    reason="jax and tensorflow (XLA) compile the portable step; torch runs it as written")
def test_compiled_portable_step_equals_the_eager_one():
    x, y = _data()
    compiled, eager = _model(_Portable, jit_compile=True), _model(_Portable, jit_compile=False)
    compiled.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
    eager.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
    for a, b in zip(compiled.get_weights(), eager.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    for a, b in zip(compiled.optimizer.variables, eager.optimizer.variables):
        np.testing.assert_allclose(np.asarray(a.numpy()), np.asarray(b.numpy()), rtol=1e-5, atol=1e-6)


@requires_training
def test_portable_step_draws_fresh_randomness_each_batch():
    class Noisy(keras.Model):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.seed_generator = keras.random.SeedGenerator(7)
            self.draws = keras.metrics.Sum(name="draws")

        def train_step(self, data):
            x, y = data
            noise = keras.random.normal(ops.shape(x), seed=self.seed_generator)

            def loss_fn():
                return ops.mean(ops.square(self(x + noise, training=True) - y))

            loss, grads = value_and_grad(loss_fn, self.trainable_variables)
            self.optimizer.apply(grads, self.trainable_variables)
            self.draws.update_state(ops.sum(noise[0]))
            return {"loss": loss, "draws": self.draws.result()}

    inputs = keras.Input((4,))
    model = Noisy(inputs, layers.Dense(1)(inputs))
    model.compile(optimizer="sgd", loss="mse")
    x, y = _data()
    states = []
    for _ in range(3):
        model.fit(x[:16], y[:16], batch_size=16, epochs=1, verbose=0)
        states.append(np.asarray(model.seed_generator.state.numpy()).copy())
    assert not np.array_equal(states[0], states[1]) and not np.array_equal(states[1], states[2])


@pytest.mark.skipif(BACKEND != "jax", reason="only the compiled jax step carries a fixed set of variables")
def test_a_step_assigning_a_variable_it_does_not_carry_gets_a_clear_error():
    outside = keras.Variable(0.0, name="outside_counter")

    class Leaky(_Portable):
        def train_step(self, data):
            outside.assign_add(1.0)
            return super().train_step(data)

    x, y = _data()
    model = _model(Leaky, jit_compile=True)
    with pytest.raises(ValueError, match="outside_counter"):
        model.fit(x, y, batch_size=16, epochs=1, shuffle=False, verbose=0)


def _run_example(engine, path):
    env = {**os.environ, "BRICKWORK_BACKEND": engine, "KERAS_BACKEND": engine}
    result = subprocess.run([sys.executable, str(REPO / "examples" / "portable_train_step.py"),
                             "--save-weights", str(path)], cwd=REPO, env=env, capture_output=True, text=True, check=False,
                            timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"portable_train_step: ok ({engine})" in result.stdout
    return np.load(path)


@pytest.mark.skipif(BACKEND != "torch", reason="runs both engines itself, once per suite run")
def test_the_example_gives_the_same_gan_on_torch_and_jax(tmp_path):
    pytest.importorskip("jax")
    on_torch = _run_example("torch", tmp_path / "torch.npz")
    on_jax = _run_example("jax", tmp_path / "jax.npz")
    assert on_torch.files == on_jax.files and len(on_torch.files) == 10
    for name in on_torch.files:
        np.testing.assert_allclose(on_torch[name], on_jax[name], rtol=1e-4, atol=1e-5, err_msg=name)
