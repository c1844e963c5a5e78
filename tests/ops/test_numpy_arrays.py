"""One sweep over every op of brickwork/ops/numpy_arrays.py, against NumPy on the active backend.

Each ``Case`` runs the op and its NumPy reference and checks values, shape and dtype; the same
cases check symbolic shape/dtype inference (all dims known, then with ``None`` dims) and, where
marked ``grad``, finite-difference gradients on torch and jax.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pytest

from brickwork import backend, ops
from brickwork.backend import KerasTensor
from tests.conftest import requires_training
from tests.gradient_check import check_gradients

rng = np.random.default_rng(0)


def f32(*shape):
    return rng.standard_normal(shape).astype("float32")


def i32(*values):
    return np.array(values, dtype="int32")


A34, A23, A45, A234, A342 = f32(3, 4), f32(2, 3), f32(4, 5), f32(2, 3, 4), f32(3, 4, 2)
V3, V4 = f32(3), f32(4)
SORTED = np.sort(f32(6))
MASK = A34 > 0


@dataclass
class Case:
    op: str
    args: tuple
    kwargs: dict = field(default_factory=dict)
    ref: Callable | None = None  # NumPy reference; default np.<op>(*args, **kwargs)
    dtype: str | None = None  # Keras's result dtype where it differs from NumPy's
    grad: bool = False  # check gradients w.r.t. every float input
    none: dict | bool | None = None  # input index -> axes made None; default: axis 0 where it matches
    exact: bool = True  # the symbolic shape equals the concrete one when all dims are known
    post: Callable | None = None  # applied to result and reference before comparing

    def reference(self):
        fn = self.ref or getattr(np, self.op)
        return fn(*self.args, **self.kwargs)

    def __repr__(self):
        return self.op


def _argpartition_view(x, kth, axis=-1):
    def view(indices):
        values = np.moveaxis(np.take_along_axis(x, np.asarray(indices), axis), axis, -1)
        return np.concatenate([np.sort(values[..., :kth], -1), values[..., kth:kth + 1],
                               np.sort(values[..., kth + 1:], -1)], -1)

    return view


def _shape_only(result):
    return np.asarray(np.shape(result))


CASES = [
    # shape
    Case("reshape", (np.arange(24, dtype="float32").reshape(4, 6), (-1, 3)), grad=True),
    Case("reshape", (A34, -1)),
    Case("transpose", (A234,), grad=True),
    Case("transpose", (A234, (1, 0, 2))),
    Case("expand_dims", (A23, 1), grad=True),
    Case("expand_dims", (A23, (0, -1))),
    Case("squeeze", (f32(1, 3, 1),), none={0: (1,)}, grad=True),
    Case("squeeze", (f32(2, 1, 3), 1)),
    Case("ravel", (A23,)),
    Case("broadcast_to", (f32(1, 3), (2, 3)), none=False, grad=True),
    Case("moveaxis", (A234, 0, -1), grad=True),
    Case("moveaxis", (A234, (0, 1), (2, 0))),
    Case("swapaxes", (A234, 0, 2)),
    Case("ndim", (A234,)),
    Case("size", (A234,)),
    # joining and splitting
    Case("concatenate", ([A23, f32(1, 3)],), grad=True),
    Case("concatenate", ([A23, f32(2, 2)],), {"axis": 1}, none={}),
    Case("concatenate", ([i32(1, 2), np.ones(2, "float32")],), dtype="float32"),
    Case("concatenate", ([A23, A34],), {"axis": None}),
    Case("stack", ([A23, A23],), {"axis": 1}, grad=True),
    Case("stack", ([np.ones(2, "uint8"), np.ones(2, "int8")],), dtype="int16"),
    Case("hstack", ([A23, f32(2, 1)],), grad=True),
    Case("vstack", ([V3, A23],), none={}),
    Case("append", (A23, V3)),
    Case("append", (A23, A23), {"axis": 0}, grad=True),
    Case("split", (f32(2, 4), 2), {"axis": 1}),
    Case("split", (f32(2, 4), [1, 3]), {"axis": 1}),
    Case("split", (f32(6, 2), [2, 5]), none={0: (0,)}, exact=True),
    Case("array_split", (f32(7, 2), 3)),
    Case("hsplit", (f32(2, 4), 2)),
    Case("vsplit", (f32(4, 2), [1])),
    # indexing
    Case("get_item", (A234, (slice(1, None), None, Ellipsis, slice(None, None, 2))), ref=lambda x, k: x[k],
         grad=True, none={0: (1,)}),
    Case("get_item", (A34, 1), ref=lambda x, k: x[k], none={0: (1,)}),
    Case("get_item", (A34, i32(2, 0, 2)), ref=lambda x, k: x[k], grad=True),
    Case("get_item", (A34, (slice(None), [0, -1])), ref=lambda x, k: x[k]),
    Case("get_item", (A34, MASK), ref=lambda x, k: x[k], none=False),
    Case("take", (A34, i32(-1, 0, 2)), {"axis": 1}, grad=True),
    Case("take", (A34, np.array([[0, -2], [3, 1]], "int32")), grad=True, none={}),
    Case("take", (A234, i32(1, -1)), {"axis": -1}),
    # axis 0 of a matrix is a table lookup (torch's embedding kernel), negative indices counted from the end
    Case("take", (A34, np.array([[0, 2], [1, 1]], "int32")), {"axis": 0}, grad=True),
    Case("take", (A34, np.array([[0, -1], [2, -3]], "int64")), {"axis": 0}, grad=True),
    Case("take_along_axis", (A34, np.argsort(A34, axis=1)), {"axis": 1}, grad=True),
    Case("take_along_axis", (A34, np.array([[-1], [0], [2]], "int64")), {"axis": 1}),
    Case("where", (MASK, A34, -A34), grad=True),
    Case("where", (MASK, np.arange(12, dtype="int32").reshape(3, 4), 1.5), dtype="float32"),
    Case("where", (MASK,), dtype="int32", exact=False),
    Case("select", ([A34 > 0.5, A34 < -0.5], [A34, 2 * A34]), {"default": -1.0}, grad=True, none={}),
    Case("nonzero", (MASK,), dtype="int32", exact=False),
    Case("unravel_index", (i32(1, 5, 7), (2, 4)), dtype="int32"),
    # rearranging
    Case("pad", (A23, ((1, 2), (0, 1))), grad=True),
    Case("pad", (A23, 1), {"constant_values": 1.5}),
    Case("pad", (A234, ((0, 0), (1, 2), (2, 1))), {"mode": "reflect"}, grad=True),
    Case("pad", (A234, (1, 2)), {"mode": "symmetric"}, grad=True),
    Case("pad", (V3, ((5, 4),)), {"mode": "reflect"}, none={}),
    Case("pad", (V3, ((5, 7),)), {"mode": "symmetric"}, none={}),
    Case("pad", (A23, 2), {"mode": "edge"}),
    Case("pad", (A23, ((1, 4), (2, 0))), {"mode": "wrap"}),
    Case("tile", (A23, (2, 1, 2)), grad=True),
    Case("tile", (V3, 2)),
    Case("repeat", (A23, 2), {"axis": 1}, grad=True),
    Case("repeat", (A23, [1, 3]), {"axis": 0}, none={0: (1,)}),
    Case("repeat", (A23, 2)),
    Case("flip", (A234,), grad=True),
    Case("flip", (A234, (0, 2))),
    Case("roll", (A34, 2)),
    Case("roll", (A34, (1, -1), (0, 1)), grad=True),
    Case("rot90", (A34,), grad=True, none={0: (1,)}),
    Case("rot90", (A234, 3, (1, 2))),
    # sorting and searching
    Case("sort", (A34,), grad=True),
    Case("sort", (A34, 0)),
    Case("sort", (A34, None)),
    Case("argsort", (A34,), dtype="int32"),
    Case("argsort", (A34, 0), dtype="int32"),
    Case("argsort", (A34, None), dtype="int32"),
    Case("argsort", (np.array([3, 1, 3, 0, 1], "int32"),), ref=lambda x: np.argsort(x, kind="stable"), dtype="int32"),
    Case("unique", (np.array([3, 1, 2, 1, 4, 2], "int32"),),
         {"return_index": True, "return_inverse": True, "return_counts": True}, dtype="int32", exact=False),
    Case("view", (np.arange(16, dtype="int16").reshape(2, 8), "int32"), ref=lambda x, dtype: x.view(dtype)),
    Case("argpartition", (A34, 2), dtype="int32", post=_argpartition_view(A34, 2)),
    Case("argpartition", (A34.T, 1, 0), dtype="int32", post=_argpartition_view(A34.T, 1, 0), none={0: (1,)}),
    Case("searchsorted", (SORTED, A23), dtype="int32", none={1: (0,)}),
    Case("searchsorted", (SORTED, A23), {"side": "right"}, dtype="int32", none={1: (1,)}),
    Case("searchsorted", (np.array([1, 2, 2, 3], "int32"), i32(2, 0, 4)), {"side": "right"}, dtype="int32"),
    Case("digitize", (A34, np.array([-1.0, 0.0, 1.0], "float32")), dtype="int32"),
    Case("histogram", (f32(20), 5), dtype="float32", exact=True),
    Case("histogram", (f32(20),), {"range": (-1.0, 1.0)}, dtype="float32"),
    # products
    Case("matmul", (A34, A45), grad=True),
    Case("matmul", (A234, A45), grad=True),
    Case("matmul", (V3, A34), none={1: (1,)}),
    Case("matmul", (np.ones((2, 3), "int8"), np.ones((3, 2), "int8")), dtype="int32"),
    Case("matmul", (np.ones((2, 3), "int32"), A34), dtype="float32"),
    Case("dot", (V3, V3), grad=True, none={}),
    Case("dot", (A34, A45), grad=True),
    Case("dot", (A234, A342), grad=True),
    Case("dot", (A34, 2.0), dtype="float32"),
    Case("tensordot", (A234, f32(4, 2), 1), grad=True),
    Case("tensordot", (A234, A342), {"axes": ((1, 2), (0, 1))}, grad=True),
    Case("einsum", ("ij,jk->ik", A34, A45), grad=True, none={1: (0,)}),
    Case("einsum", ("bij,bjk->bik", A234, f32(2, 4, 2)), grad=True, none={1: (0,), 2: (0,)}),
    Case("einsum", ("ii->i", f32(3, 3)), none={}),
    Case("einsum", ("ij,j->i", np.ones((2, 3), "int8"), np.ones(3, "int8")), dtype="int32", none={1: (0,)}),
    Case("inner", (A23, f32(4, 3)), grad=True),
    Case("outer", (V3, A23), grad=True),
    Case("vdot", (A23, f32(3, 2)), grad=True, none={}),
    Case("kron", (f32(2, 2), A23), grad=True),
    Case("cross", (A23, f32(2, 3)), grad=True),
    Case("cross", (A34.T, f32(4, 3)), {"axis": -1}, none={0: (0,), 1: (0,)}),
    Case("correlate", (f32(6), f32(3)), grad=True, none={}),
    Case("correlate", (f32(6), f32(3)), {"mode": "same"}, none={}),
    Case("correlate", (f32(3), f32(5)), {"mode": "full"}, none={}),
    Case("correlate", (i32(1, 2, 3), i32(1, 1)), dtype="float32", none={}),
    # diagonals and triangles
    Case("diag", (V3, 1), grad=True, none={}),
    Case("diag", (A34, -1), grad=True),
    Case("diagflat", (f32(2, 2), 1), none={}),
    Case("diagonal", (A234, 1, 1, 2), grad=True),
    Case("trace", (A34,), grad=True),
    Case("trace", (A234, 1, 1, 2)),
    Case("trace", (np.ones((3, 3), "int8"),), dtype="int32"),
    Case("trace", (np.ones((3, 3), bool),), dtype="int32"),
    Case("diff", (A34,), grad=True),
    Case("diff", (A34, 2, 0), none={0: (1,)}),
    Case("triu", (A234, 1), grad=True),
    Case("tril", (A234, -1), grad=True),
    Case("tril", (A34,)),
    # creation
    Case("zeros", ((2, 3),), dtype="float32", none=False),
    Case("zeros", (3, "int32"), none=False),
    Case("ones", ((2, 3),), dtype="float32", none=False),
    Case("empty", ((2, 3),), dtype="float32", none=False, post=_shape_only),
    Case("full", ((2, 3), 7), dtype="float32", none=False),
    Case("full", ((2, 2), 1, "int32"), none=False),
    Case("full", ((2, 3), V3), none={}),
    Case("zeros_like", (np.ones((2, 3), "int32"),)),
    Case("ones_like", (A23, "float64")),
    Case("empty_like", (A23,), post=_shape_only),
    Case("full_like", (np.ones((2, 3), "int32"), 2.7)),
    Case("full_like", (A23, 3, "int32")),
    Case("array", ([1, 2],), dtype="int32", none=False),
    Case("array", ([1.0, 2.0],), dtype="float32", none=False),
    Case("copy", (A23,)),
    Case("eye", (3,), dtype="float32", none=False),
    Case("eye", (3, 4, 1), dtype="float32", none=False),
    Case("eye", (3, 2, -1, "int32"), none=False),
    Case("identity", (3,), dtype="float32", none=False),
    Case("tri", (3, 4, 1), dtype="float32", none=False),
    Case("tri", (3,), dtype="float32", none=False),
    Case("arange", (5,), dtype="int32", none=False),
    Case("arange", (1, 7, 2), dtype="int32", none=False),
    Case("arange", (10, 0, -3), dtype="int32", none=False),
    Case("arange", (0, 1, 0.25), dtype="float32", none=False),
    Case("arange", (5,), {"dtype": "float64"}, none=False),
    Case("linspace", (0, 1, 5), dtype="float32", none=False),
    Case("linspace", (0, 10, 4), {"endpoint": False}, dtype="float32", none=False),
    Case("linspace", (0, 1, 5), {"retstep": True}, dtype="float32", none=False),
    Case("linspace", (np.array([0.0, 1.0], "float32"), np.array([1.0, 3.0], "float32"), 3), {"axis": 1},
         none=False),
    Case("linspace", (0, 10, 4), {"dtype": "int32"}, none=False),
    Case("logspace", (0, 2, 3), dtype="float32", none=False),
    Case("logspace", (0, 3, 4), {"base": 2, "endpoint": False}, dtype="float32", none=False),
    Case("meshgrid", (V3, f32(2))),
    Case("meshgrid", (V3, f32(2)), {"indexing": "ij"}),
]


# ---- helpers ----


def _flat(result) -> list:
    return [r for item in result for r in _flat(item)] if isinstance(result, (list, tuple)) else [result]


def _numpy(value):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return np.asarray(value)
    return backend.convert_to_numpy(value)


def _is_tensor_arg(value) -> bool:
    return isinstance(value, np.ndarray)


def _symbolic_args(case: Case, with_none: bool):
    """The case's arguments with every array as a ``KerasTensor`` (``None`` dims per ``case.none``)."""
    none = case.none if with_none else {}
    if none is None:  # axis 0 of every array whose first dim matches the first array's
        arrays = [v for v in case.args if _is_tensor_arg(v) and v.ndim]
        first = arrays[0].shape[0] if arrays else None
        none = {i: (0,) for i, v in enumerate(case.args) if _is_tensor_arg(v) and v.ndim and v.shape[0] == first}
        none.update({i: (0,) for i, v in enumerate(case.args)
                     if isinstance(v, list) and v and _is_tensor_arg(v[0]) and v[0].ndim})

    def symbolic(value, axes):
        shape = tuple(None if d in axes else n for d, n in enumerate(value.shape))
        return KerasTensor(shape, dtype=str(value.dtype))

    args = []
    for index, value in enumerate(case.args):
        axes = none.get(index, ())
        if _is_tensor_arg(value):
            value = symbolic(value, axes)
        elif isinstance(value, list) and value and all(_is_tensor_arg(v) for v in value):
            value = [symbolic(v, axes) for v in value]
        args.append(value)
    return args


