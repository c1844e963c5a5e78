"""Sharded weights (``save_weights(..., max_shard_size=GB)`` and a ``.weights.json`` index), checked against
an independent greedy split of the model's own arrays and against Keras 3.15.1 in both directions."""

import json
import os

import numpy as np
import pytest

from brickwork import layers
from brickwork.models import Sequential
from brickwork.saving.weights_store import WeightsFileError
from tests.layers import keras_reference

GB = 1024**3
UNITS = (16, 32, 8)


def _model(seed=0):
    model = Sequential([layers.Input((12,))] + [layers.Dense(units) for units in UNITS])
    rng = np.random.default_rng(seed)
    model.set_weights([rng.normal(size=w.shape).astype("float32") for w in model.get_weights()])
    return model


def _greedy_shards(arrays, limit):
    """How many files a greedy split makes: a value that would overflow the current shard opens the next."""
    count, current = 1, 0
    for array in arrays:
        current += array.nbytes
        if current > limit:
            count, current = count + 1, array.nbytes
    return count


def test_round_trip_and_greedy_shard_count(tmp_path):
    model = _model()
    weights = model.get_weights()
    limit = 2200  # bytes: kernels of 768, 2048 and 1024 bytes make three shards
    path = tmp_path / "net.weights.json"
    model.save_weights(path, max_shard_size=limit / GB)
    shards = sorted(name for name in os.listdir(tmp_path) if name.endswith(".weights.h5"))
    assert len(shards) == _greedy_shards(weights, limit) > 1
    assert shards[0] == "net_00000.weights.h5"
    index = json.loads(path.read_text())
    assert index["metadata"]["total_size"] == sum(w.nbytes for w in weights)
    assert set(index["weight_map"]) == {"/layers/dense/vars", "/layers/dense_1/vars", "/layers/dense_2/vars"}
    fresh = _model(seed=1)
    fresh.load_weights(path)
    for loaded, saved in zip(fresh.get_weights(), weights):
        np.testing.assert_array_equal(loaded, saved)


def test_one_variable_larger_than_a_shard_is_refused(tmp_path):
    with pytest.raises(ValueError, match="max_shard_size"):
        _model().save_weights(tmp_path / "net.weights.json", max_shard_size=100 / GB)
    assert [name for name in os.listdir(tmp_path) if not name.startswith(".")] == []  # nothing half-written


def test_file_name_rules(tmp_path):
    with pytest.raises(ValueError, match=r"\.weights\.json"):
        _model().save_weights(tmp_path / "net.h5", max_shard_size=1)
    with pytest.warns(UserWarning, match="renamed"):
        _model().save_weights(tmp_path / "net.weights.h5", max_shard_size=1)
    assert sorted(os.listdir(tmp_path)) == ["net.weights.json", "net_00000.weights.h5"]


@pytest.mark.parametrize("shard", ["../outside.weights.h5", "/etc/passwd", "notes.txt"])
def test_index_cannot_point_outside_its_folder(tmp_path, shard):
    model = _model()
    path = tmp_path / "net.weights.json"
    model.save_weights(path, max_shard_size=1)
    index = json.loads(path.read_text())
    index["weight_map"]["/layers/dense/vars"] = shard
    path.write_text(json.dumps(index))
    with pytest.raises(WeightsFileError, match="Refused"):
        _model().load_weights(path)


_KERAS_WRITES = """
import glob, json, os, tempfile
import keras
model = keras.Sequential([keras.Input((12,))] + [keras.layers.Dense(u) for u in (16, 32, 8)])
model.set_weights([data[f"w{i}"] for i in range(6)])
folder = tempfile.mkdtemp()
model.save_weights(os.path.join(folder, "net.weights.json"), max_shard_size=2200 / 1024**3)
names = sorted(os.listdir(folder))
out["names"] = np.array(names)
for i, name in enumerate(names):
    out[f"file{i}"] = np.frombuffer(open(os.path.join(folder, name), "rb").read(), dtype=np.uint8)
out["prediction"] = model.predict(data["x"], verbose=0)
"""

_KERAS_READS = """
import os, tempfile
import keras
folder = tempfile.mkdtemp()
for i, name in enumerate(data["names"]):
    with open(os.path.join(folder, str(name)), "wb") as f:
        f.write(data[f"file{i}"].tobytes())
model = keras.Sequential([keras.Input((12,))] + [keras.layers.Dense(u) for u in (16, 32, 8)])
model.load_weights(os.path.join(folder, "net.weights.json"))
out["prediction"] = model.predict(data["x"], verbose=0)
"""


def test_keras_3_sharded_files_load_in_brickwork(tmp_path):
    model = _model()
    x = np.random.default_rng(2).normal(size=(4, 12)).astype("float32")
    out = keras_reference.run_keras(_KERAS_WRITES, x=x, **{f"w{i}": w for i, w in enumerate(model.get_weights())})
    names = [str(name) for name in out["names"]]
    assert names == sorted(["net.weights.json"] + [f"net_{i:05d}.weights.h5" for i in range(len(names) - 1)])
    for i, name in enumerate(names):
        (tmp_path / name).write_bytes(out[f"file{i}"].tobytes())
    fresh = _model(seed=1)
    fresh.load_weights(tmp_path / "net.weights.json")
    np.testing.assert_allclose(fresh.predict(x, verbose=0), out["prediction"], rtol=1e-5, atol=1e-5)
    # brickwork splits the same weights into the same files
    mine = tmp_path / "mine"
    mine.mkdir()
    model.save_weights(mine / "net.weights.json", max_shard_size=2200 / GB)
    assert sorted(os.listdir(mine)) == names


def test_brickwork_sharded_files_load_in_keras_3(tmp_path):
    model = _model()
    x = np.random.default_rng(3).normal(size=(4, 12)).astype("float32")
    model.save_weights(tmp_path / "net.weights.json", max_shard_size=2200 / GB)
    names = sorted(os.listdir(tmp_path))
    files = {f"file{i}": np.frombuffer((tmp_path / name).read_bytes(), dtype=np.uint8) for i, name in enumerate(names)}
    out = keras_reference.run_keras(_KERAS_READS, x=x, names=np.array(names), **files)
    np.testing.assert_allclose(out["prediction"], model.predict(x, verbose=0), rtol=1e-5, atol=1e-5)
