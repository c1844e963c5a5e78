"""KerasFileEditor against Keras 3.15.1's own editor; the files it writes load in brickwork and in Keras 3.15.1.

Keras runs in its own virtual environment (``tests/layers/keras_reference.py``), on the Keras-written interop
samples in ``shared/interop`` and on the file brickwork's editor wrote; its answers are cached by those bytes.
"""

import io
import json
import os
import pathlib
import zipfile

import h5py
import numpy as np
import pytest

import brickwork as keras
from brickwork import backend
from brickwork.saving import file_editor
from brickwork.saving.file_editor import KerasFileEditor
from tests.layers.keras_reference import run_keras

INTEROP = pathlib.Path(__file__).resolve().parents[2].parent / "shared" / "interop"


def _sample(name: str) -> pathlib.Path:
    path = INTEROP / f"{name}.keras"
    if not path.exists():
        pytest.skip(f"interop sample {path} is not present (shared/ is not checked out beside the repo)")
    return path


def _flat(tree, prefix=""):
    """``[(path, array)]`` of a weights tree, in its order."""
    items = []
    for key, value in tree.items():
        path = f"{prefix}/{key}" if prefix else key
        items.extend(_flat(value, path) if isinstance(value, dict) else [(path, value)])
    return items


def _h5_contents(source) -> dict:
    """Every group and dataset of an HDF5 file (a path or bytes): kind, attributes, dtype, shape and values."""
    contents = {}

    def visit(name, entry):
        attributes = {key: str(value) for key, value in entry.attrs.items()}
        if isinstance(entry, h5py.Dataset):
            contents[name] = ("dataset", attributes, str(entry.dtype), entry.shape, entry[()].tobytes())
        else:
            contents[name] = ("group", attributes)

    with h5py.File(io.BytesIO(source) if isinstance(source, bytes) else source, "r") as file:
        file.visititems(visit)
    return contents


def _archive_weights(path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read("model.weights.h5")


def _file_datasets(source) -> dict:
    """``{object path/weight: array}`` read straight from the ``<path>/vars/<i>`` datasets of a weights file."""
    found = {}
    for name, value in _h5_contents(source).items():
        parts = name.split("/")
        if value[0] == "dataset" and len(parts) >= 2 and parts[-2] == "vars":
            found["/".join(parts[:-2] + parts[-1:])] = value
    return found


# --------------------------------------------------------------------------- reading, against Keras
_KERAS_INSPECT = """
import json, tempfile
from keras.saving import KerasFileEditor
folder = tempfile.mkdtemp()
for name in ("sequential_mlp", "two_in_two_out", "recurrent"):
    path = os.path.join(folder, name + ".keras")
    with open(path, "wb") as file:
        file.write(data[name].tobytes())
    editor = KerasFileEditor(path)
    order = []
    def visit(tree, prefix):
        for key, value in tree.items():
            path = prefix + "/" + key if prefix else key
            if isinstance(value, dict):
                visit(value, path)
            else:
                order.append(path)
                out[name + ":" + path.replace("/", ":")] = np.asarray(value)
    visit(editor.weights_dict, "")
    out[name + ":order"] = np.array(order)
    metadata = {key: {k: str(v) for k, v in value.items()} for key, value in editor.object_metadata.items()}
    out[name + ":metadata"] = np.array(json.dumps(metadata))
"""


@pytest.fixture(scope="module")
def keras_views():
    files = {name: np.frombuffer(_sample(name).read_bytes(), np.uint8)
             for name in ("sequential_mlp", "two_in_two_out", "recurrent")}
    return run_keras(_KERAS_INSPECT, **files)


@pytest.mark.parametrize("name", ["sequential_mlp", "two_in_two_out"])
def test_weights_dict_is_keras_editors(name, keras_views):
    editor = KerasFileEditor(_sample(name))
    ours = _flat(editor.weights_dict)
    assert [path for path, _ in ours] == list(keras_views[f"{name}:order"])
    for path, value in ours:
        expected = keras_views[f"{name}:" + path.replace("/", ":")]
        assert value.dtype == expected.dtype and value.shape == expected.shape, path
        np.testing.assert_array_equal(value, expected, err_msg=path)
    metadata = {key: {k: str(v) for k, v in value.items()} for key, value in editor.object_metadata.items()}
    assert metadata == json.loads(str(keras_views[f"{name}:metadata"]))
    assert editor.config["class_name"] in ("Sequential", "Functional")
    assert editor.metadata["keras_version"] == "3.15.1"


def test_nested_objects_keep_their_weights(keras_views):
    # Keras's editor drops an object whose own `vars` is empty with everything under it (a Bidirectional, an
    # RNN layer holding its cell); brickwork's shows every weight the file holds, and agrees where Keras shows one.
    path = _sample("recurrent")
    ours = dict(_flat(KerasFileEditor(path).weights_dict))
    in_file = _file_datasets(_archive_weights(path))
    assert sorted(ours) == sorted(in_file)
    for key, value in ours.items():
        assert value.tobytes() == in_file[key][4], key
    keras_paths = list(keras_views["recurrent:order"])
    assert keras_paths and set(keras_paths) < set(ours)
    for key in keras_paths:
        np.testing.assert_array_equal(ours[key], keras_views["recurrent:" + key.replace("/", ":")])


def test_weights_h5_input_reads_as_the_archive(tmp_path):
    path = _sample("sequential_mlp")
    weights_file = tmp_path / "keras.weights.h5"
    weights_file.write_bytes(_archive_weights(path))
    from_archive, from_weights = KerasFileEditor(path), KerasFileEditor(weights_file)
    assert from_weights.config is None and from_weights.metadata is None
    assert [key for key, _ in _flat(from_weights.weights_dict)] == [key for key, _ in _flat(from_archive.weights_dict)]
    for (key, ours), (_, theirs) in zip(_flat(from_weights.weights_dict), _flat(from_archive.weights_dict)):
        np.testing.assert_array_equal(ours, theirs, err_msg=key)
    assert from_weights.object_metadata == from_archive.object_metadata


# --------------------------------------------------------------------------- reading brickwork's files
def _brickwork_model():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, name="first"),
                              keras.layers.BatchNormalization(), keras.layers.Dense(2, name="last")])
    model.compile(optimizer="adam", loss="mse")
    if backend.SUPPORTS_TRAINING:
        rng = np.random.default_rng(0)
        model.fit(rng.normal(size=(8, 4)), rng.normal(size=(8, 2)), epochs=1, batch_size=4, verbose=0)
    return model