def _check_against(result, case: Case):
    expected = case.reference()
    results, references = _flat(result), _flat(expected)
    assert len(results) == len(references), f"{case.op}: {len(results)} outputs, expected {len(references)}"
    for got, want in zip(results, references):
        if isinstance(want, int) and not isinstance(want, (bool, np.integer)) and np.ndim(want) == 0 \
                and case.op in ("ndim", "size"):
            assert got == want
            continue
        got_np, want_np = _numpy(got), np.asarray(want)
        if case.post is not None:
            got_np, want_np = case.post(got_np), case.post(want_np)
        else:
            assert backend.standardize_dtype(got.dtype) == (case.dtype or backend.standardize_dtype(want_np.dtype))
        assert got_np.shape == want_np.shape
        tol = 1e-5 if got_np.dtype != np.float16 else 1e-3
        np.testing.assert_allclose(got_np.astype("float64"), want_np.astype("float64"), rtol=tol, atol=tol)


def _ids(cases):
    return [f"{c.op}-{i}" for i, c in enumerate(cases)]


# ---- the sweep ----


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_values_shape_dtype(case):
    result = getattr(ops, case.op)(*case.args, **case.kwargs)
    _check_against(result, case)


SYMBOLIC = [c for c in CASES if c.none is not False]


@pytest.mark.parametrize("case", SYMBOLIC, ids=_ids(SYMBOLIC))
def test_symbolic_shape_dtype(case):
    op = getattr(ops, case.op)
    concrete = _flat(op(*case.args, **case.kwargs))
    for with_none in (False, True):
        symbolic = _flat(op(*_symbolic_args(case, with_none), **case.kwargs))
        assert len(symbolic) == len(concrete)
        for sym, real in zip(symbolic, concrete):
            if isinstance(real, int):  # ndim / size
                if case.op == "size":  # a symbolic scalar, as Keras gives, whether the shape is known or not
                    assert isinstance(sym, KerasTensor) and (sym.shape, sym.dtype) == ((), "int32")
                else:
                    assert isinstance(sym, int) and sym == real
                continue
            assert isinstance(sym, KerasTensor)
            assert sym.dtype == backend.standardize_dtype(real.dtype)
            shape = tuple(real.shape)
            if case.exact and not with_none:
                assert sym.shape == shape, f"{case.op}: symbolic {sym.shape}, concrete {shape}"
            else:
                assert len(sym.shape) == len(shape)
                assert all(s is None or s == n for s, n in zip(sym.shape, shape)), (sym.shape, shape)
        if not case.none:
            break


