"""BackupAndRestore: a run interrupted (by an exception, or SIGKILL mid-epoch) resumes to the result an
uninterrupted run gives."""

import json
import os
import pathlib
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from brickwork import backend, callbacks, layers
from brickwork.models import Sequential
from tests.conftest import BACKEND

REPO = pathlib.Path(__file__).resolve().parents[2]


def _trainer_resumes() -> bool:
    """Whether ``fit`` honours ``model._initial_epoch`` set by a callback in ``on_train_begin``."""

    class Jump(callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.model._initial_epoch = 1

    model = Sequential([layers.Input((1,)), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(np.ones((2, 1), "float32"), np.ones((2, 1), "float32"), epochs=2, verbose=0,
                        callbacks=[Jump()])
    return len(history.history["loss"]) == 1


@pytest.fixture
def resumable():
    if not backend.SUPPORTS_TRAINING:
        pytest.skip(f"the {BACKEND} backend is for inference only")
    if not _trainer_resumes():
        pytest.skip("Trainer.fit does not yet start from model._initial_epoch/_initial_step set by BackupAndRestore")


def _data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(24, 4)).astype("float32")
    return x, (x @ rng.normal(size=(4, 2))).astype("float32")


def _model():
    model = Sequential([layers.Input((4,)), layers.Dense(8, activation="relu"), layers.Dense(2)])
    model.compile(optimizer="adam", loss="mse")
    return model


class _Interrupt(callbacks.Callback):
    def __init__(self, epoch, batch):
        super().__init__()
        self.at = (epoch, batch)
        self.epoch = 0

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if (self.epoch, batch) == self.at:
            raise RuntimeError("interrupted")


@pytest.mark.parametrize("save_freq,stop_at", [("epoch", (2, 1)), (2, (1, 2))], ids=["epoch", "every-2-batches"])
def test_resume_after_an_exception_matches_an_uninterrupted_run(tmp_path, resumable, save_freq, stop_at):
    x, y = _data()
    reference = _model()
    start = [w.copy() for w in reference.get_weights()]  # torch get_weights may alias live parameters
    reference.fit(x, y, epochs=4, batch_size=6, shuffle=False, verbose=0)

    model = _model()
    model.set_weights(start)
    backup = callbacks.BackupAndRestore(tmp_path / "backup", save_freq=save_freq)
    with pytest.raises(RuntimeError, match="interrupted"):
        model.fit(x, y, epochs=4, batch_size=6, shuffle=False, verbose=0, callbacks=[backup, _Interrupt(*stop_at)])
    resumed = _model()  # a fresh process would start from new weights: the backup must replace them
    history = resumed.fit(x, y, epochs=4, batch_size=6, shuffle=False, verbose=0,
                          callbacks=[callbacks.BackupAndRestore(tmp_path / "backup", save_freq=save_freq)])
    assert len(history.history["loss"]) == 4 - stop_at[0]
    for got, want in zip(resumed.get_weights(), reference.get_weights()):
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-7)
    assert not (tmp_path / "backup").exists()  # deleted once training completed


def test_backup_files_and_metadata(tmp_path):
    model = _model()
    backup = callbacks.BackupAndRestore(tmp_path / "backup", save_freq=1, delete_checkpoint=False)
    backup.set_model(model)
    backup.set_params({"epochs": 2, "steps": 4, "verbose": 0})
    backup.on_epoch_begin(0)
    backup.on_train_batch_end(0, {})
    backup.on_train_batch_end(1, {})
    metadata = json.loads((tmp_path / "backup" / "training_metadata.json").read_text())
    assert (metadata["epoch"], metadata["batch"]) == (0, 2)
    assert sorted(os.listdir(tmp_path / "backup")) == [metadata["weights"], "training_metadata.json"]
    backup.on_train_batch_end(3, {})  # the last step: the epoch is complete
    metadata = json.loads((tmp_path / "backup" / "training_metadata.json").read_text())
    assert (metadata["epoch"], metadata["batch"]) == (1, 0)
    restored = _model()
    restorer = callbacks.BackupAndRestore(tmp_path / "backup")
    restorer.set_model(restored)
    restorer.on_train_begin()
    assert (restored._initial_epoch, restored._initial_step) == (1, 0)
    for got, want in zip(restored.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(got, want)


def test_double_checkpoint_keeps_the_previous_backup_and_falls_back_to_it(tmp_path):
    model = _model()
    backup = callbacks.BackupAndRestore(tmp_path / "backup", save_freq=1, double_checkpoint=True,
                                        delete_checkpoint=False)
    backup.set_model(model)
    backup.set_params({"epochs": 2, "steps": 4, "verbose": 0})
    backup.on_epoch_begin(0)
    backup.on_train_batch_end(0, {})
    first_weights = [w.copy() for w in model.get_weights()]
    model.set_weights([w + 1.0 for w in first_weights])
    backup.on_train_batch_end(1, {})
    assert backup._last_batch_seen == 1
    latest = json.loads(pathlib.Path(backup._training_metadata_path).read_text())
    previous = json.loads(pathlib.Path(backup._prev_training_metadata_path).read_text())
    assert (latest["batch"], previous["batch"]) == (2, 1)
    assert backup._weights_path == str(tmp_path / "backup" / latest["weights"])
    assert backup._prev_weights_path == str(tmp_path / "backup" / previous["weights"])
    assert sorted(os.listdir(tmp_path / "backup")) == sorted(
        [latest["weights"], previous["weights"], "training_metadata.json", "training_metadata.json.bkp"])
    pathlib.Path(backup._weights_path).write_text("0")  # the latest backup is damaged
    restored = _model()
    restorer = callbacks.BackupAndRestore(tmp_path / "backup", double_checkpoint=True)
    restorer.set_model(restored)
    with pytest.warns(UserWarning, match="restoring the one before it"):
        restorer.on_train_begin()
    assert (restored._initial_epoch, restored._initial_step) == (0, 1)
    for got, want in zip(restored.get_weights(), first_weights):
        np.testing.assert_array_equal(got, want)
    without_double = callbacks.BackupAndRestore(tmp_path / "backup")
    pathlib.Path(restorer._weights_path).write_text("0")
    without_double.set_model(_model())
    with pytest.raises((OSError, ValueError)):
        without_double.on_train_begin()


def test_arguments_and_unreadable_backup(tmp_path):
    with pytest.raises(ValueError, match="backup_dir"):
        callbacks.BackupAndRestore("")
    with pytest.raises(ValueError, match="save_freq"):
        callbacks.BackupAndRestore(tmp_path, save_freq=0)
    (tmp_path / "training_metadata.json").write_text("{broken")
    restorer = callbacks.BackupAndRestore(tmp_path)
    restorer.set_model(_model())
    with pytest.raises(ValueError, match="unreadable"):
        restorer.on_train_begin()


_SCRIPT = textwrap.dedent("""
    import os, signal, sys
    import numpy as np
    import brickwork as keras

    if keras.backend.backend() == "torch":
        import torch
        torch.use_deterministic_algorithms(True)
        torch.set_num_threads(1)
    backup_dir, out, kill_at = sys.argv[1], sys.argv[2], int(sys.argv[3])
    keras.utils.set_random_seed(7)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 5)).astype("float32")
    y = (x @ rng.normal(size=(5, 3))).astype("float32")
    model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(16, activation="relu"),
                              keras.layers.Dropout(0.2, seed=3), keras.layers.Dense(3)])
    model.compile(optimizer="adam", loss="mse")

    class Kill(keras.callbacks.Callback):
        steps = 0
        def on_train_batch_end(self, batch, logs=None):
            Kill.steps += 1
            if Kill.steps == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)

    callbacks = [keras.callbacks.BackupAndRestore(backup_dir, save_freq=3), Kill()]
    model.fit(x, y, epochs=3, batch_size=4, shuffle=False, verbose=0, callbacks=callbacks)
    np.savez(out, *model.get_weights())
""")


def _run(tmp_path, name, kill_at):
    script = tmp_path / "train.py"
    script.write_text(_SCRIPT)
    env = dict(os.environ, BRICKWORK_BACKEND=BACKEND, PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, str(script), str(tmp_path / f"{name}-backup"), str(tmp_path / f"{name}.npz"),
                           str(kill_at)], env=env, capture_output=True, text=True, timeout=300)


def test_sigkill_mid_epoch_then_resume_matches_uninterrupted_run(tmp_path, resumable):
    uninterrupted = _run(tmp_path, "reference", kill_at=-1)
    assert uninterrupted.returncode == 0, uninterrupted.stderr[-2000:]
    # 10 steps an epoch, a backup every 3: killed at step 17 (mid-epoch 2), the backup is from step 15.
    killed = _run(tmp_path, "resumed", kill_at=17)
    assert killed.returncode == -9, killed.stderr[-2000:]
    assert not (tmp_path / "resumed.npz").exists()
    metadata = json.loads((tmp_path / "resumed-backup" / "training_metadata.json").read_text())
    assert (metadata["epoch"], metadata["batch"]) == (1, 5)
    resumed = _run(tmp_path, "resumed", kill_at=-1)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    reference, result = np.load(tmp_path / "reference.npz"), np.load(tmp_path / "resumed.npz")
    for key in reference.files:
        if BACKEND == "torch":
            np.testing.assert_array_equal(result[key], reference[key])  # bit-identical
        else:
            np.testing.assert_allclose(result[key], reference[key], rtol=1e-5, atol=1e-6)
