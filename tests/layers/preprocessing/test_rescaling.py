"""Rescaling: x * scale + offset, per-channel scales, integer inputs become floats."""

import numpy as np

from brickwork import backend, layers
from tests.layers.harness import run_layer_test


def test_scalar_scale_and_offset():
    run_layer_test(layers.Rescaling, {"scale": 0.5, "offset": -1.0}, input_shape=(2, 3, 3, 2),
                   expected_output_shape=(2, 3, 3, 2), reference=lambda x, w: x * 0.5 - 1.0)


def test_per_channel_scale():
    scale, offset = [1.0, 2.0, 3.0], [0.0, 1.0, -1.0]
    run_layer_test(layers.Rescaling, {"scale": scale, "offset": offset}, input_shape=(2, 4, 3),
                   reference=lambda x, w: x * np.array(scale) + np.array(offset))


def test_uint8_pixels_to_unit_interval():
    out = layers.Rescaling(1 / 255)(np.array([[0, 255, 51]], "uint8"))
    assert backend.standardize_dtype(out.dtype) == "float32"
    np.testing.assert_allclose(backend.convert_to_numpy(out), [[0.0, 1.0, 0.2]], rtol=1e-6)
