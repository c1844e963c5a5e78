"""Layers on sparse tensors (JAX's BCOO, TensorFlow's ``tf.SparseTensor``), as Keras 3.15.1: merging sparse
inputs gives a sparse output only when all are sparse (eagerly, Multiply also with one sparse input); Flatten,
Permute and Reshape keep a sparse input sparse. Values against NumPy on the dense equivalents; symbolic
outputs (``Input(sparse=True)``) carry the same sparseness."""

from __future__ import annotations

import numpy as np
import pytest

from brickwork import layers, ops
from tests.sparse_helpers import is_sparse, requires_sparse, to_sparse

pytestmark = requires_sparse

RNG = np.random.default_rng(0)
A = (RNG.standard_normal((2, 4, 5)) * (RNG.random((2, 4, 5)) < 0.6)).astype("float32")
B = (RNG.standard_normal((2, 4, 5)) * (RNG.random((2, 4, 5)) < 0.6)).astype("float32")


def batched_sparse(x):
    return to_sparse(x, n_batch=1)


MERGES = [
    (layers.Add, lambda a, b: a + b), (layers.Subtract, lambda a, b: a - b),
    (layers.Multiply, lambda a, b: a * b), (layers.Maximum, np.maximum), (layers.Minimum, np.minimum),
    (layers.Average, lambda a, b: (a + b) / 2), (lambda: layers.Concatenate(axis=1), lambda a, b: np.concatenate([a, b], 1)),
    (lambda: layers.Dot(axes=-1), lambda a, b: np.einsum("abz,adz->abd", a, b)),
]


@pytest.mark.parametrize("make,reference", MERGES)
def test_merging_sparse_inputs(make, reference):
    result = make()([batched_sparse(A), batched_sparse(B)])
    assert is_sparse(result)
    np.testing.assert_allclose(ops.convert_to_numpy(result), reference(A, B), rtol=1e-5, atol=1e-5)
    mixed = make()([batched_sparse(A), B])
    assert is_sparse(mixed) is (make is layers.Multiply)  # multiply keeps a sparse factor's positions
    np.testing.assert_allclose(ops.convert_to_numpy(mixed), reference(A, B), rtol=1e-5, atol=1e-5)
    inputs = [layers.Input((4, 5), sparse=True), layers.Input((4, 5), sparse=True)]
    assert make()(inputs).sparse
    assert not make()([inputs[0], layers.Input((4, 5))]).sparse


@pytest.mark.parametrize("layer,reference", [
    (layers.Flatten(), lambda x: x.reshape(2, -1)),
    (layers.Flatten(data_format="channels_first"), lambda x: np.moveaxis(x, 1, -1).reshape(2, -1)),
    (layers.Permute((2, 1)), lambda x: np.transpose(x, (0, 2, 1))),
    (layers.Reshape((5, 4)), lambda x: x.reshape(2, 5, 4)),
])
def test_reshaping_keeps_sparse(layer, reference):
    result = layer(batched_sparse(A))
    assert is_sparse(result)
    np.testing.assert_allclose(ops.convert_to_numpy(result), reference(A))
    assert layer(layers.Input((4, 5), sparse=True)).sparse
