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


KERAS_TESTED = ["bool", "uint8", "uint16", "uint32", "int8", "int16", "int32", "bfloat16", "float16", "float32",
                "complex64"]


def _keras_promotion(first, second) -> str:
    """JAX's default 32-bit mode's result; on the tensorflow engine an int64 or float64 of JAX's 64-bit lattice
    stays (Keras keeps those two on its TensorFlow backend: uint32 + int8 is int64 there)."""
    with jax.enable_x64(True):
        wide = jnp.result_type(jnp.ones((1,), first), jnp.ones((1,), second)).name
    if backend.backend() == "tensorflow" and wide in ("int64", "float64"):
        return wide
    with jax.enable_x64(False):
        return jnp.result_type(jnp.ones((1,), first), jnp.ones((1,), second)).name


@pytest.mark.parametrize("second", KERAS_TESTED)
@pytest.mark.parametrize("first", KERAS_TESTED)
def test_public_result_type_is_jax_x32_promotion(first, second):
    """``keras.backend.result_type`` reports what JAX's default 32-bit mode gives (uint32 + int16 is int32,
    where the 64-bit lattice says int64), as Keras's own dtypes test checks on every backend but tensorflow."""
    assert backend.result_type(first, second) == _keras_promotion(first, second)


def test_64_bit_results_narrow_as_keras_narrows_them():
    from tests.layers.keras_reference import run_keras_script

    cases = [("int64",), ("float64",), ("complex128",), ("uint64", "uint8"), ("int64", "int32"), ("uint32", "int8"),
             ("float64", "int32"), ("float64", "float16"), ("int64", "float32"), ("uint8", "int64")]
    script = ("import json, sys, keras\n"
              "print(json.dumps([keras.backend.result_type(*c) for c in json.loads(sys.argv[1])]))")
    import json

    engine = "tensorflow" if backend.backend() == "tensorflow" else "torch"  # Keras narrows less on tensorflow
    expected = json.loads(run_keras_script(script, json.dumps(cases), keras_backend=engine))
    assert [backend.result_type(*case) for case in cases] == expected
    # brickwork's ops keep 64 bits where the engine holds them: the lattice before narrowing.
    from brickwork.backend.common.dtypes import promote_types

    assert [promote_types(*case) for case in cases[:5]] == ["int64", "float64", "complex128", "uint64", "int64"]


@pytest.mark.parametrize("second", KERAS_TESTED)
@pytest.mark.parametrize("first", KERAS_TESTED)
def test_ops_promote_narrow_inputs_as_jax_x32_does(first, second):
    """Without a 64-bit input, what brickwork's ops compute in is JAX's default-mode result: the lattice's
    ``uint32 + int8 -> int64`` is int32 there, and in Keras's numpy backend."""
    from brickwork.backend.common.dtypes import promote_types

    assert promote_types(first, second) == _keras_promotion(first, second)


@pytest.mark.parametrize("pair, expected", [(("uint32", "int64"), "int64"), (("float64", "int8"), "float64"),
                                            (("complex64", "float64"), "complex128"), (("int64", "uint8"), "int64")])
def test_ops_keep_a_64_bit_input(pair, expected):
    """A 64-bit input keeps the lattice's 64-bit result (JAX's x64 mode), so the user's float64 data stays float64."""
    from brickwork.backend.common.dtypes import promote_types

    with jax.enable_x64(True):
        assert jnp.result_type(*(jnp.ones((1,), d) for d in pair)).name == expected
    assert promote_types(*pair) == expected