GRADIENT = [c for c in CASES if c.grad]


@requires_training
@pytest.mark.parametrize("case", GRADIENT, ids=_ids(GRADIENT))
def test_gradients(case):
    # Differentiate with respect to every float array, top-level or inside a list argument.
    slots = []
    for i, value in enumerate(case.args):
        if _is_tensor_arg(value) and value.dtype.kind == "f":
            slots.append((i, None))
        elif isinstance(value, list):
            slots += [(i, j) for j, v in enumerate(value) if _is_tensor_arg(v) and v.dtype.kind == "f"]

    def fn(*tensors):
        args = [list(a) if isinstance(a, list) else a for a in case.args]
        for (i, j), tensor in zip(slots, tensors):
            if j is None:
                args[i] = tensor
            else:
                args[i][j] = tensor
        return getattr(ops, case.op)(*args, **case.kwargs)

    inputs = [case.args[i] if j is None else case.args[i][j] for i, j in slots]
    check_gradients(fn, inputs, rtol=1e-5, atol=1e-6)


def test_every_op_is_swept():
    from brickwork.ops import numpy_arrays

    public = {n for n, v in vars(numpy_arrays).items() if callable(v) and hasattr(v, "__wrapped_impl__")}
    assert public - {c.op for c in CASES} == set()


