"""Loading is safe by default: no code from a file runs, unsafe archives and broken files give clear errors."""

import base64
import json
import marshal
import os
import subprocess
import zipfile

import pytest

from brickwork import layers, saving
from brickwork.models import Sequential
from brickwork.saving.saving_lib import ArchiveError
from brickwork.saving.weights_store import WeightsFileError


@pytest.fixture
def saved(tmp_path):
    """A valid archive and its parsed config."""
    model = Sequential([layers.Input((3,)), layers.Dense(2)], name="victim")
    path = tmp_path / "ok.keras"
    model.save(path)
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    return path, json.loads(members["config.json"]), members


def _write(path, members):
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _with_config(tmp_path, members, config, name="crafted.keras"):
    return _write(tmp_path / name, {**members, "config.json": json.dumps(config)})


@pytest.fixture
def calls(monkeypatch):
    """Records any attempt to run a command (os.system, subprocess.Popen)."""
    recorded = []
    monkeypatch.setattr(os, "system", lambda *a, **k: recorded.append(("os.system", a)))

    class Popen:
        def __init__(self, *args, **kwargs):
            recorded.append(("subprocess.Popen", args))

    monkeypatch.setattr(subprocess, "Popen", Popen)
    return recorded


def _lambda_config(sentinel):
    def payload(x):
        open(sentinel, "w").write("ran")
        return x

    code = marshal.dumps(payload.__code__)
    return {"class_name": "__lambda__",
            "config": {"code": base64.b64encode(code).decode("ascii"), "defaults": None, "closure": None}}


def test_lambda_layer_bytecode_is_refused(tmp_path, saved):
    _, config, members = saved
    sentinel = tmp_path / "lambda_ran"
    config["config"]["layers"].append({
        "module": "keras.layers", "class_name": "Lambda", "registered_name": None,
        "config": {"name": "evil", "function": _lambda_config(str(sentinel)), "arguments": {}},
    })
    path = _with_config(tmp_path, members, config)
    with pytest.raises(ValueError, match=r"lambda.*safe_mode=False"):
        saving.load_model(path)
    assert not sentinel.exists()


def test_lambda_activation_is_refused_even_when_deserialized_directly(tmp_path):
    sentinel = tmp_path / "lambda_ran"
    dense = {"module": "keras.layers", "class_name": "Dense", "registered_name": None,
             "config": {"units": 2, "activation": _lambda_config(str(sentinel))}}
    with pytest.raises(ValueError, match=r"lambda.*safe_mode=False"):
        saving.deserialize_keras_object(dense)
    assert not sentinel.exists()


@pytest.mark.parametrize("entry", [
    {"module": "os", "class_name": "system", "config": {"command": "touch {sentinel}"}},
    {"module": "subprocess", "class_name": "Popen", "config": {"args": ["touch", "{sentinel}"]}},
    {"module": "os", "class_name": "Dense", "config": {"units": 2}},  # a known name under a foreign module
    {"module": "keras.layers", "class_name": "__class__", "config": {}},
], ids=["os.system", "subprocess.Popen", "foreign-module", "dunder"])
def test_config_naming_foreign_code_is_refused(tmp_path, saved, calls, entry):
    _, config, members = saved
    sentinel = tmp_path / "command_ran"
    text = json.dumps(entry).replace("{sentinel}", str(sentinel))
    config["config"]["layers"].append({**json.loads(text), "registered_name": None})
    path = _with_config(tmp_path, members, config)
    with pytest.raises(TypeError, match=r"(Refused|Could not load).*register_keras_serializable"):
        saving.load_model(path)
    with pytest.raises(TypeError, match="Refused|Could not load"):
        saving.load_model(path, safe_mode=False)  # no setting imports a module a file names
    assert calls == [] and not sentinel.exists()


@pytest.mark.parametrize("module", ["os", "builtins", "subprocess"])
def test_function_from_foreign_module_is_refused(calls, module):
    dense = {"module": "keras.layers", "class_name": "Dense", "registered_name": None,
             "config": {"units": 2, "activation": {"module": module, "class_name": "function",
                                                   "config": "system", "registered_name": None}}}
    with pytest.raises(ValueError, match=r"Refused to load the function 'system'.*custom_objects"):
        saving.deserialize_keras_object(dense)
    assert calls == []


def test_custom_objects_opt_in(tmp_path):
    class Scale(layers.Layer):
        def __init__(self, factor=2.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor

        def call(self, x):
            return x * self.factor

        def get_config(self):
            return {**super().get_config(), "factor": self.factor}

    model = Sequential([layers.Input((3,)), Scale(3.0), layers.Dense(2)])
    path = tmp_path / "custom.keras"
    model.save(path)
    with pytest.raises(TypeError, match="Scale"):
        saving.load_model(path)
    restored = saving.load_model(path, custom_objects={"Scale": Scale})
    assert restored.layers[0].factor == 3.0


@pytest.mark.parametrize("member", ["../escaped.txt", "/tmp/absolute.txt", "assets/../../escaped.txt",
                                    "C:/windows.txt"])
def test_archive_member_escaping_the_folder_is_refused(tmp_path, saved, member):
    _, _, members = saved
    path = _write(tmp_path / "escape.keras", {**members, member: b"payload"})
    with pytest.raises(ArchiveError, match="absolute path or '..'"):
        saving.load_model(path)
    with pytest.raises(ArchiveError, match="absolute path or '..'"):
        Sequential([layers.Input((3,)), layers.Dense(2)]).load_weights(path)
    assert not (tmp_path.parent / "escaped.txt").exists()


@pytest.mark.parametrize("keep", [0.5, 0.9, 10])
def test_truncated_archive_gives_a_clear_error(tmp_path, saved, keep):
    path, _, _ = saved
    data = path.read_bytes()
    cut = tmp_path / "cut.keras"
    cut.write_bytes(data[: int(len(data) * keep) if keep < 1 else keep])
    with pytest.raises(ArchiveError, match="truncated"):
        saving.load_model(cut)


def test_corrupt_weights_inside_a_valid_zip(tmp_path, saved):
    _, _, members = saved
    path = _write(tmp_path / "bad_h5.keras", {**members, "model.weights.h5": members["model.weights.h5"][:200]})
    with pytest.raises(WeightsFileError, match="truncated, corrupt or not an HDF5 file"):
        saving.load_model(path)


@pytest.mark.parametrize("problem", ["missing-config", "bad-json", "not-a-model"])
def test_incomplete_archive(tmp_path, saved, problem):
    _, _, members = saved
    members = dict(members)
    if problem == "missing-config":
        del members["config.json"]
    else:
        members["config.json"] = b"{not json" if problem == "bad-json" else b"[1, 2]"
    path = _write(tmp_path / "incomplete.keras", members)
    with pytest.raises(ArchiveError, match="config.json"):
        saving.load_model(path)


def test_truncated_weights_file(tmp_path):
    model = Sequential([layers.Input((3,)), layers.Dense(2)])
    path = tmp_path / "m.weights.h5"
    model.save_weights(path)
    path.write_bytes(path.read_bytes()[:300])
    with pytest.raises(WeightsFileError, match="truncated, corrupt"):
        model.load_weights(path)


def test_not_a_zip(tmp_path):
    path = tmp_path / "text.keras"
    path.write_text("hello")
    with pytest.raises(ArchiveError, match="not a zip"):
        saving.load_model(path)
