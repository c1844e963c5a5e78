"""Adaptive{Average,Max}Pooling{1,2,3}D against torch's nn.Adaptive*Pool modules."""

import numpy as np
import pytest
import torch

import brickwork as keras
from brickwork import backend, layers

rng = np.random.default_rng(0)
_CASES = {1: ((2, 13, 3), 5), 2: ((2, 10, 7, 3), (3, 4)), 3: ((2, 5, 6, 7, 2), (2, 3, 4))}


@pytest.mark.parametrize("kind", ["Average", "Max"])
@pytest.mark.parametrize("rank", [1, 2, 3])
def test_matches_torch_modules(kind, rank):
    shape, output_size = _CASES[rank]
    x = rng.standard_normal(shape).astype("float32")
    layer = getattr(layers, f"Adaptive{kind}Pooling{rank}D")(output_size)
    torch_module = getattr(torch.nn, f"Adaptive{'Avg' if kind == 'Average' else 'Max'}Pool{rank}d")(output_size)
    expected = np.moveaxis(torch_module(torch.tensor(np.moveaxis(x, -1, 1))).numpy(), 1, -1)
    np.testing.assert_allclose(backend.convert_to_numpy(layer(x)), expected, rtol=1e-5, atol=1e-6)
    first = getattr(layers, f"Adaptive{kind}Pooling{rank}D")(output_size, data_format="channels_first")
    np.testing.assert_allclose(backend.convert_to_numpy(first(np.moveaxis(x, -1, 1))), np.moveaxis(expected, -1, 1),
                               rtol=1e-5, atol=1e-6)


def test_shapes_config_and_errors():
    layer = layers.AdaptiveAveragePooling2D(16)
    assert layer.compute_output_shape((None, 64, 64, 3)) == (None, 16, 16, 3)
    assert layer.get_config()["output_size"] == (16, 16)
    clone = layers.AdaptiveMaxPooling2D.from_config(layers.AdaptiveMaxPooling2D((8, 4), "channels_first").get_config())
    assert clone.output_size == (8, 4) and clone.data_format == "channels_first"
    inputs = keras.Input((None, 9, 3))
    assert layers.AdaptiveMaxPooling2D((2, 3))(inputs).shape == (None, 2, 3, 3)
    with pytest.raises(TypeError, match="output_size"):
        layers.AdaptiveAveragePooling3D((2, 2))
