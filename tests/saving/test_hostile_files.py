"""Hostile files, one table: each case builds a crafted ``.keras`` or ``.weights.h5`` file and names the error
class and a phrase of its message; loading must refuse it before reading anything outside the file, running
code or allocating what the file declares. (Unit tests of the same checks live in test_safe_mode.py.)"""

import base64
import json
import marshal
import os
import shutil
import struct
import subprocess
import sys
import zipfile

import h5py
import numpy as np
import pytest

from brickwork import layers, saving
from brickwork.models import Sequential
from brickwork.saving.atomic import atomic_write, remove_stale_temporaries
from brickwork.saving.saving_lib import ArchiveError
from brickwork.saving.weights_store import WeightsFileError

SECRET = "do-not-read-me"


def _model():
    return Sequential([layers.Input((3,)), layers.Dense(2)], name="victim")


@pytest.fixture
def archive(tmp_path):
    """``(members, config)`` of a valid archive, and a file outside it that no load may read."""
    model = _model()
    model.save(tmp_path / "ok.keras")
    with zipfile.ZipFile(tmp_path / "ok.keras") as opened:
        members = {name: opened.read(name) for name in opened.namelist()}
    (tmp_path / "secret.txt").write_text(f"{SECRET}\nroot:x:0:0\n")
    return members, json.loads(members["config.json"])


def _write_zip(path, members, compression=zipfile.ZIP_STORED):
    with zipfile.ZipFile(path, "w", compression=compression) as opened:
        for name, data in members.items():
            opened.writestr(name, data)
    return path


def _lambda(form):
    code = base64.b64encode(marshal.dumps((lambda x: x).__code__)).decode("ascii")
    config = {"code": code, "defaults": None, "closure": None} if form == "code" else {"value": [code, None, None]}
    return {"class_name": "__lambda__", "config": config}


def _dense(units=2, **config):
    return {"module": "keras.layers", "class_name": "Dense", "registered_name": None,
            "config": {"name": "dense_x", "units": units, **config}}


# --------------------------------------------------------------------------- config edits
def _add_layer(entry):
    def edit(config, tmp_path):
        config["config"]["layers"].append(entry(tmp_path) if callable(entry) else entry)
    return edit


def _lookup(class_name, **extra):
    return lambda tmp_path: {"module": "keras.layers", "class_name": class_name, "registered_name": None,
                             "config": {"name": "lookup", "vocabulary": str(tmp_path / "secret.txt"), **extra}}


def _set_activation(activation):
    def edit(config, tmp_path):
        config["config"]["layers"][1]["config"]["activation"] = activation
    return edit


def _set_units(units):
    def edit(config, tmp_path):
        config["config"]["layers"][1]["config"]["units"] = units
    return edit


CONFIG_CASES = {
    # safe mode: a vocabulary may come only from the archive (issue 18, item 1)
    "vocabulary-path-StringLookup": (_add_layer(_lookup("StringLookup")), ValueError, r"vocabulary.*safe_mode=False"),
    "vocabulary-path-IntegerLookup": (_add_layer(_lookup("IntegerLookup")), ValueError,
                                      r"vocabulary.*safe_mode=False"),
    "vocabulary-path-TextVectorization": (_add_layer(_lookup("TextVectorization")), ValueError,
                                          r"vocabulary.*safe_mode=False"),
    # Python bytecode: a Lambda layer, and a lambda activation in both of Keras's forms (item 3)
    "lambda-layer-bytecode": (_add_layer({"module": "keras.layers", "class_name": "Lambda", "registered_name": None,
                                          "config": {"name": "evil", "function": _lambda("code"), "arguments": {}}}),
                              ValueError, r"lambda.*safe_mode=False"),
    "lambda-activation-value-form": (_set_activation(_lambda("value")), ValueError, r"lambda.*safe_mode=False"),
    "lambda-activation-code-form": (_set_activation(_lambda("code")), ValueError, r"lambda.*safe_mode=False"),
    "lambda-in-activation-layer": (_add_layer({"module": "keras.layers", "class_name": "Activation",
                                               "registered_name": None,
                                               "config": {"name": "act", "activation": _lambda("value")}}),
                                   ValueError, r"lambda.*safe_mode=False"),
    # module and class names of arbitrary callables
    "class-os-system": (_add_layer({"module": "os", "class_name": "system", "registered_name": None,
                                    "config": {"command": "true"}}), TypeError, r"Refused.*'system'"),
    "class-subprocess-Popen": (_add_layer({"module": "subprocess", "class_name": "Popen", "registered_name": None,
                                           "config": {"args": ["true"]}}), TypeError, r"Refused.*'Popen'"),
    "class-dunder": (_add_layer({"module": "keras.layers", "class_name": "__class__", "registered_name": None,
                                 "config": {}}), TypeError, r"'__class__'"),
    "function-builtins-eval": (_set_activation({"module": "builtins", "class_name": "function", "config": "eval",
                                                "registered_name": None}), ValueError, r"function 'eval'"),
    "function-os-system": (_set_activation({"module": "os", "class_name": "function", "config": "system",
                                            "registered_name": None}), ValueError, r"function 'system'"),
    # an absurd weight asked for by the config (item 4)
    "dense-10e12-units": (_set_units(10**12), ValueError, r"Layer 'dense'.*kernel.*shape \(3, 1000000000000\)"),
}


