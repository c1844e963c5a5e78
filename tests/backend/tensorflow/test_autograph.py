"""The TensorFlow step is traced without AutoGraph, except a train_step the user wrote: Keras's TF guides
branch on tensors with Python's `if` there, which only AutoGraph turns into graph control flow."""

import numpy as np
import pytest

import brickwork as keras
from brickwork import ops
from tests.conftest import BACKEND

pytestmark = pytest.mark.skipif(BACKEND != "tensorflow", reason="AutoGraph is TensorFlow's")


class SkipsNegativeBatches(keras.Model):
    """A guide-style custom step: a batch whose targets sum below zero is not trained on."""

    def train_step(self, data):
        import tensorflow as tf

        x, y = data
        if ops.sum(y) < 0:  # a Python `if` on a graph tensor: AutoGraph makes it a tf.cond
            return {"trained": 0.0}
        with tf.GradientTape() as tape:
            loss = ops.mean(ops.square(self(x, training=True) - y))
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply(grads, self.trainable_variables)
        return {"trained": 1.0}


def _model():
    inputs = keras.Input((2,))
    outputs = keras.layers.Dense(1, kernel_initializer="ones", use_bias=False)(inputs)
    return SkipsNegativeBatches(inputs, outputs)


def test_a_user_train_step_branching_in_python_runs_as_a_graph():
    x = np.ones((4, 2), "float32")
    skipped = _model()
    skipped.compile(optimizer=keras.optimizers.SGD(0.1))
    skipped.fit(x, -np.ones((4, 1), "float32"), batch_size=4, epochs=2, verbose=0)
    np.testing.assert_array_equal(ops.convert_to_numpy(skipped.layers[-1].kernel), np.ones((2, 1)))
    trained = _model()
    trained.compile(optimizer=keras.optimizers.SGD(0.1))
    trained.fit(x, np.zeros((4, 1), "float32"), batch_size=4, epochs=1, verbose=0)
    # One SGD step on mean((2 - 0)^2): the gradient is 2 * 2 * 1 = 4 per weight, so 1 - 0.1 * 4.
    np.testing.assert_allclose(ops.convert_to_numpy(trained.layers[-1].kernel), np.full((2, 1), 0.6), rtol=1e-6)


def test_a_user_train_step_branching_in_python_runs_in_a_group_of_steps():
    x = np.ones((8, 2), "float32")
    y = np.concatenate([-np.ones((4, 1)), np.zeros((4, 1))]).astype("float32")  # a skipped batch, a trained one
    model = _model()
    model.compile(optimizer=keras.optimizers.SGD(0.1), steps_per_execution=2)
    logs = model.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0).history
    np.testing.assert_allclose(ops.convert_to_numpy(model.layers[-1].kernel), np.full((2, 1), 0.6), rtol=1e-6)
    assert logs["trained"] == [1.0]  # the last step's logs


def test_the_builtin_step_is_traced_without_autograph():
    import tensorflow as tf

    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    converted = []
    original = tf.function

    def recording(*args, **kwargs):
        converted.append(kwargs.get("autograph", True))
        return original(*args, **kwargs)

    import brickwork.backend.tensorflow.trainer as trainer

    trainer.tf.function = recording
    try:
        model.fit(np.ones((4, 2)), np.ones((4, 1)), verbose=0)
    finally:
        trainer.tf.function = original
    assert converted and set(converted) == {False}  # the one-step function and the steps_per_execution one
