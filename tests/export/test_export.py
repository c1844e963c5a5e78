"""Tests for brickwork/export and backend/*/export.py: ONNX and torch.export programs, TensorFlow SavedModels,
NumPy-only inference."""

import importlib.util
import os
import pathlib
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import brickwork as keras
from tests.conftest import BACKEND

REPO_ROOT = str(pathlib.Path(keras.__file__).resolve().parents[1])
BATCH_SIZES = (3, 8)  # two sizes: the batch dimension of the exported program is dynamic

requires_torch = pytest.mark.skipif(BACKEND != "torch", reason="export traces the model with torch")
requires_tensorflow = pytest.mark.skipif(BACKEND != "tensorflow", reason="a SavedModel is written on tensorflow")
requires_onnxruntime = pytest.mark.skipif(importlib.util.find_spec("onnxruntime") is None,
                                          reason="onnxruntime is not installed")


def _mlp():
    return keras.Sequential([keras.Input((5,)), keras.layers.Dense(8, activation="relu"),
                             keras.layers.Dropout(0.5), keras.layers.Dense(3)])


def _cnn():
    return keras.Sequential([
        keras.Input((8, 8, 2)),
        keras.layers.Conv2D(4, 3, activation="relu"),
        keras.layers.BatchNormalization(),
        keras.layers.MaxPooling2D(2),
        keras.layers.Flatten(),
        keras.layers.Dense(3, activation="softmax"),
    ])


MODELS = {"mlp": _mlp, "cnn": _cnn}


def _inputs(model, batch_size: int) -> np.ndarray:
    shape = (batch_size,) + tuple(model.inputs[0].shape[1:])
    return np.random.default_rng(batch_size).normal(size=shape).astype("float32")


def _tanh_two_inputs():
    """Two named inputs as a dict, tanh and sigmoid only: a graph the young tensorflow engine runs in full."""
    wide, deep = keras.Input((2,), name="wide"), keras.Input((4,), name="deep")
    hidden = keras.layers.Dense(6, activation="tanh")(keras.layers.Concatenate()([deep, wide]))
    output = keras.layers.Dense(3, activation="sigmoid")(keras.layers.Dropout(0.5)(hidden))
    return keras.Model({"deep": deep, "wide": wide}, output)