@pytest.mark.parametrize("case", sorted(CONFIG_CASES))
def test_hostile_config_is_refused(tmp_path, archive, case, monkeypatch):
    members, config = archive
    edit, error, message = CONFIG_CASES[case]
    edit(config, tmp_path)
    path = _write_zip(tmp_path / "crafted.keras", {**members, "config.json": json.dumps(config)})
    opened = []
    real_open = open

    def spying_open(file, *args, **kwargs):
        opened.append(os.fspath(file) if isinstance(file, (str, os.PathLike)) else file)
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", spying_open)
    with pytest.raises(error, match=message):
        saving.load_model(path)
    assert str(tmp_path / "secret.txt") not in opened


def test_vocabulary_path_loads_with_safe_mode_false(tmp_path, archive):
    """The opt-in the refusal names works: the file is trusted, so its vocabulary is read."""
    members, config = archive
    _add_layer(_lookup("StringLookup"))(config, tmp_path)
    path = _write_zip(tmp_path / "trusted.keras", {**members, "config.json": json.dumps(config)})
    model = saving.load_model(path, safe_mode=False)
    assert SECRET in model.layers[-1].get_vocabulary()
    lookup = layers.StringLookup(vocabulary=str(tmp_path / "secret.txt"))  # outside loading: a path is fine
    assert SECRET in lookup.get_vocabulary()


# --------------------------------------------------------------------------- HDF5 weights (items 2 and 4)
def _other_file(tmp_path):
    other = tmp_path / "other.h5"
    with h5py.File(other, "w") as handle:
        handle["data"] = np.full((3, 2), 7.0, "float32")
        handle["layers/dense/vars/0"] = np.full((3, 2), 7.0, "float32")
        handle["layers/dense/vars/1"] = np.full((2,), 7.0, "float32")
    return other


def _replace_kernel(make):
    def edit(handle, tmp_path):
        group = handle["layers/dense/vars"]
        del group["0"]
        make(group, tmp_path)
    return edit


def _external_raw(group, tmp_path):
    np.full((3, 2), 7.0, "float32").tofile(tmp_path / "raw.bin")
    group.create_dataset("0", shape=(3, 2), dtype="float32", external=[(str(tmp_path / "raw.bin"), 0, 24)])


def _virtual(group, tmp_path):
    layout = h5py.VirtualLayout(shape=(3, 2), dtype="float32")
    layout[:] = h5py.VirtualSource(str(_other_file(tmp_path)), "data", shape=(3, 2))
    group.create_virtual_dataset("0", layout)


def _external_group(handle, tmp_path):
    del handle["layers"]
    handle["layers"] = h5py.ExternalLink(str(_other_file(tmp_path)), "/layers")


def _soft_link_to_external(handle, tmp_path):
    handle["outside"] = h5py.ExternalLink(str(_other_file(tmp_path)), "/data")
    del handle["layers/dense/vars/0"]
    handle["layers/dense/vars/0"] = h5py.SoftLink("/outside")


