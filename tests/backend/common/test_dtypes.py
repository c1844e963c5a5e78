"""``result_type``'s promotion of Python types and float8, against JAX's own rules (which Keras follows)."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from brickwork import backend

NARROW = ["bool", "int8", "int16", "int32", "uint8", "uint16", "float16", "bfloat16", "float32"]


@pytest.mark.parametrize("dtype", NARROW)
@pytest.mark.parametrize("python_type", [bool, int, float])
def test_python_types_are_weak_like_their_values(dtype, python_type):
    """``int`` (the type) promotes like ``1`` does: weakly. 64-bit results are left out, as JAX's x32 mode
    truncates them (the reference is taken in x32 mode, whatever mode the jax backend set)."""
    with jax.enable_x64(False):
        expected = jnp.result_type(dtype, python_type).name
    assert backend.result_type(dtype, python_type) == expected
    assert backend.result_type(dtype, python_type) == backend.result_type(dtype, python_type(1))


def test_float8_does_not_promote_implicitly():
    assert backend.result_type("float8_e4m3fn") == "float8_e4m3fn"
    with pytest.raises(ValueError, match="no implicit conversions from float8"):
        backend.result_type("float8_e5m2", "bfloat16")


@pytest.mark.parametrize("dtype", ["float64", "float32", "int64", "bool"])
def test_numpy_dtypes_are_not_taken_for_python_types(dtype):
    """``np.dtype("float64") == float`` holds in NumPy; a NumPy dtype must still promote as itself."""
    assert backend.result_type(np.dtype(dtype), "float32") == backend.result_type(dtype, "float32")
