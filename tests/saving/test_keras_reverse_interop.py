"""Files brickwork writes load in Keras 3 itself (in a separate virtual environment, never on brickwork's path).

The environment is built once under ~/.cache/brickwork-keras-venv (``pip install keras``, reusing this
interpreter's torch); the test skips, saying why, where that cannot be done.
"""

import json
import os
import subprocess
import textwrap

import numpy as np
import pytest

from brickwork import backend, layers
from brickwork.models import Model, Sequential
from tests.layers import keras_reference



def _keras_python() -> str:
    return keras_reference.keras_python()


_CHECK = textwrap.dedent("""
    import json, os, sys, warnings
    os.environ["KERAS_BACKEND"] = "torch"
    import numpy as np
    import keras

    folder = sys.argv[1]
    report = {}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for name in ("sequential", "two_in_two_out"):
            data = np.load(os.path.join(folder, name + ".npz"))
            inputs = [data[k] for k in sorted(data.files) if k.startswith("input_")]
            outputs = [data[k] for k in sorted(data.files) if k.startswith("output_")]
            model = keras.saving.load_model(os.path.join(folder, name + ".keras"))
            predictions = model.predict(inputs if len(inputs) > 1 else inputs[0], verbose=0)
            predictions = predictions if isinstance(predictions, (list, tuple)) else [predictions]
            report[name] = max(float(np.abs(p - o).max()) for p, o in zip(predictions, outputs))
            report[name + "_optimizer_iterations"] = int(model.optimizer.iterations.numpy()) if model.optimizer else None
        rebuilt = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"),
                                    keras.layers.Dense(3)])
        rebuilt.load_weights(os.path.join(folder, "sequential.weights.h5"))
        data = np.load(os.path.join(folder, "sequential.npz"))
        report["weights_file"] = float(np.abs(rebuilt.predict(data["input_0"], verbose=0) - data["output_0"]).max())
    report["warnings"] = [str(w.message)[:200] for w in caught if "optimizer" in str(w.message).lower()]
    print("REPORT" + json.dumps(report))
""")


def _save_models(folder):
    rng = np.random.default_rng(0)
    sequential = Sequential([layers.Input((4,)), layers.Dense(8, activation="relu"), layers.Dense(3)])
    a, b = layers.Input((5,), name="a"), layers.Input((5,), name="b")
    shared = layers.Dense(4, name="shared")
    merged = layers.Concatenate()([shared(a), shared(b)])
    functional = Model([a, b], [layers.Dense(1, name="score")(merged), layers.Dense(3, activation="softmax")(merged)])
    models = {"sequential": (sequential, [rng.normal(size=(6, 4)).astype("float32")]),
              "two_in_two_out": (functional, [rng.normal(size=(6, 5)).astype("float32") for _ in range(2)])}
    for name, (model, inputs) in models.items():
        model.compile(optimizer="adam", loss="mse")
        if backend.SUPPORTS_TRAINING:
            targets = [rng.normal(size=(6,) + tuple(o.shape[1:])).astype("float32") for o in model.outputs]
            model.fit(inputs if len(inputs) > 1 else inputs[0], targets if len(targets) > 1 else targets[0],
                      epochs=2, batch_size=3, verbose=0)
        outputs = model.predict(inputs if len(inputs) > 1 else inputs[0], verbose=0)
        outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
        np.savez(folder / f"{name}.npz", **{f"input_{i}": v for i, v in enumerate(inputs)},
                 **{f"output_{i}": v for i, v in enumerate(outputs)})
        model.save(folder / f"{name}.keras")
    sequential.save_weights(folder / "sequential.weights.h5")


def test_keras_3_loads_what_brickwork_saves(tmp_path):
    if os.environ.get("BRICKWORK_SKIP_KERAS_INTEROP"):
        pytest.skip("BRICKWORK_SKIP_KERAS_INTEROP is set")
    python = _keras_python()
    _save_models(tmp_path)
    script = tmp_path / "check.py"
    script.write_text(_CHECK)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "BRICKWORK_BACKEND")}
    result = subprocess.run([python, str(script), str(tmp_path)], capture_output=True, text=True, timeout=600,
                            cwd=str(tmp_path), env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.split("REPORT", 1)[1])
    assert report["sequential"] < 1e-5 and report["two_in_two_out"] < 1e-5, report
    assert report["weights_file"] < 1e-5, report
    if backend.SUPPORTS_TRAINING:  # the optimizer state went across: Keras resumes at brickwork's step
        assert report["sequential_optimizer_iterations"] == 4, report
        assert report["warnings"] == [], report