def _run_clean(code: str, cwd, env=None, isolated: bool = False) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter (``-I``: no PYTHONPATH, no user site, when ``isolated``); raise with its
    stderr when it fails."""
    result = subprocess.run([sys.executable, *(["-I"] if isolated else []), "-c", textwrap.dedent(code)],
                            check=False, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


@requires_torch
@requires_onnxruntime
@pytest.mark.parametrize("name", sorted(MODELS))
def test_onnx_matches_predict_for_two_batch_sizes(name, tmp_path):
    import onnxruntime

    model = MODELS[name]()
    path = tmp_path / f"{name}.onnx"
    model.export(path, format="onnx", verbose=False)
    session = onnxruntime.InferenceSession(str(path))
    (onnx_input,) = session.get_inputs()
    for batch_size in BATCH_SIZES:
        x = _inputs(model, batch_size)
        (result,) = session.run(None, {onnx_input.name: x})
        expected = model.predict(x, verbose=0)
        assert result.shape == expected.shape == (batch_size, 3)
        np.testing.assert_allclose(result, expected, atol=1e-5, rtol=1e-5)


@requires_torch
@pytest.mark.parametrize("name", sorted(MODELS))
def test_torch_program_runs_without_brickwork(name, tmp_path):
    model = MODELS[name]()
    model.export(tmp_path / "model.pt2", format="torch", verbose=False)
    for batch_size in BATCH_SIZES:
        np.save(tmp_path / f"x{batch_size}.npy", _inputs(model, batch_size))
    # brickwork is made unimportable in the child: the program must stand on torch alone.
    _run_clean(f"""
        import sys
        sys.modules["brickwork"] = None
        import numpy as np, torch
        module = torch.export.load("model.pt2").module()
        for batch_size in {BATCH_SIZES}:
            x = torch.from_numpy(np.load(f"x{{batch_size}}.npy"))
            np.save(f"y{{batch_size}}.npy", module(x).detach().numpy())
    """, cwd=tmp_path)
    for batch_size in BATCH_SIZES:
        result = np.load(tmp_path / f"y{batch_size}.npy")
        expected = model.predict(np.load(tmp_path / f"x{batch_size}.npy"), verbose=0)
        assert result.shape == expected.shape and result.dtype == np.float32
        np.testing.assert_allclose(result, expected, atol=1e-5, rtol=1e-5)


@requires_torch
def test_dict_inputs_follow_the_sorted_key_order(tmp_path):
    import torch

    wide, deep = keras.Input((2,), name="wide"), keras.Input((4,), name="deep")
    output = keras.layers.Dense(1)(keras.layers.Concatenate()([keras.layers.Dense(3)(deep), wide]))
    # Keys given in sorted order: Functional (not export) mixes insertion and sorted order otherwise.
    model = keras.Model({"deep": deep, "wide": wide}, output)
    model.export(tmp_path / "model.pt2", format="torch", verbose=False)
    inputs = {"wide": np.ones((4, 2), "float32"), "deep": np.arange(16, dtype="float32").reshape(4, 4)}
    program = torch.export.load(str(tmp_path / "model.pt2")).module()
    # The program's inputs follow the flattened (key-sorted) order of the input structure.
    result = program(torch.from_numpy(inputs["deep"]), torch.from_numpy(inputs["wide"]))
    np.testing.assert_allclose(result.numpy(), model.predict(inputs, verbose=0), atol=1e-6)


@requires_torch
def test_subclassed_model_uses_its_build_shape_with_a_free_batch(tmp_path):
    import torch

    class TwoLayers(keras.Model):
        def __init__(self):
            super().__init__()
            self.hidden, self.out = keras.layers.Dense(4, activation="tanh"), keras.layers.Dense(2)

        def call(self, x):
            return self.out(self.hidden(x))

    model = TwoLayers()
    model(np.zeros((2, 3), "float32"))
    model.export(tmp_path / "model.pt2", format="torch", verbose=False)
    x = np.random.default_rng(0).normal(size=(6, 3)).astype("float32")
    result = torch.export.load(str(tmp_path / "model.pt2")).module()(torch.from_numpy(x))
    np.testing.assert_allclose(result.numpy(), model.predict(x, verbose=0), atol=1e-6)


@requires_torch
def test_export_replaces_an_existing_file_and_says_where(tmp_path, capsys):
    path = tmp_path / "model.pt2"
    path.write_bytes(b"old")
    _mlp().export(path, format="torch")
    assert path.read_bytes()[:2] == b"PK"  # a .pt2 archive is a zip file
    assert f"Saved artifact at '{path}'" in capsys.readouterr().out
    assert [p.name for p in tmp_path.iterdir()] == ["model.pt2"]  # no temporary file left behind


@pytest.mark.skipif(BACKEND == "torch", reason="the torch backend can export")
def test_other_backends_explain_that_export_needs_torch(tmp_path):
    with pytest.raises(NotImplementedError, match="needs the torch backend.*BRICKWORK_BACKEND=torch"):
        _tanh_two_inputs().export(tmp_path / "model.onnx", format="onnx")


_SAVED_MODEL_CHILD = """
    import sys
    sys.modules["brickwork"] = None  # the SavedModel must stand on TensorFlow alone
    import numpy as np, tensorflow as tf
    reloaded = tf.saved_model.load("model")
    for batch_size in {batch_sizes}:
        inputs = {{key: np.load(f"{{key}}{{batch_size}}.npy") for key in {keys}}}
        x = inputs["x"] if list(inputs) == ["x"] else inputs
        np.save(f"y{{batch_size}}.npy", reloaded.serve(x).numpy())
        signature = reloaded.signatures["serving_default"]
        (output,) = signature(**{{name: tf.constant(inputs[name if name in inputs else "x"])
                                  for name in signature.structured_input_signature[1]}}).values()
        np.save(f"s{{batch_size}}.npy", output.numpy())
