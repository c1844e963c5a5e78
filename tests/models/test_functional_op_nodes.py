"""A Functional graph holding plain ops (``a + b``, ``ops.concatenate``, ``x * 2.0``) saves and loads, in
Keras 3.15.1's format: each op is an entry of ``layers`` named by its op class (``keras.src.ops.numpy``,
``Concatenate``, static arguments in its config, tensors in its node), so files move both ways."""

import json

import numpy as np
import pytest

import brickwork as keras
from brickwork import backend, layers, ops
from tests.layers.keras_reference import run_keras

A = np.arange(6, dtype="float32").reshape(2, 3) / 10
B = np.ones((2, 3), dtype="float32")

BUILD_IN_KERAS = """
from keras import layers, ops
a = keras.Input((3,), name="a"); b = keras.Input((3,), name="b")
x = ops.concatenate([a + b, a], axis=-1) * 2.0
model = keras.Model([a, b], layers.Dense(2, name="dense")(x))
model.get_layer("dense").set_weights([data["kernel"], data["bias"]])
path = "from_keras.keras"
model.save(path)
out["archive"] = np.frombuffer(open(path, "rb").read(), dtype=np.uint8)
out["y"] = model.predict([data["a"], data["b"]], verbose=0)
"""

LOAD_IN_KERAS = """
open("from_here.keras", "wb").write(data["archive"].tobytes())
model = keras.saving.load_model("from_here.keras")
out["y"] = model.predict([data["a"], data["b"]], verbose=0)
out["classes"] = np.array([entry["class_name"] for entry in model.get_config()["layers"]])
"""

KERNEL = np.linspace(-1, 1, 12, dtype="float32").reshape(6, 2)
BIAS = np.array([0.5, -0.5], dtype="float32")


def _model():
    a, b = keras.Input((3,), name="a"), keras.Input((3,), name="b")
    x = ops.concatenate([a + b, a], axis=-1) * 2.0
    model = keras.Model([a, b], layers.Dense(2, name="dense")(x))
    model.get_layer("dense").set_weights([KERNEL, BIAS])
    return model


def _expected():
    return np.concatenate([A + B, A], axis=-1) * 2.0 @ KERNEL + BIAS


def test_op_entries_are_written_as_keras_writes_them():
    entries = _model().get_config()["layers"]
    ops_written = [(e["module"], e["class_name"], e["config"]) for e in entries if e["module"].startswith("keras.src")]
    assert ops_written == [("keras.src.ops.numpy", "Add", {"name": "add"}),
                           ("keras.src.ops.numpy", "Concatenate", {"name": "concatenate", "axis": -1}),
                           ("keras.src.ops.numpy", "Multiply", {"name": "multiply"})]
    multiply = next(e for e in entries if e["class_name"] == "Multiply")
    assert multiply["inbound_nodes"][0]["args"][1] == 2.0  # a constant stays an argument of the call


def test_json_round_trip_is_stable():
    model = _model()
    again = keras.models.model_from_json(model.to_json())
    assert json.loads(again.to_json()) == json.loads(model.to_json())


def test_keras_round_trip_here(tmp_path):
    model = _model()
    model.save(tmp_path / "m.keras")
    loaded = keras.saving.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(backend.convert_to_numpy(loaded([A, B])), _expected(), rtol=1e-6)


def test_a_file_keras_wrote_loads_here(tmp_path):
    keras_side = run_keras(BUILD_IN_KERAS, a=A, b=B, kernel=KERNEL, bias=BIAS)
    path = tmp_path / "from_keras.keras"
    path.write_bytes(keras_side["archive"].tobytes())
    model = keras.saving.load_model(path)
    np.testing.assert_allclose(backend.convert_to_numpy(model([A, B])), keras_side["y"], rtol=1e-6)
    np.testing.assert_allclose(keras_side["y"], _expected(), rtol=1e-5)


@pytest.mark.skipif(backend.backend() == "numpy", reason="one direction is enough; the file is the same")
def test_keras_loads_a_file_written_here(tmp_path):
    path = tmp_path / "m.keras"
    _model().save(path)
    keras_side = run_keras(LOAD_IN_KERAS, archive=np.frombuffer(path.read_bytes(), dtype=np.uint8), a=A, b=B)
    assert list(keras_side["classes"]) == ["InputLayer", "InputLayer", "Add", "Concatenate", "Multiply", "Dense"]
    np.testing.assert_allclose(keras_side["y"], _expected(), rtol=1e-5)
