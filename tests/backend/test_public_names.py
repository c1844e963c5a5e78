"""Keras's public ``keras.backend`` names that are not engine ops: uids, dtype predicates, capability flags."""

import numpy as np
import pytest

import brickwork as keras
from brickwork import backend

DTYPES = ["bool", "uint8", "uint16", "uint32", "int8", "int16", "int32", "int64", "bfloat16", "float16",
          "float32", "float64", "complex64", "complex128"]


def test_get_uid_counts_per_prefix_and_shares_the_automatic_name_counter():
    assert [backend.get_uid("thing"), backend.get_uid("thing"), backend.get_uid("other")] == [1, 2, 1]
    keras.layers.Dense(1)  # takes the name "dense"
    assert backend.get_uid("dense") == 2  # as in Keras, where names and get_uid draw on one counter
    backend.clear_session(free_memory=False)
    assert backend.get_uid("thing") == 1


@pytest.mark.parametrize("dtype", DTYPES)
def test_dtype_predicates_match_numpy_kinds(dtype):
    kind = "f" if dtype == "bfloat16" else np.dtype(dtype).kind
    assert backend.is_float_dtype(dtype) is (kind == "f")
    assert backend.is_int_dtype(dtype) is (kind in "iu")


def test_capability_flags():
    # BCOO on jax and tf.SparseTensor on tensorflow, as Keras on those engines
    assert backend.SUPPORTS_SPARSE_TENSORS is (backend.backend() in ("jax", "tensorflow"))
    assert backend.SUPPORTS_RAGGED_TENSORS is False


def test_top_level_base_classes_are_the_namespaces_own():
    import brickwork as keras

    assert keras.Initializer is keras.initializers.Initializer
    assert keras.Regularizer is keras.regularizers.Regularizer
    assert keras.Quantizer is keras.quantizers.Quantizer
    assert keras.FloatDTypePolicy is keras.dtype_policies.FloatDTypePolicy
