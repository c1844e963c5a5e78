"""``one_hot`` / ``multi_hot`` with ``sparse=True``: a BCOO on jax, a ``tf.SparseTensor`` on tensorflow (as
Keras 3.15.1 gives), holding the values of the dense encoding. The reference is NumPy's identity matrix
indexed by the ids."""

import numpy as np
import pytest

from brickwork import backend, ops
from tests.conftest import BACKEND
from tests.sparse_helpers import is_sparse, requires_sparse, stored_count

pytestmark = requires_sparse


def _numpy_one_hot(ids, num_classes, axis=-1):
    ids = np.asarray(ids)
    valid = (ids >= 0) & (ids < num_classes)
    encoded = np.eye(num_classes)[np.where(valid, ids, 0)] * valid[..., None]
    return np.moveaxis(encoded, -1, axis)


def _numpy_multi_hot(ids, num_classes, axis=-1):
    ids = np.asarray(ids)
    return _numpy_one_hot(ids, num_classes, axis).max(axis=1 if ids.ndim > 1 else 0)


IDS = [np.array([0, 3, 1]), np.array([[0, 2, -1], [3, 1, 1]]), np.array([[[1], [4]], [[0], [2]]])]


@pytest.mark.parametrize("ids", IDS, ids=["rank1", "rank2_negative", "rank3_out_of_range"])
@pytest.mark.parametrize("axis", [-1, 0, 1])
def test_one_hot_sparse_values(ids, axis):
    out = ops.one_hot(ids, 4, axis=axis, sparse=True)
    assert is_sparse(out)
    assert tuple(out.shape) == _numpy_one_hot(ids, 4, axis).shape
    np.testing.assert_array_equal(ops.convert_to_numpy(out), _numpy_one_hot(ids, 4, axis))
    # One stored value per id, whatever the ids: a static size under jit.
    assert stored_count(out) == ids.size


@pytest.mark.parametrize("dtype", ["float32", "int32", "bool"])
def test_one_hot_sparse_dtype(dtype):
    out = ops.one_hot(np.array([1, 0]), 3, dtype=dtype, sparse=True)
    assert backend.standardize_dtype(out.dtype) == dtype


@pytest.mark.parametrize("ids", IDS[:2], ids=["rank1", "rank2_negative"])
@pytest.mark.parametrize("axis", [-1, 0])
def test_multi_hot_sparse_values(ids, axis):
    out = ops.multi_hot(ids, 4, axis=axis, sparse=True)
    assert is_sparse(out)
    np.testing.assert_array_equal(ops.convert_to_numpy(out), _numpy_multi_hot(ids, 4, axis))
    np.testing.assert_array_equal(ops.convert_to_numpy(out), ops.convert_to_numpy(ops.multi_hot(ids, 4, axis=axis)))


@pytest.mark.skipif(BACKEND != "jax", reason="jax.jit")
def test_multi_hot_sparse_under_jit():
    import jax

    ids = np.array([[0, 2, 2], [3, 3, 1]])
    out = jax.jit(lambda x: ops.multi_hot(x, 4, sparse=True))(ids)
    np.testing.assert_array_equal(np.asarray(out.todense()), _numpy_multi_hot(ids, 4))


@pytest.mark.skipif(BACKEND != "tensorflow", reason="a tf.function graph")
def test_one_hot_and_multi_hot_sparse_in_tf_function():
    import tensorflow as tf

    ids = np.array([[0, 2, 2], [3, -1, 1]])

    @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.int64)])
    def encode(x):
        return ops.one_hot(x, 4, axis=1, sparse=True), ops.multi_hot(x, 4, sparse=True)

    one_hot, multi_hot = encode(ids)
    assert is_sparse(one_hot) and is_sparse(multi_hot)
    np.testing.assert_array_equal(ops.convert_to_numpy(one_hot), _numpy_one_hot(ids, 4, axis=1))
    np.testing.assert_array_equal(ops.convert_to_numpy(multi_hot), _numpy_multi_hot(ids, 4))


def test_one_hot_sparse_symbolic():
    x = backend.KerasTensor((None, 3), dtype="int32")
    assert ops.one_hot(x, 5, sparse=True).sparse
    assert ops.multi_hot(x, 5, sparse=True).sparse
    assert not ops.one_hot(x, 5).sparse