def _expected_tree(model) -> dict:
    expected = {}
    for path, layer in zip(["layers/dense", "layers/batch_normalization", "layers/dense_1"], model.layers):
        for index, value in enumerate(layer.get_weights()):
            expected[f"{path}/{index}"] = value
    for index, variable in enumerate(model.optimizer.variables):  # iterations and learning rate, even unbuilt
        expected[f"optimizer/{index}"] = backend.convert_to_numpy(variable)
    return expected


@pytest.mark.parametrize("suffix", [".keras", ".weights.h5"])
def test_weights_dict_equals_the_models_weights(tmp_path, suffix):
    model = _brickwork_model()
    path = tmp_path / f"model{suffix}"
    if suffix == ".keras":
        model.save(path)
    else:
        model.save_weights(path)
    editor = KerasFileEditor(path)
    ours = dict(_flat(editor.weights_dict))
    expected = _expected_tree(model)
    assert sorted(ours) == sorted(expected)
    for key, value in expected.items():
        assert ours[key].dtype == value.dtype and ours[key].shape == value.shape, key
        np.testing.assert_array_equal(ours[key], value, err_msg=key)
    assert editor.object_metadata["/layers/dense"] == {"name": "first"}
    assert (editor.config is not None) == (suffix == ".keras")


def test_summary_and_header_carry_paths_names_shapes_dtypes(capsys):
    editor = KerasFileEditor(_sample("sequential_mlp"))
    header = capsys.readouterr().out
    assert "sequential_mlp.keras" in header and "Keras 3.15.1" in header and "2026-11-28@21:21:07" in header
    editor.summary()
    printed = capsys.readouterr().out
    assert "Weights structure" in printed
    for text in ("layers", "dense_1 ('dense_1')", "optimizer ('adam')", "0: shape=(6, 12), dtype=float32",
                 "0: shape=(), dtype=int32", "3: shape=(12,), dtype=float32"):
        assert text in printed, text


