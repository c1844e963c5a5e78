"""NumPy-like ops on JAX's sparse BCOO tensors, as Keras 3.15.1's jax backend takes them.

Values are checked against NumPy on the dense equivalents; the result's kind (sparse or dense) against
Keras's rules: ``f(0) == 0`` ops keep a tensor sparse, others densify; ``add``/``subtract``/``maximum``/
``minimum`` are sparse only when both operands are; ``multiply`` when either is; ``divide`` when the
dividend is and the divisor is not. Symbolic ``KerasTensor(sparse=True)`` inputs follow the same rules.
"""

from __future__ import annotations

import numpy as np
import pytest

from brickwork import ops
from brickwork.backend import KerasTensor
from tests.conftest import BACKEND

pytestmark = pytest.mark.skipif(BACKEND != "jax", reason="sparse tensors are JAX's BCOO (jax backend only)")

DENSE = np.array([[1.0, 0.0, -0.7], [0.0, 0.2, -1.0]], dtype="float32")
OTHER = np.array([[4.0, 5.0, 0.0], [0.0, 0.0, 1.5]], dtype="float32")


def bcoo(dense, n_dense=0):
    from jax.experimental import sparse

    return sparse.BCOO.fromdense(np.asarray(dense), n_dense=n_dense)


def is_bcoo(x) -> bool:
    return type(x).__name__ == "BCOO"


def dense_of(x):
    return ops.convert_to_numpy(x)


@pytest.mark.parametrize("name", ["abs", "absolute", "sin", "sqrt", "square", "negative", "sign", "tanh",
                                  "floor", "ceil", "round", "copy", "expm1", "log1p", "arctan", "real"])
def test_zero_preserving_unary_stays_sparse(name):
    x = np.abs(DENSE) if name in ("sqrt", "log1p") else DENSE
    result = getattr(ops, name)(bcoo(x))
    assert is_bcoo(result)
    np.testing.assert_allclose(dense_of(result), getattr(np, name)(x), rtol=1e-6)


@pytest.mark.parametrize("name", ["cos", "exp", "log2", "reciprocal", "isfinite", "arccos"])
def test_other_unary_gives_dense(name):
    x = np.clip(DENSE, -0.9, 0.9) + 1.5 if name in ("log2", "reciprocal") else np.clip(DENSE, -0.9, 0.9)
    result = getattr(ops, name)(bcoo(x))
    assert not is_bcoo(result)
    with np.errstate(divide="ignore"):
        np.testing.assert_allclose(np.asarray(result), getattr(np, name)(x), rtol=1e-6)


def test_unary_on_duplicate_positions_sums_them_first():
    from jax.experimental import sparse

    # Two stored values at (0, 0): the tensor holds 3.0 - 4.0 = -1.0 there, so abs gives 1.0 (not 7.0).
    x = sparse.BCOO((np.array([3.0, -4.0]), np.array([[0, 0], [0, 0]])), shape=(2, 2))
    np.testing.assert_allclose(dense_of(ops.abs(x)), [[1.0, 0.0], [0.0, 0.0]])


OPERANDS = {
    "sparse_dense": (bcoo(DENSE), OTHER),
    "dense_sparse": (DENSE, bcoo(OTHER)),
    "sparse_scalar": (bcoo(DENSE), np.float32(2.0)),
    "scalar_sparse": (2.0, bcoo(OTHER)),
    "sparse_sparse": (bcoo(DENSE), bcoo(OTHER)),
    "slices_slices": (bcoo(DENSE, n_dense=1), bcoo(OTHER, n_dense=1)),
}
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
    x1, x2 = OPERANDS[operands]
    result = getattr(ops, name)(x1, x2)
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = getattr(np, name)(dense_of(x1), dense_of(x2))
    np.testing.assert_allclose(dense_of(result), expected, rtol=1e-6)
    assert is_bcoo(result) == (operands in SPARSE_WHEN[name])


def test_binary_keeps_keras_dtypes():
    ints = bcoo(np.array([[1, 0], [0, 3]], dtype="int32"))
    assert ops.add(ints, ints).dtype == np.int32
    assert ops.multiply(ints, 2).dtype == np.int32
    assert ops.divide(ints, 2).dtype == np.float32


def test_divide_by_dense_zeros_and_nans_reads_nan_and_inf():
    x = bcoo(np.array([[0.0, 2.0, 3.0], [3.0, 0.0, 1.0]], dtype="float32"))
    y = np.array([[np.nan, 0.0, 3.0], [0.0, 0.0, 1.0]], dtype="float32")
    result = ops.divide(x, y)
    assert is_bcoo(result)
    with np.errstate(divide="ignore", invalid="ignore"):
        np.testing.assert_allclose(dense_of(result), dense_of(x) / y)


def test_sparse_operands_broadcast():
    x1, x2 = np.array([[1.0, 0.0, 2.0]]), np.array([[0.0], [3.0]])
    result = ops.add(bcoo(x1), bcoo(x2))
    assert is_bcoo(result)
    np.testing.assert_allclose(dense_of(result), x1 + x2)
    result = ops.multiply(bcoo(x1), x2)
    assert is_bcoo(result)
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
    result = getattr(ops, name)(bcoo(x), **kwargs)
    assert is_bcoo(result)
    np_kwargs = {"shape" if k == "newshape" else k: v for k, v in kwargs.items()}
    np.testing.assert_allclose(dense_of(result), getattr(np, name)(x, **np_kwargs), rtol=1e-6)


