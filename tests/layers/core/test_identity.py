"""Identity: returns its input (and its mask) unchanged, keeping the input's dtype symbolically."""

import numpy as np
import pytest

from brickwork import backend, layers
from brickwork.layers import masking
from tests.conftest import BACKEND
from tests.layers.harness import run_layer_test


def test_returns_the_input():
    run_layer_test(layers.Identity, {}, input_shape=(2, 3), expected_output_shape=(2, 3),
                   expected_num_trainable_weights=0, reference=lambda x, _: x)


def test_keeps_dtype_and_mask():
    assert layers.Identity()(layers.Input((3,), dtype="int32")).dtype == "int32"
    masked = layers.Masking()(np.array([[[0.0], [1.0]]], "float32"))
    out = layers.Identity()(masked)
    np.testing.assert_array_equal(backend.convert_to_numpy(masking.get_mask(out)), [[False, True]])


@pytest.mark.skipif(BACKEND != "jax", reason="sparse tensors (BCOO) are jax's")
def test_sparse_stays_sparse():
    from jax.experimental import sparse

    dense = np.array([[0.0, 2.0, 0.0], [3.0, 0.0, 4.0]], "float32")
    out = layers.Identity()(sparse.BCOO.fromdense(dense))
    assert type(out).__name__ == "BCOO"
    np.testing.assert_array_equal(np.asarray(out.todense()), dense)
    assert layers.Identity()(layers.Input((3,), sparse=True)).sparse
