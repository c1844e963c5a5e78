"""Quantized models move both ways between brickwork and Keras 3.15.1 (run in its own virtual environment).

Keras quantizes float weights we give it and saves a .keras file: brickwork loads it and predicts the same,
and brickwork quantizing the same float weights stores the very same integers and scales. Then the other
way: brickwork quantizes and saves, and Keras loads the file and predicts what brickwork predicted.
"""

import os
import warnings

import numpy as np

from brickwork import backend, layers, models, quantizers, saving
from tests.layers.keras_reference import run_keras

RNG = np.random.default_rng(0)
MODES = {"int8": "None", "int4": "None", "int4_per_channel": "keras.quantizers.Int4QuantizationConfig(block_size=-1)",
         "int4_blocks_of_4": "keras.quantizers.Int4QuantizationConfig(block_size=4)", "float8": "None"}
_BUILD = """
def dense_model():
    return keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(5)])

def embedding_model():
    ids = keras.Input((4,), dtype="int32")
    embedding = keras.layers.ReversibleEmbedding(20, 8, tie_weights=False)
    return keras.Model(ids, embedding(embedding(ids), reverse=True))

def einsum_model():
    return keras.Sequential([keras.Input((4, 32)),
                             keras.layers.EinsumDense("btd,ndh->btnh", (4, 8, 16), bias_axes="h"),
                             keras.layers.EinsumDense("btnh,nhd->btd", (4, 32), bias_axes="d"),
                             keras.layers.EinsumDense("abc,cd->abd", (4, 6), activation="relu")])

MODELS = (("dense", dense_model), ("embedding", embedding_model), ("einsum", einsum_model))
"""
INPUTS = {"dense": "x", "embedding": "ids", "einsum": "x3"}


def _mode(name):
    return "float8" if name == "float8" else name[:4]


def _config(name):
    if name == "int4_per_channel":
        return quantizers.Int4QuantizationConfig(block_size=-1)
    if name == "int4_blocks_of_4":
        return quantizers.Int4QuantizationConfig(block_size=4)
    return None


def _brickwork_models():
    dense = models.Sequential([layers.Input((8,)), layers.Dense(16, activation="relu"), layers.Dense(5)])
    ids = layers.Input((4,), dtype="int32")
    embedding = layers.ReversibleEmbedding(20, 8, tie_weights=False)
    einsum = models.Sequential([layers.Input((4, 32)),
                                layers.EinsumDense("btd,ndh->btnh", (4, 8, 16), bias_axes="h"),
                                layers.EinsumDense("btnh,nhd->btd", (4, 32), bias_axes="d"),
                                layers.EinsumDense("abc,cd->abd", (4, 6), activation="relu")])
    return {"dense": dense, "embedding": models.Model(ids, embedding(embedding(ids), reverse=True)),
            "einsum": einsum}


def _data():
    return {"x": RNG.normal(size=(3, 8)).astype("float32"), "ids": RNG.integers(0, 20, size=(3, 4)).astype("int32"),
            "x3": RNG.normal(size=(3, 4, 32)).astype("float32")}


def _to_np(x):
    return np.asarray(backend.convert_to_numpy(x))


def test_keras_quantized_files_load_and_match(tmp_path):
    data, floats = _data(), {key: [_to_np(w) for w in model.weights] for key, model in _brickwork_models().items()}
    arrays = {f"{key}_{i}": w for key, weights in floats.items() for i, w in enumerate(weights)}
    modes = ", ".join(f"({n!r}, {c})" for n, c in MODES.items())
    script = _BUILD + f"\nINPUTS = {INPUTS!r}\nfor name, config in [{modes}]:" + """
    mode = "float8" if name == "float8" else name[:4]
    for key, build in MODELS:
        model = build()
        model.set_weights([data[f"{key}_{i}"] for i in range(len(model.weights))])
        model.quantize(mode, config=config)
        model.save(os.path.join(str(data["folder"]), f"{name}_{key}.keras"))
        out[f"{name}_{key}"] = keras.ops.convert_to_numpy(model(data[INPUTS[key]]))
        for i, w in enumerate(model.weights):
            out[f"{name}_{key}_weight_{i}"] = keras.ops.convert_to_numpy(w)
"""
    expected = run_keras(script, folder=np.array(str(tmp_path)), **data, **arrays)
    for name in MODES:
        for key, model in _brickwork_models().items():
            inputs, label = data[INPUTS[key]], f"{name}_{key}"
            loaded = saving.load_model(os.path.join(tmp_path, label + ".keras"))
            np.testing.assert_allclose(_to_np(loaded(inputs)), expected[label], rtol=1e-5, atol=1e-5, err_msg=label)
            model.set_weights(floats[key])
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # float8 skips ReversibleEmbedding with a warning, as in Keras
                model.quantize(_mode(name), config=_config(name))  # the same float weights, quantized here
            for i, weight in enumerate(model.weights):  # the same integers and scales, in the same order
                np.testing.assert_allclose(_to_np(weight), expected[f"{label}_weight_{i}"], rtol=1e-6,
                                           err_msg=f"{label}: {weight.path}")
            np.testing.assert_allclose(_to_np(model(inputs)), expected[label], rtol=1e-5, atol=1e-5, err_msg=label)


def test_brickwork_quantized_files_load_in_keras(tmp_path):
    data, ours, names = _data(), {}, ["int8", "int4", "int4_per_channel", "float8"]
    for name in names:
        for key, model in _brickwork_models().items():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                model.quantize(_mode(name), config=_config(name))
            model.save(os.path.join(tmp_path, f"{name}_{key}.keras"))
            ours[f"{name}_{key}"] = _to_np(model(data[INPUTS[key]]))
            ours[f"{name}_{key}_policy"] = model.layers[-1].dtype_policy.name
    script = f"names = {names!r}\nINPUTS = {INPUTS!r}" + """
for name in names:
    for key in INPUTS:
        model = keras.saving.load_model(os.path.join(str(data["folder"]), f"{name}_{key}.keras"))
        out[f"{name}_{key}"] = keras.ops.convert_to_numpy(model(data[INPUTS[key]]))
        out[f"{name}_{key}_policy"] = np.array(model.layers[-1].dtype_policy.name)
"""
    theirs = run_keras(script, folder=np.array(str(tmp_path)), **data)
    for label, value in ours.items():
        if label.endswith("_policy"):
            assert str(theirs[label]) == value, label
        else:
            np.testing.assert_allclose(theirs[label], value, rtol=1e-5, atol=1e-5, err_msg=label)
