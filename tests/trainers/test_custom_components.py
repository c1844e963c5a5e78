"""User-written losses, metrics and optimizers in compile/fit, as Keras 3 documents them."""

import numpy as np
import pytest

import brickwork as keras
from brickwork import layers, models, ops
from tests.conftest import requires_training

pytestmark = requires_training


def _data():
    rng = np.random.default_rng(1)
    x = rng.random((64, 3), dtype=np.float32)
    return x, x.sum(axis=1, keepdims=True)


def _model():
    return models.Sequential([layers.Input((3,)), layers.Dense(1)])


def test_custom_loss_function_and_loss_subclass_agree_with_numpy():
    def my_mae(y_true, y_pred):
        return ops.mean(ops.abs(y_true - y_pred), axis=-1)

    class ScaledMSE(keras.losses.Loss):
        def __init__(self, factor=2.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor

        def call(self, y_true, y_pred):
            return self.factor * ops.mean(ops.square(y_true - y_pred), axis=-1)

    x, y = _data()
    for loss, reference in ((my_mae, lambda p: np.mean(np.abs(y - p))),
                            (ScaledMSE(3.0), lambda p: 3.0 * np.mean((y - p) ** 2))):
        model = _model()
        model.compile(optimizer="sgd", loss=loss)
        value = model.evaluate(x, y, verbose=0, batch_size=64)
        assert value == pytest.approx(reference(model.predict(x, verbose=0)), rel=1e-5)
        history = model.fit(x, y, epochs=3, verbose=0)
        assert history.history["loss"][-1] < history.history["loss"][0]


def test_custom_metric_subclass_with_state():
    class MaxError(keras.metrics.Metric):
        def __init__(self, name="max_error", **kwargs):
            super().__init__(name=name, **kwargs)
            self.worst = self.add_variable(shape=(), initializer="zeros", name="worst")

        def update_state(self, y_true, y_pred, sample_weight=None):
            self.worst.assign(ops.maximum(self.worst, ops.max(ops.abs(y_true - y_pred))))

        def result(self):
            return self.worst

    x, y = _data()
    model = _model()
    model.compile(optimizer="sgd", loss="mse", metrics=[MaxError()])
    logs = model.evaluate(x, y, verbose=0, return_dict=True, batch_size=16)
    assert logs["max_error"] == pytest.approx(np.max(np.abs(y - model.predict(x, verbose=0))), rel=1e-5)
    assert "max_error" in model.fit(x, y, epochs=1, verbose=0).history


def test_custom_optimizer_subclass_trains():
    class PlainSGD(keras.optimizers.Optimizer):
        def __init__(self, learning_rate=0.1, **kwargs):
            super().__init__(learning_rate=learning_rate, **kwargs)

        def update_step(self, gradient, variable, learning_rate):
            self.assign_sub(variable, ops.multiply(gradient, ops.cast(learning_rate, variable.dtype)))

    x, y = _data()
    model = _model()
    model.compile(optimizer=PlainSGD(0.1), loss="mse")
    history = model.fit(x, y, epochs=10, verbose=0)
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]


def test_compile_keeps_the_loss_as_given():
    import brickwork as bw

    model = bw.Sequential([bw.Input((3,)), bw.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    assert model.loss == "mse"
    loss = bw.losses.MeanAbsoluteError()
    model.compile(optimizer="sgd", loss=loss)
    assert model.loss is loss


@requires_training
def test_compute_loss_override_sees_the_forward_pass_losses():
    """``self.losses`` inside an overridden ``compute_loss`` holds this step's activity-regularization term:
    l2 of the Dense outputs (x = ones, kernel = ones: 4 rows of two 4s) over the batch, 0.01 * 128 / 4."""

    class MyModel(keras.Model):
        def __init__(self):
            super().__init__()
            self.custom = keras.metrics.Mean(name="custom")
            self.dense = layers.Dense(2, kernel_initializer="ones", use_bias=False, activity_regularizer="l2")

        def call(self, x):
            return self.dense(x)

        def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
            self.custom.update_state(sum(self.losses))
            return super().compute_loss(x, y, y_pred, sample_weight, training)

    model = MyModel()
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse")
    history = model.fit(np.ones((4, 4)), np.zeros((4, 2)), batch_size=4, verbose=0)
    np.testing.assert_allclose(history.history["custom"], [0.01 * 128 / 4], rtol=1e-5)
