"""EarlyStopping: patience, min_delta, mode, baseline, start_from_epoch, restoring the best weights."""

import numpy as np
import pytest

from brickwork import layers, models, ops
from brickwork.callbacks import EarlyStopping, LambdaCallback
from tests.callbacks.callback_models import (
    StubModel,
    dense_model,
    drive_epochs,
    regression_data,
)
from tests.conftest import requires_training


@pytest.mark.parametrize("values, patience, min_delta, ran", [
    ([1.0, 0.5, 0.6, 0.7, 0.8, 0.9], 2, 0, 4),        # best at epoch 1, two epochs without improvement
    ([1.0, 0.9, 0.8, 0.7, 0.6, 0.5], 1, 0, 6),        # always improving: never stops
    ([1.0, 0.99, 0.98, 0.97, 0.96], 2, 0.05, 3),      # improvements below min_delta do not count
    ([1.0, 1.0, 1.0], 0, 0, 2),                       # patience 0: the first flat epoch stops (not epoch 0)
])
def test_stops_after_patience_epochs_without_improvement(values, patience, min_delta, ran):
    model = StubModel()
    assert drive_epochs(EarlyStopping(patience=patience, min_delta=min_delta), model, values) == ran
    assert model.stop_training == (ran < len(values))


def test_restore_best_weights_restores_the_best_epoch():
    model = StubModel()
    callback = EarlyStopping(patience=2, restore_best_weights=True)
    drive_epochs(callback, model, [1.0, 0.4, 0.6, 0.7, 0.8])
    assert callback.best_epoch == 1 and callback.stopped_epoch == 3
    np.testing.assert_array_equal(model.weights_value, [1.0, 1.0])  # the weights at the end of epoch 1


def test_mode_max_and_auto_for_accuracy():
    model = StubModel()
    callback = EarlyStopping(monitor="val_accuracy", mode="max", patience=1, restore_best_weights=True)
    assert drive_epochs(callback, model, [0.5, 0.8, 0.7, 0.6], monitor="val_accuracy") == 3
    np.testing.assert_array_equal(model.weights_value, [1.0, 1.0])


def test_auto_mode_reads_the_direction_from_the_model_metrics():
    model = models.Sequential([layers.Input((2,)), layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["accuracy", "mae"])
    x, y = np.ones((4, 2), "float32"), np.ones((4, 1), "float32")
    model.evaluate(x, y, verbose=0)  # builds the compiled metrics
    for monitor, op in (("val_accuracy", ops.greater), ("loss", ops.less), ("val_mae", ops.less)):
        callback = EarlyStopping(monitor=monitor)
        callback.set_model(model)
        callback._set_monitor_op()
        assert callback.monitor_op is op, monitor
    callback = EarlyStopping(monitor="custom_score")
    callback.set_model(model)
    with pytest.raises(ValueError, match="custom_score.*mode='max'"):
        callback._set_monitor_op()


def test_baseline_not_reached_stops_after_patience_and_restores_the_best_seen():
    model = StubModel()
    callback = EarlyStopping(patience=3, baseline=0.1, restore_best_weights=True)
    assert drive_epochs(callback, model, [1.0, 0.5, 0.6, 0.7, 0.8, 0.9]) == 3
    np.testing.assert_array_equal(model.weights_value, [1.0, 1.0])


def test_start_from_epoch_ignores_the_warm_up():
    model = StubModel()
    callback = EarlyStopping(patience=1, start_from_epoch=3)
    # Epochs 0-2 get worse but are not monitored; monitoring starts at 3.
    assert drive_epochs(callback, model, [0.1, 0.5, 0.9, 0.8, 0.7, 0.75, 0.9]) == 6


def test_missing_monitor_warns_and_does_nothing():
    model = StubModel()
    with pytest.warns(UserWarning, match="val_loss.*not available"):
        assert drive_epochs(EarlyStopping(patience=0), model, [1.0, 2.0], monitor="other") == 2


def test_unknown_mode_falls_back_to_auto():
    with pytest.warns(UserWarning, match="unknown"):
        assert EarlyStopping(mode="sideways").mode == "auto"


def test_reusable_across_fits():
    model, callback = StubModel(), EarlyStopping(patience=1)
    assert drive_epochs(callback, model, [1.0, 2.0, 3.0]) == 2
    model.stop_training = False
    assert drive_epochs(callback, model, [5.0, 4.0, 3.0]) == 3


@requires_training
def test_fit_restores_the_weights_of_the_best_epoch():
    x, y = regression_data()
    model = dense_model()
    scores = [3.0, 1.0, 2.0, 2.5, 4.0, 5.0]
    snapshots = []
    # The monitored value is injected into the epoch logs, so the best epoch is known in advance.
    inject = LambdaCallback(on_epoch_end=lambda epoch, logs: logs.update(score=scores[epoch]))
    snapshot = LambdaCallback(on_epoch_end=lambda epoch, logs: snapshots.append(
        [np.array(w, copy=True) for w in model.get_weights()]))
    stopper = EarlyStopping(monitor="score", mode="min", patience=2, restore_best_weights=True)
    history = model.fit(x, y, batch_size=8, epochs=6, callbacks=[inject, snapshot, stopper], verbose=0)
    assert history.epoch == [0, 1, 2, 3]
    assert history.history["score"] == scores[:4]
    assert model.stop_training
    for restored, best in zip(model.get_weights(), snapshots[1]):
        np.testing.assert_array_equal(restored, best)
    assert not np.allclose(snapshots[1][0], snapshots[3][0])  # training did move the weights after the best
