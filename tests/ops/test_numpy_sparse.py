"""NumPy-like ops on sparse tensors (JAX's BCOO, TensorFlow's ``tf.SparseTensor``), as Keras 3.15.1 takes them.

Values are checked against NumPy on the dense equivalents; the result's kind (sparse or dense) against
Keras's rules: ``f(0) == 0`` ops keep a tensor sparse, others densify; ``add``/``subtract``/``maximum``/
``minimum`` are sparse only when both operands are; ``multiply`` when either is; ``divide`` when the
dividend is and the divisor is not. Symbolic ``KerasTensor(sparse=True)`` inputs follow the same rules.
"""

from __future__ import annotations

import numpy as np
import pytest

from brickwork import backend, ops
from brickwork.backend import KerasTensor
from tests.conftest import BACKEND
from tests.sparse_helpers import from_coordinates, is_sparse, requires_sparse, to_sparse

pytestmark = requires_sparse
jax_only = pytest.mark.skipif(BACKEND != "jax", reason="a BCOO layout (duplicates, dense or broadcast batches)")

DENSE = np.array([[1.0, 0.0, -0.7], [0.0, 0.2, -1.0]], dtype="float32")
OTHER = np.array([[4.0, 5.0, 0.0], [0.0, 0.0, 1.5]], dtype="float32")


def dense_of(x):
    return ops.convert_to_numpy(x)


@pytest.mark.parametrize("name", ["abs", "absolute", "sin", "sqrt", "square", "negative", "sign", "tanh",
                                  "floor", "ceil", "round", "copy", "expm1", "log1p", "arctan", "real"])
def test_zero_preserving_unary_stays_sparse(name):
    x = np.abs(DENSE) if name in ("sqrt", "log1p") else DENSE
    result = getattr(ops, name)(to_sparse(x))
    assert is_sparse(result)
    np.testing.assert_allclose(dense_of(result), getattr(np, name)(x), rtol=1e-6)


@pytest.mark.parametrize("name", ["cos", "exp", "log2", "reciprocal", "isfinite", "arccos"])
def test_other_unary_gives_dense(name):
    x = np.clip(DENSE, -0.9, 0.9) + 1.5 if name in ("log2", "reciprocal") else np.clip(DENSE, -0.9, 0.9)
    result = getattr(ops, name)(to_sparse(x))
    assert not is_sparse(result)
    with np.errstate(divide="ignore"):
        np.testing.assert_allclose(dense_of(result), getattr(np, name)(x), rtol=1e-6)


@jax_only
def test_unary_on_duplicate_positions_sums_them_first():
    from jax.experimental import sparse

    # Two stored values at (0, 0): the tensor holds 3.0 - 4.0 = -1.0 there, so abs gives 1.0 (not 7.0).
    x = sparse.BCOO((np.array([3.0, -4.0]), np.array([[0, 0], [0, 0]])), shape=(2, 2))
    np.testing.assert_allclose(dense_of(ops.abs(x)), [[1.0, 0.0], [0.0, 0.0]])


OPERANDS = {  # built in the test: only engines with sparse tensors can
    "sparse_dense": lambda: (to_sparse(DENSE), OTHER),
    "dense_sparse": lambda: (DENSE, to_sparse(OTHER)),
    "sparse_scalar": lambda: (to_sparse(DENSE), np.float32(2.0)),
    "scalar_sparse": lambda: (2.0, to_sparse(OTHER)),
    "sparse_sparse": lambda: (to_sparse(DENSE), to_sparse(OTHER)),
}
if BACKEND == "jax":  # a BCOO may store whole rows (dense trailing axes)
    OPERANDS["slices_slices"] = lambda: tuple(_jax_bcoo(a, n_dense=1) for a in (DENSE, OTHER))


def _jax_bcoo(dense, n_dense):
    from jax.experimental import sparse

    return sparse.BCOO.fromdense(dense, n_dense=n_dense)


# The result is sparse for these operand kinds (x1 kind, x2 kind), by Keras's rules.
SPARSE_WHEN = {
    "add": {"sparse_sparse", "slices_slices"},
    "subtract": {"sparse_sparse", "slices_slices"},
    "maximum": {"sparse_sparse", "slices_slices"},
    "minimum": {"sparse_sparse", "slices_slices"},
    "multiply": set(OPERANDS),
    "divide": {"sparse_dense", "sparse_scalar"},
}


