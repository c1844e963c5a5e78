"""Tiny models and data for the callback tests, and a stand-in model for backends that cannot train."""

import numpy as np

from brickwork import layers, models, optimizers


def regression_data(n=32, features=3, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, features)).astype("float32")
    y = (x @ np.arange(1, features + 1, dtype="float32") + 0.5).reshape(n, 1)
    return x, y


def dense_model(learning_rate=0.05, features=3, **optimizer_kwargs):
    model = models.Sequential([layers.Input((features,)), layers.Dense(1)])
    model.compile(optimizer=optimizers.SGD(learning_rate, **optimizer_kwargs), loss="mse")
    return model


class StubModel:
    """What a callback touches on a model: weights, stop_training, an optimizer with a learning rate."""

    def __init__(self, learning_rate=0.1):
        self.weights_value = np.zeros(2)
        self.stop_training = False
        self.optimizer = optimizers.SGD(learning_rate)
        self.metrics = []
        self.metrics_names = ["loss"]

    def get_weights(self):
        return [self.weights_value.copy()]

    def set_weights(self, weights):
        self.weights_value = np.array(weights[0])


def drive_epochs(callback, model, values, monitor="val_loss", epochs=None):
    """Run ``callback`` through a fit whose epoch ``i`` logs ``{monitor: values[i]}`` and sets the
    stub's weights to ``[i, i]``; stops when ``model.stop_training`` is set. Returns epochs run."""
    callback.set_model(model)
    callback.set_params({"verbose": 0, "epochs": epochs or len(values), "steps": 1})
    callback.on_train_begin({})
    ran = 0
    for epoch, value in enumerate(values):
        callback.on_epoch_begin(epoch, {})
        model.weights_value = np.full(2, float(epoch))
        callback.on_epoch_end(epoch, {"loss": 0.0, monitor: value})
        ran += 1
        if model.stop_training:
            break
    callback.on_train_end({})
    return ran
