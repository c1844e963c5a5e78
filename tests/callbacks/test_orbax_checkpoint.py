"""OrbaxCheckpoint: steps written and pruned, weights and optimizer state restored, resumed training equal to an
uninterrupted run, checkpoints read by Keras 3.15.1 and written by it, and the errors."""

import importlib.util
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from brickwork import callbacks, layers, models, saving
from tests.conftest import requires_training

requires_orbax = pytest.mark.skipif(importlib.util.find_spec("orbax") is None,
                                    reason="orbax-checkpoint is not installed (pip install 'brickwork[orbax]')")
pytestmark = requires_training


def _model(name="orbax_model"):
    inputs = layers.Input((5,), name="features")
    hidden = layers.Dense(4, activation="relu", name="hidden")(inputs)
    outputs = layers.Dense(2, name="out")(layers.BatchNormalization(name="norm")(hidden))
    model = models.Model(inputs, outputs, name=name)
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    return model


def _data(n=32):
    rng = np.random.default_rng(1)
    return rng.normal(size=(n, 5)).astype("float32"), rng.normal(size=(n, 2)).astype("float32")


def _steps(directory):
    return sorted(int(name) for name in os.listdir(directory) if name.isdigit())


def _assert_same_state(expected, actual):
    assert len(expected.weights) == len(actual.weights)
    for mine, theirs in zip(expected.weights, actual.weights):
        np.testing.assert_array_equal(mine.numpy(), theirs.numpy(), err_msg=mine.path)


@requires_orbax
def test_epoch_checkpoints_kept_and_restored(tmp_path):
    model, (x, y) = _model(), _data()
    checkpoint = callbacks.OrbaxCheckpoint(tmp_path / "ckpt", max_to_keep=2)
    model.fit(x, y, epochs=4, batch_size=8, callbacks=[checkpoint], verbose=0)
    assert _steps(tmp_path / "ckpt") == [2, 3]  # epoch indices, the two newest

    restored = saving.load_model(tmp_path / "ckpt")
    assert restored.name == "orbax_model" and restored.compiled
    _assert_same_state(model, restored)
    assert int(restored.optimizer.iterations.numpy()) == 16
    for mine, theirs in zip(model.optimizer.variables, restored.optimizer.variables):
        np.testing.assert_array_equal(mine.numpy(), theirs.numpy(), err_msg=mine.path)
    np.testing.assert_allclose(restored.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6, atol=1e-6)

    fresh = _model()
    fresh.load_weights(tmp_path / "ckpt")
    _assert_same_state(model, fresh)
    fresh.load_weights(tmp_path / "ckpt" / "2")  # one step's folder: that step, not the newest
    assert not np.array_equal(fresh.get_layer("out").kernel.numpy(), model.get_layer("out").kernel.numpy())


@requires_orbax
def test_max_to_keep_none_keeps_every_batch_step(tmp_path):
    model, (x, y) = _model(), _data()
    checkpoint = callbacks.OrbaxCheckpoint(tmp_path, save_freq=3, max_to_keep=None, save_on_background=False)
    model.fit(x, y, epochs=2, batch_size=8, callbacks=[checkpoint], verbose=0)
    assert _steps(tmp_path) == [3, 6]  # batches trained: 4 per epoch, a save every 3


@requires_orbax
def test_resumed_training_matches_an_uninterrupted_run(tmp_path):
    x, y = _data()
    uninterrupted = _model()
    start = uninterrupted.get_weights()
    uninterrupted.fit(x, y, epochs=2, batch_size=8, shuffle=False, verbose=0)

    first = _model()
    first.set_weights(start)
    first.fit(x, y, epochs=1, batch_size=8, shuffle=False, verbose=0,
              callbacks=[callbacks.OrbaxCheckpoint(tmp_path, save_freq=2, max_to_keep=None)])
    assert _steps(tmp_path) == [2, 4]

    resumed = saving.load_model(tmp_path)
    resumed.fit(x, y, epochs=2, initial_epoch=1, batch_size=8, shuffle=False, verbose=0,
                callbacks=[callbacks.OrbaxCheckpoint(tmp_path, save_freq=2, max_to_keep=None)])
    assert _steps(tmp_path) == [2, 4, 6, 8]  # the numbering goes on from the optimizer's iterations
    for mine, theirs in zip(uninterrupted.weights, resumed.weights):
        np.testing.assert_allclose(theirs.numpy(), mine.numpy(), rtol=1e-5, atol=1e-6, err_msg=mine.path)