# ---- bad inputs: the error names the op and what it received ----

BAD = [
    ("matmul", lambda: ops.matmul(f32(2, 3), f32(4, 5)), ["(2, 3)", "(4, 5)"]),
    ("concatenate", lambda: ops.concatenate([f32(2, 3), f32(2, 4)]), ["(2, 3)", "(2, 4)"]),
    ("reshape", lambda: ops.reshape(f32(3, 4), (5,)), ["(3, 4)"]),
    ("squeeze", lambda: ops.squeeze(f32(3, 4), axis=2), ["(3, 4)"]),
    ("expand_dims", lambda: ops.expand_dims(f32(3, 4), 5), ["(3, 4)"]),
    ("flip", lambda: ops.flip(f32(3, 4), axis=3), ["(3, 4)"]),
    ("take", lambda: ops.take(f32(3, 4), i32(0), axis=2), ["(3, 4)"]),
    ("split", lambda: ops.split(f32(5, 2), 2), ["(5, 2)"]),
    ("rot90", lambda: ops.rot90(f32(3)), ["(3,)"]),
    ("searchsorted", lambda: ops.searchsorted(f32(2, 3), f32(2)), ["(2, 3)"]),
    ("matmul", lambda: ops.matmul(KerasTensor((None, 3)), KerasTensor((4, 5))), ["(None, 3)", "(4, 5)"]),
    ("concatenate", lambda: ops.concatenate([KerasTensor((2, 3)), KerasTensor((2, 4))]), ["(2, 3)", "(2, 4)"]),
    ("reshape", lambda: ops.reshape(KerasTensor((3, 4)), (5,)), ["(3, 4)"]),
    ("get_item", lambda: ops.get_item(KerasTensor((3, 4)), KerasTensor((3, 4), "bool")), ["boolean"]),
]


