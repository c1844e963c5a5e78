"""ops.linalg against NumPy: values (reconstructions for decompositions), shapes, dtypes, gradients."""

import numpy as np
import pytest

from brickwork import backend, ops
from brickwork.backend import KerasTensor
from tests.gradient_check import check_gradients

BACKEND = backend.backend()
rng = np.random.default_rng(0)


def to_np(x):
    return backend.convert_to_numpy(x)


def dtype_of(x) -> str:
    return backend.standardize_dtype(x.dtype)


def spd(*shape, dtype="float32"):
    """Symmetric positive-definite matrices of shape ``shape`` (last two axes equal)."""
    a = rng.standard_normal(shape)
    return (a @ np.swapaxes(a, -1, -2) + shape[-1] * np.eye(shape[-1])).astype(dtype)


def tol(dtype):
    return {"rtol": 1e-4, "atol": 1e-4} if dtype == "float32" else {"rtol": 1e-10, "atol": 1e-10}


DTYPES = ["float32", "float64"]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("upper", [False, True])
def test_cholesky(dtype, upper):
    x = spd(2, 4, 4, dtype=dtype)
    factor = to_np(ops.cholesky(x, upper=upper))
    assert factor.dtype == dtype and factor.shape == (2, 4, 4)
    triangle = np.triu(factor) if upper else np.tril(factor)
    np.testing.assert_array_equal(factor, triangle)
    rebuilt = np.swapaxes(factor, -1, -2) @ factor if upper else factor @ np.swapaxes(factor, -1, -2)
    np.testing.assert_allclose(rebuilt, x, **tol(dtype))


def test_cholesky_rejects_a_matrix_that_is_not_positive_definite():
    with pytest.raises(ValueError, match="cholesky"):
        ops.cholesky(np.array([[1.0, 2.0], [2.0, 1.0]], "float32"))


@pytest.mark.parametrize("dtype", DTYPES)
def test_det_and_inv(dtype):
    x = rng.standard_normal((3, 4, 4)).astype(dtype) + 2 * np.eye(4, dtype=dtype)
    det, inv = ops.det(x), ops.inv(x)
    assert dtype_of(det) == dtype and tuple(det.shape) == (3,)
    assert dtype_of(inv) == dtype and tuple(inv.shape) == (3, 4, 4)
    np.testing.assert_allclose(to_np(det), np.linalg.det(x.astype("float64")), **tol(dtype))
    np.testing.assert_allclose(to_np(inv) @ x, np.broadcast_to(np.eye(4), x.shape), **tol(dtype))


def test_integer_input_is_computed_in_floatx():
    out = ops.inv(np.array([[2, 0], [0, 4]], "int32"))
    assert dtype_of(out) == "float32"
    np.testing.assert_allclose(to_np(out), [[0.5, 0], [0, 0.25]])


@pytest.mark.parametrize("dtype", DTYPES)
def test_eig_reconstructs(dtype):
    x = rng.standard_normal((2, 3, 3)).astype(dtype)
    values, vectors = ops.eig(x)
    values, vectors = to_np(values), to_np(vectors)
    assert values.shape == (2, 3) and vectors.shape == (2, 3, 3)
    assert values.dtype == np.result_type(dtype, np.complex64)
    np.testing.assert_allclose(x @ vectors, vectors * values[:, None, :], **tol(dtype))
    np.testing.assert_allclose(np.sort_complex(values.ravel()), np.sort_complex(np.linalg.eigvals(x).ravel()),
                               **tol(dtype))


@pytest.mark.parametrize("dtype", DTYPES)
def test_eigh_reconstructs(dtype):
    x = spd(2, 4, 4, dtype=dtype)
    values, vectors = (to_np(v) for v in ops.eigh(x))
    assert values.dtype == dtype and values.shape == (2, 4) and vectors.shape == (2, 4, 4)
    np.testing.assert_allclose(values, np.linalg.eigvalsh(x.astype("float64")), **tol(dtype))
    rebuilt = vectors @ (values[..., None] * np.swapaxes(vectors, -1, -2))
    np.testing.assert_allclose(rebuilt, x, rtol=1e-4, atol=1e-3 if dtype == "float32" else 1e-10)


def _lu_reconstruct(lu, pivots, shape):
    m, n = shape
    k = min(m, n)
    lower = np.tril(lu, -1)[:, :k] + np.eye(m, k)
    upper = np.triu(lu)[:k, :]
    product = lower @ upper
    for i in reversed(range(k)):  # undo the row swaps, last first
        product[[i, pivots[i]]] = product[[pivots[i], i]]
    return product