# --------------------------------------------------------------------------- compare
def test_compare_reports_matches_and_mismatches(tmp_path, capsys):
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3), keras.layers.Dense(2)])
    model.save(tmp_path / "model.keras")
    editor = KerasFileEditor(tmp_path / "model.keras")
    assert editor.compare(model) == {"status": "success", "error_count": 0, "match_count": 4}
    assert "Found 4 matching weights" in capsys.readouterr().out

    wider = keras.Sequential([keras.Input((4,)), keras.layers.Dense(5), keras.layers.Dense(2)])
    assert editor.compare(wider) == {"status": "error", "error_count": 3, "match_count": 1}
    printed = capsys.readouterr().out
    assert "Weight shape mismatch for /layers/dense/0" in printed
    assert "In reference model: shape=(4, 5)" in printed and "In saved file: shape=(4, 3)" in printed
    assert "/layers/dense_1/0" in printed and "/layers/dense_1/1" not in printed
    assert "Found 3 errors" in printed

    deeper = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3), keras.layers.Dense(2),
                               keras.layers.Dense(2)])
    assert editor.compare(deeper) == {"status": "error", "error_count": 1, "match_count": 4}
    assert "Object /layers/dense_2 present in reference model, missing from saved file" in capsys.readouterr().out

    editor.delete_weight("layers/dense_1", "1")
    assert editor.compare(model) == {"status": "error", "error_count": 1, "match_count": 3}
    assert "Weight /layers/dense_1/1 present in reference model, missing from saved file" in capsys.readouterr().out


def test_compare_covers_nested_objects_and_the_optimizer():
    path = _sample("recurrent")
    assert KerasFileEditor(path).compare(keras.saving.load_model(path))["status"] == "success"
    editor = KerasFileEditor(_sample("sequential_mlp"))
    loaded = keras.saving.load_model(_sample("sequential_mlp"))
    assert editor.compare(loaded) == {"status": "success", "error_count": 0, "match_count": 22}
    uncompiled = keras.saving.load_model(_sample("sequential_mlp"), compile=False)
    assert editor.compare(uncompiled) == {"status": "error", "error_count": 1, "match_count": 8}


# --------------------------------------------------------------------------- edits, against Keras
_KERAS_EDIT = """
import tempfile
from keras.saving import KerasFileEditor
folder = tempfile.mkdtemp()
sample = os.path.join(folder, "mlp.keras")
with open(sample, "wb") as file:
    file.write(data["sample"].tobytes())
editor = KerasFileEditor(sample)
editor.delete_object("optimizer")
editor.rename_object("layers/dense_1", "dense_2")
editor.add_object("layers/dense_1", {"0": data["eye"], "1": data["zeros"]})
editor.delete_weight("layers/batch_normalization", "3")
editor.add_weights("layers/batch_normalization", {"3": data["variance"]})
editor.save(os.path.join(folder, "keras_edited.weights.h5"))
with open(os.path.join(folder, "keras_edited.weights.h5"), "rb") as file:
    out["keras_edited"] = np.frombuffer(file.read(), np.uint8)

# The file brickwork's editor wrote, in the architecture it was edited for (a Dense inserted before the last).
ours = os.path.join(folder, "ours.weights.h5")
with open(ours, "wb") as file:
    file.write(data["ours"].tobytes())
original = keras.saving.load_model(sample)
fresh = [type(layer).from_config(layer.get_config()) for layer in original.layers]
model = keras.Sequential([keras.Input((6,))] + fresh[:3] + [keras.layers.Dense(12, name="inserted")] + fresh[3:])
model.load_weights(ours)
for index, value in enumerate(model.get_weights()):
    out[f"weight_{index}"] = value
out["prediction"] = model.predict(data["x"], verbose=0)
"""


def _edit_like_keras(editor, eye, zeros, variance):
    editor.delete_object("optimizer")
    editor.rename_object("layers/dense_1", "dense_2")
    editor.add_object("layers/dense_1", {"0": eye, "1": zeros})
    editor.delete_weight("layers/batch_normalization", "3")
    editor.add_weights("layers/batch_normalization", {"3": variance})


def _inserted_model(original):
    fresh = [type(layer).from_config(layer.get_config()) for layer in original.layers]
    return keras.Sequential([keras.Input((6,))] + fresh[:3] + [keras.layers.Dense(12, name="inserted")] + fresh[3:])


