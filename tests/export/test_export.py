"""Tests for brickwork/export and backend/*/export.py: ONNX and torch.export programs, NumPy-only inference."""

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


def _run_clean(code: str, cwd, env=None) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter; raise with its stderr when it fails."""
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], check=False, cwd=cwd, env=env,
                            capture_output=True, text=True, timeout=120)
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
        _mlp().export(tmp_path / "model.onnx", format="onnx")


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
