"""``ModelCheckpoint``: save the model (or its weights) during ``fit``, every epoch or every N batches."""

from __future__ import annotations

import os
import warnings

import numpy as np

from brickwork.callbacks.callback import Callback
from brickwork.utils import io_utils


class ModelCheckpoint(Callback):
    """Save the model or its weights while training; each write is atomic.

    Args:
        filepath: where to save; may hold ``{epoch}``, ``{batch}`` and any log name, formatted with
            ``str.format`` (``"ckpt/{epoch:02d}-{val_loss:.2f}.keras"``). It must end in ``.keras``, or
            in ``.weights.h5`` with ``save_weights_only=True``.
        monitor: the log to compare for ``save_best_only`` (``"val_loss"``, ``"val_accuracy"``, …).
        verbose: 1 prints a line at each save.
        save_best_only: save only when ``monitor`` improved on the best value so far.
        save_weights_only: save ``model.save_weights`` instead of the whole model.
        mode: ``"min"``, ``"max"`` or ``"auto"`` (``max`` for accuracy-like names, else ``min``).
        save_freq: ``"epoch"``, or an integer: save every that many batches.
        initial_value_threshold: with ``save_best_only``, the value ``monitor`` must beat first.

    Example:
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
        model.compile(optimizer="sgd", loss="mse")
        x, y = np.random.rand(32, 4), np.random.rand(32, 1)
        checkpoint = ModelCheckpoint("best.keras", monitor="val_loss", save_best_only=True)
        model.fit(x, y, validation_split=0.2, epochs=10, callbacks=[checkpoint])
    """

    def __init__(self, filepath, monitor: str = "val_loss", verbose: int = 0, save_best_only: bool = False,
                 save_weights_only: bool = False, mode: str = "auto", save_freq="epoch",
                 initial_value_threshold: float | None = None):
        super().__init__()
        self.filepath = os.fspath(filepath)
        self.monitor = monitor
        self.verbose = verbose
        self.save_best_only = save_best_only
        self.save_weights_only = save_weights_only
        self.save_freq = save_freq
        suffix = ".weights.h5" if save_weights_only else ".keras"
        if not self.filepath.endswith(suffix):
            raise ValueError(
                f"ModelCheckpoint: with save_weights_only={save_weights_only}, `filepath` must end in {suffix!r}, "
                f"received filepath={self.filepath!r}."
            )
        if save_freq != "epoch" and not (isinstance(save_freq, int) and save_freq > 0):
            raise ValueError(f"ModelCheckpoint: Unrecognized save_freq: {save_freq!r}. `save_freq` must be 'epoch' or "
                             "a positive integer.")
        if mode not in ("auto", "min", "max"):
            warnings.warn(f"ModelCheckpoint mode {mode!r} is unknown, falling back to 'auto'.", stacklevel=2)
            mode = "auto"
        if mode == "auto":
            mode = "max" if "acc" in monitor or monitor.startswith("fmeasure") or monitor.endswith("auc") else "min"
        self.mode = mode
        self.monitor_op = np.greater if mode == "max" else np.less
        if initial_value_threshold is not None:
            self.best = float(initial_value_threshold)
        else:
            self.best = -np.inf if mode == "max" else np.inf
        self._current_epoch = 0
        self._batches_seen_since_last_saving = 0

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self._current_epoch = epoch

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        if self.save_freq == "epoch":
            return
        self._batches_seen_since_last_saving += 1
        if self._batches_seen_since_last_saving >= self.save_freq:
            self._batches_seen_since_last_saving = 0
            self._save(self._current_epoch, batch, logs)

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        if self.save_freq == "epoch":
            self._save(epoch, None, logs)

    def _save(self, epoch: int, batch: int | None, logs: dict | None) -> None:
        logs = {name: _as_number(value) for name, value in (logs or {}).items()}
        filepath = self._file_path(epoch, batch, logs)
        if self.save_best_only:
            current = logs.get(self.monitor)
            if current is None:  # as Keras: better a checkpoint than none
                warnings.warn(
                    f"ModelCheckpoint: can save the best model only with {self.monitor!r} in the logs, which hold "
                    f"{sorted(logs)}. Saving it anyway.", stacklevel=2)
            elif not self.monitor_op(current, self.best):
                if self.verbose > 0:
                    io_utils.print_msg(f"\nEpoch {epoch + 1}: {self.monitor} did not improve from {self.best:.5f}")
                return
            else:
                if self.verbose > 0:
                    io_utils.print_msg(f"\nEpoch {epoch + 1}: {self.monitor} improved from {self.best:.5f} to "
                                       f"{current:.5f}, saving model to {filepath}")
                self.best = current
        elif self.verbose > 0:
            io_utils.print_msg(f"\nEpoch {epoch + 1}: saving model to {filepath}")
        folder = os.path.dirname(filepath)
        if folder:
            os.makedirs(folder, exist_ok=True)
        if self.save_weights_only:
            self.model.save_weights(filepath, overwrite=True)
        else:
            self.model.save(filepath, overwrite=True)

    def _file_path(self, epoch: int, batch: int | None, logs: dict) -> str:
        """``filepath`` with ``{epoch}`` (1-based), ``{batch}`` (1-based) and the logs filled in."""
        values = dict(logs, epoch=epoch + 1)
        if batch is not None:
            values["batch"] = batch + 1
        try:
            return self.filepath.format(**values)
        except KeyError as error:
            raise KeyError(
                f"ModelCheckpoint: filepath {self.filepath!r} names {error}, which is not in the logs "
                f"{sorted(values)}."
            ) from None
        except (ValueError, IndexError) as error:
            raise ValueError(f"ModelCheckpoint: cannot format filepath {self.filepath!r}: {error}") from None


def _as_number(value):
    try:
        array = np.asarray(value)
    except Exception:
        return value
    return float(array) if array.ndim == 0 and array.dtype.kind in "biuf" else value

