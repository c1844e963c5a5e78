"""The legacy ``.h5`` whole-model format: brickwork's own round trip, files written by Keras 3.15.1 (generated
at test time in the reference environment), files in ``tf.keras``'s layout (written by hand: TensorFlow is not
installed), brickwork's files read by Keras, and hostile files refused before they can run code, read another
file or allocate what they declare."""

import base64
import json
import marshal

import h5py
import numpy as np
import pytest

from brickwork import layers, models, saving
from brickwork.legacy.saving import legacy_h5_format, saving_utils
from brickwork.saving.weights_store import WeightsFileError
from tests.conftest import requires_training
from tests.layers.keras_reference import run_keras

RNG = np.random.default_rng(0)
X = RNG.normal(size=(5, 4)).astype("float32")


def _sequential():
    return models.Sequential([layers.Input((4,)), layers.Dense(8, activation="relu"),
                              layers.BatchNormalization(moving_mean_initializer="uniform"), layers.Dense(3)])


def _functional():
    a, b = layers.Input((4,), name="a"), layers.Input((4,), name="b")
    shared = layers.Dense(5, name="shared")
    merged = layers.Concatenate(axis=1)([shared(a), shared(b)])
    return models.Model([a, b], [layers.Dense(1, name="score")(merged),
                                 layers.Dense(3, activation="softmax", name="probs")(merged)])


def _predict(model, inputs):
    outputs = model.predict(inputs, verbose=0)
    return [np.asarray(o) for o in outputs] if isinstance(outputs, (list, tuple)) else [np.asarray(outputs)]


def _assert_same(left, right, atol=1e-6):
    for a, b in zip(left, right):
        np.testing.assert_allclose(a, b, atol=atol)


# --------------------------------------------------------------------------- brickwork <-> brickwork
@pytest.mark.parametrize("make, inputs", [(_sequential, X), (_functional, [X, X[::-1].copy()])],
                         ids=["sequential", "functional"])
def test_round_trip_keeps_predictions(tmp_path, make, inputs):
    model = make()
    expected = _predict(model, inputs)
    model.save(tmp_path / "m.h5")
    restored = models.load_model(tmp_path / "m.h5")
    assert type(restored) is type(model) and [layer.name for layer in restored.layers] == [
        layer.name for layer in model.layers]
    _assert_same(_predict(restored, inputs), expected)


@requires_training
def test_compiled_model_restores_compile_and_optimizer_state(tmp_path):
    model = _sequential()
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    model.fit(X, RNG.normal(size=(5, 3)).astype("float32"), epochs=3, batch_size=5, verbose=0)
    model.save(tmp_path / "m.h5")
    restored = models.load_model(tmp_path / "m.h5")
    assert restored.compiled and type(restored.optimizer).__name__ == "Adam"
    assert int(restored.optimizer.iterations.numpy()) == 3
    for saved, loaded in zip(model.optimizer.variables, restored.optimizer.variables):
        np.testing.assert_allclose(np.asarray(saved.numpy()), np.asarray(loaded.numpy()), atol=1e-7)
    uncompiled = models.load_model(tmp_path / "m.h5", compile=False)
    assert not getattr(uncompiled, "compiled", False)


def test_include_optimizer_false_writes_no_training_config(tmp_path):
    model = _sequential()
    model.compile(optimizer="sgd", loss="mse")
    saving.save_model(model, tmp_path / "m.h5", include_optimizer=False)
    with h5py.File(tmp_path / "m.h5") as file:
        assert "training_config" not in file.attrs and "optimizer_weights" not in file
    assert not getattr(models.load_model(tmp_path / "m.h5"), "compiled", False)


def test_file_layout_is_keras(tmp_path):
    model = _sequential()
    legacy_h5_format.save_model_to_hdf5(model, tmp_path / "deep" / "folder" / "m.hdf5")  # folders are created
    with h5py.File(tmp_path / "deep" / "folder" / "m.hdf5") as file:
        assert json.loads(file.attrs["model_config"])["class_name"] == "Sequential"
        weights = file["model_weights"]
        names = [n.decode() if isinstance(n, bytes) else n for n in weights.attrs["layer_names"]]
        assert names == [layer.name for layer in model.layers]
        batch_norm = weights[model.layers[1].name]
        assert len(batch_norm.attrs["weight_names"]) == 4  # gamma, beta, then the moving statistics
    with pytest.raises(FileExistsError, match="overwrite=False"):
        legacy_h5_format.save_model_to_hdf5(model, tmp_path / "deep" / "folder" / "m.hdf5", overwrite=False)