H5_CASES = {
    "external-raw-storage": (_replace_kernel(_external_raw), WeightsFileError, r"'layers/dense/vars/0'.*external"),
    "external-link": (_replace_kernel(lambda group, tmp_path: group.__setitem__(
        "0", h5py.ExternalLink(str(_other_file(tmp_path)), "/data"))), WeightsFileError,
        r"'layers/dense/vars/0' is an external link"),
    "external-link-group": (_external_group, WeightsFileError, r"'layers' is an external link \(ExternalLink\)"),
    "soft-link-leaving-the-file": (_soft_link_to_external, WeightsFileError, r"'layers/dense/vars/0' is a soft link"),
    "virtual-dataset": (_replace_kernel(_virtual), WeightsFileError, r"'layers/dense/vars/0'.*virtual dataset"),
    "declared-400GB-unstored": (_replace_kernel(lambda group, tmp_path: group.create_dataset(
        "0", shape=(10**6, 10**5), dtype="float32")), WeightsFileError, r"'layers/dense/vars/0' declares shape"),
    "declared-400GB-chunked-gzip": (_replace_kernel(lambda group, tmp_path: group.create_dataset(
        "0", shape=(10**6, 10**5), dtype="float32", chunks=(100, 100), compression="gzip")), WeightsFileError,
        r"'layers/dense/vars/0' declares shape"),
    "shape-mismatch": (_replace_kernel(lambda group, tmp_path: group.create_dataset(
        "0", data=np.ones((4, 2), "float32"))), ValueError, r"layers/dense .*kernel' has shape \(3, 2\).*\(4, 2\)"),
    "string-dataset": (_replace_kernel(lambda group, tmp_path: group.create_dataset(
        "0", data=np.array([[b"a", b"b"]] * 3))), WeightsFileError, r"vars/0.*non-numeric"),
}


@pytest.mark.parametrize("container", ["weights.h5", "keras"])
@pytest.mark.parametrize("case", sorted(H5_CASES))
def test_hostile_hdf5_weights_are_refused(tmp_path, archive, case, container):
    edit, error, message = H5_CASES[case]
    model = _model()
    weights = tmp_path / "m.weights.h5"
    model.save_weights(weights)
    before = [v.numpy().copy() for v in model.weights]
    with h5py.File(weights, "a") as handle:
        edit(handle, tmp_path)
    if container == "keras":
        members, _ = archive
        path = _write_zip(tmp_path / "crafted.keras", {**members, "model.weights.h5": weights.read_bytes()})
        with pytest.raises(error, match=message):
            saving.load_model(path)
    else:
        path = weights
    with pytest.raises(error, match=message):
        model.load_weights(path)
    for variable, value in zip(model.weights, before):
        np.testing.assert_array_equal(variable.numpy(), value)  # nothing from the other file reached the model


