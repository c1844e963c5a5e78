"""atomic_write and the savers built on it: a failed save leaves the earlier file byte-identical."""

import os

import numpy as np
import pytest

from brickwork import layers
from brickwork.models import Sequential
from brickwork.saving.atomic import atomic_write


def _model():
    return Sequential([layers.Input((3,)), layers.Dense(2)])


def _leftovers(folder):
    return [name for name in os.listdir(folder) if name.endswith(".tmp")]


def test_atomic_write_replaces_only_on_success(tmp_path):
    target = tmp_path / "file.bin"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError, match="half-way"):
        with atomic_write(target) as temporary:
            with open(temporary, "wb") as handle:
                handle.write(b"new, partial")
            raise RuntimeError("failed half-way")
    assert target.read_bytes() == b"old"
    assert _leftovers(tmp_path) == []
    with atomic_write(target) as temporary:
        with open(temporary, "wb") as handle:
            handle.write(b"new")
    assert target.read_bytes() == b"new"
    assert _leftovers(tmp_path) == []


def test_atomic_write_missing_folder_names_it(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        with atomic_write(tmp_path / "missing" / "file.bin"):
            pass


class _BrokenConfig(layers.Dense):
    def get_config(self):
        raise RuntimeError("get_config failed half-way")


@pytest.mark.parametrize("kind", ["model", "weights"])
def test_failed_save_keeps_existing_file(tmp_path, kind, monkeypatch):
    model = _model()
    path = tmp_path / ("m.keras" if kind == "model" else "m.weights.h5")
    (model.save if kind == "model" else model.save_weights)(path)
    before = path.read_bytes()
    model.layers[0].kernel.assign(np.ones((3, 2), "float32"))
    if kind == "model":
        broken = Sequential([layers.Input((3,)), _BrokenConfig(2)])
        with pytest.raises(RuntimeError, match="half-way"):
            broken.save(path)
    else:
        from brickwork.saving import weights_store

        def fail_after_first(group, index, variable, original=weights_store._write_variable):
            original(group, index, variable)
            raise OSError("disk full")

        monkeypatch.setattr(weights_store, "_write_variable", fail_after_first)
        with pytest.raises(OSError, match="disk full"):
            model.save_weights(path)
    assert path.read_bytes() == before
    assert _leftovers(tmp_path) == []


def test_overwrite_false_refuses(tmp_path):
    model = _model()
    path = tmp_path / "m.keras"
    model.save(path)
    with pytest.raises(FileExistsError, match="overwrite=False"):
        model.save(path, overwrite=False)
