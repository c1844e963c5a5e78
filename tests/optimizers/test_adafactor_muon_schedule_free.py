"""Adafactor, Muon and ScheduleFreeAdamW: a few steps against Keras 3 on the same values, jit, fit, config."""

import inspect
import json
import os
import subprocess
import tempfile

import numpy as np
import pytest

import brickwork as keras
from brickwork import backend, optimizers
from tests.conftest import BACKEND, requires_training
from tests.layers.keras_reference import keras_python

rng = np.random.default_rng(0)
# (name, shape): a matrix, a vector, a rank-3 tensor, and a matrix Muon leaves to AdamW by its name.
VARIABLES = [("kernel", (4, 3)), ("bias", (3,)), ("tensor", (2, 3, 5)), ("embedding_table", (5, 2))]
STEPS = 4
CASES = {
    "adafactor": ("Adafactor", {"learning_rate": 0.05}),
    "adafactor_absolute": ("Adafactor", {"learning_rate": 0.01, "relative_step": False, "clip_threshold": 0.5,
                                         "beta_2_decay": -0.5}),
    "muon": ("Muon", {"learning_rate": 0.02}),
    "muon_plain": ("Muon", {"learning_rate": 0.01, "nesterov": False, "rms_rate": None, "weight_decay": 0.1,
                            "adam_weight_decay": None, "exclude_embeddings": False, "ns_steps": 3,
                            "adam_lr_ratio": 0.5}),
    "muon_excluded": ("Muon", {"learning_rate": 0.02, "exclude_layers": ["ker"]}),
    "schedule_free": ("ScheduleFreeAdamW", {"learning_rate": 0.05}),
    "schedule_free_warmup": ("ScheduleFreeAdamW", {"learning_rate": 0.05, "warmup_steps": 3, "weight_decay": 0.01,
                                                   "beta_1": 0.8}),
}


def _data():
    rng = np.random.default_rng(1)
    initial = {name: rng.normal(size=shape).astype("float32") for name, shape in VARIABLES}
    grads = {f"{name}_{step}": rng.normal(size=shape).astype("float32")
             for step in range(STEPS) for name, shape in VARIABLES}
    return initial, grads


_KERAS_SCRIPT = """
import json, os, sys
import numpy as np
import keras
data = dict(np.load(sys.argv[1]))
cases, names, steps = json.loads(sys.argv[3]), json.loads(sys.argv[4]), int(sys.argv[5])
out = {}
for case, (class_name, kwargs) in cases.items():
    variables = [keras.Variable(data[n], name=n) for n in names]
    optimizer = getattr(keras.optimizers, class_name)(**kwargs)
    for step in range(steps):
        optimizer.apply([data[f"{n}_{step}"] for n in names], variables)
    for n, v in zip(names, variables):
        out[f"{case}/{n}"] = np.asarray(keras.ops.convert_to_numpy(v.value))
np.savez(sys.argv[2], **out)
"""


@pytest.fixture(scope="module")
def reference():
    """The data and Keras 3's results for every case, computed once, on Keras's jax backend.

    Keras's torch backend updates variables in place, so its ScheduleFreeAdamW reads the momentum after
    updating it where the algorithm needs it before; the jax backend computes the algorithm as written.
    """
    python = keras_python()
    initial, grads = _data()
    with tempfile.TemporaryDirectory() as folder:
        inputs, outputs = os.path.join(folder, "in.npz"), os.path.join(folder, "out.npz")
        np.savez(inputs, **initial, **grads)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHONPATH", "BRICKWORK"))}
        env["KERAS_BACKEND"] = "jax"
        result = subprocess.run([str(python), "-c", _KERAS_SCRIPT, inputs, outputs, json.dumps(CASES),
                                 json.dumps([name for name, _ in VARIABLES]), str(STEPS)],
                                capture_output=True, text=True, timeout=600, env=env, cwd=folder)
        assert result.returncode == 0, result.stderr[-3000:]
        with np.load(outputs) as saved:
            return initial, grads, {key: saved[key] for key in saved.files}