@pytest.mark.parametrize("operands", sorted(OPERANDS))
@pytest.mark.parametrize("name", sorted(SPARSE_WHEN))
def test_binary_values_and_sparseness(name, operands):
    x1, x2 = OPERANDS[operands]()
    result = getattr(ops, name)(x1, x2)
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = getattr(np, name)(dense_of(x1), dense_of(x2))
    np.testing.assert_allclose(dense_of(result), expected, rtol=1e-6)
    assert is_sparse(result) == (operands in SPARSE_WHEN[name])


def test_binary_keeps_keras_dtypes():
    ints = to_sparse(np.array([[1, 0], [0, 3]], dtype="int32"))
    assert backend.standardize_dtype(ops.add(ints, ints).dtype) == "int32"
    assert backend.standardize_dtype(ops.multiply(ints, 2).dtype) == "int32"
    assert backend.standardize_dtype(ops.divide(ints, 2).dtype) == "float32"


def test_divide_by_dense_zeros_and_nans_reads_nan_and_inf():
    x = to_sparse(np.array([[0.0, 2.0, 3.0], [3.0, 0.0, 1.0]], dtype="float32"))
    y = np.array([[np.nan, 0.0, 3.0], [0.0, 0.0, 1.0]], dtype="float32")
    result = ops.divide(x, y)
    assert is_sparse(result)
    with np.errstate(divide="ignore", invalid="ignore"):
        np.testing.assert_allclose(dense_of(result), dense_of(x) / y)


def test_sparse_operands_broadcast():
    x1, x2 = np.array([[1.0, 0.0, 2.0]]), np.array([[0.0], [3.0]])
    result = ops.add(to_sparse(x1), to_sparse(x2))
    assert is_sparse(result)
    np.testing.assert_allclose(dense_of(result), x1 + x2)
    result = ops.multiply(to_sparse(x1), x2)
    assert is_sparse(result)
    np.testing.assert_allclose(dense_of(result), x1 * x2)


X3 = np.arange(24, dtype="float32").reshape(4, 2, 3) % 5


@pytest.mark.parametrize("name,kwargs", [
    ("sum", {}), ("sum", {"axis": 1}), ("sum", {"axis": (0, 2), "keepdims": True}), ("sum", {"axis": ()}),
    ("mean", {}), ("mean", {"axis": -1}), ("mean", {"axis": (0, 1), "keepdims": True}),
    ("expand_dims", {"axis": 1}), ("expand_dims", {"axis": -1}), ("reshape", {"newshape": (4, 6)}),
    ("reshape", {"newshape": (3, -1)}), ("squeeze", {"axis": 0}), ("transpose", {}),
    ("transpose", {"axes": (2, 0, 1)}),
])
def test_shape_ops_and_reductions_stay_sparse(name, kwargs):
    x = X3[:1] if name == "squeeze" else X3
    result = getattr(ops, name)(to_sparse(x), **kwargs)
    assert is_sparse(result)
    np_kwargs = {"shape" if k == "newshape" else k: v for k, v in kwargs.items()}
    np.testing.assert_allclose(dense_of(result), getattr(np, name)(x, **np_kwargs), rtol=1e-6)


def test_sum_and_mean_dtypes():
    ints = to_sparse(np.array([[1, 0], [0, 3]], dtype="int8"))
    assert backend.standardize_dtype(ops.sum(ints).dtype) == "int32"
    assert backend.standardize_dtype(ops.mean(ints, axis=0).dtype) == "float32"


def test_concatenate():
    a, b = np.array([[1.0, 0.0], [0.0, 2.0]]), np.array([[0.0, 3.0], [4.0, 0.0]])
    result = ops.concatenate([to_sparse(a), to_sparse(b)], axis=1)
    assert is_sparse(result)
    np.testing.assert_allclose(dense_of(result), np.concatenate([a, b], axis=1))
    result = ops.concatenate([to_sparse(a), b], axis=0)
    assert not is_sparse(result)
    np.testing.assert_allclose(dense_of(result), np.concatenate([a, b], axis=0))


@pytest.mark.parametrize("x_sparse,y_sparse", [(True, False), (False, True), (True, True)])
def test_matmul(x_sparse, y_sparse):
    rng = np.random.default_rng(0)
    x = (rng.standard_normal((2, 3, 4)) * (rng.random((2, 3, 4)) < 0.6)).astype("float32")
    y = (rng.standard_normal((2, 4, 5)) * (rng.random((2, 4, 5)) < 0.6)).astype("float32")
    operand = lambda a, s: to_sparse(a, n_batch=1) if s else a  # noqa: E731
    result = ops.matmul(operand(x, x_sparse), operand(y, y_sparse))
    assert is_sparse(result) == (x_sparse and y_sparse)
    np.testing.assert_allclose(dense_of(result), x @ y, rtol=1e-5, atol=1e-5)