@requires_orbax
def test_background_save_is_a_snapshot(tmp_path):
    model = _model()
    model.fit(*_data(), epochs=1, verbose=0)
    kernel = model.get_layer("out").kernel
    saved = kernel.numpy().copy()
    checkpoint = callbacks.OrbaxCheckpoint(tmp_path, save_on_background=True, save_weights_only=True)
    checkpoint.set_model(model)
    checkpoint._save_checkpoint(step=0)
    kernel.assign(np.zeros_like(saved))  # training goes on while the save is written
    checkpoint.wait_until_finished()
    model.load_weights(tmp_path)
    np.testing.assert_array_equal(kernel.numpy(), saved)


@requires_orbax
def test_weights_only_checkpoint(tmp_path):
    model, (x, y) = _model(), _data()
    model.fit(x, y, epochs=1, verbose=0,
              callbacks=[callbacks.OrbaxCheckpoint(tmp_path, save_weights_only=True, save_on_background=False)])
    assert sorted(os.listdir(tmp_path / "0")) == ["_CHECKPOINT_METADATA", "commit_success.txt", "pytree"]
    fresh = _model()
    fresh.load_weights(tmp_path)
    _assert_same_state(model, fresh)
    with pytest.raises(ValueError, match="save_weights_only=True.*load_weights"):
        saving.load_model(tmp_path)


@requires_orbax
def test_save_best_only(tmp_path):
    model = _model()
    model.fit(*_data(), epochs=1, verbose=0)
    checkpoint = callbacks.OrbaxCheckpoint(tmp_path, monitor="loss", mode="min", save_best_only=True,
                                           max_to_keep=None, save_on_background=False)
    checkpoint.set_model(model)
    for epoch, loss in enumerate([0.5, 0.7, 0.4, 0.45]):
        checkpoint.on_epoch_end(epoch, {"loss": loss})
    assert _steps(tmp_path) == [0, 2]
    with pytest.warns(UserWarning, match="'val_loss' in the logs.*skipping the save at epoch 4"):
        callbacks.OrbaxCheckpoint(tmp_path / "other", save_best_only=True)._improved({"loss": 0.1}, "epoch 4")


@requires_orbax
def test_assets_restored(tmp_path):
    vocabulary = tmp_path / "vocab.txt"
    vocabulary.write_text("cat\ndog\nbird")
    inputs = layers.Input((1,), dtype="string")
    lookup = layers.StringLookup(vocabulary=str(vocabulary), name="lookup")
    model = models.Model(inputs, layers.Embedding(5, 3)(lookup(inputs)))
    checkpoint = callbacks.OrbaxCheckpoint(tmp_path / "ckpt")
    checkpoint.set_model(model)
    checkpoint._save_checkpoint(step=0)
    checkpoint.on_train_end()
    vocabulary.unlink()  # the checkpoint must carry the file's content
    restored = saving.load_model(tmp_path / "ckpt")
    assert restored.get_layer("lookup").get_vocabulary() == ["[UNK]", "cat", "dog", "bird"]


@requires_orbax
@pytest.mark.parametrize("kwargs,match", [
    ({"save_freq": "batch"}, "save_freq: 'batch'.*'epoch' or a positive integer"),
    ({"save_freq": 0}, "save_freq: 0"),
    ({"max_to_keep": 0}, "`max_to_keep` must be a positive integer or None.*max_to_keep=0"),
])
def test_bad_arguments(tmp_path, kwargs, match):
    with pytest.raises(ValueError, match=match):
        callbacks.OrbaxCheckpoint(tmp_path, **kwargs)


