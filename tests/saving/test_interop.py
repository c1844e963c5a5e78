"""Keras 3's own .keras files (shared/interop, written by Keras 3.15.1) load and reproduce its predictions."""

import json
import pathlib
import zipfile

import numpy as np
import pytest

from brickwork import backend, initializers, layers, saving
from brickwork.models import Sequential
from tests.conftest import requires_training

INTEROP = pathlib.Path(__file__).resolve().parents[2].parent / "shared" / "interop"
SAMPLES = ["sequential_mlp", "functional_text_cnn", "two_in_two_out", "recurrent", "image_cnn"]


def _class_names(config):
    if isinstance(config, dict):
        if config.get("module", "") in ("keras.layers",) and "class_name" in config:
            yield config["class_name"]
        for value in config.values():
            yield from _class_names(value)
    elif isinstance(config, list):
        for value in config:
            yield from _class_names(value)


def _skip_unless_loadable(path):
    if not path.exists():
        pytest.skip(f"interop sample {path} is not present (shared/ is not checked out beside the repo)")
    with zipfile.ZipFile(path) as archive:
        config = json.loads(archive.read("config.json"))
    missing = sorted({name for name in _class_names(config) if not hasattr(layers, name)})
    if missing:
        pytest.skip(f"brickwork.layers lacks {missing}, which {path.name} uses")
    try:
        initializers.GlorotUniform(seed=None, input_axes=None, output_axes=None)
    except TypeError:
        pytest.skip("initializers do not accept Keras 3.15's `input_axes`/`output_axes` config keys yet")


def _inputs_outputs(name):
    data = np.load(INTEROP / f"{name}.npz")
    inputs = [data[k] for k in sorted(k for k in data.files if k.startswith("input_"))]
    outputs = [data[k] for k in sorted(k for k in data.files if k.startswith("output_"))]
    return (inputs if len(inputs) > 1 else inputs[0]), outputs


@pytest.mark.parametrize("name", SAMPLES)
def test_keras_sample_reproduces_its_predictions(name):
    path = INTEROP / f"{name}.keras"
    _skip_unless_loadable(path)
    model = saving.load_model(path)
    inputs, expected = _inputs_outputs(name)
    predictions = model.predict(inputs, verbose=0)
    predictions = list(predictions) if isinstance(predictions, (list, tuple)) else [predictions]
    assert len(predictions) == len(expected)
    for got, want in zip(predictions, expected):
        np.testing.assert_allclose(got, want, atol=1e-4, rtol=0)


def test_keras_weights_load_into_a_brickwork_built_model():
    path = INTEROP / "sequential_mlp.keras"
    _skip_unless_loadable(path)
    model = Sequential([layers.Input((6,)), layers.Dense(12, activation="relu"), layers.BatchNormalization(),
                        layers.Dropout(0.25), layers.Dense(3, activation="softmax")])
    model.load_weights(path)
    inputs, expected = _inputs_outputs("sequential_mlp")
    np.testing.assert_allclose(model.predict(inputs, verbose=0), expected[0], atol=1e-4, rtol=0)


@requires_training
def test_keras_optimizer_state_loads_and_training_continues():
    path = INTEROP / "sequential_mlp.keras"
    _skip_unless_loadable(path)
    model = saving.load_model(path)
    assert model.compiled and model.optimizer.built
    iterations = int(backend.convert_to_numpy(model.optimizer.iterations))
    assert iterations > 0  # Keras trained it before saving
    slots = [backend.convert_to_numpy(v.value) for v in model.optimizer.variables[2:]]
    assert any(np.abs(s).max() > 0 for s in slots)  # Adam's moments came from the file
    inputs, _ = _inputs_outputs("sequential_mlp")
    labels = np.arange(len(inputs)) % 3
    model.fit(inputs, labels, epochs=1, batch_size=len(inputs), verbose=0)
    assert int(backend.convert_to_numpy(model.optimizer.iterations)) == iterations + 1
