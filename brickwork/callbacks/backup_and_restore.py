"""``BackupAndRestore``: resume a ``fit`` that was interrupted (an exception, a killed process).

The backup is two files in ``backup_dir``: a weights file (the model's and the optimizer's
variables) and ``training_metadata.json`` naming it with the epoch and step it was taken at.
Each is written atomically, weights first, under a new name, so the metadata (the commit point)
always names a complete weights file: a process killed at any moment leaves a usable backup.
With ``double_checkpoint=True`` the backup before it is kept too (``training_metadata.json.bkp``
and the weights it names), and a latest backup that cannot be loaded falls back to it.

On restart, ``on_train_begin`` restores the variables and sets ``model._initial_epoch`` and
``model._initial_step``; ``fit`` starts from that epoch and skips the steps already trained.
With a deterministic batch order (``shuffle=False``, or a dataset that repeats its order) the
resumed run ends where an uninterrupted one would.
"""

from __future__ import annotations

import json
import os
import warnings

import numpy as np

from brickwork import backend
from brickwork.callbacks.callback import Callback
from brickwork.saving.atomic import atomic_write

_METADATA = "training_metadata.json"
_WEIGHTS_PREFIX = "backup-"
_WEIGHTS_SUFFIX = ".weights.h5"


class BackupAndRestore(Callback):
    """Back up the training state regularly; restore it when ``fit`` starts again.

    Args:
        backup_dir: a folder for this run's backups only (not shared with other callbacks or runs).
        save_freq: ``"epoch"`` (at the end of each epoch), or an integer: every that many batches
            (the resumed run then starts mid-epoch, at the step after the backup).
        double_checkpoint: also keep the backup before the latest one, and restore from it when the
            latest cannot be loaded (a damaged file). Without it a complete previous backup still
            remains until a new one is complete.
        delete_checkpoint: delete the backup when ``fit`` completes.

    Example:
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
        model.compile(optimizer="sgd", loss="mse")
        x, y = np.random.rand(32, 4), np.random.rand(32, 1)
        callback = BackupAndRestore(backup_dir="backup", save_freq=100)
        model.fit(x, y, epochs=10, shuffle=False, callbacks=[callback])  # rerun after a crash to resume
    """

    def __init__(self, backup_dir, save_freq="epoch", double_checkpoint: bool = False, delete_checkpoint: bool = True):
        super().__init__()
        if not backup_dir:
            raise ValueError(f"BackupAndRestore: Empty `backup_dir` argument passed: expected a folder path, "
                             f"received {backup_dir!r}.")
        if save_freq != "epoch" and not (isinstance(save_freq, int) and not isinstance(save_freq, bool)
                                         and save_freq > 0):
            raise ValueError(
                f"BackupAndRestore: Invalid value for argument `save_freq`: expected 'epoch' or a positive integer, "
                f"received {save_freq!r}."
            )
        self.backup_dir = os.fspath(backup_dir)
        self.save_freq = save_freq
        self.double_checkpoint = double_checkpoint
        self.delete_checkpoint = delete_checkpoint
        self._training_metadata_path = os.path.join(self.backup_dir, _METADATA)
        self._prev_training_metadata_path = self._training_metadata_path + ".bkp"
        self._weights_path = None  # the latest backup's weights file, once there is one
        self._prev_weights_path = None  # the one before it, kept with double_checkpoint
        self._current_epoch = 0
        self._last_batch_seen = 0  # the index of the last batch trained in the current epoch
        self._batches_since_backup = 0
        self._counter = 0

    # ---------------------------------------------------------------- restoring
    def on_train_begin(self, logs: dict | None = None) -> None:
        metadata = self._read_metadata(self._training_metadata_path)
        if metadata is None:
            return
        if not self.model.built:
            raise ValueError(
                f"BackupAndRestore: model {self.model.name!r} must be built before `fit()` to restore its backup. "
                "Give it an Input, or call it on a batch of data first."
            )
        try:
            self._restore(metadata)
        except (OSError, ValueError) as error:
            previous = self._read_metadata(self._prev_training_metadata_path) if self.double_checkpoint else None
            if previous is None:
                raise
            warnings.warn(f"BackupAndRestore: the latest backup in {self.backup_dir!r} cannot be loaded ({error}); "
                          "restoring the one before it.", stacklevel=2)
            self._restore(previous)
            self._write_metadata(self._training_metadata_path, previous)  # it is the latest backup now
            self._prev_weights_path = None

    def _restore(self, metadata: dict) -> None:
        weights_path = os.path.join(self.backup_dir, metadata["weights"])
        self.model.load_weights(weights_path)
        self._weights_path = weights_path
        self._restore_seed_states(metadata.get("seed_states", []))
        self._counter = int(metadata.get("counter", 0))
        self._current_epoch = int(metadata["epoch"])
        self.model._initial_epoch = int(metadata["epoch"])
        self.model._initial_step = int(metadata.get("batch", 0))

    def _read_metadata(self, path: str) -> dict | None:
        if not os.path.exists(path):
            return None
        try:
            with open(path, encoding="utf-8") as handle:
                metadata = json.load(handle)
            weights = metadata["weights"]
            int(metadata["epoch"])
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise ValueError(
                f"BackupAndRestore: the backup in {self.backup_dir!r} is unreadable ({error}). Delete the folder "
                "to start training from scratch."
            ) from None
        if os.path.basename(weights) != weights or not weights.endswith(_WEIGHTS_SUFFIX):
            raise ValueError(f"BackupAndRestore: {path!r} names an unexpected file {weights!r}.")
        return metadata

    # ---------------------------------------------------------------- backing up
    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self._current_epoch = epoch

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        self._last_batch_seen = batch
        if self.save_freq == "epoch":
            return
        self._batches_since_backup += 1
        if self._batches_since_backup >= self.save_freq:
            self._batches_since_backup = 0
            steps = (self.params or {}).get("steps")
            if steps is not None and batch + 1 >= steps:
                self._backup(self._current_epoch + 1, 0)  # the epoch is complete
            else:
                self._backup(self._current_epoch, batch + 1)

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        self._current_epoch = epoch + 1  # the epoch a resumed run starts from
        self._last_batch_seen = 0
        if self.save_freq == "epoch":
            self._backup(epoch + 1, 0)

    def _backup(self, epoch: int, batch: int) -> None:
        """Write the weights under a new name, then the metadata naming them, then drop older weights (all but
        the previous backup's with ``double_checkpoint``)."""
        os.makedirs(self.backup_dir, exist_ok=True)
        self._counter += 1
        weights = f"{_WEIGHTS_PREFIX}{self._counter}{_WEIGHTS_SUFFIX}"
        self.model.save_weights(os.path.join(self.backup_dir, weights), overwrite=True)
        metadata = {"epoch": epoch, "batch": batch, "weights": weights, "counter": self._counter,
                    "seed_states": self._seed_states()}
        latest = self._read_metadata(self._training_metadata_path) if self.double_checkpoint else None
        if latest is not None:
            self._write_metadata(self._prev_training_metadata_path, latest)
            self._prev_weights_path = os.path.join(self.backup_dir, latest["weights"])
        self._write_metadata(self._training_metadata_path, metadata)
        self._weights_path = os.path.join(self.backup_dir, weights)
        self._remove_backups(keep=(weights, latest["weights"] if latest is not None else weights))

    @staticmethod
    def _write_metadata(path: str, metadata: dict) -> None:
        with atomic_write(path) as temporary:
            with open(temporary, "w", encoding="utf-8") as handle:
                json.dump(metadata, handle)

    def _remove_backups(self, keep: tuple[str, ...] = ()) -> None:
        for name in os.listdir(self.backup_dir):
            if name.startswith(_WEIGHTS_PREFIX) and name.endswith(_WEIGHTS_SUFFIX) and name not in keep:
                os.remove(os.path.join(self.backup_dir, name))

    def on_train_end(self, logs: dict | None = None) -> None:
        if self.delete_checkpoint and os.path.isdir(self.backup_dir):
            self._remove_backups()
            for path in (self._training_metadata_path, self._prev_training_metadata_path):
                if os.path.exists(path):
                    os.remove(path)
            if not os.listdir(self.backup_dir):
                os.rmdir(self.backup_dir)

    # ---------------------------------------------------------------- random state
    def _seed_variables(self) -> list:
        """The states of the model's seed generators (dropout masks): not weights, but training state."""
        weights = {id(v) for v in self.model.weights}
        return [v for v in self.model.variables if id(v) not in weights]

    def _seed_states(self) -> list:
        return [backend.convert_to_numpy(v.value).tolist() for v in self._seed_variables()]

    def _restore_seed_states(self, states: list) -> None:
        variables = self._seed_variables()
        if len(states) == len(variables):
            for variable, state in zip(variables, states):
                variable.assign(np.asarray(state, dtype=backend.standardize_dtype(variable.dtype)))
