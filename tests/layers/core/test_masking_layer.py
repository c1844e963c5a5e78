"""Masking: zeroes and masks the timesteps whose features all equal mask_value (eager and symbolic)."""

import numpy as np
import pytest

from brickwork import backend, layers, models
from brickwork.layers import masking
from tests.layers.harness import run_layer_test


@pytest.mark.parametrize("mask_value", [0.0, -1.0])
def test_zeroes_and_masks_padding_steps(mask_value):
    x = np.random.default_rng(0).standard_normal((2, 4, 3)).astype("float32")
    x[0, 1] = mask_value
    x[1, [0, 3]] = mask_value
    x[1, 2, 0] = mask_value  # one matching feature is not enough
    expected_mask = np.any(x != mask_value, axis=-1)
    layer, _ = run_layer_test(layers.Masking, {"mask_value": mask_value}, input_data=x,
                                expected_output_shape=x.shape, reference=lambda x, _: x * expected_mask[..., None])
    mask = masking.get_mask(layer(x))
    np.testing.assert_array_equal(backend.convert_to_numpy(mask), expected_mask)


def test_symbolic_mask_reaches_the_next_layer():
    inputs = layers.Input((None, 2))
    outputs = layers.Masking()(inputs)
    assert outputs._keras_mask.shape == (None, None) and outputs._keras_mask.dtype == "bool"
    pooled = layers.GlobalAveragePooling1D()(outputs)
    model = models.Model(inputs, pooled)
    x = np.array([[[1.0, 1.0], [0.0, 0.0], [3.0, 3.0]]], "float32")
    # The padded step is left out of the average: (1 + 3) / 2.
    np.testing.assert_allclose(model.predict(x, verbose=0), [[2.0, 2.0]])


def test_config():
    assert layers.Masking(mask_value=-1.0).get_config()["mask_value"] == -1.0