@pytest.mark.parametrize("shape", [(4, 4), (5, 3), (3, 5)])
def test_lu_factor_reconstructs_with_partial_pivoting(shape):
    x = rng.standard_normal((2,) + shape)
    lu, pivots = ops.lu_factor(x)
    lu, pivots = to_np(lu), to_np(pivots)
    assert lu.shape == x.shape and pivots.shape == (2, min(shape)) and pivots.dtype == np.int32
    for b in range(2):
        np.testing.assert_allclose(_lu_reconstruct(lu[b], pivots[b], shape), x[b], atol=1e-10)
        # Partial pivoting: every multiplier in L is at most 1 in size.
        assert np.all(np.abs(np.tril(lu[b], -1)) <= 1 + 1e-12)


NORMS = [
    # (ord, axis, keepdims, input shape)
    (None, None, False, (3, 4)),
    (None, None, True, (2, 3, 4)),
    (None, -1, False, (3, 4)),
    (1, 0, False, (3, 4)),
    (3, 1, True, (3, 4)),
    (np.inf, -1, False, (3, 4)),
    (-np.inf, -1, False, (3, 4)),
    (0, -1, False, (3, 4)),
    ("fro", (0, 1), False, (3, 4)),
    ("nuc", (-2, -1), False, (2, 3, 4)),
    (1, (0, 1), False, (3, 4)),
    (-1, (0, 1), False, (3, 4)),
    (2, (1, 2), True, (2, 3, 4)),
    (-2, None, False, (3, 4)),
    (np.inf, None, False, (3, 4)),
    (None, [0, 1], False, (3, 4)),
]


@pytest.mark.parametrize("case", range(len(NORMS)))
def test_norm_matches_numpy(case):
    ord, axis, keepdims, shape = NORMS[case]
    x = rng.standard_normal(shape).astype("float32")
    x[0, 0] = 0.0
    out = ops.norm(x, ord=ord, axis=axis, keepdims=keepdims)
    np_axis = tuple(axis) if isinstance(axis, list) else axis
    expected = np.linalg.norm(x.astype("float64"), ord=ord, axis=np_axis, keepdims=keepdims)
    assert dtype_of(out) == "float32" and tuple(out.shape) == np.shape(expected)
    np.testing.assert_allclose(to_np(out), expected, rtol=1e-5, atol=1e-5)


def test_norm_of_integers_is_floatx():
    out = ops.norm(np.array([3, 4], "int32"))
    assert dtype_of(out) == "float32"
    np.testing.assert_allclose(to_np(out), 5.0)


@pytest.mark.parametrize("shape", [(5, 3), (3, 5), (2, 4, 4)])
@pytest.mark.parametrize("mode", ["reduced", "complete"])
def test_qr_reconstructs(shape, mode):
    x = rng.standard_normal(shape).astype("float32")
    q, r = (to_np(v) for v in ops.qr(x, mode=mode))
    m, n = shape[-2:]
    k = min(m, n) if mode == "reduced" else m
    assert q.shape == shape[:-2] + (m, k) and r.shape == shape[:-2] + (k, n) and q.dtype == np.float32
    np.testing.assert_allclose(q @ r, x, atol=1e-5)
    np.testing.assert_allclose(np.swapaxes(q, -1, -2) @ q, np.broadcast_to(np.eye(k), q.shape[:-2] + (k, k)), atol=1e-5)
    np.testing.assert_array_equal(r, np.triu(r))


def test_qr_rejects_an_unknown_mode_naming_the_op():
    with pytest.raises(ValueError, match="qr"):
        ops.qr(np.eye(3), mode="raw")


@pytest.mark.parametrize("batch, b_shape", [((), (4,)), ((), (4, 2)), ((3,), (3, 4)), ((3,), (3, 4, 2))])
def test_solve(batch, b_shape):
    a = rng.standard_normal(batch + (4, 4)) + 3 * np.eye(4)
    b = rng.standard_normal(b_shape)
    x = to_np(ops.solve(a, b))
    assert x.shape == b.shape
    rebuilt = (a @ x[..., None])[..., 0] if b.ndim == a.ndim - 1 else a @ x
    np.testing.assert_allclose(rebuilt, b, atol=1e-10)


@pytest.mark.parametrize("lower", [True, False])
@pytest.mark.parametrize("b_shape", [(4,), (4, 3), (2, 4)])
def test_solve_triangular_reads_only_its_triangle(lower, b_shape):
    batch = (2,) if b_shape == (2, 4) else ()
    a = rng.standard_normal(batch + (4, 4)) + 4 * np.eye(4)
    b = rng.standard_normal(b_shape)
    x = to_np(ops.solve_triangular(a, b, lower=lower))
    triangle = np.tril(a) if lower else np.triu(a)
    assert x.shape == b.shape
    expected = np.linalg.solve(triangle, b[..., None])[..., 0] if b.ndim == a.ndim - 1 else np.linalg.solve(triangle, b)
    np.testing.assert_allclose(x, expected, atol=1e-10)


