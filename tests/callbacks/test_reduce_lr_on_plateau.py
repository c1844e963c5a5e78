"""ReduceLROnPlateau: the rate falls by `factor` after `patience` flat epochs; cooldown, min_lr, logs."""

import numpy as np
import pytest

from brickwork.callbacks import LambdaCallback, ReduceLROnPlateau
from tests.callbacks.callback_models import (
    StubModel,
    dense_model,
    drive_epochs,
    regression_data,
)
from tests.conftest import requires_training


def _rates(callback, values, learning_rate=0.1, monitor="val_loss"):
    """The learning rate in force after each epoch."""
    model = StubModel(learning_rate)
    rates = []
    callback.set_model(model)
    callback.on_train_begin({})
    for epoch, value in enumerate(values):
        callback.on_epoch_end(epoch, {monitor: value})
        rates.append(round(float(np.asarray(model.optimizer.learning_rate)), 8))
    return rates


def test_lowers_the_rate_by_factor_after_patience_epochs():
    rates = _rates(ReduceLROnPlateau(factor=0.5, patience=2), [1.0, 1.0, 1.0, 1.0, 1.0])
    assert rates == [0.1, 0.1, 0.05, 0.05, 0.025]


def test_improvement_resets_the_wait():
    rates = _rates(ReduceLROnPlateau(factor=0.5, patience=2), [1.0, 1.0, 0.5, 0.5, 0.5])
    assert rates == [0.1, 0.1, 0.1, 0.1, 0.05]


def test_min_delta_decides_what_improves():
    rates = _rates(ReduceLROnPlateau(factor=0.5, patience=1, min_delta=0.1), [1.0, 0.95, 0.5])
    assert rates == [0.1, 0.05, 0.05]


def test_cooldown_and_min_lr():
    rates = _rates(ReduceLROnPlateau(factor=0.1, patience=1, cooldown=2, min_lr=0.0005), [1.0] * 7)
    # Keras's counting: the epoch that ends the cooldown already counts towards patience, so with
    # cooldown=2, patience=1 the rate falls every second epoch; never below min_lr.
    assert rates == [0.1, 0.01, 0.01, 0.001, 0.001, 0.0005, 0.0005]


def test_accuracy_is_maximized_in_auto_mode():
    rates = _rates(ReduceLROnPlateau(monitor="val_accuracy", factor=0.5, patience=1),
                   [0.5, 0.6, 0.55], monitor="val_accuracy")
    assert rates == [0.1, 0.1, 0.05]


def test_logs_get_the_learning_rate():
    model = StubModel(0.25)
    callback = ReduceLROnPlateau()
    callback.set_model(model)
    logs = {"val_loss": 1.0}
    callback.on_epoch_end(0, logs)
    assert logs["learning_rate"] == pytest.approx(0.25)


def test_factor_of_one_or_more_is_refused():
    with pytest.raises(ValueError, match="factor >= 1.0"):
        ReduceLROnPlateau(factor=1.0)


def test_missing_monitor_warns():
    with pytest.warns(UserWarning, match="val_loss.*not available"):
        drive_epochs(ReduceLROnPlateau(), StubModel(), [1.0], monitor="other")


@requires_training
def test_in_fit_the_history_shows_the_rate_of_each_epoch():
    x, y = regression_data()
    model = dense_model(learning_rate=0.1)
    flat = LambdaCallback(on_epoch_end=lambda epoch, logs: logs.update(plateau=1.0))
    reduce = ReduceLROnPlateau(monitor="plateau", factor=0.5, patience=2)
    history = model.fit(x, y, batch_size=32, epochs=5, callbacks=[flat, reduce], verbose=0)
    assert history.history["learning_rate"] == pytest.approx([0.1, 0.1, 0.1, 0.05, 0.05])
    assert float(np.asarray(model.optimizer.learning_rate)) == pytest.approx(0.025)


def _multi_optimizer_model():
    import types

    from brickwork import optimizers

    first = optimizers.SGD(learning_rate=0.1, name="first")
    second = optimizers.SGD(learning_rate=0.01, name="second")
    multi = optimizers.MultiOptimizer(optimizers.OptimizerMap(default_optimizer=second,
                                                              optimizer_map={"dense_1/": first}))
    return types.SimpleNamespace(optimizer=multi, stop_training=False), first, second


def test_each_inner_optimizer_of_a_multi_optimizer_is_lowered_and_logged():
    model, first, second = _multi_optimizer_model()
    callback = ReduceLROnPlateau(factor=0.5, patience=1, min_lr=0.004)
    callback.set_model(model)
    callback.on_train_begin({})
    rates = []
    for epoch in range(4):
        logs = {"val_loss": 1.0}
        callback.on_epoch_end(epoch, logs)
        rates.append((round(float(np.asarray(first.learning_rate)), 6), round(float(np.asarray(second.learning_rate)), 6)))
    assert rates == [(0.1, 0.01), (0.05, 0.005), (0.025, 0.004), (0.0125, 0.004)]  # min_lr per optimizer
    assert set(logs) == {"val_loss", "learning_rate_first", "learning_rate_second"}
    assert np.isclose(logs["learning_rate_first"], 0.025) and np.isclose(logs["learning_rate_second"], 0.004)