# --------------------------------------------------------------------------- the zip itself
def _forge_declared_size(path, member, size):
    """Rewrite the central directory's uncompressed size of ``member`` (a lying header)."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    at = data.find(b"PK\x01\x02")
    while at != -1:
        name_length = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46:at + 46 + name_length]) == name:
            struct.pack_into("<I", data, at + 24, size)
            break
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))


def _zip_bomb(tmp_path, members):
    """A real bomb: 200 MB of zeros deflated to ~200 KB, written in chunks (nothing large in memory)."""
    path = tmp_path / "bomb.keras"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as opened:
        for name, data in members.items():
            if name != "model.weights.h5":
                opened.writestr(name, data)
        with opened.open("model.weights.h5", "w") as stream:
            chunk = bytes(1 << 20)
            for _ in range(200):
                stream.write(chunk)
    return path


def _lying_size(tmp_path, members):
    path = _write_zip(tmp_path / "lying.keras", members, compression=zipfile.ZIP_DEFLATED)
    _forge_declared_size(path, "model.weights.h5", 0xFFFFFFF0)
    return path


def _huge_config(tmp_path, members):
    path = _write_zip(tmp_path / "config.keras", members, compression=zipfile.ZIP_DEFLATED)
    _forge_declared_size(path, "config.json", 0x7FFFFFFF)
    return path


def _member(name):
    return lambda tmp_path, members: _write_zip(tmp_path / "escape.keras", {**members, name: b"payload"})


def _truncated(keep):
    def build(tmp_path, members):
        whole = _write_zip(tmp_path / "whole.keras", members)
        data = whole.read_bytes()
        cut = tmp_path / "cut.keras"
        cut.write_bytes(data[: int(len(data) * keep)])
        return cut
    return build


ZIP_CASES = {
    "zip-bomb-200MB": (_zip_bomb, ArchiveError, r"'model.weights.h5' is unsafe.*zip bomb"),
    "declared-size-lies-4GB": (_lying_size, ArchiveError, r"'model.weights.h5' is unsafe"),
    "config-2GB": (_huge_config, ArchiveError, r"'config.json' is unsafe"),
    "member-dotdot": (_member("../escaped.txt"), ArchiveError, r"'\.\./escaped.txt' has an absolute path or '\.\.'"),
    "member-absolute": (_member("/tmp/absolute.txt"), ArchiveError, r"'/tmp/absolute.txt' has an absolute path"),
    "member-assets-escape": (_member("assets/../../escaped.txt"), ArchiveError, r"absolute path or '\.\.'"),
    "member-drive-letter": (_member("C:/windows.txt"), ArchiveError, r"'C:/windows.txt'"),
    "truncated-half": (_truncated(0.5), ArchiveError, r"truncated"),
    "truncated-90%": (_truncated(0.9), ArchiveError, r"truncated"),
    "corrupt-weights-member": (lambda tmp_path, members: _write_zip(
        tmp_path / "bad.keras", {**members, "model.weights.h5": members["model.weights.h5"][:200]}),
        WeightsFileError, r"model.weights.h5.*truncated, corrupt"),
}


@pytest.mark.parametrize("case", sorted(ZIP_CASES))
def test_hostile_archive_is_refused(tmp_path, archive, case):
    members, _ = archive
    build, error, message = ZIP_CASES[case]
    path = build(tmp_path, members)
    with pytest.raises(error, match=message):
        saving.load_model(path)
    assert not (tmp_path.parent / "escaped.txt").exists()


# --------------------------------------------------------------------------- a save killed mid-write (item 5)
def _temporaries(folder):
    return sorted(name for name in os.listdir(folder) if name.endswith(".tmp"))


def test_killed_save_leaves_a_temporary_that_the_next_save_removes(tmp_path):
    target = tmp_path / "m.keras"
    script = ("import os, sys\nfrom brickwork.saving.atomic import atomic_write\n"
              "with atomic_write(sys.argv[1]) as temporary:\n"
              "    open(temporary, 'wb').write(b'partial')\n"
              "    os.kill(os.getpid(), 9)\n")
    completed = subprocess.run([sys.executable, "-c", script, str(target)], cwd=os.getcwd(), timeout=120)
    assert completed.returncode == -9
    stale = _temporaries(tmp_path)
    assert len(stale) == 1 and stale[0].startswith(".m.keras.tmp-pid")
    _model().save(target)
    assert _temporaries(tmp_path) == [] and target.exists()


def test_a_live_writers_temporary_is_left_alone(tmp_path):
    target = tmp_path / "m.weights.h5"
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        live = tmp_path / f".m.weights.h5.tmp-pid{sleeper.pid}.abc.tmp"
        mine = tmp_path / f".m.weights.h5.tmp-pid{os.getpid()}.def.tmp"
        live.write_bytes(b"in progress")
        mine.write_bytes(b"in progress")
        other_target = tmp_path / ".other.keras.tmp-pid999999999.ghi.tmp"
        other_target.write_bytes(b"not ours")
        _model().save_weights(target)
        assert live.exists() and mine.exists() and other_target.exists()
    finally:
        sleeper.kill()
        sleeper.wait()
    assert remove_stale_temporaries(target) == [str(live)]
    assert mine.exists()


def test_atomic_temporary_carries_the_pid(tmp_path):
    with atomic_write(tmp_path / "f.bin") as temporary:
        assert os.path.basename(temporary).startswith(f".f.bin.tmp-pid{os.getpid()}.")
        shutil.copyfile(__file__, temporary)
