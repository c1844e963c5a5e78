"""IntegerLookup: Keras's example, OOV modulo buckets, adapt, invert, tensors in and out."""

import numpy as np

from brickwork import backend, layers
from tests.layers.harness import run_layer_test


def _np(x):
    return backend.convert_to_numpy(x)


VOCAB = [12, 36, 1138, 42]
DATA = np.array([[12, 1138, 42], [42, 1000, 36]], "int64")


def test_keras_example_and_harness():
    def reference(x, w):
        table = {t: i + 1 for i, t in enumerate(VOCAB)}
        return np.vectorize(lambda t: table.get(t, 0))(x)

    _, out = run_layer_test(layers.IntegerLookup, {"vocabulary": VOCAB}, input_data=DATA, reference=reference)
    np.testing.assert_array_equal(out, [[1, 3, 4], [4, 0, 2]])


def test_oov_buckets_are_token_modulo():
    layer = layers.IntegerLookup(vocabulary=VOCAB, num_oov_indices=2)
    out = _np(layer(np.array([1000, 1001, 12])))
    np.testing.assert_array_equal(out, [0, 1, 2])


def test_adapt_invert_and_mask():
    layer = layers.IntegerLookup(mask_token=0)
    layer.adapt(np.array([[5, 5, 7], [7, 7, 9]]))
    assert layer.get_vocabulary() == [0, -1, 7, 5, 9]
    ids = _np(layer(np.array([[7, 0, 3]])))
    np.testing.assert_array_equal(ids, [[2, 0, 1]])
    inverse = layers.IntegerLookup(vocabulary=[7, 5, 9], mask_token=0, invert=True)
    np.testing.assert_array_equal(_np(inverse(ids)), [[7, 0, -1]])


def test_tensor_inputs_and_multi_hot():
    ids = backend.convert_to_tensor(np.array([[12, 42], [36, 36]], "int32"))
    out = _np(layers.IntegerLookup(vocabulary=VOCAB, output_mode="multi_hot")(ids))
    np.testing.assert_array_equal(out, [[0, 1, 0, 0, 1], [0, 0, 1, 0, 0]])