@requires_orbax
def test_relative_paths(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    model = _model()
    model.fit(*_data(), epochs=1, verbose=0, callbacks=[callbacks.OrbaxCheckpoint("relative")])
    _assert_same_state(model, saving.load_model("relative"))


@requires_orbax
def test_a_step_of_an_earlier_run_is_not_overwritten(tmp_path):
    model, (x, y) = _model(), _data()
    model.fit(x, y, epochs=2, verbose=0, callbacks=[callbacks.OrbaxCheckpoint(tmp_path)])
    with pytest.raises(FileExistsError, match="already holds a checkpoint of step 1.*initial_epoch"):
        model.fit(x, y, epochs=2, verbose=0, callbacks=[callbacks.OrbaxCheckpoint(tmp_path)])
    model.fit(x, y, epochs=3, initial_epoch=2, verbose=0, callbacks=[callbacks.OrbaxCheckpoint(tmp_path)])
    assert _steps(tmp_path) == [2]


@requires_orbax
def test_empty_folder_is_not_a_checkpoint(tmp_path):
    with pytest.raises(ValueError, match="File format not supported"):
        saving.load_model(tmp_path)


_KERAS_SIDE = """
import os, sys
import numpy as np
import keras
source, target, x_file = sys.argv[1:4]
x = np.load(x_file)
model = keras.saving.load_model(source)
np.save(os.path.join(target + ".predictions.npy"), model.predict(x, verbose=0))
model.fit(x, np.ones((len(x), 2), "float32"), epochs=1, verbose=0)
checkpoint = keras.callbacks.OrbaxCheckpoint(target, save_on_background=False)
checkpoint.set_model(model)
checkpoint._save_checkpoint(step=int(model.optimizer.iterations))
checkpoint.checkpointer.close()
np.save(target + ".after.npy", model.predict(x, verbose=0))
"""


@requires_orbax
def test_keras_reads_and_writes_the_same_checkpoints(tmp_path):
    """Keras 3.15.1 loads brickwork's checkpoint (same predictions), trains on, and brickwork loads Keras's."""
    from tests.layers.keras_reference import clean_environment, keras_python

    python = keras_python()
    if subprocess.run([python, "-c", "import orbax.checkpoint"], capture_output=True).returncode != 0:
        pytest.skip("orbax-checkpoint is not installed in the Keras 3.15.1 environment")
    model, (x, y) = _model(), _data()
    model.fit(x, y, epochs=2, batch_size=8, verbose=0, callbacks=[callbacks.OrbaxCheckpoint(tmp_path / "ours")])
    np.save(tmp_path / "x.npy", x)
    result = subprocess.run([python, "-c", textwrap.dedent(_KERAS_SIDE), str(tmp_path / "ours"),
                             str(tmp_path / "theirs"), str(tmp_path / "x.npy")], capture_output=True, text=True,
                            timeout=600, env=dict(clean_environment(), KERAS_BACKEND="torch"))
    assert result.returncode == 0, result.stderr[-3000:]
    np.testing.assert_allclose(np.load(tmp_path / "theirs.predictions.npy"), model.predict(x, verbose=0),
                               rtol=1e-5, atol=1e-6)
    theirs = saving.load_model(tmp_path / "theirs")
    assert int(theirs.optimizer.iterations.numpy()) == 9  # 8 here, one full batch there
    np.testing.assert_allclose(theirs.predict(x, verbose=0), np.load(tmp_path / "theirs.after.npy"),
                               rtol=1e-5, atol=1e-6)


def test_missing_orbax_names_the_extra(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "orbax", None)
    monkeypatch.setitem(sys.modules, "orbax.checkpoint", None)
    with pytest.raises(ImportError, match=r"pip install \"brickwork\[orbax\]\""):
        callbacks.OrbaxCheckpoint(tmp_path)
