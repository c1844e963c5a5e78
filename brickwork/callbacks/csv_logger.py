"""``CSVLogger``: one CSV row of metrics per epoch."""

from __future__ import annotations

import collections.abc
import csv
import os

import numpy as np

from brickwork.callbacks.callback import Callback


class CSVLogger(Callback):
    """Stream each epoch's logs to a CSV file: an ``epoch`` column, then the metrics in sorted order.

    Values that are sequences (a per-class metric) are written as ``"[a, b, ...]"``.

    Args:
        filename: the CSV file, e.g. ``"run/log.csv"``.
        separator: the column separator.
        append: append to an existing file (continuing a training run; the header is written only
            if the file is empty) instead of overwriting it.

    Example:
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
        model.compile(optimizer="sgd", loss="mse")
        x, y = np.random.rand(32, 4), np.random.rand(32, 1)
        model.fit(x, y, epochs=5, callbacks=[keras.callbacks.CSVLogger("training.log")])
    """

    def __init__(self, filename: str | os.PathLike, separator: str = ",", append: bool = False):
        super().__init__()
        self.sep = separator
        self.filename = os.fspath(filename)
        self.append = append
        self.writer = None
        self.keys = None
        self.append_header = True
        self.csv_file = None

    def on_train_begin(self, logs=None) -> None:
        if self.append and os.path.exists(self.filename):
            with open(self.filename) as existing:
                self.append_header = not existing.readline()
        self._close()
        self.csv_file = open(self.filename, "a" if self.append else "w", newline="")
        self.writer = None
        self.keys = None

    def on_epoch_end(self, epoch, logs=None) -> None:
        logs = logs or {}
        if self.keys is None:
            self.keys = sorted(logs)
            # Validation may run only some epochs (validation_freq): as Keras, the first row without `val_`
            # columns gets one per metric, "NA" until validation runs.
            if self.keys and not any(key.startswith("val_") for key in self.keys):
                self.keys.extend(f"val_{key}" for key in list(self.keys))
        if self.writer is None:
            dialect = type("_Dialect", (csv.excel,), {"delimiter": self.sep})
            self.writer = csv.DictWriter(self.csv_file, fieldnames=["epoch"] + self.keys, dialect=dialect)
            if self.append_header:
                self.writer.writeheader()
        row = {"epoch": epoch}
        row.update((key, _format(logs.get(key, "NA"))) for key in self.keys)
        self.writer.writerow(row)
        self.csv_file.flush()

    def on_train_end(self, logs=None) -> None:
        self._close()
        self.writer = None

    def _close(self) -> None:
        if self.csv_file is not None and not self.csv_file.closed:
            self.csv_file.close()


def _format(value):
    if isinstance(value, str):
        return value
    if isinstance(value, collections.abc.Iterable) and not (isinstance(value, np.ndarray) and value.ndim == 0):
        return f'"[{", ".join(map(str, value))}]"'
    return value