@pytest.mark.parametrize("shape", [(5, 3), (3, 5), (2, 4, 4)])
@pytest.mark.parametrize("full_matrices", [True, False])
def test_svd_reconstructs(shape, full_matrices):
    x = rng.standard_normal(shape).astype("float32")
    u, s, vh = (to_np(v) for v in ops.svd(x, full_matrices=full_matrices))
    m, n = shape[-2:]
    k = min(m, n)
    assert s.shape == shape[:-2] + (k,) and s.dtype == np.float32
    assert u.shape == shape[:-2] + ((m, m) if full_matrices else (m, k))
    assert vh.shape == shape[:-2] + ((n, n) if full_matrices else (k, n))
    np.testing.assert_allclose((u[..., :, :k] * s[..., None, :]) @ vh[..., :k, :], x, atol=1e-5)
    np.testing.assert_allclose(s, np.linalg.svd(x.astype("float64"), compute_uv=False), atol=1e-5)
    only_s = to_np(ops.svd(x, compute_uv=False))
    np.testing.assert_allclose(only_s, s, atol=1e-5)


@pytest.mark.parametrize("a_shape, b_shape", [((6, 3), (6,)), ((6, 3), (6, 2)), ((3, 5), (3,))])
def test_lstsq_matches_numpy(a_shape, b_shape):
    a = rng.standard_normal(a_shape)
    b = rng.standard_normal(b_shape)
    out = ops.lstsq(a, b)
    np.testing.assert_allclose(to_np(out), np.linalg.lstsq(a, b, rcond=None)[0], atol=1e-10)


def test_lstsq_rank_deficient_gives_the_minimum_norm_solution():
    a = np.array([[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]])
    b = np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(to_np(ops.lstsq(a, b)), [0.5, 0.5], atol=1e-10)


# ---- symbolic shape and dtype inference (batched, None dims) ----

def kt(shape, dtype="float32"):
    return KerasTensor(shape, dtype)


SYMBOLIC = [
    (lambda: ops.cholesky(kt((None, 3, 3))), [(None, 3, 3)], ["float32"]),
    (lambda: ops.det(kt((None, 3, 3))), [(None,)], ["float32"]),
    (lambda: ops.eig(kt((None, 3, 3))), [(None, 3), (None, 3, 3)], ["complex64", "complex64"]),
    (lambda: ops.eigh(kt((None, 3, 3), "float64")), [(None, 3), (None, 3, 3)], ["float64", "float64"]),
    (lambda: ops.inv(kt((None, 3, 3))), [(None, 3, 3)], ["float32"]),
    (lambda: ops.inv(kt((None, 3, 3), "int32")), [(None, 3, 3)], ["float32"]),
    (lambda: ops.lu_factor(kt((None, 4, 3))), [(None, 4, 3), (None, 3)], ["float32", "int32"]),
    (lambda: ops.norm(kt((None, 3, 3))), [()], ["float32"]),
    (lambda: ops.norm(kt((None, 3, 4)), axis=-1, keepdims=True), [(None, 3, 1)], ["float32"]),
    (lambda: ops.norm(kt((None, 3, 4)), ord="fro", axis=(1, 2)), [(None,)], ["float32"]),
    (lambda: ops.qr(kt((None, 4, 3))), [(None, 4, 3), (None, 3, 3)], ["float32", "float32"]),
    (lambda: ops.qr(kt((None, 4, 3)), mode="complete"), [(None, 4, 4), (None, 4, 3)], ["float32", "float32"]),
    (lambda: ops.solve(kt((None, 3, 3)), kt((None, 3))), [(None, 3)], ["float32"]),
    (lambda: ops.solve(kt((None, 3, 3)), kt((None, 3, 2))), [(None, 3, 2)], ["float32"]),
    (lambda: ops.solve_triangular(kt((None, 3, 3)), kt((None, 3, 2))), [(None, 3, 2)], ["float32"]),
    (lambda: ops.svd(kt((None, 4, 3))), [(None, 4, 4), (None, 3), (None, 3, 3)], ["float32"] * 3),
    (lambda: ops.svd(kt((None, 4, 3)), full_matrices=False), [(None, 4, 3), (None, 3), (None, 3, 3)],
     ["float32"] * 3),
    (lambda: ops.svd(kt((None, 4, 3)), compute_uv=False), [(None, 3)], ["float32"]),
    (lambda: ops.lstsq(kt((6, 3)), kt((6, 2))), [(3, 2)], ["float32"]),
]


