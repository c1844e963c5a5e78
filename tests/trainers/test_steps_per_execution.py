"""compile(steps_per_execution=N): batches run in groups of N, callbacks once a group, as in Keras 3."""

import numpy as np
import pytest

import brickwork as keras
from brickwork import backend

trains = pytest.mark.skipif(not backend.SUPPORTS_TRAINING, reason="the backend does not train")


class _Steps(keras.callbacks.Callback):
    """Records the (begin, end) step numbers every loop hands its callbacks."""

    def __init__(self):
        super().__init__()
        self.seen = {"train": [], "test": [], "predict": []}
        self.predict_rows = []
        self.epochs = 0

    def on_epoch_begin(self, epoch, logs=None):
        self.epochs += 1

    def on_train_batch_begin(self, batch, logs=None):
        self.seen["train"].append(["begin", batch])

    def on_train_batch_end(self, batch, logs=None):
        self.seen["train"].append(["end", batch])

    def on_test_batch_begin(self, batch, logs=None):
        self.seen["test"].append(["begin", batch])

    def on_test_batch_end(self, batch, logs=None):
        self.seen["test"].append(["end", batch])

    def on_predict_batch_begin(self, batch, logs=None):
        self.seen["predict"].append(["begin", batch])

    def on_predict_batch_end(self, batch, logs=None):
        self.seen["predict"].append(["end", batch])
        self.predict_rows.append(len(logs["outputs"]))


def _model(steps_per_execution):
    keras.utils.set_random_seed(1)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse", steps_per_execution=steps_per_execution)
    return model


def _groups(num_batches, size):
    """The callback calls Keras makes: begin at each group's first batch, end at first + size - 1."""
    calls = []
    for begin in range(0, num_batches, size):
        calls += [["begin", begin], ["end", begin + size - 1]]
    return calls


def _data():
    rng = np.random.default_rng(0)
    return rng.normal(size=(100, 4)).astype("float32"), rng.normal(size=(100, 1)).astype("float32")


@trains
@pytest.mark.parametrize("size", [1, 3, 7])
def test_fit_groups_batches_and_trains_as_one_step_at_a_time(size):
    x, y = _data()
    grouped, plain, steps = _model(size), _model(1), _Steps()
    history = grouped.fit(x, y, batch_size=16, epochs=2, verbose=0, shuffle=False, callbacks=[steps])
    reference = plain.fit(x, y, batch_size=16, epochs=2, verbose=0, shuffle=False)
    assert steps.seen["train"] == _groups(7, size) * 2  # 7 batches of 16 (the last of 4) per epoch
    np.testing.assert_allclose(history.history["loss"], reference.history["loss"], rtol=1e-5)
    for w, w_ref in zip(grouped.get_weights(), plain.get_weights()):
        np.testing.assert_allclose(w, w_ref, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("size", [1, 3])
def test_evaluate_and_predict_group_batches(size):
    x, y = _data()
    model, plain, steps = _model(size), _model(1), _Steps()
    plain.set_weights(model.get_weights())
    out = model.predict(x, batch_size=16, verbose=0, callbacks=[steps])
    np.testing.assert_allclose(out, plain.predict(x, batch_size=16, verbose=0), rtol=1e-6)
    assert steps.seen["predict"] == _groups(7, size)
    assert sum(steps.predict_rows) == 100  # each end call sees the outputs of its whole group
    assert steps.predict_rows[0] == 16 * size
    loss = model.evaluate(x, y, batch_size=16, verbose=0, callbacks=[steps])
    np.testing.assert_allclose(loss, plain.evaluate(x, y, batch_size=16, verbose=0), rtol=1e-6)
    assert steps.seen["test"] == _groups(7, size)


@trains
def test_steps_per_epoch_takes_whole_groups():
    x, y = _data()
    model, steps = _model(2), _Steps()
    model.fit(x[:80], y[:80], batch_size=8, epochs=1, steps_per_epoch=5, verbose=0, callbacks=[steps])
    assert steps.seen["train"] == _groups(6, 2)  # 5 rounded up to 3 groups of 2, as Keras runs it


@pytest.mark.parametrize("bad", [0, -1, 1.5, "2", True])
def test_bad_steps_per_execution_is_refused(bad):
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    with pytest.raises(ValueError, match="steps_per_execution"):
        model.compile(loss="mse", steps_per_execution=bad)
