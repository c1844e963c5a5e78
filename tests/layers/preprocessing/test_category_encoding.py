"""CategoryEncoding: one_hot / multi_hot / count against NumPy, Keras's rank rules, count weights."""

import numpy as np
import pytest

from brickwork import backend, layers
from tests.layers.harness import run_layer_test


def _reference(mode, depth):
    def ref(x, w):
        x = np.asarray(x)
        if mode == "one_hot":
            x = x[..., 0] if x.ndim > 1 and x.shape[-1] == 1 else x
            return np.eye(depth)[x]
        counts = np.stack([np.bincount(row, minlength=depth) for row in x.reshape(len(x), -1)])
        return np.minimum(counts, 1) if mode == "multi_hot" else counts
    return ref


@pytest.mark.parametrize("mode", ["one_hot", "multi_hot", "count"])
def test_modes_against_numpy(mode):
    data = np.array([[0, 1], [0, 0], [1, 2], [3, 1]], "int32")
    if mode == "one_hot":
        data = data[:, :1]
    run_layer_test(layers.CategoryEncoding, {"num_tokens": 4, "output_mode": mode}, input_data=data,
                   expected_output_shape=(4, 4), reference=_reference(mode, 4))


def test_rank_one_rules():
    ids = np.array([3, 2, 0, 1], "int32")
    one_hot = backend.convert_to_numpy(layers.CategoryEncoding(4, output_mode="one_hot")(ids))
    np.testing.assert_array_equal(one_hot, np.eye(4)[ids])
    multi = backend.convert_to_numpy(layers.CategoryEncoding(5, output_mode="multi_hot")(ids))
    np.testing.assert_array_equal(multi, [1, 1, 1, 1, 0])


def test_count_weights():
    ids = np.array([[0, 1], [0, 0], [1, 2], [3, 1]], "int32")
    weights = np.array([[.1, .2], [.1, .1], [.2, .3], [.4, .2]], "float32")
    out = backend.convert_to_numpy(layers.CategoryEncoding(4, output_mode="count")(ids, count_weights=weights))
    expected = np.stack([np.bincount(r, weights=w, minlength=4) for r, w in zip(ids, weights)])
    np.testing.assert_allclose(out, expected, rtol=1e-6)


def test_errors_name_the_layer():
    with pytest.raises(ValueError, match="CategoryEncoding"):
        layers.CategoryEncoding(3, output_mode="bogus")
    with pytest.raises(ValueError, match="CategoryEncoding"):
        layers.CategoryEncoding(3, output_mode="one_hot")(np.array([[0]]), count_weights=np.array([[1.0]]))
