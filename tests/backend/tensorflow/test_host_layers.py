"""The NumPy preprocessing layers inside TensorFlow graphs: a ``tf.data`` map and a ``tf.function`` give the
values the same layer gives called eagerly on NumPy arrays (themselves checked against Keras 3 in
tests/layers/preprocessing), with the static shapes of ``compute_output_spec``."""

import numpy as np
import pytest

from brickwork import layers, models
from tests.conftest import BACKEND

pytestmark = pytest.mark.skipif(BACKEND != "tensorflow", reason="graph tensors are TensorFlow's")

if BACKEND == "tensorflow":
    import tensorflow as tf


def _eager(layer, x):
    return np.asarray(layer(x))


def _adapted_text_vectorization():
    layer = layers.TextVectorization(max_tokens=10, output_sequence_length=4)
    layer.adapt(["the cat sat", "the dog", "a dog sat"])
    return layer


CASES = {
    "string_lookup": (lambda: layers.StringLookup(vocabulary=["a", "b", "c"]), np.array([["a", "z"], ["c", "b"]])),
    "integer_lookup_multi_hot": (lambda: layers.IntegerLookup(vocabulary=[5, 7], output_mode="multi_hot"),
                                 np.array([[5, 7], [7, 9]])),
    "hashing": (lambda: layers.Hashing(num_bins=7), np.array([["x"], ["y"], ["zz"]])),
    "text_vectorization": (_adapted_text_vectorization, np.array(["the cat", "a dog sat"])),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_in_a_tf_data_map_as_called_eagerly(name):
    make, x = CASES[name]
    layer = make()
    batches = list(tf.data.Dataset.from_tensor_slices(x).batch(len(x)).map(layer))
    assert len(batches) == 1
    np.testing.assert_array_equal(batches[0].numpy(), _eager(layer, x))


@pytest.mark.parametrize("name", sorted(CASES))
def test_in_a_tf_function_with_the_static_shape(name):
    make, x = CASES[name]
    layer = make()
    traced = tf.function(layer).get_concrete_function(tf.TensorSpec(x.shape, tf.as_dtype(
        tf.string if x.dtype.kind == "U" else tf.int64)))
    assert tuple(traced.structured_outputs.shape) == tuple(layer.compute_output_shape(x.shape))
    np.testing.assert_array_equal(tf.function(layer)(tf.constant(x)).numpy(), _eager(layer, x))


def test_inverted_string_lookup_returns_tf_strings():
    layer = layers.StringLookup(vocabulary=["a", "b", "c"], invert=True)
    out = next(iter(tf.data.Dataset.from_tensor_slices([[1, 3], [0, 2]]).batch(2).map(layer)))
    assert out.dtype == tf.string
    np.testing.assert_array_equal(out.numpy().astype(str), _eager(layer, np.array([[1, 3], [0, 2]])).astype(str))


def test_hashed_crossing_in_a_functional_model_predicts_as_eager():
    a, b = layers.Input((1,), dtype="int64"), layers.Input((1,), dtype="int64")
    model = models.Model([a, b], layers.HashedCrossing(num_bins=5, output_mode="one_hot")((a, b)))
    x = [np.array([[1], [2], [3]]), np.array([[4], [5], [6]])]
    bins = np.asarray(layers.HashedCrossing(num_bins=5)((x[0][:, 0], x[1][:, 0])))
    np.testing.assert_array_equal(model.predict(x, batch_size=3, verbose=0), np.eye(5)[bins])