def test_save_logs_the_legacy_notice(tmp_path, caplog):
    with caplog.at_level("WARNING"):
        _sequential().save(tmp_path / "m.h5")
    assert "This file format is considered legacy" in caplog.text and "my_model.keras" in caplog.text


def test_load_weights_from_a_whole_model_file_by_order_and_by_name(tmp_path):
    source = _sequential()
    source.save(tmp_path / "m.h5")
    target = _sequential()
    target.load_weights(tmp_path / "m.h5")
    _assert_same(_predict(target, X), _predict(source, X))
    renamed = models.Sequential([layers.Input((4,)), layers.Dense(8, name=source.layers[0].name)])
    renamed.load_weights(tmp_path / "m.h5", by_name=True)  # only the layer with the same name is filled
    np.testing.assert_allclose(renamed.layers[0].kernel.numpy(), source.layers[0].kernel.numpy())


def test_load_weights_argument_errors(tmp_path):
    model = _sequential()
    model.save(tmp_path / "m.h5")
    model.save_weights(tmp_path / "m.weights.h5")
    with pytest.raises(ValueError, match="`by_name` only supports loading legacy '.h5'"):
        model.load_weights(tmp_path / "m.weights.h5", by_name=True)
    with pytest.raises(ValueError, match="`objects_to_skip` only supports loading '.weights.h5'"):
        model.load_weights(tmp_path / "m.h5", objects_to_skip=[])
    with pytest.raises(ValueError, match="Invalid keyword arguments"):
        model.load_weights(tmp_path / "m.h5", surprise=True)
    with pytest.raises(ValueError, match="Layer count mismatch"):
        models.Sequential([layers.Input((4,)), layers.Dense(8)]).load_weights(tmp_path / "m.h5")
    with pytest.raises(ValueError, match=r"shape \(4, 9\), the file holds \(4, 8\)"):
        models.Sequential([layers.Input((4,)), layers.Dense(9), layers.BatchNormalization(),
                           layers.Dense(3)]).load_weights(tmp_path / "m.h5")


# --------------------------------------------------------------------------- Keras 3 <-> brickwork
_KERAS_WRITES = """
path = str(data["path"])
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"),
                          keras.layers.BatchNormalization(moving_mean_initializer="uniform"), keras.layers.Dense(3)])
a = keras.Input((4,), name="a")
shared = keras.layers.Dense(5, name="shared")
merged = keras.layers.Concatenate(axis=1)([shared(a), shared(a)])
functional = keras.Model(a, keras.layers.Dense(2, activation="softmax", name="probs")(merged))
model.compile(optimizer="adam", loss="mse")
model.fit(data["x"], data["y"], epochs=2, batch_size=5, verbose=0)
model.save(path + "/sequential.h5")
functional.save(path + "/functional.h5")
out["sequential"] = model.predict(data["x"], verbose=0)
out["functional"] = functional.predict(data["x"], verbose=0)
out["iterations"] = np.asarray(int(model.optimizer.iterations))
"""


def test_files_written_by_keras_3_load_with_the_same_predictions(tmp_path):
    expected = run_keras(_KERAS_WRITES, path=np.asarray(str(tmp_path)), x=X,
                         y=RNG.normal(size=(5, 3)).astype("float32"))
    sequential = models.load_model(tmp_path / "sequential.h5")
    functional = models.load_model(tmp_path / "functional.h5")
    np.testing.assert_allclose(_predict(sequential, X)[0], expected["sequential"], atol=1e-5)
    np.testing.assert_allclose(_predict(functional, X)[0], expected["functional"], atol=1e-5)
    assert sequential.compiled and int(sequential.optimizer.iterations.numpy()) == int(expected["iterations"])


_KERAS_READS = """
for name in ("sequential", "functional"):
    model = keras.saving.load_model(str(data["path"]) + "/" + name + ".h5")
    inputs = [data["x"], data["x2"]] if name == "functional" else data["x"]
    outputs = model.predict(inputs, verbose=0)
    outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
    for index, value in enumerate(outputs):
        out[f"{name}_{index}"] = value
    out[name + "_compiled"] = np.asarray(bool(getattr(model, "compiled", False)))
"""


