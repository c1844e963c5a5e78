"""ExportArchive: endpoints written per engine (a TensorFlow SavedModel, torch.export programs, ONNX, jax.export)
and reloaded without brickwork give the model's outputs; variable collections; errors worded like Keras's."""

import importlib.util
import json
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import brickwork as keras
from brickwork.export import ExportArchive
from tests.conftest import BACKEND

BATCH_SIZES = (3, 8)  # two sizes: the batch dimension stays dynamic
can_export = pytest.mark.skipif(BACKEND not in ("torch", "jax", "tensorflow"),
                                reason="ExportArchive traces with tensorflow, torch or jax")
requires_tensorflow = pytest.mark.skipif(BACKEND != "tensorflow", reason="SavedModels are written on tensorflow")
requires_torch = pytest.mark.skipif(BACKEND != "torch", reason="torch.export programs are written on torch")
requires_jax_serialization = pytest.mark.skipif(
    BACKEND != "jax" or importlib.util.find_spec("flatbuffers") is None,
    reason="jax.export artifacts are written on jax and need the flatbuffers package")
can_write = pytest.mark.skipif(
    BACKEND not in ("torch", "jax") or (BACKEND == "jax" and importlib.util.find_spec("flatbuffers") is None),
    reason="ExportArchive writes on torch, and on jax with the flatbuffers package")
requires_onnxruntime = pytest.mark.skipif(
    BACKEND != "torch" or any(importlib.util.find_spec(name) is None for name in ("onnx", "onnxscript", "onnxruntime")),
    reason="ONNX endpoints are written on torch and need onnx, onnxscript and onnxruntime")


def _two_input_model():
    first, second = keras.Input((3,), name="first"), keras.Input((4,), name="second")
    hidden = keras.layers.Dense(5, activation="tanh", name="hidden")(keras.layers.Concatenate()([first, second]))
    normed = keras.layers.BatchNormalization(name="norm")(hidden)
    output = keras.layers.Dense(2, name="out")(keras.layers.Dropout(0.5)(normed))
    model = keras.Model([first, second], output)
    # moving statistics away from their initial values, so that inference mode is visible in the outputs
    model.get_layer("norm").moving_mean.assign(np.linspace(-1, 1, 5).astype("float32"))
    return model


def _inputs(batch_size):
    rng = np.random.default_rng(batch_size)
    return rng.normal(size=(batch_size, 3)).astype("float32"), rng.normal(size=(batch_size, 4)).astype("float32")


def _archive(model, format=None):
    """Endpoints: ``serve`` (the model on a list of two inputs), ``hidden`` (a sub-layer through a lambda of two
    positional arguments)."""
    archive = ExportArchive(format) if format else ExportArchive()
    archive.track(model)
    archive.add_endpoint("serve", model.call, input_signature=[[keras.InputSpec(shape=(None, 3), dtype="float32"),
                                                                keras.InputSpec(shape=(None, 4), dtype="float32")]])
    archive.add_endpoint("hidden", lambda a, b: model.get_layer("hidden")(keras.ops.concatenate([a, b], axis=-1)),
                         input_signature=[keras.InputSpec(shape=(None, 3)), keras.InputSpec(shape=(None, 4))])
    return archive


def _expected(model, batch_size):
    first, second = _inputs(batch_size)
    hidden = model.get_layer("hidden")(np.concatenate([first, second], axis=1))
    return model.predict([first, second], verbose=0), keras.ops.convert_to_numpy(hidden)


def _run_without_brickwork(code, cwd):
    """``code`` in an isolated interpreter (``-I``: no PYTHONPATH, no user site) where brickwork cannot be imported."""
    result = subprocess.run([sys.executable, "-I", "-c", "import sys\nsys.modules['brickwork'] = None\n"
                             + textwrap.dedent(code)], check=False, cwd=cwd, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]


def _save_inputs(folder):
    for batch_size in BATCH_SIZES:
        first, second = _inputs(batch_size)
        np.save(folder / f"first{batch_size}.npy", first)
        np.save(folder / f"second{batch_size}.npy", second)


