"""``save_model(..., zipped=False)``: the archive's members in a folder, as Keras 3 writes it, read back by
``load_model`` here and in Keras 3.15.1 (both directions), and refused when it holds a link."""

import os

import numpy as np
import pytest

from brickwork import layers, saving
from brickwork.models import Sequential
from brickwork.saving.folder_archive import FolderArchiveError
from tests.layers import keras_reference


def _model():
    model = Sequential([layers.Input((3,)), layers.Dense(4, activation="relu"), layers.Dense(2)])
    model.compile(optimizer="adam", loss="mse")
    return model


def test_round_trip(tmp_path):
    model = _model()
    x = np.random.default_rng(0).normal(size=(5, 3)).astype("float32")
    folder = tmp_path / "my_model"
    saving.save_model(model, folder, zipped=False)
    assert sorted(os.listdir(folder)) == ["config.json", "metadata.json", "model.weights.h5"]
    loaded = saving.load_model(folder)
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    assert loaded.optimizer.__class__.__name__ == "Adam"


def test_keras_extension_refused(tmp_path):
    with pytest.raises(ValueError, match="should not end in"):
        saving.save_model(_model(), tmp_path / "m.keras", zipped=False)


def test_overwrite_replaces_the_folder_whole(tmp_path):
    folder = tmp_path / "m"
    saving.save_model(_model(), folder, zipped=False)
    (folder / "stale.txt").write_text("from an earlier save")
    saving.save_model(_model(), folder, zipped=False)
    assert "stale.txt" not in os.listdir(folder)
    assert [name for name in os.listdir(tmp_path)] == ["m"]  # no temporary left beside it


def test_symbolic_link_refused(tmp_path):
    folder = tmp_path / "m"
    saving.save_model(_model(), folder, zipped=False)
    secret = tmp_path / "secret.txt"
    secret.write_text("not the model's")
    os.symlink(secret, folder / "assets")
    with pytest.raises(FolderArchiveError, match="symbolic link"):
        saving.load_model(folder)


_KERAS_ROUND_TRIP = """
import os, tempfile, zipfile
import keras
folder = tempfile.mkdtemp()
# brickwork's folder, written to disk from the bytes it gave, loaded by Keras
mine = os.path.join(folder, "from_brickwork")
for i, name in enumerate(data["names"]):
    path = os.path.join(mine, str(name))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    open(path, "wb").write(data[f"file{i}"].tobytes())
out["keras_reads"] = keras.saving.load_model(mine).predict(data["x"], verbose=0)
# Keras's own folder, handed back as bytes
model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, activation="relu"), keras.layers.Dense(2)])
model.set_weights([data[f"w{i}"] for i in range(4)])
model.compile(optimizer="adam", loss="mse")
theirs = os.path.join(folder, "from_keras")
model.save(theirs, zipped=False)
names = sorted(os.path.relpath(os.path.join(root, f), theirs) for root, _, files in os.walk(theirs) for f in files)
out["names"] = np.array(names)
for i, name in enumerate(names):
    out[f"file{i}"] = np.frombuffer(open(os.path.join(theirs, name), "rb").read(), dtype=np.uint8)
out["keras_prediction"] = model.predict(data["x"], verbose=0)
"""


def test_folders_move_between_keras_3_and_brickwork(tmp_path):
    model = _model()
    x = np.random.default_rng(1).normal(size=(5, 3)).astype("float32")
    saving.save_model(model, tmp_path / "mine", zipped=False)
    names = sorted(os.listdir(tmp_path / "mine"))
    files = {f"file{i}": np.frombuffer((tmp_path / "mine" / n).read_bytes(), dtype=np.uint8)
             for i, n in enumerate(names)}
    weights = {f"w{i}": w for i, w in enumerate(model.get_weights())}
    out = keras_reference.run_keras(_KERAS_ROUND_TRIP, x=x, names=np.array(names), **files, **weights)
    np.testing.assert_allclose(out["keras_reads"], model.predict(x, verbose=0), atol=1e-6)
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    assert [str(n) for n in out["names"]] == ["config.json", "metadata.json", "model.weights.h5"]
    for i, name in enumerate(out["names"]):
        (theirs / str(name)).write_bytes(out[f"file{i}"].tobytes())
    np.testing.assert_allclose(saving.load_model(theirs).predict(x, verbose=0), out["keras_prediction"], atol=1e-6)