@pytest.mark.parametrize("op, call, fragments", BAD, ids=[f"{b[0]}-{i}" for i, b in enumerate(BAD)])
def test_bad_input_error_names_op_and_shapes(op, call, fragments):
    with pytest.raises((ValueError, TypeError, IndexError)) as info:
        call()
    message = str(info.value)
    assert f"ops.{op}" in message
    for fragment in fragments:
        assert fragment in message, message


def test_pad_rejects_constant_values_outside_constant_mode():
    with pytest.raises(ValueError, match="ops.pad"):
        ops.pad(A23, 1, mode="reflect", constant_values=1.0)


def test_where_needs_both_branches():
    with pytest.raises(ValueError, match="ops.where"):
        ops.where(MASK, A34)


def test_keras_tensor_indexing_goes_through_get_item():
    x = KerasTensor((None, 4, 5))
    assert x[:, None, 1:3].shape == (None, 1, 2, 5)
    assert x[..., 0].shape == (None, 4)
    assert x[0, KerasTensor((2, 3), "int32")].shape == (2, 3, 5)


@pytest.mark.parametrize("kwargs, fragment", [
    ({"bins": -5}, "`bins` should be a non-negative integer"),
    ({"range": (1.0,)}, "`range` must be a tuple of two elements"),
    ({"range": (5.0, 1.0)}, "second element of `range` must be greater"),
])
def test_histogram_argument_errors(kwargs, fragment):
    with pytest.raises(ValueError, match=fragment):
        ops.histogram(f32(8), **kwargs)