def test_keras_3_loads_what_brickwork_writes(tmp_path):
    sequential, functional = _sequential(), _functional()
    sequential.compile(optimizer="rmsprop", loss="mse", metrics=["mae"])
    inputs = [X, X[::-1].copy()]
    sequential.save(tmp_path / "sequential.h5")
    functional.save(tmp_path / "functional.h5")
    got = run_keras(_KERAS_READS, path=np.asarray(str(tmp_path)), x=X, x2=inputs[1])
    np.testing.assert_allclose(got["sequential_0"], _predict(sequential, X)[0], atol=1e-5)
    _assert_same([got["functional_0"], got["functional_1"]], _predict(functional, inputs), atol=1e-5)
    assert bool(got["sequential_compiled"])


# --------------------------------------------------------------------------- tf.keras (Keras 2) files
def _keras2_file(path, kernel, bias, gamma, beta, mean, variance, weights_only=False):
    """A file in tf.keras 2.x's layout: Keras 2 configs (no "module", string dtypes, list-form inbound nodes,
    ``axis=[1]``), ``:0`` weight names."""
    def dense(name, units, inbound):
        return {"class_name": "Dense", "name": name, "inbound_nodes": [[[inbound, 0, 0, {}]]],
                "config": {"name": name, "trainable": True, "dtype": "float32", "units": units,
                           "activation": "relu", "use_bias": True,
                           "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": None}},
                           "bias_initializer": {"class_name": "Zeros", "config": {}},
                           "kernel_regularizer": None, "bias_regularizer": None, "activity_regularizer": None,
                           "kernel_constraint": None, "bias_constraint": None}}
    config = {"class_name": "Functional", "config": {"name": "model", "layers": [
        {"class_name": "InputLayer", "name": "input_1", "inbound_nodes": [],
         "config": {"batch_input_shape": [None, 4], "dtype": "float32", "sparse": False, "ragged": False,
                    "name": "input_1"}},
        dense("dense", 3, "input_1"),
        {"class_name": "BatchNormalization", "name": "batch_normalization",
         "inbound_nodes": [[["dense", 0, 0, {}]]],
         "config": {"name": "batch_normalization", "trainable": True, "dtype": "float32", "axis": [1],
                    "momentum": 0.99, "epsilon": 0.001, "center": True, "scale": True,
                    "beta_initializer": {"class_name": "Zeros", "config": {}},
                    "gamma_initializer": {"class_name": "Ones", "config": {}},
                    "moving_mean_initializer": {"class_name": "Zeros", "config": {}},
                    "moving_variance_initializer": {"class_name": "Ones", "config": {}},
                    "beta_regularizer": None, "gamma_regularizer": None, "beta_constraint": None,
                    "gamma_constraint": None}}],
        "input_layers": [["input_1", 0, 0]], "output_layers": [["batch_normalization", 0, 0]]}}
    training = {"loss": "mse", "metrics": None, "weighted_metrics": None, "loss_weights": None,
                "optimizer_config": {"class_name": "Adam", "config": {
                    "name": "Adam", "learning_rate": 0.01, "decay": 0.0, "beta_1": 0.9, "beta_2": 0.999,
                    "epsilon": 1e-07, "amsgrad": False, "jit_compile": True, "is_legacy_optimizer": False}}}
    with h5py.File(path, "w") as file:
        root = file
        if not weights_only:
            file.attrs["model_config"] = json.dumps(config).encode()
            file.attrs["training_config"] = json.dumps(training).encode()
            file.attrs["keras_version"] = b"2.13.1"
            file.attrs["backend"] = b"tensorflow"
            root = file.create_group("model_weights")
        root.attrs["layer_names"] = [b"input_1", b"dense", b"batch_normalization"]
        root.attrs["keras_version"] = b"2.13.1"
        root.create_group("input_1").attrs["weight_names"] = np.array([], dtype="S1")
        group = root.create_group("dense")
        group.attrs["weight_names"] = [b"dense/kernel:0", b"dense/bias:0"]
        group["dense/kernel:0"], group["dense/bias:0"] = kernel, bias
        group = root.create_group("batch_normalization")
        names = ["gamma", "beta", "moving_mean", "moving_variance"]
        group.attrs["weight_names"] = [f"batch_normalization/{n}:0".encode() for n in names]
        for name, value in zip(names, (gamma, beta, mean, variance)):
            group[f"batch_normalization/{name}:0"] = value


def _keras2_weights():
    return [RNG.normal(size=(4, 3)).astype("float32"), RNG.normal(size=3).astype("float32"),
            RNG.uniform(0.5, 2, size=3).astype("float32"), RNG.normal(size=3).astype("float32"),
            RNG.normal(size=3).astype("float32"), RNG.uniform(0.5, 2, size=3).astype("float32")]


