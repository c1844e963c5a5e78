"""``result_type``'s promotion of Python types and float8, against JAX's own rules (which Keras follows)."""

import jax.numpy as jnp
import pytest

from brickwork import backend

NARROW = ["bool", "int8", "int16", "int32", "uint8", "uint16", "float16", "bfloat16", "float32"]


@pytest.mark.parametrize("dtype", NARROW)
@pytest.mark.parametrize("python_type", [bool, int, float])
def test_python_types_are_weak_like_their_values(dtype, python_type):
    """``int`` (the type) promotes like ``1`` does: weakly. 64-bit results are left out, as JAX's x32 mode
    truncates them."""
    assert backend.result_type(dtype, python_type) == jnp.result_type(dtype, python_type).name
    assert backend.result_type(dtype, python_type) == backend.result_type(dtype, python_type(1))


def test_float8_does_not_promote_implicitly():
    assert backend.result_type("float8_e4m3fn") == "float8_e4m3fn"
    with pytest.raises(ValueError, match="no implicit conversions from float8"):
        backend.result_type("float8_e5m2", "bfloat16")