"""


def _check_saved_model(model, make_inputs, tmp_path):
    """Export ``model`` as a SavedModel, reload it where brickwork cannot be imported, compare with ``predict``."""
    model.export(tmp_path / "model", format="tf_saved_model", verbose=False)
    batches = {batch_size: make_inputs(batch_size) for batch_size in BATCH_SIZES}
    for batch_size, inputs in batches.items():
        for key, array in inputs.items():
            np.save(tmp_path / f"{key}{batch_size}.npy", array)
    keys = sorted(batches[BATCH_SIZES[0]])
    _run_clean(_SAVED_MODEL_CHILD.format(batch_sizes=BATCH_SIZES, keys=keys), cwd=tmp_path, isolated=True)
    for batch_size, inputs in batches.items():
        expected = model.predict(inputs["x"] if keys == ["x"] else inputs, verbose=0)
        for prefix in ("y", "s"):  # the `serve` attribute and the `serving_default` signature
            result = np.load(tmp_path / f"{prefix}{batch_size}.npy")
            assert result.shape == expected.shape and result.dtype == np.float32
            np.testing.assert_allclose(result, expected, atol=1e-5, rtol=1e-5)


@requires_tensorflow
@pytest.mark.parametrize("name", sorted(MODELS))
def test_saved_model_runs_with_tensorflow_alone(name, tmp_path):
    model = MODELS[name]()
    _check_saved_model(model, lambda batch_size: {"x": _inputs(model, batch_size)}, tmp_path)


@requires_tensorflow
def test_saved_model_takes_dict_inputs_and_trained_weights(tmp_path):
    model = _tanh_two_inputs()
    rng = np.random.default_rng(0)
    data = {"deep": rng.normal(size=(32, 4)).astype("float32"), "wide": rng.normal(size=(32, 2)).astype("float32")}
    model.compile(optimizer="adam", loss="mse")
    before = model.predict(data, verbose=0)
    model.fit(data, rng.uniform(size=(32, 3)).astype("float32"), epochs=2, verbose=0)
    assert not np.allclose(model.predict(data, verbose=0), before)  # the SavedModel must carry trained values

    def make_inputs(batch_size):
        inputs = np.random.default_rng(batch_size)
        return {"deep": inputs.normal(size=(batch_size, 4)).astype("float32"),
                "wide": inputs.normal(size=(batch_size, 2)).astype("float32")}

    _check_saved_model(model, make_inputs, tmp_path)


@requires_tensorflow
def test_saved_model_keeps_variables_and_says_where(tmp_path, capsys):
    import tensorflow as tf

    model = _tanh_two_inputs()
    model.export(tmp_path / "model")  # the tensorflow engine's default format is the SavedModel
    printed = capsys.readouterr().out
    assert f"Saved artifact at '{tmp_path / 'model'}'" in printed and "Endpoint 'serve'" in printed
    reloaded = tf.saved_model.load(str(tmp_path / "model"))
    # the weights (and the dropout's seed state) are variables of the SavedModel, not constants in its graph
    assert sorted(tuple(v.shape) for v in reloaded.variables_tracked) == sorted(
        tuple(v.shape) for v in model.variables)
    assert {tuple(w.shape) for w in model.weights} == {(6, 6), (6,), (6, 3), (3,)}
    with pytest.raises(ValueError, match="unsupported keyword arguments \\['opset_version'\\]"):
        model.export(tmp_path / "other", format="tf_saved_model", opset_version=17)
    with pytest.raises(NotImplementedError, match="export\\(format='onnx'\\) needs the torch backend"):
        model.export(tmp_path / "model.onnx", format="onnx")


@requires_tensorflow
def test_keras_3_reloads_the_saved_model_as_a_tfsm_layer(tmp_path):
    """Keras 3.15.1 (tensorflow backend, its own environment) reloads the SavedModel with its TFSMLayer."""
    from tests.layers import keras_reference

    model = _tanh_two_inputs()
    model.export(tmp_path / "model", verbose=False)
    rng = np.random.default_rng(5)
    inputs = {"deep": rng.normal(size=(4, 4)).astype("float32"), "wide": rng.normal(size=(4, 2)).astype("float32")}
    np.savez(tmp_path / "inputs.npz", **inputs)
    keras_reference.run_keras_in_folder("""
        import numpy as np, keras
        inputs = dict(np.load("inputs.npz"))
        layer = keras.layers.TFSMLayer("model", call_endpoint="serve")
        np.save("keras.npy", keras.ops.convert_to_numpy(layer(inputs)))
    """, tmp_path, keras_backend="tensorflow")
    np.testing.assert_allclose(np.load(tmp_path / "keras.npy"), model.predict(inputs, verbose=0), atol=1e-5, rtol=1e-5)


@pytest.mark.skipif(BACKEND == "tensorflow", reason="the tensorflow backend writes SavedModels")
def test_other_backends_explain_that_a_saved_model_needs_tensorflow(tmp_path):
    with pytest.raises(NotImplementedError, match="TensorFlow SavedModel, which needs the tensorflow backend.*"
                                                  "BRICKWORK_BACKEND=tensorflow"):
        _tanh_two_inputs().export(tmp_path / "model", format="tf_saved_model")
    assert not (tmp_path / "model").exists()


def test_bad_requests_name_the_problem(tmp_path):
    with pytest.raises(ValueError, match="Unrecognized format='tflite': export supports format= one of"):
        _mlp().export(tmp_path / "model.tflite", format="tflite")
    with pytest.raises(ValueError, match="is not built yet"):
        keras.Sequential([keras.layers.Dense(2)]).export(tmp_path / "model.onnx")


def test_keras_file_predicts_with_numpy_alone(tmp_path):
    """A .keras file saved here loads and predicts in a process where torch and jax cannot be imported."""
    model = _cnn()
    x = _inputs(model, 4)
    model.save(tmp_path / "model.keras")
    np.save(tmp_path / "x.npy", x)
    env = {**os.environ, "BRICKWORK_BACKEND": "numpy", "PYTHONPATH": REPO_ROOT}
    env.pop("KERAS_BACKEND", None)
    _run_clean("""
        import sys
        sys.modules["torch"] = None
        sys.modules["jax"] = None
        import numpy as np
        import brickwork
        assert brickwork.backend.backend() == "numpy"
        model = brickwork.models.load_model("model.keras")
        np.save("y.npy", model.predict(np.load("x.npy"), verbose=0))
    """, cwd=tmp_path, env=env)
    result = np.load(tmp_path / "y.npy")
    np.testing.assert_allclose(result, model.predict(x, verbose=0), atol=1e-5, rtol=1e-5)


def test_input_signature_accepts_specs_and_frees_the_batch_of_subclassed_models():
    from brickwork.export import resolve_input_signature

    model = _mlp()
    (default,) = model.inputs
    assert resolve_input_signature(model) is default
    spec = keras.layers.InputSpec(shape=(None, 5), dtype="float16", name="features")
    (resolved,) = [resolve_input_signature(model, [spec])]  # [spec] means one input, as in Keras
    assert (resolved.shape, resolved.dtype, resolved.name) == ((None, 5), "float16", "features")
    pair = resolve_input_signature(model, {"a": keras.KerasTensor((None, 2)), "b": np.zeros((4, 3), "int32")})
    assert (pair["a"].shape, pair["b"].shape, pair["b"].dtype) == ((None, 2), (4, 3), "int32")

    class Identity(keras.Model):
        def call(self, x):
            return x

    subclassed = Identity()
    with pytest.raises(ValueError, match="cannot tell the inputs of model .*pass input_signature"):
        resolve_input_signature(subclassed)
    subclassed(np.zeros((2, 3), "float32"))
    assert resolve_input_signature(subclassed).shape == (None, 3)