def _keras2_reference(kernel, bias, gamma, beta, mean, variance):
    hidden = np.maximum(X @ kernel + bias, 0)
    return gamma * (hidden - mean) / np.sqrt(variance + 0.001) + beta


def test_a_tf_keras_model_file_loads(tmp_path):
    weights = _keras2_weights()
    _keras2_file(tmp_path / "tf_keras.h5", *weights)
    model = models.load_model(tmp_path / "tf_keras.h5")
    np.testing.assert_allclose(_predict(model, X)[0], _keras2_reference(*weights), atol=1e-5)
    assert model.layers[-1].axis in (1, -1) and model.compiled  # Keras 2's optimizer arguments were dropped
    assert float(np.asarray(model.optimizer.learning_rate)) == pytest.approx(0.01)


def test_tf_keras_save_weights_file_loads_into_a_model_built_from_code(tmp_path):
    weights = _keras2_weights()
    _keras2_file(tmp_path / "weights.h5", *weights, weights_only=True)
    inputs = layers.Input((4,))
    model = models.Model(inputs, layers.BatchNormalization()(layers.Dense(3, activation="relu")(inputs)))
    model.load_weights(tmp_path / "weights.h5")
    np.testing.assert_allclose(_predict(model, X)[0], _keras2_reference(*weights), atol=1e-5)


def test_keras2_sequential_json_reads_through_model_from_config():
    config = {"class_name": "Sequential", "config": {"name": "sequential", "layers": [
        {"class_name": "Dense", "config": {"name": "d", "units": 2, "dtype": "float32", "batch_input_shape": [None, 3],
                                           "activation": "linear"}}]}}
    model = saving_utils.model_from_config(config)
    assert model.layers[0].units == 2 and tuple(model.input_shape) == (None, 3)


# --------------------------------------------------------------------------- hostile files
def _code_base64():
    return base64.b64encode(marshal.dumps((lambda x: x * 2).__code__)).decode("ascii")


def _with_lambda(tmp_path, form):
    model = _sequential()
    model.save(tmp_path / "m.h5")
    with h5py.File(tmp_path / "m.h5", "a") as file:
        config = json.loads(file.attrs["model_config"])
        if form == "keras3":
            function = {"class_name": "__lambda__", "config": {"code": _code_base64(), "defaults": None,
                                                                "closure": None}}
            entry = {"class_name": "Lambda", "config": {"name": "evil", "function": function, "arguments": {}}}
        else:  # tf.keras: [code, defaults, closure] with function_type "lambda"
            entry = {"class_name": "Lambda", "config": {"name": "evil", "function": [_code_base64(), None, None],
                                                        "function_type": "lambda", "module": "__main__",
                                                        "output_shape": None, "output_shape_type": "raw",
                                                        "arguments": {}}}
        config["config"]["layers"].append(entry)
        file.attrs["model_config"] = json.dumps(config).encode()
    return tmp_path / "m.h5", model


@pytest.mark.parametrize("form", ["keras3", "keras2"])
def test_lambda_bytecode_is_refused_unless_safe_mode_is_off(tmp_path, form):
    path, model = _with_lambda(tmp_path, form)
    with pytest.raises(ValueError, match=r"(?s)'/sequential/evil'.*arbitrary code execution.*safe_mode=False"):
        models.load_model(path)
    with pytest.raises(ValueError, match="arbitrary code execution"):
        legacy_h5_format.load_model_from_hdf5(path)
    trusted = models.load_model(path, safe_mode=False)
    np.testing.assert_allclose(_predict(trusted, X)[0], 2 * _predict(model, X)[0], atol=1e-5)


def test_unknown_class_is_refused_not_imported(tmp_path):
    model = _sequential()
    model.save(tmp_path / "m.h5")
    with h5py.File(tmp_path / "m.h5", "a") as file:
        config = json.loads(file.attrs["model_config"])
        config["config"]["layers"].append({"class_name": "system", "config": {"command": "touch pwned"}})
        file.attrs["model_config"] = json.dumps(config).encode()
    with pytest.raises(ValueError, match="Unknown layer: 'system'"):
        models.load_model(tmp_path / "m.h5")


def _other_file(tmp_path):
    with h5py.File(tmp_path / "other.h5", "w") as file:
        file["data"] = np.full((4, 8), 7.0, "float32")
        file.create_group("model_weights")
    return str(tmp_path / "other.h5")


