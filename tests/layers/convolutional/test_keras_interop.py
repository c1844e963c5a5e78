"""Conv1D, Conv2D, DepthwiseConv2D, MaxPooling2D and GlobalMaxPooling1D reproduce Keras 3.15's own predictions.

The archives in /work/shared/interop were written by Keras 3; here our layers are rebuilt from the configs
Keras wrote, given its weights, and the few layers that are not ours (Embedding, LayerNormalization,
Flatten, Dense) are computed in NumPy.
"""

import io
import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from brickwork import backend, layers

INTEROP = Path("/work/shared/interop")
pytestmark = pytest.mark.skipif(not INTEROP.exists(), reason="the Keras 3 interop samples are not available")


def _archive(name):
    import h5py

    archive = zipfile.ZipFile(INTEROP / f"{name}.keras")
    configs = {layer["config"]["name"]: layer for layer in json.loads(archive.read("config.json"))["config"]["layers"]}
    weights = h5py.File(io.BytesIO(archive.read("model.weights.h5")), "r")
    data = np.load(INTEROP / f"{name}.npz")
    return configs, weights, data


def _layer(configs, weights, name):
    """Our layer from Keras's config (initializers left out: the weights come from the archive)."""
    entry = configs[name]
    config = {k: v for k, v in entry["config"].items() if not k.endswith("_initializer")}
    layer = getattr(layers, entry["class_name"]).from_config(config)
    return layer, [np.asarray(weights[f"layers/{name}/vars/{i}"]) for i in range(len(weights[f"layers/{name}/vars"]))]


def _call(layer, values, x):
    out = layer(x)
    if values:
        layer.set_weights(values)
        out = layer(x)
    return backend.convert_to_numpy(out)


def test_image_cnn_matches_keras():
    configs, weights, data = _archive("image_cnn")
    x = data["input_0"]
    for name in ("conv2d", "depthwise_conv2d", "max_pooling2d"):
        x = _call(*_layer(configs, weights, name), x)
    gamma, beta = (np.asarray(weights[f"layers/layer_normalization/vars/{i}"]) for i in range(2))
    mean, var = x.mean(-1, keepdims=True), x.var(-1, keepdims=True)
    x = (x - mean) / np.sqrt(var + configs["layer_normalization"]["config"]["epsilon"]) * gamma + beta
    x = x.reshape(len(x), -1) @ np.asarray(weights["layers/dense/vars/0"]) + np.asarray(weights["layers/dense/vars/1"])
    np.testing.assert_allclose(x, data["output_0"], rtol=1e-4, atol=1e-4)


def test_functional_text_cnn_matches_keras():
    configs, weights, data = _archive("functional_text_cnn")
    x = np.asarray(weights["layers/embedding/vars/0"])[data["input_0"]]
    for name in ("conv1d", "global_max_pooling1d"):
        x = _call(*_layer(configs, weights, name), x)
    x = x @ np.asarray(weights["layers/dense/vars/0"]) + np.asarray(weights["layers/dense/vars/1"])
    np.testing.assert_allclose(x, data["output_0"], rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("archive", ["image_cnn", "functional_text_cnn", "two_in_two_out"])
def test_configs_round_trip_with_keras_keys(archive):
    configs, _, _ = _archive(archive)
    for name, entry in configs.items():
        if entry["class_name"] not in {"Conv1D", "Conv2D", "DepthwiseConv2D", "MaxPooling2D", "GlobalMaxPooling1D",
                                       "Concatenate"}:
            continue
        keras_config = {k: v for k, v in entry["config"].items() if not k.endswith("_initializer")}
        layer = getattr(layers, entry["class_name"]).from_config(keras_config)
        ours = json.loads(json.dumps(layer.get_config()))
        ours = {k: v for k, v in ours.items() if not k.endswith("_initializer")}
        keras_config["dtype"] = {k: v for k, v in keras_config["dtype"].items() if k != "shared_object_id"}
        assert ours == keras_config, f"{entry['class_name']}: {ours} != {keras_config}"