def test_edits_write_what_keras_editor_writes_and_load_in_both(tmp_path):
    sample = _sample("sequential_mlp")
    in_file = _file_datasets(_archive_weights(sample))
    variance = np.frombuffer(in_file["layers/batch_normalization/3"][4], np.float32).copy()
    eye, zeros = np.eye(12, dtype="float32"), np.zeros(12, "float32")

    editor = KerasFileEditor(sample)
    _edit_like_keras(editor, eye, zeros, variance)
    assert list(editor.weights_dict) == ["layers"]
    assert list(editor.weights_dict["layers"]) == ["batch_normalization", "dense", "dense_2", "dense_1"]
    edited = tmp_path / "edited.weights.h5"
    editor.save(edited)

    data = np.load(INTEROP / "sequential_mlp.npz")
    keras_side = run_keras(_KERAS_EDIT, sample=np.frombuffer(sample.read_bytes(), np.uint8),
                           ours=np.frombuffer(edited.read_bytes(), np.uint8), eye=eye, zeros=zeros,
                           variance=variance, x=data["input_0"])
    # The same file as Keras's editor writes: groups, datasets, dtypes, values and attributes.
    assert _h5_contents(str(edited)) == _h5_contents(keras_side["keras_edited"].tobytes())

    # Keras 3.15.1 loads it into the edited architecture: the inserted identity leaves the predictions as they were.
    np.testing.assert_allclose(keras_side["prediction"], data["output_0"], atol=1e-4, rtol=0)
    # ... and so does brickwork, to the same weights.
    model = _inserted_model(keras.saving.load_model(sample))
    model.load_weights(edited)
    weights = model.get_weights()
    assert len(weights) == len([key for key in keras_side if key.startswith("weight_")])
    for index, value in enumerate(weights):
        np.testing.assert_array_equal(value, keras_side[f"weight_{index}"], err_msg=f"weight {index}")
    np.testing.assert_array_equal(weights[6], eye)
    np.testing.assert_allclose(model.predict(data["input_0"], verbose=0), data["output_0"], atol=1e-4, rtol=0)


_KERAS_LOAD_RECURRENT = """
import tempfile
folder = tempfile.mkdtemp()
sample, ours = os.path.join(folder, "recurrent.keras"), os.path.join(folder, "ours.weights.h5")
for path, key in ((sample, "sample"), (ours, "ours")):
    with open(path, "wb") as file:
        file.write(data[key].tobytes())
model = keras.saving.load_model(sample)
model.set_weights([np.zeros_like(w) for w in model.get_weights()])
model.load_weights(ours)
out["prediction"] = model.predict(data["x"], verbose=0)
"""


def test_resaved_nested_weights_load_in_keras_and_brickwork(tmp_path):
    sample = _sample("recurrent")
    resaved = tmp_path / "recurrent.weights.h5"
    KerasFileEditor(sample).resave_weights(resaved)
    # Every weight kept (the names saved with the objects are not, as in Keras's editor).
    assert {key: value[1:] for key, value in _file_datasets(str(resaved)).items()} == {
        key: value[1:] for key, value in _file_datasets(_archive_weights(sample)).items()}
    data = np.load(INTEROP / "recurrent.npz")
    keras_side = run_keras(_KERAS_LOAD_RECURRENT, sample=np.frombuffer(sample.read_bytes(), np.uint8),
                           ours=np.frombuffer(resaved.read_bytes(), np.uint8), x=data["input_0"])
    np.testing.assert_allclose(keras_side["prediction"], data["output_0"], atol=1e-4, rtol=0)
    model = keras.saving.load_model(sample)
    model.set_weights([np.zeros_like(w) for w in model.get_weights()])
    model.load_weights(resaved)
    np.testing.assert_allclose(model.predict(data["input_0"], verbose=0), data["output_0"], atol=1e-4, rtol=0)


