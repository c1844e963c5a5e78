"""Discretization: np.digitize semantics, encoded outputs, adapt to equal-count quantile bins."""

import numpy as np
import pytest

from brickwork import backend, layers
from tests.layers.harness import run_layer_test

DATA = np.array([[-1.5, 1.0, 3.4, 0.5], [0.0, 3.0, 1.3, 0.0]], "float32")


def test_int_mode_matches_keras_example_and_numpy():
    _, out = run_layer_test(layers.Discretization, {"bin_boundaries": [0.0, 1.0, 2.0]}, input_data=DATA,
                            reference=lambda x, w: np.digitize(x, [0.0, 1.0, 2.0]))
    np.testing.assert_array_equal(out, [[0, 2, 3, 1], [1, 3, 2, 1]])
    assert out.dtype == np.int64


@pytest.mark.parametrize("mode", ["one_hot", "multi_hot", "count"])
def test_encoded_modes(mode):
    boundaries = [0.0, 1.0, 2.0]
    x = DATA[:, :1] if mode == "one_hot" else DATA
    out = backend.convert_to_numpy(layers.Discretization(boundaries, output_mode=mode)(x))
    ids = np.digitize(x, boundaries)
    counts = np.stack([np.bincount(r, minlength=4) for r in ids])
    expected = {"one_hot": np.eye(4)[ids[:, 0]], "multi_hot": np.minimum(counts, 1), "count": counts}[mode]
    np.testing.assert_array_equal(out, expected)


def test_adapt_gives_equal_count_bins():
    data = np.arange(100, dtype="float32")
    layer = layers.Discretization(num_bins=4)
    layer.adapt(data)
    ids = backend.convert_to_numpy(layer(data))
    np.testing.assert_array_equal(np.bincount(ids), [25, 25, 25, 25])


def test_adapted_layer_round_trips_its_config():
    layer = layers.Discretization(num_bins=4)
    layer.adapt(np.arange(100, dtype="float32"))
    clone = layers.Discretization.from_config(layer.get_config())  # num_bins and the learned boundaries
    assert clone.get_config() == layer.get_config()


def test_errors_name_the_layer():
    with pytest.raises(ValueError, match="Discretization"):
        layers.Discretization(bin_boundaries=[0.0], num_bins=3)
    with pytest.raises(ValueError, match="Discretization"):
        layers.Discretization()(DATA)