def _check_outputs(model, folder):
    for batch_size in BATCH_SIZES:
        serve, hidden = _expected(model, batch_size)
        np.testing.assert_allclose(np.load(folder / f"serve{batch_size}.npy"), serve, rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(np.load(folder / f"hidden{batch_size}.npy"), hidden, rtol=1e-5, atol=1e-5)


@requires_torch
def test_torch_programs_run_with_torch_alone(tmp_path):
    model = _two_input_model()
    _archive(model).write_out(tmp_path / "archive", verbose=False)
    _save_inputs(tmp_path)
    _run_without_brickwork(f"""
        import numpy as np, torch
        serve = torch.export.load("archive/serve.pt2").module()
        hidden = torch.export.load("archive/hidden.pt2").module()
        for size in {BATCH_SIZES}:
            a, b = (torch.from_numpy(np.load(f"{{name}}{{size}}.npy")) for name in ("first", "second"))
            np.save(f"serve{{size}}.npy", serve(a, b).detach().numpy())
            np.save(f"hidden{{size}}.npy", hidden(a, b).detach().numpy())
    """, cwd=tmp_path)
    _check_outputs(model, tmp_path)


@requires_onnxruntime
def test_onnx_models_run_with_onnxruntime(tmp_path):
    model = _two_input_model()
    _archive(model, "onnx").write_out(tmp_path / "archive", verbose=False)
    _save_inputs(tmp_path)
    _run_without_brickwork(f"""
        import numpy as np, onnxruntime
        for name in ("serve", "hidden"):
            session = onnxruntime.InferenceSession(f"archive/{{name}}.onnx")
            feeds = [item.name for item in session.get_inputs()]
            for size in {BATCH_SIZES}:
                arrays = [np.load(f"{{part}}{{size}}.npy") for part in ("first", "second")]
                np.save(f"{{name}}{{size}}.npy", session.run(None, dict(zip(feeds, arrays)))[0])
    """, cwd=tmp_path)
    _check_outputs(model, tmp_path)


@requires_jax_serialization
def test_jax_exports_run_with_jax_alone(tmp_path):
    model = _two_input_model()
    _archive(model).write_out(tmp_path / "archive", verbose=False)
    _save_inputs(tmp_path)
    _run_without_brickwork(f"""
        import numpy as np, jax
        for name in ("serve", "hidden"):
            with open(f"archive/{{name}}.jax_export", "rb") as file:
                exported = jax.export.deserialize(bytearray(file.read()))
            for size in {BATCH_SIZES}:
                arrays = [np.load(f"{{part}}{{size}}.npy") for part in ("first", "second")]
                np.save(f"{{name}}{{size}}.npy", np.asarray(exported.call(*arrays)))
    """, cwd=tmp_path)
    _check_outputs(model, tmp_path)


@requires_tensorflow
def test_saved_model_runs_with_tensorflow_alone(tmp_path):
    model = _two_input_model()
    archive = _archive(model)
    archive.add_variable_collection("norm_state", model.get_layer("norm").non_trainable_weights)
    archive.write_out(tmp_path / "archive", verbose=False)
    _save_inputs(tmp_path)
    _run_without_brickwork(f"""
        import numpy as np, tensorflow as tf
        reloaded = tf.saved_model.load("archive")
        assert sorted(reloaded.signatures) == ["hidden", "serve", "serving_default"], list(reloaded.signatures)
        for size in {BATCH_SIZES}:
            a, b = (tf.constant(np.load(f"{{name}}{{size}}.npy")) for name in ("first", "second"))
            np.save(f"serve{{size}}.npy", reloaded.serve([a, b]).numpy())
            np.save(f"hidden{{size}}.npy", reloaded.hidden(a, b).numpy())
            # the signatures take flat named inputs and return a dict, as TF-Serving wants
            (default,) = reloaded.signatures["serving_default"](input_0=a, input_1=b).values()
            np.testing.assert_array_equal(default.numpy(), np.load(f"serve{{size}}.npy"))
        np.save("norm_state.npy", np.stack([v.numpy() for v in reloaded.norm_state]))
    """, cwd=tmp_path)
    _check_outputs(model, tmp_path)
    np.testing.assert_array_equal(np.load(tmp_path / "norm_state.npy"),
                                  np.stack([np.linspace(-1, 1, 5), np.ones(5)]).astype("float32"))


@requires_tensorflow
def test_saved_model_endpoint_and_printout(tmp_path, capsys):
    model = _two_input_model()
    archive = ExportArchive("tf_saved_model")
    endpoint = archive.track_and_add_endpoint(
        "serve", model, input_signature=[[keras.InputSpec(shape=(None, 3)), keras.InputSpec(shape=(None, 4))]])
    first, second = _inputs(5)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(endpoint([first, second])),
                               model.predict([first, second], verbose=0), rtol=1e-5, atol=1e-5)
    archive.write_out(tmp_path / "archive")
    printed = capsys.readouterr().out
    assert f"Saved artifact at '{tmp_path / 'archive'}'" in printed
    assert "* Endpoint 'serve': inputs [['float32(None, 3)', 'float32(None, 4)']] -> outputs float32(None, 2)" in printed
    assert (tmp_path / "archive" / "saved_model.pb").exists()


@requires_tensorflow
def test_saved_model_holds_the_variables_of_layers_never_tracked(tmp_path):
    import tensorflow as tf

    model = _two_input_model()
    head = keras.layers.Dense(3, name="head")
    head.build((None, 2))
    archive = ExportArchive()
    archive.track(model)  # `head` is not tracked: its variables are found in the trace
    archive.add_endpoint("serve", lambda a, b: head(model([a, b])),
                         input_signature=[keras.InputSpec(shape=(None, 3)), keras.InputSpec(shape=(None, 4))])
    archive.write_out(tmp_path / "archive", verbose=False)
    first, second = _inputs(3)
    expected = keras.ops.convert_to_numpy(head(model.predict([first, second], verbose=0)))
    reloaded = tf.saved_model.load(str(tmp_path / "archive"))
    np.testing.assert_allclose(reloaded.serve(first, second).numpy(), expected, rtol=1e-5, atol=1e-5)


