"""``OrbaxCheckpoint``: save the model's whole training state with Orbax while ``fit`` runs, in the background.

The checkpoint layout is described in ``brickwork/saving/orbax_checkpoint.py``; ``load_model(directory)``
and ``model.load_weights(directory)`` read the newest step back.
"""

from __future__ import annotations

import os
import warnings

from brickwork.callbacks.monitor_callback import MonitorCallback
from brickwork.saving import orbax_checkpoint
from brickwork.utils import io_utils


class OrbaxCheckpoint(MonitorCallback):
    """Save the model's state during training with Orbax: weights, optimizer and metric variables, the
    model's config and its assets, one numbered step folder per save, written in the background.

    Needs the ``orbax-checkpoint`` package (``pip install "brickwork[orbax]"``). Saves every epoch (the step is
    the epoch index) or every ``save_freq`` batches (the step is the number of batches trained, counted on from
    the optimizer's ``iterations`` so that a resumed run continues the numbering). Read a checkpoint back with
    ``keras.saving.load_model(directory)`` (the whole model, compiled) or ``model.load_weights(directory)``;
    both take the newest step.

    Args:
        directory: the folder that holds the checkpoints (created if missing).
        monitor: the log to compare for ``save_best_only`` (``"val_loss"``, ``"accuracy"``, …).
        verbose: 1 prints a line at each save.
        save_best_only: save only when ``monitor`` improved on the best value so far (a save is skipped, with
            a warning, when ``monitor`` is not in the logs).
        mode: ``"min"``, ``"max"`` or ``"auto"`` (decided from the monitored metric).
        save_freq: ``"epoch"``, or a positive integer: save every that many batches.
        initial_value_threshold: with ``save_best_only``, the value ``monitor`` must beat first.
        max_to_keep: how many of the newest checkpoints to keep (older ones are deleted); None keeps all.
        save_on_background: write each checkpoint in a background thread while training goes on
            (``wait_until_finished()`` waits for them; the end of ``fit`` does too).
        save_weights_only: save the model's variables only (no optimizer or metric state, no config):
            read back with ``model.load_weights(directory)``.

    Example:
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, name="out")])
        model.compile(optimizer="adam", loss="mse")
        x, y = np.random.rand(32, 4), np.random.rand(32, 1)
        checkpoint = keras.callbacks.OrbaxCheckpoint("orbax_ckpt", max_to_keep=2)
        model.fit(x, y, epochs=3, callbacks=[checkpoint], verbose=0)
        restored = keras.saving.load_model("orbax_ckpt")  # the newest step (epoch index 2)
    """

    def __init__(self, directory, monitor: str = "val_loss", verbose: int = 0, save_best_only: bool = False,
                 mode: str = "auto", save_freq="epoch", initial_value_threshold: float | None = None,
                 max_to_keep: int | None = 1, save_on_background: bool = True, save_weights_only: bool = False):
        self._ocp = orbax_checkpoint.import_orbax()
        super().__init__(monitor, mode, initial_value_threshold)
        if save_freq != "epoch" and (isinstance(save_freq, bool) or not isinstance(save_freq, int)
                                     or save_freq < 1):
            raise ValueError(f"OrbaxCheckpoint: Unrecognized save_freq: {save_freq!r}. `save_freq` must be 'epoch' "
                             "or a positive integer (a number of batches).")
        if max_to_keep is not None and (isinstance(max_to_keep, bool) or not isinstance(max_to_keep, int)
                                        or max_to_keep < 1):
            raise ValueError(f"OrbaxCheckpoint: `max_to_keep` must be a positive integer or None (keep every "
                             f"checkpoint), received max_to_keep={max_to_keep!r}.")
        self.directory = os.path.abspath(os.fspath(directory))
        self.verbose = verbose
        self.save_best_only = save_best_only
        self.save_freq = save_freq
        self.max_to_keep = max_to_keep
        self.save_on_background = save_on_background
        self.save_weights_only = save_weights_only
        self._checkpointer = None
        self._pending = []  # background saves not yet waited for
        self._total_batches_seen = 0
        self._batches_seen_since_last_saving = 0
        self._last_batch_seen = None
        self._hosts = orbax_checkpoint.import_orbax_multihost()
        self._multihost = bool(self._hosts.is_jax_distributed_client_initialized())
        self.checkpointer  # creates the directory now, as Keras does

    @property
    def checkpointer(self):
        """The Orbax ``training.Checkpointer`` writing to ``directory`` (opened again after ``fit`` closed it)."""
        if self._checkpointer is None:
            policies = self._ocp.training.preservation_policies
            self._checkpointer = self._ocp.training.Checkpointer(
                directory=self.directory,
                preservation_policy=None if self.max_to_keep is None else policies.LatestN(self.max_to_keep),
                # every step we ask for is saved: the callback decides when
                save_decision_policy=self._ocp.training.save_decision_policies.FixedIntervalPolicy(1),
            )
        return self._checkpointer

    def set_model(self, model) -> None:
        super().set_model(model)
        optimizer = getattr(model, "optimizer", None)
        if optimizer is not None:
            self._total_batches_seen = int(optimizer.iterations.numpy())  # a resumed run numbers on

    def is_multihost_enabled(self) -> bool:
        """Whether checkpoints are coordinated across hosts (a JAX distributed client is initialized)."""
        return self._multihost

    def is_primary_host(self) -> bool:
        """Whether this process is the one that logs (always True on a single host)."""
        return not self._multihost or bool(self._hosts.is_primary_host(primary_host=0))

    def _sync_hosts(self, key: str) -> None:
        if self._multihost:
            self._hosts.sync_global_processes(key)

    # ------------------------------------------------------------------ when to save
    def _count_batch(self, batch: int) -> bool:
        """Count the batches up to ``batch`` (several at once with ``steps_per_execution``); True when a save
        is due."""
        if self._last_batch_seen is None or batch <= self._last_batch_seen:
            trained = batch + 1  # a new epoch
        else:
            trained = batch - self._last_batch_seen
        self._last_batch_seen = batch
        self._total_batches_seen += trained
        self._batches_seen_since_last_saving += trained
        if self._batches_seen_since_last_saving < self.save_freq:
            return False
        self._batches_seen_since_last_saving = 0
        return True

    def _improved(self, logs: dict | None, where: str) -> bool:
        if not self.save_best_only:
            return True
        if self.monitor_op is None:
            self._set_monitor_op()
        current = (logs or {}).get(self.monitor)
        if current is None:
            warnings.warn(f"OrbaxCheckpoint: can save the best model only with {self.monitor!r} in the logs, which "
                          f"hold {sorted(logs or {})}; skipping the save at {where}.", stacklevel=3)
            return False
        current = float(current)
        if not self._is_improvement(current, self.best):
            return False
        self.best = current
        return True

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        if self.save_freq == "epoch" or not self._count_batch(batch):
            return
        if self._improved(logs, f"batch {batch}"):
            self._save_checkpoint(self._total_batches_seen, logs)

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        if self.save_freq == "epoch" and self._improved(logs, f"epoch {epoch}"):
            self._save_checkpoint(epoch, logs)

    def on_train_end(self, logs: dict | None = None) -> None:
        self._close()
        self._sync_hosts("orbax_checkpoint_train_end")

    # ------------------------------------------------------------------ saving
    def _save_checkpoint(self, step: int, logs: dict | None = None) -> None:
        """Write the checkpoint of ``step`` (in the background with ``save_on_background``)."""
        parts = orbax_checkpoint.checkpoint_parts(self.model, weights_only=self.save_weights_only)
        if self.verbose > 0 and self.is_primary_host():
            io_utils.print_msg(f"\nOrbaxCheckpoint: saving step {step} to {self.directory}")
        try:
            with self._ocp.Context():
                if self.save_on_background:
                    self._pending.append(self.checkpointer.save_checkpointables_async(step, parts))
                else:
                    self.checkpointer.save_checkpointables(step, parts)
        except self._ocp.training.errors.StepAlreadyExistsError:
            raise FileExistsError(
                f"OrbaxCheckpoint: {self.directory!r} already holds a checkpoint of step {step}, from an earlier "
                "run. To resume that run, load it (keras.saving.load_model(directory)) and continue with "
                "fit(..., initial_epoch=<the next epoch>); otherwise give an empty directory."
            ) from None

    def wait_until_finished(self) -> None:
        """Block until every background save has been written (on every host)."""
        pending, self._pending = self._pending, []
        for response in pending:
            response.result()
        if self._checkpointer is not None:
            self._checkpointer.wait()
        self._sync_hosts("orbax_checkpoint_wait")

    def _close(self) -> None:
        pending, self._pending = self._pending, []
        try:
            for response in pending:
                response.result()
        finally:
            if self._checkpointer is not None:
                self._checkpointer.close()  # waits for what is still being written
                self._checkpointer = None