def _our_values(class_name, kwargs, initial, grads):
    variables = [keras.Variable(initial[name], name=name) for name, _ in VARIABLES]
    optimizer = getattr(optimizers, class_name)(**kwargs)
    for step in range(STEPS):
        optimizer.apply([grads[f"{name}_{step}"] for name, _ in VARIABLES], variables)
    return {name: backend.convert_to_numpy(v.value) for (name, _), v in zip(VARIABLES, variables)}


@requires_training
@pytest.mark.parametrize("case", sorted(CASES))
def test_steps_match_keras(case, reference):
    class_name, kwargs = CASES[case]
    initial, grads, expected = reference
    ours = _our_values(class_name, kwargs, initial, grads)
    for name, _ in VARIABLES:
        np.testing.assert_allclose(ours[name], expected[f"{case}/{name}"], rtol=2e-4, atol=2e-5, err_msg=name)
        assert not np.allclose(ours[name], initial[name])


def test_newton_schulz_orthogonalizes():
    matrix = rng.normal(size=(6, 4)).astype("float32")
    result = backend.convert_to_numpy(optimizers.Muon().zeropower_via_newtonschulz5(keras.ops.convert_to_tensor(matrix), 10))
    u, _, vt = np.linalg.svd(matrix, full_matrices=False)
    # The quintic iteration trades exactness for speed: singular values land near 1 (in about [0.7, 1.2]).
    singular = np.linalg.svd(result, compute_uv=False)
    assert np.all((singular > 0.6) & (singular < 1.25))
    np.testing.assert_allclose(np.sign(np.sum(result * (u @ vt))), 1.0)


@pytest.mark.skipif(BACKEND != "jax", reason="jax.jit is the jax backend's compiler")
@pytest.mark.parametrize("class_name", ["Adafactor", "Muon", "ScheduleFreeAdamW"])
def test_stateless_apply_inside_jax_jit_matches_eager(class_name):
    import jax

    initial, grads = _data()
    eager = _our_values(class_name, {}, initial, grads)
    variables = [keras.Variable(initial[name], name=name) for name, _ in VARIABLES]
    optimizer = getattr(optimizers, class_name)()
    optimizer.build(variables)
    step = jax.jit(optimizer.stateless_apply)
    values, state = [v.value for v in variables], [v.value for v in optimizer.variables]
    for i in range(STEPS):
        values, state = step(state, [grads[f"{name}_{i}"] for name, _ in VARIABLES], values)
    for (name, _), value in zip(VARIABLES, values):
        np.testing.assert_allclose(np.asarray(value), eager[name], rtol=1e-5, atol=1e-6, err_msg=name)


@requires_training
@pytest.mark.parametrize("make", [lambda: optimizers.Adafactor(learning_rate=0.1),
                                  lambda: optimizers.Muon(learning_rate=0.02),
                                  lambda: optimizers.ScheduleFreeAdamW(learning_rate=0.02)],
                         ids=["adafactor", "muon", "schedule_free"])
def test_fit_reduces_the_loss(make):
    x = rng.normal(size=(64, 5)).astype("float32")
    y = (x @ rng.normal(size=(5, 1))).astype("float32")
    model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(1)])
    model.compile(optimizer=make(), loss="mse")
    history = model.fit(x, y, batch_size=16, epochs=8, verbose=0).history["loss"]
    assert history[-1] < 0.7 * history[0]


@pytest.mark.parametrize("class_name", ["Adafactor", "Muon", "ScheduleFreeAdamW"])
def test_config_serialize_and_get_by_name(class_name):
    cls = getattr(optimizers, class_name)
    optimizer = cls(learning_rate=0.03, name="opt")
    config = optimizer.get_config()
    assert set(config) == set(inspect.signature(cls.__init__).parameters) - {"self", "kwargs"}
    assert cls.from_config(config).get_config() == config
    again = optimizers.deserialize(optimizers.serialize(optimizer))
    assert type(again) is cls and again.get_config() == config
    assert type(optimizers.get(class_name.lower())) is cls


@pytest.mark.parametrize("name", ["Optimizer", "Adagrad", "Adam", "Ftrl", "RMSprop", "SGD"])
def test_legacy_names_explain_they_are_gone(name):
    with pytest.raises(ImportError, match="not supported in Keras 3"):
        getattr(optimizers.legacy, name)(learning_rate=0.1)