def test_sum_and_mean_dtypes():
    ints = bcoo(np.array([[1, 0], [0, 3]], dtype="int8"))
    assert ops.sum(ints).dtype == np.int32
    assert ops.mean(ints, axis=0).dtype == np.float32


def test_concatenate():
    a, b = np.array([[1.0, 0.0], [0.0, 2.0]]), np.array([[0.0, 3.0], [4.0, 0.0]])
    result = ops.concatenate([bcoo(a), bcoo(b)], axis=1)
    assert is_bcoo(result)
    np.testing.assert_allclose(dense_of(result), np.concatenate([a, b], axis=1))
    result = ops.concatenate([bcoo(a), b], axis=0)
    assert not is_bcoo(result)
    np.testing.assert_allclose(np.asarray(result), np.concatenate([a, b], axis=0))


@pytest.mark.parametrize("x_sparse,y_sparse", [(True, False), (False, True), (True, True)])
def test_matmul(x_sparse, y_sparse):
    from jax.experimental import sparse

    rng = np.random.default_rng(0)
    x = (rng.standard_normal((2, 3, 4)) * (rng.random((2, 3, 4)) < 0.6)).astype("float32")
    y = (rng.standard_normal((2, 4, 5)) * (rng.random((2, 4, 5)) < 0.6)).astype("float32")
    operand = lambda a, s: sparse.BCOO.fromdense(a, n_batch=1) if s else a  # noqa: E731
    result = ops.matmul(operand(x, x_sparse), operand(y, y_sparse))
    assert is_bcoo(result) == (x_sparse and y_sparse)
    np.testing.assert_allclose(dense_of(result), x @ y, rtol=1e-5, atol=1e-5)


def test_take_with_sparse_indices():
    from jax.experimental import sparse

    x = np.arange(12.0).reshape(3, 4)
    indices = sparse.BCOO((np.array([-1, 2]), np.array([[0, 0], [1, 2]])), shape=(2, 3))
    np.testing.assert_allclose(ops.take(x, indices, axis=1), np.take(x, dense_of(indices), axis=1))


def test_bincount_sparse():
    from jax.experimental import sparse

    values, weights = np.array([1, 1, 2, 3, 2, 4, 4, 6]), np.array([0, 0, 3, 2, 1, 1, 4, 2])
    result = ops.bincount(values, weights=weights, minlength=3, sparse=True)
    assert is_bcoo(result)
    np.testing.assert_allclose(dense_of(result), np.bincount(values, weights=weights, minlength=3))
    # A sparse input counts its stored values only (not its implicit zeros).
    positions = np.arange(1, 16, 2)[:, None]
    x = sparse.BCOO((values, positions), shape=(16,))
    w = sparse.BCOO((weights, positions), shape=(16,))
    result = ops.bincount(ops.expand_dims(x, 0), weights=ops.expand_dims(w, 0), minlength=3)
    assert is_bcoo(result)
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
    from jax.experimental import sparse

    rng = np.random.default_rng(1)
    x = (rng.standard_normal((2, 4, 5)) * (rng.random((2, 4, 5)) < 0.6)).astype("float32")
    y = (rng.standard_normal((2, 3, 5)) * (rng.random((2, 3, 5)) < 0.6)).astype("float32")
    xs, ys = sparse.BCOO.fromdense(x, n_batch=1), sparse.BCOO.fromdense(y, n_batch=1)
    result = ops.einsum("abz,adz->abd", xs, ys)
    assert is_bcoo(result)
    np.testing.assert_allclose(dense_of(result), np.einsum("abz,adz->abd", x, y), rtol=1e-5, atol=1e-5)
    result = ops.einsum("abz,adz->abd", xs, y)
    assert not is_bcoo(result)
    np.testing.assert_allclose(np.asarray(result), np.einsum("abz,adz->abd", x, y), rtol=1e-5, atol=1e-5)


def test_moveaxis_stays_sparse():
    x = X3.reshape(2, 2, 2, 3)
    result = ops.moveaxis(bcoo(x), [1, 0], [-1, 2])
    assert is_bcoo(result)
    np.testing.assert_allclose(dense_of(result), np.moveaxis(x, [1, 0], [-1, 2]))


def test_broadcast_batches():
    from jax.experimental import sparse

    # One batch of stored values shared by both rows (a BCOO may broadcast its batch axis).
    x = sparse.BCOO((np.array([[1.0, 2.0]]), np.array([[[0], [2]]])), shape=(2, 3))
    y = np.array([[1.0, 2.0, 4.0], [0.5, 0.0, 2.0]])
    for name in ("multiply", "divide", "add"):
        with np.errstate(divide="ignore", invalid="ignore"):
            expected = getattr(np, name)(dense_of(x), y)
        np.testing.assert_allclose(dense_of(getattr(ops, name)(x, y)), expected)


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

    outputs = step(x, bcoo(b), b + 1)
    expected = (a + b, np.maximum(a, b), a * b, a * (b + 1), a / (b + 1), np.abs(a), a.sum(0))
    for output, reference in zip(outputs, expected):
        assert is_bcoo(output)
        np.testing.assert_allclose(dense_of(output), reference, rtol=1e-6)


def test_symbolic_squeeze_keeps_sparse():
    x = KerasTensor((None, 1, 3), sparse=True)
    assert ops.squeeze(x, axis=1).sparse and ops.squeeze(x).sparse
    assert not ops.squeeze(KerasTensor((None, 1, 3)), axis=1).sparse
    assert not ops.matmul(KerasTensor((2, 3), sparse=True), KerasTensor((3, 2))).sparse