def test_histogram_takes_a_1d_tensor():
    with pytest.raises(ValueError, match="1-dimensional"):
        ops.histogram(f32(3, 4))


PRODUCT_PAIRS = [("int8", "bool"), ("bfloat16", "int8"), ("uint16", "bfloat16"), ("int8", "int8"), ("uint32", "int16"),
                 ("float64", "float32")]


@pytest.mark.parametrize("first, second", PRODUCT_PAIRS)
def test_matmul_and_einsum_dtypes_follow_jax(first, second):
    """Keras's result dtypes for products: int8 x int8 accumulates in int32, int8 x bool stays int8, bfloat16
    products stay bfloat16, and ``uint32 x int16`` is int32 (JAX's default mode; Keras's numpy backend)."""
    import jax
    import jax.numpy as jnp

    if backend.backend() == "torch" and "uint32" in (first, second):
        pytest.skip("torch has no uint32 arithmetic (Keras's tests leave it out on torch too)")
    a = np.arange(1, 7).reshape(2, 3) % 2
    b = np.arange(1, 13).reshape(3, 4) % 3
    with jax.enable_x64(first == "float64"):
        expected = jnp.matmul(jnp.asarray(a, first), jnp.asarray(b, second)).dtype.name
    if backend.backend() == "tensorflow" and {first, second} == {"uint32", "int16"}:
        expected = "int64"  # Keras keeps the lattice's int64 on its TensorFlow backend
    if first == second == "int8":
        expected = "int32"  # Keras asks JAX for an int32 accumulation (preferred_element_type); plain jnp keeps int8
    x, y = ops.convert_to_tensor(a, first), ops.convert_to_tensor(b, second)
    reference = a.astype(first).astype("float64") @ b.astype(second).astype("float64")
    for result in (ops.matmul(x, y), ops.einsum("ij,jk->ik", x, y)):
        assert backend.standardize_dtype(result.dtype) == expected
        np.testing.assert_array_equal(ops.convert_to_numpy(ops.cast(result, "float64")), reference)