# --------------------------------------------------------------------------- edits, brickwork alone
def test_edits_by_unique_name_and_by_path(tmp_path):
    editor = KerasFileEditor(_sample("sequential_mlp"))
    # A bare name works when it occurs once (Keras 3.15.1 miscounts it as twice when the file holds an optimizer).
    editor.rename_object("dense", "renamed")
    assert list(editor.weights_dict["layers"]) == ["batch_normalization", "dense_1", "renamed"]
    assert editor.object_metadata["/layers/renamed"] == {"name": "dense"}
    editor.rename_object("/layers/renamed/", "renamed")  # slashes around a path are ignored; same name: no-op
    editor.delete_object("batch_normalization")
    assert "/layers/batch_normalization" not in editor.object_metadata
    editor.delete_weight("renamed", "1")
    editor.add_weights("layers/renamed", {1: np.full(12, 7.0, "float32")})  # an int name becomes "1"
    assert list(editor.weights_dict["layers"]["renamed"]) == ["0", "1"]
    editor.add_object("extra", {"0": np.arange(3), "sub": {"0": np.ones((2, 2), "float16")}})
    editor.save(tmp_path / "out.weights.h5")
    saved = _file_datasets(str(tmp_path / "out.weights.h5"))
    assert sorted(saved) == sorted(["layers/dense_1/0", "layers/dense_1/1", "layers/renamed/0", "layers/renamed/1",
                                    "extra/0", "extra/sub/0"] + [f"optimizer/{i}" for i in range(14)])
    assert saved["extra/sub/0"][2] == "float16"
    np.testing.assert_array_equal(KerasFileEditor(tmp_path / "out.weights.h5").weights_dict["layers"]["renamed"]["1"],
                                  np.full(12, 7.0, "float32"))


def test_root_weights_and_bfloat16_round_trip(tmp_path):
    ml_dtypes = pytest.importorskip("ml_dtypes")
    source = tmp_path / "custom.weights.h5"
    values = np.array([1.5, -2.0, 3.25], ml_dtypes.bfloat16)
    with h5py.File(source, "w") as file:
        root = file.create_group("vars")
        root.create_dataset("0", data=np.float32(4.0))
        dataset = file.create_group("layers/dense/vars").create_dataset("0", data=values.view(np.uint16))
        dataset.attrs["dtype"] = "bfloat16"
    editor = KerasFileEditor(source)
    assert list(editor.weights_dict) == ["0", "layers"]  # the model's own weights sit at the top
    assert editor.weights_dict["layers"]["dense"]["0"].dtype == ml_dtypes.bfloat16
    editor.save(tmp_path / "resaved.weights.h5")
    assert _h5_contents(str(tmp_path / "resaved.weights.h5")) == _h5_contents(str(source))


# --------------------------------------------------------------------------- errors
def _small_editor(tmp_path):
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3), keras.layers.Dense(2)])
    model.save_weights(tmp_path / "small.weights.h5")
    return KerasFileEditor(tmp_path / "small.weights.h5")


def test_errors_name_the_missing_object_or_weight(tmp_path):
    editor = _small_editor(tmp_path)
    with pytest.raises(ValueError, match=r"path 'layers/nope' not found.*'layers' holds \['dense', 'dense_1'\]"):
        editor.rename_object("layers/nope", "x")
    with pytest.raises(ValueError, match="name 'nope' does not appear"):
        editor.delete_object("nope")
    with pytest.raises(ValueError, match=r"'0' occurs more than once.*'layers/dense/0', 'layers/dense_1/0'"):
        editor.delete_object("0")
    with pytest.raises(ValueError, match=r"weight '7' not found in object 'layers/dense'. Weights found: \['0', '1'\]"):
        editor.delete_weight("layers/dense", "7")
    with pytest.raises(ValueError, match="new_name.*'a/b'"):
        editor.rename_object("layers/dense", "a/b")
    with pytest.raises(ValueError, match="path 'layers/x' .*parent of 'layers/x/y'"):
        editor.add_object("layers/x/y", {"0": np.ones(2)})
    with pytest.raises(ValueError, match="must be a dict.*list"):
        editor.add_weights("layers/dense", [np.ones(2)])
    with pytest.raises(ValueError, match="weight 'layers/new/0' is not an array of numbers"):
        editor.add_object("layers/new", {"0": "text"})
    with pytest.raises(ValueError, match="'layers/dense/0' is a weight, not an object"):
        editor.add_weights("layers/dense/0", {"0": np.ones(2)})
    assert sorted(editor.weights_dict["layers"]) == ["dense", "dense_1"]  # nothing changed


def test_a_shape_mismatch_is_named_when_the_edited_file_loads(tmp_path):
    editor = _small_editor(tmp_path)
    editor.add_weights("layers/dense", {"0": np.zeros((4, 5), "float32")})
    editor.save(tmp_path / "wrong.weights.h5")
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3), keras.layers.Dense(2)])
    with pytest.raises(ValueError, match=r"shape \(4, 3\).*shape \(4, 5\)"):
        model.load_weights(tmp_path / "wrong.weights.h5")


