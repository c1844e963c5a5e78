"""jax: SciPy sparse matrices convert to BCOO, and ``compute_output_spec`` traces sparse symbolic inputs as
BCOO and reports a BCOO result as a sparse ``KerasTensor`` (Keras 3.15.1's jax backend does both). Values
are checked against SciPy's own ``toarray``."""

import numpy as np
import pytest

from brickwork import backend, ops
from tests.conftest import BACKEND

pytestmark = pytest.mark.skipif(BACKEND != "jax", reason="BCOO is JAX's")
scipy_sparse = pytest.importorskip("scipy.sparse")


@pytest.mark.parametrize("fmt", ["csr", "csc", "coo"])
def test_scipy_matrix_becomes_bcoo(fmt):
    matrix = scipy_sparse.random(5, 7, density=0.3, format=fmt, random_state=0)
    x = ops.convert_to_tensor(matrix, dtype="float32")
    assert type(x).__name__ == "BCOO"
    assert x.shape == (5, 7) and x.dtype == np.float32 and x.nse == matrix.nnz
    np.testing.assert_allclose(np.asarray(x.todense()), matrix.toarray(), rtol=1e-6)


def test_scipy_nd_coo_array_and_sparse_false():
    dense = np.arange(24, dtype="float32").reshape(2, 3, 4) * (np.arange(24).reshape(2, 3, 4) % 3 == 0)
    array = scipy_sparse.coo_array(dense)
    np.testing.assert_array_equal(np.asarray(ops.convert_to_tensor(array).todense()), dense)
    densified = ops.convert_to_tensor(array, sparse=False)
    assert type(densified).__name__ != "BCOO"
    np.testing.assert_array_equal(np.asarray(densified), dense)


def test_compute_output_spec_sparse_in_and_out():
    x = backend.KerasTensor((None, 3, 3), sparse=True)
    seen = []

    def fn(value):
        seen.append(type(value).__name__)
        return value, value.todense()

    sparse_out, dense_out = backend.compute_output_spec(fn, x)
    assert set(seen) == {"BCOO"}
    assert sparse_out.sparse and sparse_out.shape == (None, 3, 3)
    assert not dense_out.sparse and dense_out.shape == (None, 3, 3)


def test_compute_output_spec_dense_input_stays_dense():
    out = backend.compute_output_spec(lambda v: v * 2, backend.KerasTensor((2, 3)))
    assert not out.sparse and out.shape == (2, 3)
