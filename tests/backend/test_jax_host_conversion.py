"""On jax, host data becomes a device array without compiling anything, and initializers do not force
each primitive into its own compiled program (both cost the first training step ~50 ms a program)."""

import logging

import numpy as np
import pytest

from brickwork import backend, initializers
from tests.conftest import BACKEND

pytestmark = pytest.mark.skipif(BACKEND != "jax", reason="counts XLA compilations, which only jax does here")


@pytest.fixture
def compilations(caplog):
    import jax

    jax.config.update("jax_log_compiles", True)
    caplog.set_level(logging.DEBUG)
    yield lambda: [r.getMessage() for r in caplog.records if "Finished XLA compilation" in r.getMessage()]
    jax.config.update("jax_log_compiles", False)


@pytest.mark.parametrize("value, dtype, expected", [
    (np.arange(6.0).reshape(2, 3), None, None),  # float64 NumPy data: float64 under x64 (as the suite runs), else float32
    (np.arange(6.0).reshape(3, 2), "float32", "float32"),
    (np.arange(5), "int32", "int32"),
    (0.5, "float32", "float32"),
    ([[1, 2], [3, 4]], "float32", "float32"),
    (np.ones((4, 7), "float32"), "bfloat16", "bfloat16"),
])
def test_host_data_converts_without_compiling(compilations, value, dtype, expected):
    import jax

    tensor = backend.convert_to_tensor(value, dtype=dtype)
    assert compilations() == []
    expected = expected or str(jax.dtypes.canonicalize_dtype(np.asarray(value).dtype))
    assert backend.standardize_dtype(tensor.dtype) == expected
    np.testing.assert_allclose(np.asarray(tensor, dtype="float64"), np.asarray(value, dtype="float64"), rtol=1e-2)


def test_orthogonal_variable_compiles_whole_ops(compilations):
    # Outside any trace, qr and diag each run as one compiled program, not one per primitive (~30 before).
    variable = backend.Variable(initializers.Orthogonal(seed=1), shape=(37, 41))
    q = np.asarray(variable.value)
    np.testing.assert_allclose(q @ q.T, np.eye(37), atol=1e-5)
    assert len(compilations()) <= 15, compilations()