def test_files_that_are_not_weights_are_refused(tmp_path):
    (tmp_path / "text.keras").write_text("not a zip")
    with pytest.raises(ValueError, match="text.keras.*not a zip"):
        KerasFileEditor(tmp_path / "text.keras")
    (tmp_path / "text.weights.h5").write_text("not hdf5")
    with pytest.raises(ValueError, match="text.weights.h5.*not an HDF5 file"):
        KerasFileEditor(tmp_path / "text.weights.h5")
    with pytest.raises(ValueError, match=r"expected a `.keras` or `.weights.h5` file.*model.h5"):
        KerasFileEditor(tmp_path / "model.h5")
    with pytest.raises(FileNotFoundError, match="absent"):
        KerasFileEditor(tmp_path / "absent.weights.h5")
    with zipfile.ZipFile(tmp_path / "weightless.keras", "w") as archive:
        archive.writestr("config.json", json.dumps({"class_name": "Sequential", "config": {}}))
    with pytest.raises(ValueError, match="no 'model.weights.h5'"):
        KerasFileEditor(tmp_path / "weightless.keras")


def test_hostile_files_are_refused(tmp_path):
    with zipfile.ZipFile(tmp_path / "escape.keras", "w") as archive:
        archive.writestr("config.json", json.dumps({"class_name": "Sequential", "config": {}}))
        archive.writestr("../outside.txt", "x")
    with pytest.raises(ValueError, match=r"'\.\./outside\.txt'"):
        KerasFileEditor(tmp_path / "escape.keras")
    (tmp_path / "secret.h5").write_bytes(b"")
    for name, link in [("soft", h5py.SoftLink("/layers/dense")),
                       ("external", h5py.ExternalLink(str(tmp_path / "secret.h5"), "/"))]:
        path = tmp_path / f"{name}.weights.h5"
        with h5py.File(path, "w") as file:
            file.create_group("layers/dense/vars").create_dataset("0", data=np.ones(2))
            file["layers/alias"] = link
        with pytest.raises(ValueError, match=f"'layers/alias' is an? {name} link"):
            KerasFileEditor(path)
    with h5py.File(tmp_path / "cycle.weights.h5", "w") as file:
        file.create_group("layers/dense/vars").create_dataset("0", data=np.ones(2))
        file["layers/dense/loop"] = file["layers"]
    with pytest.raises(ValueError, match="'layers/dense/loop' is reached twice"):
        KerasFileEditor(tmp_path / "cycle.weights.h5")


def test_a_failed_save_leaves_nothing_half_written(tmp_path, monkeypatch):
    editor = _small_editor(tmp_path)
    target = tmp_path / "target.weights.h5"
    editor.save(target)
    before = target.read_bytes()
    listing = sorted(os.listdir(tmp_path))

    with pytest.raises(ValueError, match=r"expected a `.weights.h5` file"):
        editor.save(tmp_path / "edited.keras")
    editor.weights_dict["layers"]["dense"]["1"] = object()  # edited by hand: checked before the file is touched
    with pytest.raises(ValueError, match="weight 'layers/dense/1' is not an array of numbers"):
        editor.save(target)
    assert target.read_bytes() == before and sorted(os.listdir(tmp_path)) == listing

    editor.weights_dict["layers"]["dense"]["1"] = np.zeros(3, "float32")
    written = []

    def fail_on_the_second(group, name, value):
        if written:
            raise OSError("disk full")
        written.append(name)
        group.create_dataset(name, data=value)

    monkeypatch.setattr(file_editor, "_write_weight", fail_on_the_second)
    with pytest.raises(OSError, match="disk full"):
        editor.save(target)
    assert target.read_bytes() == before and sorted(os.listdir(tmp_path)) == listing
    with pytest.raises(OSError, match="disk full"):
        editor.save(tmp_path / "new.weights.h5")
    assert sorted(os.listdir(tmp_path)) == listing


def test_public_names():
    assert keras.saving.KerasFileEditor is KerasFileEditor
    import importlib

    from brickwork.compat.keras_src_map import brickwork_module_for

    module = importlib.import_module(brickwork_module_for("keras.src.saving.file_editor"))
    assert module.KerasFileEditor is KerasFileEditor
