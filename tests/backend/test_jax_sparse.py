"""jax takes JAX's sparse BCOO tensors where Keras 3.15.1's jax backend does; torch and numpy say they
do not. The reference for values is NumPy (``todense`` of the same coordinates)."""

import numpy as np
import pytest

from brickwork import backend, ops
from tests.conftest import BACKEND


def test_supports_sparse_tensors_flag():
    assert backend.SUPPORTS_SPARSE_TENSORS is (BACKEND in ("jax", "tensorflow"))  # BCOO, tf.SparseTensor


@pytest.mark.skipif(BACKEND in ("jax", "tensorflow"), reason="jax and tensorflow take sparse inputs")
def test_sparse_input_refused_on_dense_only_backends():
    from brickwork import layers

    with pytest.raises(ValueError, match="sparse=True"):
        layers.Input((3,), sparse=True)


@pytest.mark.skipif(BACKEND != "jax", reason="BCOO is JAX's")
class TestBCOO:
    def _bcoo(self):
        from jax.experimental import sparse

        dense = np.array([[0.0, 2.0, 0.0], [3.0, 0.0, 0.0]], dtype="float32")
        return sparse.BCOO((dense[dense != 0], np.argwhere(dense != 0)), shape=dense.shape), dense

    def test_is_tensor_and_kept_sparse(self):
        x, _ = self._bcoo()
        assert backend.is_tensor(x)
        assert type(ops.convert_to_tensor(x)).__name__ == "BCOO"
        assert ops.convert_to_tensor(x, dtype="float16").dtype == np.float16

    def test_sparse_false_densifies(self):
        x, dense = self._bcoo()
        y = ops.convert_to_tensor(x, sparse=False)
        assert type(y).__name__ != "BCOO"
        np.testing.assert_array_equal(np.asarray(y), dense)

    def test_convert_to_numpy_gives_dense_values(self):
        x, dense = self._bcoo()
        np.testing.assert_array_equal(ops.convert_to_numpy(x), dense)

    def test_ragged_refused(self):
        with pytest.raises(ValueError, match="ragged"):
            ops.convert_to_tensor(np.ones(2), ragged=True)

    def test_sparse_input(self):
        from brickwork import layers

        assert layers.Input((3,), sparse=True).sparse
