"""UnitNormalization against NumPy: unit L2 norm along one or several axes; zero vectors stay zero."""

import numpy as np
import pytest

from brickwork import backend, layers
from tests.gradient_check import check_gradients
from tests.layers.harness import run_layer_test


@pytest.mark.parametrize("axis, shape", [(-1, (3, 4)), (1, (2, 3, 4)), ([1, 2], (2, 3, 4))])
def test_matches_numpy(axis, shape):
    axes = tuple(axis) if isinstance(axis, list) else axis

    def reference(x, _):
        return x / np.maximum(np.sqrt(np.sum(x**2, axis=axes, keepdims=True)), 1e-6)

    _, out = run_layer_test(layers.UnitNormalization, {"axis": axis}, input_shape=shape,
                                expected_output_shape=shape, expected_num_trainable_weights=0, reference=reference)
    np.testing.assert_allclose(np.sqrt(np.sum(out**2, axis=axes)), 1.0, rtol=1e-5)


def test_zero_vector_stays_finite():
    out = backend.convert_to_numpy(layers.UnitNormalization()(np.zeros((1, 3), "float32")))
    np.testing.assert_array_equal(out, np.zeros((1, 3)))


def test_gradients_by_finite_differences():
    layer = layers.UnitNormalization(dtype="float64")
    check_gradients(lambda x: layer(x) * backend.convert_to_tensor(np.arange(1.0, 4.0)),
                    [np.random.default_rng(0).standard_normal((2, 3))])


def test_bad_axis_type():
    with pytest.raises(TypeError, match="axis"):
        layers.UnitNormalization(axis="x")