def test_take_with_sparse_indices():
    x = np.arange(12.0).reshape(3, 4)
    indices = from_coordinates([-1, 2], [[0, 0], [1, 2]], (2, 3))
    np.testing.assert_allclose(ops.take(x, indices, axis=1), np.take(x, dense_of(indices), axis=1))


def test_bincount_sparse():
    values, weights = np.array([1, 1, 2, 3, 2, 4, 4, 6]), np.array([0, 0, 3, 2, 1, 1, 4, 2])
    result = ops.bincount(values, weights=weights, minlength=3, sparse=True)
    assert is_sparse(result)
    np.testing.assert_allclose(dense_of(result), np.bincount(values, weights=weights, minlength=3))
    # A sparse input counts its stored values only (not its implicit zeros).
    positions = np.arange(1, 16, 2)[:, None]
    x = from_coordinates(values, positions, (16,))
    w = from_coordinates(weights, positions, (16,))  # its zeros stored: at the same positions as x
    result = ops.bincount(ops.expand_dims(x, 0), weights=ops.expand_dims(w, 0), minlength=3)
    assert is_sparse(result)
    np.testing.assert_allclose(dense_of(result), [np.bincount(values, weights=weights, minlength=3)])


# ---- symbolic ----


@pytest.mark.parametrize("name,sparse", [("abs", True), ("negative", True), ("cos", False), ("exp", False)])
def test_symbolic_unary_sparseness(name, sparse):
    result = getattr(ops, name)(KerasTensor((None, 3), sparse=True))
    assert result.shape == (None, 3)
    assert result.sparse is sparse


@pytest.mark.parametrize("name", sorted(SPARSE_WHEN))
@pytest.mark.parametrize("x_sparse,y_sparse", [(True, True), (True, False), (False, True), (False, False)])
def test_symbolic_binary_sparseness(name, x_sparse, y_sparse):
    result = getattr(ops, name)(KerasTensor((None, 3), sparse=x_sparse), KerasTensor((2, None), sparse=y_sparse))
    assert result.shape == (2, 3)
    kind = {(True, True): "sparse_sparse", (True, False): "sparse_dense", (False, True): "dense_sparse"}
    assert result.sparse == (kind.get((x_sparse, y_sparse)) in SPARSE_WHEN[name])


def test_symbolic_shape_ops_keep_sparse():
    x = KerasTensor((None, 2, 3), sparse=True)
    assert ops.reshape(x, (-1, 6)).sparse and ops.reshape(x, (-1, 6)).shape == (None, 6)
    assert ops.sum(x, axis=1).shape == (None, 3) and ops.sum(x, axis=1).sparse
    assert ops.transpose(x).shape == (3, 2, None) and ops.transpose(x).sparse
    assert ops.concatenate([x, x], axis=1).sparse
    assert not ops.concatenate([x, KerasTensor((None, 2, 3))], axis=1).sparse
    assert ops.matmul(KerasTensor((2, 3), sparse=True), KerasTensor((3, 2), sparse=True)).sparse


def test_einsum_of_two_sparse_tensors_stays_sparse():
    rng = np.random.default_rng(1)
    x = (rng.standard_normal((2, 4, 5)) * (rng.random((2, 4, 5)) < 0.6)).astype("float32")
    y = (rng.standard_normal((2, 3, 5)) * (rng.random((2, 3, 5)) < 0.6)).astype("float32")
    xs, ys = to_sparse(x, n_batch=1), to_sparse(y, n_batch=1)
    result = ops.einsum("abz,adz->abd", xs, ys)
    assert is_sparse(result)
    np.testing.assert_allclose(dense_of(result), np.einsum("abz,adz->abd", x, y), rtol=1e-5, atol=1e-5)
    result = ops.einsum("abz,adz->abd", xs, y)
    assert not is_sparse(result)
    np.testing.assert_allclose(dense_of(result), np.einsum("abz,adz->abd", x, y), rtol=1e-5, atol=1e-5)


def test_moveaxis_stays_sparse():
    x = X3.reshape(2, 2, 2, 3)
    result = ops.moveaxis(to_sparse(x), [1, 0], [-1, 2])
    assert is_sparse(result)
    np.testing.assert_allclose(dense_of(result), np.moveaxis(x, [1, 0], [-1, 2]))


