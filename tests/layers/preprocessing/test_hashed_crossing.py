"""HashedCrossing: TensorFlow's cross_hashed bins (the values Keras's own tests expect), shapes, dtypes, config."""

import numpy as np
import pytest

from brickwork import backend, layers, models
from tests.layers.harness import run_layer_test

FEATURE_1 = np.array(["A", "B", "A", "B", "A"])
FEATURE_2 = np.array([101, 101, 101, 102, 102])
EXPECTED = np.array([1, 4, 1, 1, 3])  # tf.sparse.cross_hashed(..., num_buckets=5), as in Keras's tests


def to_np(x):
    return backend.convert_to_numpy(x)


def test_matches_tensorflow_bins():
    out = layers.HashedCrossing(num_bins=5)((FEATURE_1, FEATURE_2))
    np.testing.assert_array_equal(to_np(out), EXPECTED)
    assert backend.standardize_dtype(out.dtype) == "int64"
    batched = layers.HashedCrossing(num_bins=5)((FEATURE_1[:, None], FEATURE_2[:, None]))
    np.testing.assert_array_equal(to_np(batched), EXPECTED[:, None])
    scalar = layers.HashedCrossing(num_bins=10)((np.array("A"), np.array(101)))
    assert to_np(scalar).shape == () and int(to_np(scalar)) == 1
    as_bytes = layers.HashedCrossing(num_bins=5)((FEATURE_1.astype("S"), list(FEATURE_2)))
    np.testing.assert_array_equal(to_np(as_bytes), EXPECTED)


def test_one_hot_and_dtypes():
    out = layers.HashedCrossing(num_bins=5, output_mode="one_hot")((FEATURE_1, FEATURE_2))
    np.testing.assert_array_equal(to_np(out), np.eye(5, dtype="float32")[EXPECTED])
    assert backend.standardize_dtype(out.dtype) == "float32"
    pairs = (np.array([1]), np.array([1]))
    assert backend.standardize_dtype(layers.HashedCrossing(2, dtype="int32")(pairs).dtype) == "int32"
    wide = layers.HashedCrossing(2, output_mode="one_hot", dtype="float64")(pairs)
    assert backend.standardize_dtype(wide.dtype) == "float64"


def test_integer_crosses_are_deterministic_and_ordered():
    a, b = np.arange(40) % 7, np.arange(40) % 5
    first = to_np(layers.HashedCrossing(num_bins=1000)((a, b)))
    np.testing.assert_array_equal(first, to_np(layers.HashedCrossing(num_bins=1000)((a, b))))
    assert not np.array_equal(first, to_np(layers.HashedCrossing(num_bins=1000)((b, a))))
    assert len(np.unique(first)) > 25  # 35 distinct pairs spread over 1000 bins
    three = layers.HashedCrossing(num_bins=1000)((a, b, a))
    assert to_np(three).shape == (40,)


@pytest.mark.parametrize("output_mode, shape", [("int", (2,)), ("one_hot", (2, 4))])
def test_harness_shapes_and_config(output_mode, shape):
    run_layer_test(layers.HashedCrossing, {"num_bins": 4, "output_mode": output_mode},
                   input_data=(np.array([1, 2]), np.array([4, 5])), expected_output_shape=shape,
                   expected_num_trainable_weights=0)
    config = layers.HashedCrossing(4, output_mode=output_mode).get_config()
    assert {"num_bins": 4, "output_mode": output_mode, "sparse": False}.items() <= config.items()


def test_in_a_functional_model():
    a, b = layers.Input((1,), dtype="int64"), layers.Input((1,), dtype="int64")
    crossed = layers.HashedCrossing(num_bins=5, output_mode="one_hot")((a, b))
    assert crossed.shape == (None, 5)
    model = models.Model([a, b], crossed)
    out = model.predict([np.array([[1], [2]]), np.array([[4], [5]])], verbose=0)
    expected = layers.HashedCrossing(num_bins=5)((np.array([1, 2]), np.array([4, 5])))
    np.testing.assert_array_equal(to_np(out), np.eye(5)[to_np(expected)])


def test_bad_inputs_are_named():
    layer = layers.HashedCrossing(num_bins=10)
    with pytest.raises(ValueError, match="HashedCrossing"):
        layer([np.array(1)])
    with pytest.raises(ValueError, match="HashedCrossing"):
        layer((np.array([[[1]]]), np.array([[[1]]])))
    with pytest.raises(ValueError, match="HashedCrossing"):
        layer((np.array([1.0]), np.array([1.0])))
    with pytest.raises(ValueError, match="HashedCrossing"):
        layers.HashedCrossing(num_bins=0)
    with pytest.raises(ValueError, match="HashedCrossing"):
        layers.HashedCrossing(num_bins=3, output_mode="multi_hot")
