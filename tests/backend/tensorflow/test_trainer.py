"""The tensorflow training step (brickwork/backend/tensorflow/trainer.py): a ``tf.function`` traced once per
batch shape (its Python body runs only while tracing, which the tests count), ``fit`` on a ``tf.data.Dataset``
against ``fit`` on the same NumPy arrays and against SGD written out in NumPy, XLA (``jit_compile=True``) against
the eager step, and the optimizer's graph branches (gradient accumulation, EMA, a loss-scale step skipped)
against the same optimizers run eagerly."""

import numpy as np
import pytest

import brickwork as keras
from brickwork import layers, optimizers
from tests.conftest import BACKEND

pytestmark = pytest.mark.skipif(BACKEND != "tensorflow", reason="the tensorflow engine's tf.function step")

if BACKEND == "tensorflow":
    import tensorflow as tf


def _data(n=64, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4)).astype("float32")
    y = (x @ np.array([[0.5], [-1.0], [2.0], [0.25]], "float32") + 0.3).astype("float32")
    return x, y


class _Counting(keras.Sequential):
    """Counts how often each step's Python body runs: once per trace in a ``tf.function``, once per batch eagerly."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.runs = {"train": 0, "test": 0, "predict": 0}

    def train_step(self, data):
        self.runs["train"] += 1
        return super().train_step(data)

    def test_step(self, data):
        self.runs["test"] += 1
        return super().test_step(data)

    def predict_step(self, data):
        self.runs["predict"] += 1
        return super().predict_step(data)


def _model(cls=keras.Sequential, hidden=3, optimizer=None, seed=1, **compile_kwargs):
    model = cls([keras.Input((4,)), layers.Dense(hidden, activation="tanh"), layers.Dense(1)])
    rng = np.random.default_rng(seed)
    model.set_weights([rng.normal(scale=0.5, size=w.shape).astype("float32") for w in model.get_weights()])
    model.compile(optimizer=optimizer or optimizers.SGD(0.05), loss="mse", **compile_kwargs)
    return model


def test_equal_batches_trace_each_step_once():
    x, y = _data(64)
    model = _model(_Counting)
    model.fit(x, y, batch_size=16, epochs=3, shuffle=True, verbose=0)  # 12 batches of 16
    model.evaluate(x, y, batch_size=16, verbose=0)
    model.predict(x, batch_size=16, verbose=0)
    assert model.runs == {"train": 1, "test": 1, "predict": 1}


def test_the_short_last_batch_traces_once_more_not_once_per_epoch():
    x, y = _data(70)
    model = _model(_Counting)
    model.fit(x, y, batch_size=16, epochs=4, verbose=0)  # 4 x (4 batches of 16 + one of 6)
    model.fit(x[:37], y[:37], batch_size=16, epochs=2, verbose=0)  # another short size: the general trace takes it
    assert model.runs["train"] == 2


def test_run_eagerly_runs_the_python_step_every_batch():
    """The counter does count: without tf.function the body runs once per batch."""
    x, y = _data(64)
    model = _model(_Counting, run_eagerly=True)
    model.fit(x, y, batch_size=16, epochs=3, verbose=0)
    assert model.runs["train"] == 12


def _numpy_sgd(weights, x, y, batch_size, epochs, learning_rate):
    """SGD on mean squared error for ``tanh(x @ k1 + b1) @ k2 + b2``, gradients written out by hand."""
    k1, b1, k2, b2 = (w.astype("float64") for w in weights)
    for _ in range(epochs):
        for start in range(0, len(x), batch_size):
            xb, yb = x[start:start + batch_size].astype("float64"), y[start:start + batch_size].astype("float64")
            hidden = np.tanh(xb @ k1 + b1)
            residual = hidden @ k2 + b2 - yb
            d_out = 2 * residual / residual.size
            d_hidden = (d_out @ k2.T) * (1 - hidden ** 2)
            grads = (xb.T @ d_hidden, d_hidden.sum(0), hidden.T @ d_out, d_out.sum(0))
            k1, b1, k2, b2 = (w - learning_rate * g for w, g in zip((k1, b1, k2, b2), grads))
    return [k1, b1, k2, b2]


@pytest.mark.parametrize("jit_compile", [False, True])
def test_steps_per_execution_runs_a_group_in_one_graph_with_the_sgd_weights(jit_compile):
    x, y = _data(70)  # 4 batches of 16 and one of 6: a group of 4 in one graph loop, then the short batch alone
    grouped = _model(_Counting, steps_per_execution=4, jit_compile=jit_compile)
    expected = _numpy_sgd(grouped.get_weights(), x, y, batch_size=16, epochs=3, learning_rate=0.05)
    history = grouped.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0)
    for got, reference in zip(grouped.get_weights(), expected):
        np.testing.assert_allclose(got, reference, rtol=1e-4, atol=1e-5)
    # One trace of the group (the step traced twice: before its loop and as the loop's body), one of the short
    # batch; a Python loop over the batches would have run the step 15 times.
    assert grouped.runs["train"] == 3
    one_by_one = _model()
    one_by_one.set_weights(grouped.get_weights())
    np.testing.assert_allclose(grouped.evaluate(x, y, batch_size=16, verbose=0),
                               one_by_one.evaluate(x, y, batch_size=16, verbose=0), rtol=1e-6)
    assert grouped.runs["test"] == 3 and len(history.history["loss"]) == 3


def test_steps_per_execution_on_a_tf_dataset_gives_the_weights_of_one_step_at_a_time():
    x, y = _data(64)
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(8)
    grouped, one_by_one = _model(steps_per_execution=3), _model()
    grouped.fit(dataset, epochs=2, verbose=0)  # 8 batches: groups of 3, 3 and 2
    one_by_one.fit(dataset, epochs=2, verbose=0)
    for a, b in zip(grouped.get_weights(), one_by_one.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)


def test_fit_on_a_tf_dataset_gives_the_weights_of_fit_on_the_same_arrays():
    x, y = _data(70)
    from_arrays, from_dataset = _model(), _model()
    expected = _numpy_sgd(from_arrays.get_weights(), x, y, batch_size=16, epochs=3, learning_rate=0.05)
    from_arrays.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0)
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(16)
    history = from_dataset.fit(dataset, epochs=3, verbose=0)
    for a, b, reference in zip(from_arrays.get_weights(), from_dataset.get_weights(), expected):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
        np.testing.assert_allclose(b, reference, rtol=1e-4, atol=1e-5)
    assert len(history.history["loss"]) == 3
    np.testing.assert_allclose(from_dataset.evaluate(dataset, verbose=0), from_arrays.evaluate(x, y, verbose=0),
                               rtol=1e-6)
    np.testing.assert_allclose(from_dataset.predict(dataset.map(lambda a, b: a), verbose=0),
                               from_arrays.predict(x, verbose=0), rtol=1e-6)


def test_a_tf_dataset_reaches_the_step_as_tf_tensors():
    seen = []

    class Probe(keras.Sequential):
        def train_step(self, data):
            seen.append(type(data[0]))
            return super().train_step(data)

    x, y = _data(32)
    model = _model(Probe, run_eagerly=True)
    model.fit(tf.data.Dataset.from_tensor_slices((x, y)).batch(16), epochs=1, verbose=0)
    model.fit(x, y, batch_size=16, epochs=1, verbose=0)  # NumPy slices are converted before the step
    assert len(seen) == 4 and all(issubclass(kind, tf.Tensor) for kind in seen)


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_xla_gives_the_eager_result(optimizer):
    x, y = _data(70)
    xla = _model(optimizer=optimizers.get(optimizer), jit_compile=True)
    eager = _model(optimizer=optimizers.get(optimizer), run_eagerly=True)
    assert xla.jit_compile is True and eager.jit_compile is False
    xla.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0)
    eager.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0)
    for a, b in zip(xla.get_weights(), eager.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(xla.predict(x, verbose=0), eager.predict(x, verbose=0), rtol=1e-5, atol=1e-6)


def test_auto_jit_compile_means_xla_only_where_a_gpu_is():
    model = _model()
    assert model.jit_compile is bool(tf.config.list_logical_devices("GPU"))
    assert _model(run_eagerly=True, jit_compile=True).jit_compile is False


@pytest.mark.parametrize("name, make", [
    ("accumulation", lambda: optimizers.SGD(0.05, momentum=0.9, gradient_accumulation_steps=3)),
    ("ema", lambda: optimizers.Adam(0.01, use_ema=True, ema_momentum=0.9, ema_overwrite_frequency=4)),
    ("loss_scale", lambda: optimizers.LossScaleOptimizer(optimizers.SGD(0.05), initial_scale=2.0 ** 127,
                                                         dynamic_growth_steps=1000)),
])
@pytest.mark.parametrize("jit_compile", [False, True])
def test_optimizer_branches_in_the_graph_match_the_eager_ones(name, make, jit_compile):
    """Gradient accumulation, EMA overwrite and loss-scale skips are ``tf.cond``s in the graph (and in XLA's
    compiled graph); eagerly they are Python branches. An initial scale of 2**127 overflows float32 gradients: the first steps are skipped and
    the scale halves until they are finite."""
    x, y = _data(70)
    graph, eager = _model(optimizer=make(), jit_compile=jit_compile), _model(optimizer=make(), run_eagerly=True)
    graph.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    eager.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    for a, b in zip(graph.get_weights(), eager.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    for a, b in zip(graph.optimizer.variables, eager.optimizer.variables):
        np.testing.assert_allclose(keras.ops.convert_to_numpy(a), keras.ops.convert_to_numpy(b), rtol=1e-5, atol=1e-6)
    assert not np.allclose(graph.get_weights()[0], _model().get_weights()[0])  # it trained
    if name == "loss_scale":
        assert float(keras.ops.convert_to_numpy(graph.optimizer.dynamic_scale)) < 2.0 ** 127


def test_a_gradient_tape_takes_brickwork_variables_as_sources():
    """Keras's TensorFlow guides write ``tape.gradient(loss, model.trainable_variables)``: the gradients are those
    of the variables' values, here checked against the gradient of a mean of ``x @ kernel + bias`` by hand."""
    layer = layers.Dense(2)
    x = np.random.default_rng(3).normal(size=(5, 3)).astype("float32")
    layer.build(x.shape)
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(layer(x)))
    kernel_grad, bias_grad = tape.gradient(loss, layer.trainable_variables)
    kernel, bias = layer.get_weights()
    d_out = 2 * (x @ kernel + bias) / 10
    np.testing.assert_allclose(kernel_grad.numpy(), x.T @ d_out, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(bias_grad.numpy(), d_out.sum(0), rtol=1e-5, atol=1e-6)
