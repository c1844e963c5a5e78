"""Weight files of branching, nested and shared-layer graphs move both ways between brickwork and Keras 3.

A layer's weights are stored under its position in ``model.layers``, so both libraries must order the
layers of any graph the same way (Keras: by depth from the outputs). Each side builds the same graphs from
one source text, gives every weight a distinct random value, and saves ``.keras`` and ``.weights.h5``
files with its predictions; the other side loads them and must reproduce the predictions. Keras runs in
its own virtual environment (see ``test_keras_reverse_interop``); the test skips where it cannot.
"""

import json
import os
import subprocess
import textwrap

import numpy as np
import pytest

import brickwork
from brickwork import saving
from tests.saving.test_keras_reverse_interop import _keras_python

# Written against a module `K` (keras or brickwork): each function builds one graph.
GRAPHS = textwrap.dedent("""
    def residual():
        inputs = K.Input((8, 8, 3))
        x = K.layers.Conv2D(4, 3, padding="same")(inputs)
        x = K.layers.BatchNormalization()(x)
        x = K.layers.Activation("relu")(x)
        for _ in range(2):
            y = K.layers.Conv2D(4, 3, padding="same")(x)
            y = K.layers.BatchNormalization()(y)
            y = K.layers.Conv2D(4, 1)(K.layers.Activation("relu")(y))
            shortcut = K.layers.Conv2D(4, 1, use_bias=False)(x)
            x = K.layers.Add()([shortcut, y])
        x = K.layers.GlobalAveragePooling2D()(x)
        return K.Model(inputs, K.layers.Dense(3)(x))

    def nested():
        inner_inputs = K.Input((5,))
        inner = K.Model(inner_inputs, K.layers.Dense(4)(K.layers.Dense(6)(inner_inputs)))
        head = K.Sequential([K.Input((4,)), K.layers.Dense(3), K.layers.Dense(2)])
        inputs = K.Input((5,))
        x = K.layers.Add()([inner(inputs), K.layers.Dense(4)(inputs)])
        return K.Model(inputs, [head(x), K.layers.Dense(1)(x)])

    def shared():
        a, b, c = K.Input((5,)), K.Input((7,)), K.Input((2,))
        twice = K.layers.Dense(4)  # called at two depths of the graph
        x = twice(K.layers.Dense(4)(twice(K.layers.Dense(4)(a))))
        y = K.layers.Dense(4)(b)
        z = K.layers.Concatenate()([x, y, twice(K.layers.Dense(4)(y))])
        return K.Model([a, b, c], [K.layers.Dense(2)(z), K.layers.Dense(3)(c)])

    GRAPHS = {"residual": residual, "nested": nested, "shared": shared}
    SHAPES = {"residual": [(2, 8, 8, 3)], "nested": [(2, 5)], "shared": [(2, 5), (2, 7), (2, 2)]}

    def randomize(model, seed):
        rng = np.random.default_rng(seed)
        model.set_weights([rng.uniform(0.5, 1.5, size=w.shape).astype(w.dtype) for w in model.get_weights()])

    def inputs_of(name):
        rng = np.random.default_rng(1)
        return [rng.normal(size=s).astype("float32") for s in SHAPES[name]]

    def predict(model, inputs):
        out = model.predict(inputs if len(inputs) > 1 else inputs[0], verbose=0)
        return [np.asarray(o) for o in (out if isinstance(out, (list, tuple)) else [out])]

    def write(folder, prefix):
        for name, build in GRAPHS.items():
            model = build()
            randomize(model, seed=len(name))
            np.savez(os.path.join(folder, f"{prefix}_{name}.npz"), *predict(model, inputs_of(name)))
            model.save(os.path.join(folder, f"{prefix}_{name}.keras"))
            model.save_weights(os.path.join(folder, f"{prefix}_{name}.weights.h5"))

    def check(folder, prefix, load_model):
        errors = {}
        for name, build in GRAPHS.items():
            expected = np.load(os.path.join(folder, f"{prefix}_{name}.npz"))
            expected = [expected[f"arr_{i}"] for i in range(len(expected.files))]
            loaded = load_model(os.path.join(folder, f"{prefix}_{name}.keras"))
            rebuilt = build()
            rebuilt.load_weights(os.path.join(folder, f"{prefix}_{name}.weights.h5"))
            for how, model in (("keras_file", loaded), ("weights_file", rebuilt)):
                got = predict(model, inputs_of(name))
                errors[f"{name}/{how}"] = max(float(np.abs(g - e).max() / max(1.0, np.abs(e).max()))
                                              for g, e in zip(got, expected))  # relative: outputs grow large
        return errors
""")

_KERAS_SIDE = textwrap.dedent("""
    import json, os, sys
    os.environ["KERAS_BACKEND"] = "torch"
    import numpy as np
    import keras as K

    exec(open(sys.argv[2]).read())
    folder = sys.argv[1]
    report = check(folder, "brickwork", K.saving.load_model)
    write(folder, "keras")
    print("REPORT" + json.dumps(report))
""")


def _brickwork_side():
    namespace = {"K": brickwork, "np": np, "os": os}
    exec(GRAPHS, namespace)
    return namespace


def test_branching_nested_and_shared_graphs_move_both_ways(tmp_path):
    if os.environ.get("BRICKWORK_SKIP_KERAS_INTEROP"):
        pytest.skip("BRICKWORK_SKIP_KERAS_INTEROP is set")
    python = _keras_python()
    ours = _brickwork_side()
    ours["write"](str(tmp_path), "brickwork")
    (tmp_path / "graphs.py").write_text(GRAPHS)
    (tmp_path / "keras_side.py").write_text(_KERAS_SIDE)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "BRICKWORK_BACKEND")}
    result = subprocess.run([python, str(tmp_path / "keras_side.py"), str(tmp_path), str(tmp_path / "graphs.py")],
                            capture_output=True, text=True, timeout=600, cwd=str(tmp_path), env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    keras_loaded_ours = json.loads(result.stdout.split("REPORT", 1)[1])
    we_loaded_keras = ours["check"](str(tmp_path), "keras", saving.load_model)
    assert all(error < 1e-4 for error in keras_loaded_ours.values()), keras_loaded_ours
    assert all(error < 1e-4 for error in we_loaded_keras.values()), we_loaded_keras
