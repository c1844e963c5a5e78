""".keras files between brickwork's tensorflow engine and its torch engine, and with Keras 3.15.1 on its tensorflow
backend, both ways.

One side builds two models (a Sequential, a Functional with two inputs, two outputs and a shared layer), trains them,
saves them, records their predictions, then trains one more epoch and records again. The other side loads the files:
its predictions must be the first ones, and one more epoch of its own training (the optimizer state loaded with the
file: Adam's moments and step) must give the second ones. Each side runs in its own interpreter, so that each has one
engine: brickwork with BRICKWORK_BACKEND set, or Keras 3.15.1 in its own environment (tests/layers/keras_reference.py),
never on brickwork's path.
"""

import importlib.util
import json
import os
import pathlib
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import brickwork
from tests.conftest import BACKEND
from tests.layers import keras_reference

REPO_ROOT = str(pathlib.Path(brickwork.__file__).resolve().parents[1])

pytestmark = [
    pytest.mark.skipif(BACKEND != "tensorflow", reason="every side runs in its own interpreter: once, on the "
                                                       "tensorflow engine's run"),
    pytest.mark.skipif(importlib.util.find_spec("tensorflow") is None, reason="TensorFlow is not installed"),
]

# The same text runs under brickwork and under Keras 3.15.1 (``keras`` is either).
_COMMON = """
import json, os, sys
import numpy as np

def build(keras):
    sequential = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="tanh"),
                                   keras.layers.Dense(3)], name="sequential")
    a, b = keras.Input((5,), name="a"), keras.Input((5,), name="b")
    shared = keras.layers.Dense(4, activation="tanh", name="shared")
    merged = keras.layers.Concatenate()([shared(a), shared(b)])
    functional = keras.Model([a, b], [keras.layers.Dense(1, name="score")(merged),
                                      keras.layers.Dense(3, activation="sigmoid", name="probs")(merged)])
    return {"sequential": sequential, "two_in_two_out": functional}

data = np.load("data.npz")
INPUTS = {"sequential": data["x"], "two_in_two_out": [data["a"], data["b"]]}
TARGETS = {"sequential": data["y"], "two_in_two_out": [data["score"], data["probs"]]}

def predictions(model, name):
    outputs = model.predict(INPUTS[name], verbose=0)
    return [np.asarray(o) for o in (outputs if isinstance(outputs, (list, tuple)) else [outputs])]

def one_epoch(model, name):
    model.fit(INPUTS[name], TARGETS[name], epochs=1, batch_size=3, shuffle=False, verbose=0)
"""

_WRITE = _COMMON + """
keras.utils.set_random_seed(1)
for name, model in build(keras).items():
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse")
    model.fit(INPUTS[name], TARGETS[name], epochs=2, batch_size=3, shuffle=False, verbose=0)
    model.save(f"{name}.keras")
    saved = predictions(model, name)
    one_epoch(model, name)
    after = predictions(model, name)
    np.savez(f"{name}.expected.npz", **{f"saved_{i}": v for i, v in enumerate(saved)},
             **{f"after_{i}": v for i, v in enumerate(after)})
"""

_READ = _COMMON + """
report = {}
for name in ("sequential", "two_in_two_out"):
    model = keras.saving.load_model(f"{name}.keras")
    expected = np.load(f"{name}.expected.npz")
    saved = predictions(model, name)
    report[name] = max(float(np.abs(p - expected[f"saved_{i}"]).max()) for i, p in enumerate(saved))
    report[name + "_iterations"] = int(np.asarray(model.optimizer.iterations))
    one_epoch(model, name)
    after = predictions(model, name)
    report[name + "_after_training"] = max(float(np.abs(p - expected[f"after_{i}"]).max())
                                           for i, p in enumerate(after))
print("REPORT" + json.dumps(report))
"""


def _data(folder):
    rng = np.random.default_rng(0)
    np.savez(folder / "data.npz", x=rng.normal(size=(6, 4)).astype("float32"),
             y=rng.normal(size=(6, 3)).astype("float32"), a=rng.normal(size=(6, 5)).astype("float32"),
             b=rng.normal(size=(6, 5)).astype("float32"), score=rng.normal(size=(6, 1)).astype("float32"),
             probs=rng.uniform(size=(6, 3)).astype("float32"))


def _brickwork(script: str, folder, engine: str) -> str:
    """``script`` under brickwork on ``engine`` (``import brickwork as keras``), in ``folder``; its stdout."""
    env = {k: v for k, v in os.environ.items() if k not in ("KERAS_BACKEND",)}
    env.update(BRICKWORK_BACKEND=engine, PYTHONPATH=REPO_ROOT, TF_CPP_MIN_LOG_LEVEL="3")
    result = subprocess.run([sys.executable, "-c", "import brickwork as keras\n" + textwrap.dedent(script)],
                            check=False, cwd=folder, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def _keras(script: str, folder) -> str:
    """``script`` under Keras 3.15.1 on its tensorflow backend, in ``folder``; its stdout."""
    if os.environ.get("BRICKWORK_SKIP_KERAS_INTEROP"):
        pytest.skip("BRICKWORK_SKIP_KERAS_INTEROP is set")
    return keras_reference.run_keras_in_folder("import keras\n" + script, folder, keras_backend="tensorflow")


def _run(side: str, script: str, folder) -> str:
    return _keras(script, folder) if side == "keras-tensorflow" else _brickwork(script, folder,
                                                                                side.split("-", 1)[1])


@pytest.mark.parametrize("writer, reader", [
    ("brickwork-tensorflow", "keras-tensorflow"),
    ("keras-tensorflow", "brickwork-tensorflow"),
    ("brickwork-torch", "brickwork-tensorflow"),
    ("brickwork-tensorflow", "brickwork-torch"),
])
def test_trained_models_move_with_their_optimizer_state(writer, reader, tmp_path):
    _data(tmp_path)
    _run(writer, _WRITE, tmp_path)
    report = json.loads(_run(reader, _READ, tmp_path).split("REPORT", 1)[1])
    for name in ("sequential", "two_in_two_out"):
        assert report[name] < 1e-5, report  # the same predictions from the same weights
        assert report[name + "_iterations"] == 4, report  # two epochs of two batches
        # Adam resumes where the writer stopped: one more epoch gives the writer's next predictions
        assert report[name + "_after_training"] < 1e-4, report