@pytest.mark.parametrize("case", range(len(SYMBOLIC)))
def test_symbolic_shapes_and_dtypes(case):
    call, shapes, dtypes = SYMBOLIC[case]
    out = call()
    outs = list(out) if isinstance(out, (tuple, list)) else [out]
    assert all(isinstance(o, KerasTensor) for o in outs)
    assert [o.shape for o in outs] == shapes
    assert [o.dtype for o in outs] == dtypes


# ---- bad input names the op ----

BAD = [
    ("inv", lambda x: ops.inv(x), (2, 3)),
    ("det", lambda x: ops.det(x), (2, 3)),
    ("cholesky", lambda x: ops.cholesky(x), (2, 3)),
    ("solve", lambda x: ops.solve(x, np.ones(2)), (2, 3)),
]


@pytest.mark.parametrize("name, call, shape", BAD, ids=[b[0] for b in BAD])
@pytest.mark.parametrize("symbolic", [False, True])
def test_bad_input_names_the_op(name, call, shape, symbolic):
    x = KerasTensor(shape) if symbolic else np.ones(shape, "float32")
    with pytest.raises(ValueError, match=name):
        call(x)


# ---- gradients (finite differences, torch and jax) ----

def _sym(x):
    return x @ x.T + 3.0 * _eye(x)


def _eye(x):
    return backend.convert_to_tensor(np.eye(x.shape[-1]))


GRADIENTS = {
    "det": (lambda x: ops.det(x), [(3, 3)]),
    "inv": (lambda x: ops.inv(x + 3.0 * _eye(x)), [(3, 3)]),
    "solve": (lambda a, b: ops.solve(a + 3.0 * _eye(a), b), [(3, 3), (3, 2)]),
    "solve_triangular": (lambda a, b: ops.solve_triangular(a + 3.0 * _eye(a), b, lower=True), [(3, 3), (3,)]),
    "cholesky": (lambda x: ops.cholesky(_sym(x)), [(3, 3)]),
    "norm_vector": (lambda x: ops.norm(x, axis=-1), [(2, 3)]),
    "norm_fro": (lambda x: ops.norm(x, ord="fro", axis=(0, 1)), [(2, 3)]),
    "norm_3": (lambda x: ops.norm(x, ord=3, axis=0), [(2, 3)]),
    "eigh_values": (lambda x: ops.eigh(_sym(x))[0], [(3, 3)]),
    "svd_values": (lambda x: ops.svd(x, compute_uv=False), [(3, 2)]),
    "qr_r": (lambda x: ops.qr(x)[1], [(3, 3)]),
    "lstsq": (lambda a, b: ops.lstsq(a, b), [(4, 2), (4,)]),
}


