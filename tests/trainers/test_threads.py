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
