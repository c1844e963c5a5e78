"""CSVLogger: one row per epoch with sorted columns; append keeps one header."""

import csv

import numpy as np
import pytest

from brickwork.callbacks import CSVLogger
from tests.callbacks.callback_models import StubModel, dense_model, regression_data
from tests.conftest import requires_training


def _rows(path, separator=","):
    with open(path, newline="") as file:
        return list(csv.reader(file, delimiter=separator))


def _drive(callback, epochs_logs):
    model = StubModel()
    callback.set_model(model)
    callback.on_train_begin({})
    for epoch, logs in enumerate(epochs_logs):
        callback.on_epoch_end(epoch, logs)
    callback.on_train_end({})


def test_rows_and_header(tmp_path):
    path = tmp_path / "log.csv"
    _drive(CSVLogger(path), [{"loss": 0.5, "accuracy": 0.25}, {"loss": 0.25, "accuracy": 0.5}])
    # Keras 3.15.1 adds a val_ column per metric when the first epoch has none ("NA" until validation runs).
    assert _rows(path) == [["epoch", "accuracy", "loss", "val_accuracy", "val_loss"],
                           ["0", "0.25", "0.5", "NA", "NA"], ["1", "0.5", "0.25", "NA", "NA"]]


def test_append_continues_without_a_second_header(tmp_path):
    path = tmp_path / "log.csv"
    _drive(CSVLogger(path), [{"loss": 1.0}])
    _drive(CSVLogger(path, append=True), [{"loss": 0.5}])
    assert _rows(path) == [["epoch", "loss", "val_loss"], ["0", "1.0", "NA"], ["0", "0.5", "NA"]]
    _drive(CSVLogger(path), [{"loss": 0.1}])  # without append: overwritten
    assert _rows(path) == [["epoch", "loss", "val_loss"], ["0", "0.1", "NA"]]


def test_append_to_an_empty_file_writes_the_header(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("")
    _drive(CSVLogger(path, append=True), [{"loss": 1.0}])
    assert _rows(path) == [["epoch", "loss", "val_loss"], ["0", "1.0", "NA"]]


def test_separator_missing_values_and_sequences(tmp_path):
    path = tmp_path / "log.tsv"
    _drive(CSVLogger(path, separator="\t"), [{"loss": 1.0, "f1": np.array([0.5, 0.25])}, {"f1": [1, 2]}])
    assert _rows(path, "\t") == [["epoch", "f1", "loss", "val_f1", "val_loss"],
                                 ["0", '"[0.5, 0.25]"', "1.0", "NA", "NA"], ["1", '"[1, 2]"', "NA", "NA", "NA"]]


@requires_training
def test_fit_with_validation_matches_the_history(tmp_path):
    x, y = regression_data()
    path = tmp_path / "fit.csv"
    history = dense_model().fit(x, y, batch_size=8, epochs=3, validation_split=0.25,
                                callbacks=[CSVLogger(str(path))], verbose=0)
    rows = _rows(path)
    assert rows[0] == ["epoch", "loss", "val_loss"]
    assert [int(row[0]) for row in rows[1:]] == [0, 1, 2]
    assert [float(row[1]) for row in rows[1:]] == pytest.approx(history.history["loss"])
    assert [float(row[2]) for row in rows[1:]] == pytest.approx(history.history["val_loss"])


@requires_training
def test_validation_every_third_epoch_leaves_na_between(tmp_path):
    x, y = regression_data()
    path = tmp_path / "freq.csv"
    history = dense_model().fit(x, y, batch_size=8, epochs=4, validation_split=0.25, validation_freq=3,
                                callbacks=[CSVLogger(str(path))], verbose=0)
    rows = _rows(path)
    assert rows[0] == ["epoch", "loss", "val_loss"]
    assert [row[2] for row in rows[1:]] == ["NA", "NA", str(history.history["val_loss"][0]), "NA"]