@can_write
def test_endpoint_runs_the_traced_program_and_the_manifest_describes_it(tmp_path):
    model = _two_input_model()
    archive = ExportArchive()
    endpoint = archive.track_and_add_endpoint(
        "serve", model, input_signature=[[keras.InputSpec(shape=(None, 3)), keras.InputSpec(shape=(None, 4))]])
    first, second = _inputs(5)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(endpoint([first, second])),
                               model.predict([first, second], verbose=0), rtol=1e-5, atol=1e-5)
    archive.add_variable_collection("norm_state", model.get_layer("norm").non_trainable_weights)
    archive.write_out(tmp_path / "archive", verbose=False)
    manifest = json.loads((tmp_path / "archive" / "archive.json").read_text())
    assert manifest["endpoints"]["serve"]["inputs"] == [[
        {"shape": [None, 3], "dtype": "float32", "name": None}, {"shape": [None, 4], "dtype": "float32", "name": None}]]
    stored = np.load(tmp_path / "archive" / "variables.npz")
    entries = manifest["variable_collections"]["norm_state"]
    assert [entry["path"] for entry in entries] == ["norm/moving_mean", "norm/moving_variance"]
    np.testing.assert_array_equal(stored[entries[0]["key"]], np.linspace(-1, 1, 5).astype("float32"))
    np.testing.assert_array_equal(stored[entries[1]["key"]], np.ones(5, "float32"))


@can_export
def test_bad_input_gives_clear_errors(tmp_path):
    model = _two_input_model()
    archive = ExportArchive()
    with pytest.raises(ValueError, match="No endpoints have been set yet. Call add_endpoint()"):
        archive.write_out(tmp_path / "empty")
    with pytest.raises(ValueError, match="you must provide an `input_signature`"):
        archive.add_endpoint("serve", model.call)
    with pytest.raises(ValueError, match="Expected a Keras `Layer` or `Model`.*'str'"):
        archive.track("model")
    with pytest.raises(ValueError, match="'unbuilt' has not yet been built"):
        archive.track(keras.layers.Dense(2, name="unbuilt"))
    with pytest.raises(ValueError, match="must be a Python identifier.*'../up'"):
        archive.add_endpoint("../up", model.call, input_signature=[keras.InputSpec(shape=(None, 3))])
    archive.track_and_add_endpoint("serve", model, input_signature=[[keras.InputSpec(shape=(None, 3)),
                                                                     keras.InputSpec(shape=(None, 4))]])
    with pytest.raises(ValueError, match="Endpoint name 'serve' is already taken"):
        archive.add_endpoint("serve", model.call, input_signature=[keras.InputSpec(shape=(None, 3))])
    with pytest.raises(ValueError, match="unsupported keyword arguments \\['jax2tf_kwargs'\\]"):
        archive.add_endpoint("other", model.call, input_signature=[keras.InputSpec(shape=(None, 3))],
                             jax2tf_kwargs={})
    with pytest.raises(ValueError, match="Expected `variables` to be a list/tuple/set.*'dict'"):
        archive.add_variable_collection("state", {"a": model.weights[0]})
    with pytest.raises(ValueError, match="`keras.Variable` instances.*'ndarray'"):
        archive.add_variable_collection("state", [np.zeros(2)])
    with pytest.raises(ValueError, match="`options` must be a tf.saved_model.SaveOptions" if BACKEND == "tensorflow"
                       else "`options`.*TensorFlow SavedModel only"):
        archive.write_out(tmp_path / "archive", options=object())
    assert not (tmp_path / "archive").exists()


@can_export
def test_formats(tmp_path):
    if BACKEND == "tensorflow":
        assert ExportArchive("tf_saved_model").format == "tf_saved_model"
        with pytest.raises(ValueError, match="Unsupported format='torch' on the tensorflow backend"):
            ExportArchive("torch")
    else:
        with pytest.raises(NotImplementedError, match="needs the TensorFlow backend.*format= one of"):
            ExportArchive("tf_saved_model")
        with pytest.raises(ValueError, match="Unsupported format='onnx' on the jax backend" if BACKEND == "jax"
                           else "Unsupported format='jax' on the torch backend"):
            ExportArchive("onnx" if BACKEND == "jax" else "jax")
    assert ExportArchive().format == {"torch": "torch", "jax": "jax", "tensorflow": "saved_model"}[BACKEND]


@pytest.mark.skipif(BACKEND != "numpy", reason="the numpy backend traces nothing")
def test_numpy_backend_says_which_backends_export():
    with pytest.raises(NotImplementedError, match="not available on the numpy backend.*tensorflow.*torch.*jax"):
        ExportArchive()