@pytest.mark.parametrize("dtype", ["uint8", "uint16", "int8", "int16", "bool"])
def test_trace_accumulates_small_integers_in_32_bits(dtype):
    """jnp.trace keeps unsigned small integers unsigned (uint32); Keras's torch backend, without uint32 sums,
    gives int32."""
    import jax
    import jax.numpy as jnp

    x = np.eye(3, dtype=dtype)
    with jax.enable_x64(False):
        expected = jnp.trace(jnp.asarray(x)).dtype.name
    if backend.backend() == "torch" and expected == "uint32":
        expected = "int32"
    result = ops.trace(ops.convert_to_tensor(x))
    assert backend.standardize_dtype(result.dtype) == expected
    assert int(ops.convert_to_numpy(result)) == np.trace(x)


def test_sorting_edge_cases_match_numpy():
    """A scalar argsorts as its flattening, argpartition over ``axis=None`` flattens, and equal diagonal axes
    are refused, as in NumPy (jax.numpy differs on all three)."""
    assert ops.convert_to_numpy(ops.argsort(np.array(1))).tolist() == np.argsort(np.array(1)).tolist() == [0]
    x = np.array([[3, 4], [2, 1]])
    partitioned = ops.convert_to_numpy(ops.argpartition(x, 2, axis=None))
    assert partitioned.shape == (4,) and x.reshape(-1)[partitioned[2]] == np.sort(x, axis=None)[2]
    with pytest.raises(ValueError):
        ops.diagonal(np.ones((2, 3, 4)), axis1=0, axis2=0)


@pytest.mark.parametrize("shapes", [((3, 5), (5, 4)), ((2, 3, 40), (40, 24)), ((40,), (40, 8)), ((2, 3, 5), (2, 5, 4)),
                                    ((0, 5), (5, 3))])
def test_int8_matmul_is_exact_in_int32(shapes):
    # torch's integer GEMM takes the 2-D cases; the extremes (-128 * -128 summed 40 times) must stay exact.
    rng = np.random.default_rng(0)
    a = rng.integers(-128, 128, shapes[0]).astype("int8")
    b = rng.integers(-128, 128, shapes[1]).astype("int8")
    a.reshape(-1)[:1] = -128
    b.reshape(-1)[:1] = -128
    product = ops.matmul(ops.convert_to_tensor(a), ops.convert_to_tensor(b))
    assert backend.standardize_dtype(product.dtype) == "int32"
    np.testing.assert_array_equal(ops.convert_to_numpy(product), np.matmul(a.astype("int64"), b.astype("int64")))