@jax_only
def test_broadcast_batches():
    from jax.experimental import sparse

    # One batch of stored values shared by both rows (a BCOO may broadcast its batch axis).
    x = sparse.BCOO((np.array([[1.0, 2.0]]), np.array([[[0], [2]]])), shape=(2, 3))
    y = np.array([[1.0, 2.0, 4.0], [0.5, 0.0, 2.0]])
    for name in ("multiply", "divide", "add"):
        with np.errstate(divide="ignore", invalid="ignore"):
            expected = getattr(np, name)(dense_of(x), y)
        np.testing.assert_allclose(dense_of(getattr(ops, name)(x, y)), expected)


@pytest.mark.skipif(BACKEND != "tensorflow", reason="a tf.function graph")
def test_in_tf_function_with_unknown_batch():
    import tensorflow as tf

    a = np.array([[1.0, 0.0, 2.0], [0.0, 3.0, 0.0]], dtype="float32")
    b = np.array([[0.0, 4.0, 2.0], [1.0, 0.0, 0.0]], dtype="float32")
    spec = tf.SparseTensorSpec([None, 3], tf.float32)

    @tf.function(input_signature=[spec, spec, tf.TensorSpec([None, 3], tf.float32)])
    def step(x, y, dense):
        return (ops.add(x, y), ops.maximum(x, y), ops.multiply(x, y), ops.multiply(x, dense),
                ops.divide(x, dense), ops.abs(x), ops.sum(x, axis=0), ops.mean(x, axis=1),
                ops.expand_dims(x, 1), ops.transpose(x), ops.reshape(x, (-1,)), ops.concatenate([x, y], axis=0),
                ops.multiply(x, dense[:1]))

    outputs = step(to_sparse(a), to_sparse(b), b)
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = (a + b, np.maximum(a, b), a * b, a * b, a / b, np.abs(a), a.sum(0), a.mean(1), a[:, None],
                    a.T, a.reshape(-1), np.concatenate([a, b]), a * b[:1])
    for output, reference in zip(outputs, expected, strict=True):
        assert is_sparse(output)
        np.testing.assert_allclose(dense_of(output), reference, rtol=1e-6)


@jax_only
def test_under_jit():
    import jax
    from jax.experimental import sparse

    a = np.array([[1.0, 0.0, 2.0], [0.0, 3.0, 0.0]], dtype="float32")
    b = np.array([[0.0, 4.0, 2.0], [1.0, 0.0, 0.0]], dtype="float32")
    # Traced, stored positions are not known to be unique: non-linear ops must not need their count.
    x = sparse.BCOO((np.array([1.0, 2.0, 3.0], "float32"), np.array([[0, 0], [0, 2], [1, 1]])), shape=(2, 3))

    @jax.jit
    def step(x, y, dense):
        return (ops.add(x, y), ops.maximum(x, y), ops.multiply(x, y), ops.multiply(x, dense),
                ops.divide(x, dense), ops.abs(x), ops.sum(x, axis=0))

    outputs = step(x, to_sparse(b), b + 1)
    expected = (a + b, np.maximum(a, b), a * b, a * (b + 1), a / (b + 1), np.abs(a), a.sum(0))
    for output, reference in zip(outputs, expected):
        assert is_sparse(output)
        np.testing.assert_allclose(dense_of(output), reference, rtol=1e-6)


def test_symbolic_squeeze_keeps_sparse():
    x = KerasTensor((None, 1, 3), sparse=True)
    assert ops.squeeze(x, axis=1).sparse and ops.squeeze(x).sparse
    assert not ops.squeeze(KerasTensor((None, 1, 3)), axis=1).sparse
    assert not ops.matmul(KerasTensor((2, 3), sparse=True), KerasTensor((3, 2))).sparse


@pytest.mark.parametrize("dtype", ["float16", "bfloat16", "uint8"])
def test_union_and_dense_factor_in_narrow_dtypes(dtype):
    a, b = np.array([[1, 0, 2], [0, 1, 0]]), np.array([[0, 1, 1], [0, 3, 0]])
    x, y = (to_sparse(ops.convert_to_numpy(ops.convert_to_tensor(v, dtype))) for v in (a, b))
    for name in ("add", "maximum", "multiply"):
        result = getattr(ops, name)(x, y)
        assert is_sparse(result) and backend.standardize_dtype(result.dtype) == dtype
        np.testing.assert_allclose(dense_of(result).astype("float32"), getattr(np, name)(a, b))
    np.testing.assert_allclose(dense_of(ops.divide(x, b + 1)).astype("float32"), a / (b + 1), rtol=1e-2)


def test_bool_round_trip_and_sum():
    mask = np.array([[True, False], [False, True]])
    x = to_sparse(mask)
    assert is_sparse(x)
    np.testing.assert_array_equal(dense_of(x), mask)
    np.testing.assert_array_equal(dense_of(ops.sum(x, axis=0)), [1, 1])
