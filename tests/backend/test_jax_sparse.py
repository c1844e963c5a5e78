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


_FRESH_PROCESS_CHECK = """
import sys
{before}
import brickwork
from brickwork import ops
assert ("jax.experimental.sparse" in sys.modules) == {imported_first}, "import brickwork loaded it"
from jax.experimental import sparse
import numpy as np
x = sparse.BCOO.fromdense(np.array([[0.0, 2.0], [3.0, 0.0]], dtype="float32"))
doubled = ops.add(x, x)
assert isinstance(doubled, sparse.BCOO), type(doubled)
assert ops.convert_to_numpy(doubled).tolist() == [[0.0, 4.0], [6.0, 0.0]]
"""


@pytest.mark.skipif(BACKEND != "jax", reason="BCOO is JAX's")
@pytest.mark.parametrize("imported_first", [False, True])
def test_a_programs_bcoo_is_sparse_whether_jax_sparse_was_imported_before_brickwork_or_after(imported_first):
    """``import brickwork`` leaves jax.experimental.sparse (and SciPy with it) unloaded; a BCOO the program
    makes once it imports the module itself is still taken as sparse, as it was when brickwork loaded it."""
    import os
    import subprocess
    import sys

    code = _FRESH_PROCESS_CHECK.format(before="import jax.experimental.sparse" if imported_first else "",
                                       imported_first=imported_first)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                            env=dict(os.environ, BRICKWORK_BACKEND="jax"), check=False)
    assert result.returncode == 0, result.stderr[-3000:]