def _edit_kernel(make):
    def edit(file, tmp_path, kernel_path):
        group, name = kernel_path.rsplit("/", 1)
        del file[kernel_path]
        make(file[group], name, tmp_path)
    return edit


def _external_raw(group, name, tmp_path):
    np.full((4, 8), 7.0, "float32").tofile(tmp_path / "raw.bin")
    group.create_dataset(name, shape=(4, 8), dtype="float32", external=[(str(tmp_path / "raw.bin"), 0, 128)])


def _replace_model_weights(link):
    def edit(file, tmp_path, kernel_path):
        del file["model_weights"]
        file["model_weights"] = link(tmp_path)
    return edit


HOSTILE = {
    "external-link-model-weights": (_replace_model_weights(
        lambda tmp_path: h5py.ExternalLink(_other_file(tmp_path), "/model_weights")), r"ExternalLink"),
    "soft-link-model-weights": (_replace_model_weights(lambda tmp_path: h5py.SoftLink("/elsewhere")), r"SoftLink"),
    "external-link-dataset": (_edit_kernel(lambda group, name, tmp_path: group.__setitem__(
        name, h5py.ExternalLink(_other_file(tmp_path), "/data"))), r"ExternalLink"),
    "external-raw-storage": (_edit_kernel(_external_raw), r"external file"),
    "declared-400GB-unstored": (_edit_kernel(lambda group, name, tmp_path: group.create_dataset(
        name, shape=(10**6, 10**5), dtype="float32")), r"declares shape"),
    "shape-mismatch": (_edit_kernel(lambda group, name, tmp_path: group.create_dataset(
        name, data=np.ones((5, 8), "float32"))), r"shape \(4, 8\), the file holds \(5, 8\)"),
    "string-dataset": (_edit_kernel(lambda group, name, tmp_path: group.create_dataset(
        name, data=np.array([[b"a"] * 8] * 4))), r"non-numeric"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_hdf5_is_refused(tmp_path, case):
    edit, message = HOSTILE[case]
    model = _sequential()
    model.save(tmp_path / "m.h5")
    kernel_path = f"model_weights/{model.layers[0].name}/{model.layers[0].kernel.path}"
    with h5py.File(tmp_path / "m.h5", "a") as file:
        assert kernel_path in file
        edit(file, tmp_path, kernel_path)
    before = [np.asarray(v.numpy()).copy() for v in model.weights]
    with pytest.raises((WeightsFileError, ValueError), match=message):
        models.load_model(tmp_path / "m.h5")
    with pytest.raises((WeightsFileError, ValueError), match=message):
        model.load_weights(tmp_path / "m.h5")
    for variable, value in zip(model.weights, before):
        np.testing.assert_array_equal(np.asarray(variable.numpy()), value)  # nothing was half-loaded


def test_oversized_attribute_is_refused_before_it_is_read(tmp_path, monkeypatch):
    model = _sequential()
    model.save(tmp_path / "m.h5")
    monkeypatch.setattr(legacy_h5_format, "MAX_ATTRIBUTE_ITEMS", 2)
    with pytest.raises(WeightsFileError, match="attribute 'layer_names'.*declares 3 item.*exhaust memory"):
        models.load_model(tmp_path / "m.h5")
    monkeypatch.setattr(legacy_h5_format, "MAX_ATTRIBUTE_ITEMS", 10**7)
    with h5py.File(tmp_path / "m.h5", "a") as file:  # a fixed-size attribute: its bytes are checked too
        file["model_weights"].attrs["layer_names"] = np.array([layer.name for layer in model.layers], dtype="S200")
    model.load_weights(tmp_path / "m.h5")  # fixed-size names load
    monkeypatch.setattr(legacy_h5_format, "MAX_ATTRIBUTE_BYTES", 100)
    with pytest.raises(WeightsFileError, match=r"attribute 'layer_names'.*3 item\(s\) of 200 bytes"):
        model.load_weights(tmp_path / "m.h5")


def test_not_an_hdf5_file(tmp_path):
    (tmp_path / "m.h5").write_bytes(b"not hdf5 at all")
    with pytest.raises(WeightsFileError, match="not an HDF5 file"):
        models.load_model(tmp_path / "m.h5")
    with h5py.File(tmp_path / "w.h5", "w") as file:
        file["x"] = np.zeros(3)
    with pytest.raises(ValueError, match="No model config found"):
        models.load_model(tmp_path / "w.h5")
