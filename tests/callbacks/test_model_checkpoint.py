"""ModelCheckpoint: file name templates, save_best_only with min/max/auto modes, save_freq, weights only."""

import os

import numpy as np
import pytest

from brickwork import callbacks, layers, saving
from brickwork.models import Sequential
from tests.conftest import requires_training


def _model():
    model = Sequential([layers.Input((3,)), layers.Dense(2)])
    model.compile(optimizer="sgd", loss="mse")
    return model


def _drive(callback, epoch_logs, model=None):
    """Call the epoch hooks as ``fit`` would, with the given logs per epoch."""
    callback.set_model(model or _model())
    callback.set_params({"epochs": len(epoch_logs), "steps": 1, "verbose": 0})
    callback.on_train_begin()
    for epoch, logs in enumerate(epoch_logs):
        callback.on_epoch_begin(epoch)
        callback.on_train_batch_end(0, logs)
        callback.on_epoch_end(epoch, logs)
    callback.on_train_end()


def test_template_names_each_epoch(tmp_path):
    template = str(tmp_path / "ckpt" / "{epoch:02d}-{val_loss:.2f}.keras")
    _drive(callbacks.ModelCheckpoint(template), [{"val_loss": 0.5}, {"val_loss": 0.25}])
    assert sorted(os.listdir(tmp_path / "ckpt")) == ["01-0.50.keras", "02-0.25.keras"]
    assert saving.load_model(tmp_path / "ckpt" / "02-0.25.keras").count_params() == 8


@pytest.mark.parametrize("monitor,mode,values,saved", [
    ("val_loss", "auto", [0.5, 0.7, 0.4, 0.4], [1, 3]),
    ("val_accuracy", "auto", [0.5, 0.7, 0.6, 0.9], [1, 2, 4]),
    ("val_loss", "max", [0.5, 0.7, 0.6, 0.9], [1, 2, 4]),
    ("score", "min", [3.0, 2.0, 2.5, 1.0], [1, 2, 4]),
])
def test_save_best_only(tmp_path, monitor, mode, values, saved):
    template = str(tmp_path / "{epoch}.keras")
    callback = callbacks.ModelCheckpoint(template, monitor=monitor, mode=mode, save_best_only=True)
    _drive(callback, [{monitor: v, "loss": 1.0} for v in values])
    assert sorted(int(name.split(".")[0]) for name in os.listdir(tmp_path)) == saved


def test_initial_value_threshold(tmp_path):
    callback = callbacks.ModelCheckpoint(str(tmp_path / "{epoch}.keras"), save_best_only=True,
                                         initial_value_threshold=0.45)
    _drive(callback, [{"val_loss": 0.5}, {"val_loss": 0.4}])
    assert os.listdir(tmp_path) == ["2.keras"]


def test_missing_monitor_warns_and_saves_anyway(tmp_path):
    callback = callbacks.ModelCheckpoint(str(tmp_path / "{epoch}.keras"), save_best_only=True)
    with pytest.warns(UserWarning, match="'val_loss' in the logs.*Saving it anyway"):
        _drive(callback, [{"loss": 0.5}, {"loss": 0.4}])
    assert sorted(os.listdir(tmp_path)) == ["1.keras", "2.keras"]  # as Keras: no monitor, no filtering
    assert callback.best == np.inf


def test_save_freq_in_batches_with_batch_template(tmp_path):
    callback = callbacks.ModelCheckpoint(str(tmp_path / "e{epoch}-b{batch}.weights.h5"), save_weights_only=True,
                                         save_freq=3)
    callback.set_model(_model())
    for epoch in range(2):
        callback.on_epoch_begin(epoch)
        for batch in range(4):
            callback.on_train_batch_end(batch, {"loss": 1.0})
        callback.on_epoch_end(epoch, {"loss": 1.0})
    assert sorted(os.listdir(tmp_path)) == ["e1-b3.weights.h5", "e2-b2.weights.h5"]


@pytest.mark.parametrize("kwargs,name", [({}, "m.weights.h5"), ({"save_weights_only": True}, "m.keras"),
                                         ({"save_freq": 0}, "m.keras"), ({"save_freq": "batch"}, "m.keras")])
def test_bad_arguments_are_named(tmp_path, kwargs, name):
    with pytest.raises(ValueError, match="ModelCheckpoint"):
        callbacks.ModelCheckpoint(str(tmp_path / name), **kwargs)
    if "save_freq" in kwargs:
        with pytest.raises(ValueError, match="Unrecognized save_freq"):
            callbacks.ModelCheckpoint(str(tmp_path / name), **kwargs)


def test_unknown_template_field_is_named(tmp_path):
    with pytest.raises(KeyError, match="val_acc"):
        _drive(callbacks.ModelCheckpoint(str(tmp_path / "{val_acc}.keras")), [{"loss": 1.0}])


@requires_training
def test_in_fit_keeps_the_best_weights(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 3)).astype("float32")
    y = x @ rng.normal(size=(3, 2)).astype("float32")
    model = _model()
    path = tmp_path / "best.weights.h5"
    history = model.fit(x, y, validation_data=(x, y), epochs=3, batch_size=8, verbose=0,
                        callbacks=[callbacks.ModelCheckpoint(str(path), save_best_only=True, save_weights_only=True)])
    assert path.exists()
    best = min(history.history["val_loss"])
    restored = _model()
    restored.load_weights(path)
    np.testing.assert_allclose(restored.evaluate(x, y, verbose=0), best, rtol=1e-4)
