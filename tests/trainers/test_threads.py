"""``predict`` on one thread while ``fit`` runs on another (issue 17): ``fit`` computes exactly what it computes
alone, and ``predict`` never fails. The global state (stateless scopes, the training flag, names) is per thread,
so a predict thread never sees the tracers of the training step being traced on the other."""

import threading

import numpy as np
import pytest

import brickwork as keras
from brickwork import backend, layers

pytestmark = pytest.mark.skipif(backend.backend() == "numpy", reason="the numpy backend does not train")

RNG = np.random.default_rng(0)
X = RNG.standard_normal((256, 8)).astype("float32")
Y = (X @ RNG.standard_normal((8, 1))).astype("float32")


def _trained_weights(predict_meanwhile: bool) -> list:
    keras.utils.set_random_seed(7)
    model = keras.Sequential([keras.Input((8,)), layers.Dense(16, activation="relu"), layers.Dropout(0.2),
                              layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    errors, done = [], threading.Event()

    def keep_predicting():
        try:
            while not done.is_set():
                prediction = model.predict(X[:32], verbose=0)
                assert prediction.shape == (32, 1) and np.all(np.isfinite(prediction))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    thread = threading.Thread(target=keep_predicting)
    if predict_meanwhile:
        thread.start()
    try:
        model.fit(X, Y, batch_size=16, epochs=3, shuffle=False, verbose=0)
    finally:
        done.set()
        if predict_meanwhile:
            thread.join()
    assert errors == []
    return [np.array(w) for w in model.get_weights()]


def test_fit_computes_the_same_with_a_predict_thread_beside_it():
    alone = _trained_weights(predict_meanwhile=False)
    beside = _trained_weights(predict_meanwhile=True)
    for a, b in zip(alone, beside):
        np.testing.assert_array_equal(a, b)


class _NoiseAlways(layers.Layer):
    """Adds fresh noise on every call, in inference too: its seed state is what predict itself changes."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator(3)

    def call(self, x):
        return x + keras.random.normal(keras.ops.shape(x), seed=self.seed_generator)


def test_predict_still_writes_back_the_state_it_changes():
    """Writing back only what predict changes keeps Keras's rule that a random layer draws anew on each batch."""
    model = keras.Sequential([keras.Input((4,)), _NoiseAlways()])
    zeros = np.zeros((2, 4), "float32")
    first = model.predict(zeros, batch_size=2, verbose=0)
    second = model.predict(zeros, batch_size=2, verbose=0)
    assert not np.allclose(first, second)
    stacked = model.predict(np.zeros((4, 4), "float32"), batch_size=2, verbose=0)
    assert not np.allclose(stacked[:2], stacked[2:])  # within one predict, each batch draws anew
