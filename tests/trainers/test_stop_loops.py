"""A callback ends fit, evaluate or predict early by setting ``stop_training`` / ``stop_evaluating`` /
``stop_predicting`` on the model, even on an endless generator (Keras's contract)."""

import numpy as np
import pytest

import brickwork as keras
from brickwork import backend


def _endless(with_targets: bool):
    while True:
        x, y = np.ones((2, 2), "float32"), np.ones((2, 3), "float32")
        yield (x, y) if with_targets else (x,)


@pytest.mark.parametrize("method, flag, hook", [
    ("fit", "stop_training", "on_train_batch_end"),
    ("evaluate", "stop_evaluating", "on_test_batch_end"),
    ("predict", "stop_predicting", "on_predict_batch_end"),
])
def test_a_callback_stops_the_loop_after_its_batch(method, flag, hook):
    if method == "fit" and not backend.SUPPORTS_TRAINING:
        pytest.skip(f"the {backend.backend()} backend is for inference only")
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3)])
    model.compile(optimizer="sgd", loss="mse")
    seen = []

    class Stopper(keras.callbacks.Callback):
        pass

    def batch_end(batch, logs=None):
        seen.append(batch)
        if len(seen) == 5:
            setattr(stopper.model, flag, True)

    stopper = Stopper()
    setattr(stopper, hook, batch_end)
    getattr(model, method)(_endless(method != "predict"), callbacks=[stopper], verbose=0)
    assert len(seen) == 5


def test_a_train_step_returning_nested_metric_results_is_flattened():
    """Keras's guides return ``{m.name: m.result() for m in self.metrics}``; the compiled metrics' result is a
    dict, which the logs merge in (as Keras does)."""
    if backend.backend() not in ("torch", "tensorflow"):
        pytest.skip("a stateful train_step(self, data) is the torch and tensorflow guides' form (jax's takes the state)")

    class Custom(keras.Model):
        def train_step(self, data):
            x, y = data
            y_pred = self(x, training=True)
            for metric in self.metrics:
                if metric.name == "loss":
                    metric.update_state(self.compute_loss(y=y, y_pred=y_pred))
                else:
                    metric.update_state(y, y_pred)
            return {m.name: m.result() for m in self.metrics}

    inputs = keras.Input((2,))
    model = Custom(inputs, keras.layers.Dense(1)(inputs))
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    history = model.fit(np.ones((4, 2), "float32"), np.zeros((4, 1), "float32"), epochs=1, verbose=0)
    assert set(history.history) == {"loss", "mae"}
