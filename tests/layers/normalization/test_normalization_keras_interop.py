"""BatchNormalization, LayerNormalization and Embedding reproduce Keras 3.15's predictions.

The archives in /work/shared/interop were written by Keras 3 (see its README). Each model is rebuilt
layer by layer from the configs Keras wrote (initializers left out: the weights come from the archive),
given Keras's weights in Keras's order, and must give Keras's outputs within 1e-4.
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


def _run_model(name, weight_groups):
    """Apply the archive's layers in order; ``weight_groups`` maps a layer name to its group in the weights file."""
    import h5py

    archive = zipfile.ZipFile(INTEROP / f"{name}.keras")
    entries = json.loads(archive.read("config.json"))["config"]["layers"]
    weights = h5py.File(io.BytesIO(archive.read("model.weights.h5")), "r")
    data = np.load(INTEROP / f"{name}.npz")
    x = data["input_0"]
    for entry in entries:
        if entry["class_name"] == "InputLayer":
            continue
        config = {k: v for k, v in entry["config"].items() if not k.endswith("_initializer")}
        layer = getattr(layers, entry["class_name"]).from_config(config)
        layer(x)  # builds
        group = weight_groups.get(config["name"])
        if group is not None:
            stored = weights[f"layers/{group}/vars"]
            layer.set_weights([np.asarray(stored[str(i)]) for i in range(len(stored))])
        x = backend.convert_to_numpy(layer(x))
    return x, data["output_0"]


def test_batch_normalization_moving_statistics_match_keras():
    out, expected = _run_model("sequential_mlp", {"dense": "dense", "batch_normalization": "batch_normalization",
                                                  "dense_1": "dense_1"})
    np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-4)


def test_layer_normalization_matches_keras():
    out, expected = _run_model("image_cnn", {"conv2d": "conv2d", "depthwise_conv2d": "depthwise_conv2d",
                                             "layer_normalization": "layer_normalization", "dense_4": "dense"})
    np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-4)


def test_embedding_matches_keras():
    out, expected = _run_model("functional_text_cnn", {"embedding": "embedding", "conv1d": "conv1d",
                                                       "dense_2": "dense"})
    np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-4)