@pytest.mark.skipif(BACKEND == "numpy", reason="the numpy backend computes no gradients")
@pytest.mark.parametrize("name", sorted(GRADIENTS))
def test_gradients_match_finite_differences(name):
    fn, shapes = GRADIENTS[name]
    inputs = [rng.standard_normal(shape) for shape in shapes]
    check_gradients(fn, inputs, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("dtype", DTYPES)
def test_pinv_matches_numpy(dtype):
    x = rng.standard_normal((2, 5, 3)).astype(dtype)
    np.testing.assert_allclose(to_np(ops.pinv(x)), np.linalg.pinv(x), **tol(dtype))
    assert dtype_of(ops.pinv(x)) == dtype
    assert ops.pinv(KerasTensor((None, 4, 3))).shape == (None, 3, 4)
    with pytest.raises(ValueError, match="rank >= 2"):
        ops.pinv(np.ones(3, "float32"))


def test_matrix_rank_matches_numpy():
    x = rng.standard_normal((3, 4, 2)) @ rng.standard_normal((3, 2, 5))  # rank 2
    x = np.concatenate([x, np.eye(4, 5)[None]]).astype("float32")
    got = ops.matrix_rank(x)
    assert to_np(got).tolist() == np.linalg.matrix_rank(x).tolist() == [2, 2, 2, 4]
    assert dtype_of(got) == "int32"
    assert to_np(ops.matrix_rank(x, tol=0.5)).tolist() == np.linalg.matrix_rank(x, tol=0.5).tolist()


@pytest.mark.parametrize("upper", [False, True])
def test_cholesky_inverse(upper):
    a = spd(2, 4, 4, dtype="float64")
    factor = np.linalg.cholesky(a)
    factor = np.swapaxes(factor, -1, -2) if upper else factor
    np.testing.assert_allclose(to_np(ops.cholesky_inverse(factor, upper=upper)), np.linalg.inv(a), rtol=1e-9)


def test_symbolic_cholesky_inverse_needs_known_square_matrices():
    """Keras's symbolic rule: the last two sizes must be known and equal."""
    assert ops.cholesky_inverse(KerasTensor((None, 20, 20))).shape == (None, 20, 20)
    for shape in [(None, None, 20), (None, 20, 15)]:
        with pytest.raises(ValueError, match="square"):
            ops.cholesky_inverse(KerasTensor(shape))


@pytest.mark.parametrize(("ord", "axis"), [(None, None), (1, None), (-np.inf, 0), (3, -1), (0, 0), ("fro", None), ("nuc", (0, 1))])
def test_norm_orders_match_numpy(ord, axis):
    x = rng.standard_normal(5).astype("float32") if axis in (None, 0, -1) and ord not in ("fro", "nuc") else (
        rng.standard_normal((4, 5)).astype("float32"))
    np.testing.assert_allclose(to_np(ops.norm(x, ord=ord, axis=axis)), np.linalg.norm(x, ord=ord, axis=axis), rtol=1e-5)


@pytest.mark.parametrize(("shape", "ord", "axis"), [((5,), "fro", None), ((5,), "nuc", -1), ((4, 5), 0, None),
                                                    ((4, 5), 3, (0, 1)), ((5,), 1, (0, 1))])
def test_norm_rejects_orders_without_a_norm(shape, ord, axis):
    with pytest.raises(ValueError):
        ops.norm(np.ones(shape, "float32"), ord=ord, axis=axis)


# ---- jvp ----


@pytest.mark.skipif(backend.backend() == "numpy", reason="the numpy backend has no automatic differentiation")
def test_jvp_against_analytic_derivatives():
    x = np.array([0.1, 0.5, -1.2], "float32")
    tangent = np.array([0.2, -1.0, 0.5], "float32")
    out, jvp = ops.jvp(ops.sin, (x,), (tangent,))
    np.testing.assert_allclose(backend.convert_to_numpy(out), np.sin(x), rtol=1e-6)
    np.testing.assert_allclose(backend.convert_to_numpy(jvp), np.cos(x) * tangent, rtol=1e-6)

    def product(a, b):
        return a * b, {"sum": ops.sum(a)}

    out, jvp, aux = ops.jvp(product, (x, 2 * x), (tangent, tangent), has_aux=True)
    np.testing.assert_allclose(backend.convert_to_numpy(jvp), tangent * 2 * x + x * tangent, rtol=1e-6)
    assert float(backend.convert_to_numpy(aux["sum"])) == pytest.approx(float(x.sum()), rel=1e-6)


def test_jvp_symbolic_and_numpy():
    out, jvp = ops.jvp(ops.sin, (KerasTensor((3,)),), (KerasTensor((3,)),))
    assert out.shape == (3,) and jvp.shape == (3,)
    if backend.backend() == "numpy":
        with pytest.raises(NotImplementedError):
            ops.jvp(ops.sin, (np.ones(3, "float32"),), (np.ones(3, "float32"),))


def test_an_axis_out_of_range_names_itself_and_keeps_the_engines_class():
    """NumPy's AxisError wording on every engine; where the engine raised a RuntimeError (torch's matrix
    norms), the error is that too, as Keras's torch backend lets it through."""
    import numpy as np

    from brickwork import backend, ops

    with pytest.raises(ValueError, match="axis 1 is out of bounds for array of dimension 1") as caught:
        ops.norm(np.ones(5, "float32"), ord=-1, axis=(0, 1))
    assert isinstance(caught.value, np.exceptions.AxisError)
    if backend.backend() == "torch":
        assert isinstance(caught.value, RuntimeError)


@pytest.mark.skipif(BACKEND == "torch", reason="torch.linalg.lu_factor refuses a singular matrix, as Keras on torch")
def test_lu_factor_of_a_matrix_with_a_zero_column():
    """A column with no pivot is left as it is (LAPACK's rule), and the factors still rebuild the matrix."""
    x = np.array([[0.0, 1.0, 2.0], [0.0, 3.0, 4.0], [0.0, 5.0, 7.0]])
    lu, pivots = (to_np(v) for v in ops.lu_factor(x))
    assert np.all(np.isfinite(lu))
    np.testing.assert_allclose(_lu_reconstruct(lu, pivots, x.shape), x, atol=1e-10)
