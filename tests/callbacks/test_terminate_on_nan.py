"""TerminateOnNaN: a NaN or infinite batch loss stops training there (or raises)."""

import numpy as np
import pytest

from brickwork.callbacks import Callback, CallbackList, TerminateOnNaN
from tests.callbacks.callback_models import StubModel, dense_model, regression_data
from tests.conftest import requires_training


@pytest.mark.parametrize("loss, stops", [(float("nan"), True), (float("inf"), True), (-float("inf"), True),
                                         (1.0, False)])
def test_flags_non_finite_losses(loss, stops, capsys):
    model = StubModel()
    callbacks = CallbackList([TerminateOnNaN()], model=model)
    callbacks.on_train_batch_end(4, {"loss": np.float32(loss)})
    assert model.stop_training is stops
    assert ("Batch 4: Invalid loss, terminating training" in capsys.readouterr().out) is stops


def test_raise_error():
    callbacks = CallbackList([TerminateOnNaN(raise_error=True)], model=StubModel())
    with pytest.raises(RuntimeError, match="NaN or Inf loss encountered at batch 2"):
        callbacks.on_train_batch_end(2, {"loss": float("nan")})


class _CountBatches(Callback):
    def __init__(self):
        super().__init__()
        self.batches = 0
        self.ended = False

    def on_train_batch_end(self, batch, logs=None):
        self.batches += 1

    def on_train_end(self, logs=None):
        self.ended = True


@requires_training
def test_fit_stops_at_the_first_nan_batch():
    x, y = regression_data(n=40)
    x[17] = np.nan  # in the third batch of 8 (no shuffling)
    counter = _CountBatches()
    history = dense_model().fit(x, y, batch_size=8, epochs=3, shuffle=False,
                                callbacks=[TerminateOnNaN(), counter], verbose=0)
    assert counter.batches == 3 and counter.ended
    assert history.epoch == [0]
    assert np.isnan(history.history["loss"][0])


@requires_training
def test_fit_raise_error_skips_on_train_end():
    x, y = regression_data(n=16)
    x[0] = np.nan
    counter = _CountBatches()
    with pytest.raises(RuntimeError, match="NaN or Inf loss"):
        dense_model().fit(x, y, batch_size=8, epochs=2, shuffle=False,
                          callbacks=[TerminateOnNaN(raise_error=True), counter], verbose=0)
    assert not counter.ended
