"""One sweep over every op of brickwork/ops/numpy_math.py, against NumPy on the active backend.

Three tables (unary, binary, reductions) name each op's NumPy reference, an input domain, the
input dtypes it accepts and Keras's rule for the result dtype. From them: values, shape and dtype
per input dtype; symbolic shape/dtype inference with a ``None`` dim; finite-difference gradients
(torch, jax); errors naming the op and the shapes. The expected dtypes are written out here,
independently of brickwork's ``result_type``.
"""

from __future__ import annotations

import inspect
import math
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pytest

from brickwork import backend, ops
from brickwork.backend import KerasTensor
from brickwork.ops import numpy_math
from tests.conftest import requires_training
from tests.gradient_check import check_gradients

FLOATS = ("float32", "float64")
INTS = ("uint8", "int32", "int64")
NUMBERS = INTS + FLOATS
ALL = ("bool",) + NUMBERS


def to_np(x):
    return backend.convert_to_numpy(x)


def dtype_of(x) -> str:
    return backend.standardize_dtype(x.dtype)


def sample(shape, dtype, low, high, seed=0):
    """Random values of ``dtype`` in ``[low, high]`` (integers: the integers in that range)."""
    rng = np.random.default_rng(seed)
    if dtype == "bool":
        return rng.random(shape) > 0.5
    if dtype in FLOATS:
        return rng.uniform(low, high, shape).astype(dtype)
    low = max(math.ceil(low), 0) if dtype.startswith("u") else math.ceil(low)
    return rng.integers(low, math.floor(high) + 1, shape).astype(dtype)


def assert_matches(actual, expected, dtype):
    """Values equal within the precision of ``dtype`` (exactly for ints and bools)."""
    actual, expected = to_np(actual), np.asarray(expected)
    assert actual.shape == expected.shape
    if dtype in ("float32", "complex64"):
        np.testing.assert_allclose(actual.astype("float64"), expected.astype("float64"), rtol=1e-5, atol=1e-5)
    elif dtype in ("float64", "complex128"):
        np.testing.assert_allclose(actual, expected.astype("float64"), rtol=1e-9, atol=1e-12)
    else:
        np.testing.assert_array_equal(actual, expected.astype(dtype))


# ---- Keras's dtype rules, written out ----


def same(d):
    return d


def floaty(d):  # float by nature: bools and ints give floatx
    return d if d in FLOATS else "float32"


def boolean(d):
    return "bool"


def int64_to_float64(d):  # cbrt, hypot, heaviside
    return d if d in FLOATS else ("float64" if d == "int64" else "float32")


def degrees(d):  # deg2rad, rad2deg
    return "float64" if d in ("int64", "float64") else "float32"


def squared(d):
    return "int32" if d == "bool" else d


def widened(d):  # sum, prod
    return {"bool": "int32", "int8": "int32", "int16": "int32", "uint8": "uint32", "uint16": "uint32"}.get(d, d)


def cumulative(d):
    return "int32" if d == "bool" else d


# ---- unary element-wise ----


@dataclass
class Unary:
    op: str
    ref: Callable
    low: float
    high: float
    dtypes: tuple
    rule: Callable
    grad: bool = True

    def __repr__(self):
        return self.op


UNARY = [
    Unary("sqrt", np.sqrt, 0.1, 4, ALL, floaty),
    Unary("cbrt", np.cbrt, 0.3, 3, NUMBERS, int64_to_float64),
    Unary("exp", np.exp, -2, 2, ALL, floaty),
    Unary("exp2", np.exp2, -2, 2, ALL, floaty),
    Unary("expm1", np.expm1, -2, 2, ALL, floaty),
    Unary("log", np.log, 0.1, 4, NUMBERS, floaty),
    Unary("log10", np.log10, 0.1, 4, NUMBERS, floaty),
    Unary("log1p", np.log1p, 0, 3, ALL, floaty),
    Unary("log2", np.log2, 0.1, 4, NUMBERS, floaty),
    Unary("sin", np.sin, -3, 3, ALL, floaty),
    Unary("cos", np.cos, -3, 3, ALL, floaty),
    Unary("tan", np.tan, -1.2, 1.2, ALL, floaty),
    Unary("arcsin", np.arcsin, -0.9, 0.9, ALL, floaty),
    Unary("arccos", np.arccos, -0.9, 0.9, NUMBERS, floaty),
    Unary("arctan", np.arctan, -3, 3, ALL, floaty),
    Unary("sinh", np.sinh, -2, 2, ALL, floaty),
    Unary("cosh", np.cosh, -2, 2, ALL, floaty),
    Unary("tanh", np.tanh, -2, 2, ALL, floaty),
    Unary("arcsinh", np.arcsinh, -2, 2, ALL, floaty),
    Unary("arccosh", np.arccosh, 1.1, 4, NUMBERS, floaty),
    Unary("arctanh", np.arctanh, -0.9, 0.9, NUMBERS, floaty),
    Unary("reciprocal", np.reciprocal, 0.5, 3, NUMBERS, floaty),
    Unary("deg2rad", np.deg2rad, -90, 90, ALL, degrees),
    Unary("rad2deg", np.rad2deg, -3, 3, ALL, degrees),
    Unary("floor", np.floor, -3, 3, ALL, floaty, grad=False),
    Unary("ceil", np.ceil, -3, 3, ALL, floaty, grad=False),
    Unary("angle", np.angle, -3, 3, NUMBERS, floaty, grad=False),
    Unary("absolute", np.absolute, -3, 3, ALL, same),
    Unary("abs", np.abs, -3, 3, ALL, same),
    Unary("negative", np.negative, -3, 3, NUMBERS, same),
    Unary("sign", np.sign, -3, 3, NUMBERS, same, grad=False),
    Unary("square", lambda x: np.square(x.astype("int32") if x.dtype == bool else x), -3, 3, ALL, squared),
    Unary("trunc", np.trunc, -3, 3, NUMBERS, same, grad=False),
    Unary("round", np.round, -3, 3, NUMBERS, same, grad=False),
    Unary("real", np.real, -3, 3, NUMBERS, same),
    Unary("imag", np.imag, -3, 3, NUMBERS, same, grad=False),
    Unary("conjugate", np.conjugate, -3, 3, NUMBERS, same),
    Unary("conj", np.conj, -3, 3, NUMBERS, same),
    Unary("nan_to_num", np.nan_to_num, -3, 3, NUMBERS, same),
    Unary("isfinite", np.isfinite, -3, 3, NUMBERS, boolean, grad=False),
    Unary("isinf", np.isinf, -3, 3, NUMBERS, boolean, grad=False),
    Unary("isnan", np.isnan, -3, 3, NUMBERS, boolean, grad=False),
    Unary("signbit", np.signbit, -3, 3, NUMBERS, boolean, grad=False),
    Unary("logical_not", np.logical_not, -1, 1, ALL, boolean, grad=False),
    Unary("bitwise_invert", np.invert, 0, 9, ("bool",) + INTS, same, grad=False),
    Unary("bitwise_not", np.invert, 0, 9, ("bool",) + INTS, same, grad=False),
]


def _unary_reference(case, x, expected_dtype):
    return case.ref(x.astype("float64") if expected_dtype in FLOATS else x)


@pytest.mark.parametrize("case,dtype", [(c, d) for c in UNARY for d in c.dtypes], ids=repr)
def test_unary_values_shape_dtype(case, dtype):
    x = sample((2, 3), dtype, case.low, case.high)
    out = getattr(ops, case.op)(x)
    expected = case.rule(dtype)
    assert dtype_of(out) == expected and tuple(out.shape) == (2, 3)
    assert_matches(out, _unary_reference(case, x, expected), expected)


# ---- binary element-wise ----

PY_INT, PY_FLOAT = 3, 2.5

# The promoted dtype of each operand pair (Keras 3 / JAX lattice; Python scalars are weak).
PROMOTED = {
    ("int32", "int32"): "int32",
    ("int32", "float32"): "float32",
    ("uint8", "int8"): "int16",
    ("float32", "float64"): "float64",
    ("bool", "int32"): "int32",
    ("int64", "float32"): "float32",
    ("int64", "int64"): "int64",
    ("int32", PY_INT): "int32",
    ("float32", PY_FLOAT): "float32",
    ("int32", PY_FLOAT): "float32",
    (PY_INT, "int8"): "int8",
    ("bool", "bool"): "bool",
    ("uint8", "uint8"): "uint8",
    ("float32", "bool"): "float32",
}
ARITH = [p for p in PROMOTED if p not in (("bool", "bool"), ("uint8", "uint8"), ("float32", "bool"))]
LOGIC = [("bool", "bool"), ("int32", "int32"), ("float32", "bool"), ("int32", PY_INT)]
BITS = [("int32", "int32"), ("uint8", "int8"), ("bool", "bool"), ("uint8", "uint8"), ("int32", PY_INT)]
SHIFTS = [("int32", "int32"), ("uint8", "uint8"), ("int32", PY_INT)]


def promoted(pair):
    return PROMOTED[pair]


def float_promoted(pair):
    return floaty(PROMOTED[pair])


def hypot_promoted(pair):
    return int64_to_float64(PROMOTED[pair])


def bool_result(pair):
    return "bool"


@dataclass
class Binary:
    op: str
    ref: Callable
    domain1: tuple
    domain2: tuple
    pairs: list
    rule: Callable
    grad: bool = True

    def __repr__(self):
        return self.op


BINARY = [
    Binary("add", np.add, (-3, 3), (-3, 3), ARITH, promoted),
    Binary("subtract", np.subtract, (-3, 3), (-3, 3), ARITH, promoted),
    Binary("multiply", np.multiply, (-3, 3), (-3, 3), ARITH, promoted),
    Binary("divide", np.divide, (-3, 3), (0.5, 3), ARITH, float_promoted),
    Binary("true_divide", np.true_divide, (-3, 3), (0.5, 3), ARITH, float_promoted),
    Binary("divide_no_nan", lambda a, b: np.where(b == 0, 0, a / np.where(b == 0, 1, b)), (-3, 3), (-1, 1),
           ARITH, float_promoted),
    Binary("floor_divide", np.floor_divide, (-5, 5), (1, 3), ARITH, promoted, grad=False),
    Binary("mod", np.mod, (-5, 5), (1, 3), ARITH, promoted, grad=False),
    Binary("power", np.power, (0.5, 2), (0, 3), ARITH, promoted),
    Binary("maximum", np.maximum, (-3, 3), (-3, 3), ARITH, promoted),
    Binary("minimum", np.minimum, (-3, 3), (-3, 3), ARITH, promoted),
    Binary("logaddexp", np.logaddexp, (-3, 3), (-3, 3), ARITH, float_promoted),
    Binary("arctan2", np.arctan2, (-3, 3), (0.5, 3), ARITH, float_promoted),
    Binary("copysign", np.copysign, (0.5, 3), (-3, 3), ARITH, float_promoted),
    Binary("hypot", np.hypot, (-3, 3), (-3, 3), ARITH, hypot_promoted),
    Binary("heaviside", np.heaviside, (-2, 2), (0, 1), ARITH, hypot_promoted, grad=False),
    Binary("equal", np.equal, (-2, 2), (-2, 2), ARITH, bool_result, grad=False),
    Binary("not_equal", np.not_equal, (-2, 2), (-2, 2), ARITH, bool_result, grad=False),
    Binary("greater", np.greater, (-2, 2), (-2, 2), ARITH, bool_result, grad=False),
    Binary("greater_equal", np.greater_equal, (-2, 2), (-2, 2), ARITH, bool_result, grad=False),
    Binary("less", np.less, (-2, 2), (-2, 2), ARITH, bool_result, grad=False),
    Binary("less_equal", np.less_equal, (-2, 2), (-2, 2), ARITH, bool_result, grad=False),
    Binary("isclose", np.isclose, (-1, 1), (-1, 1), ARITH, bool_result, grad=False),
    Binary("logical_and", np.logical_and, (-1, 1), (-1, 1), LOGIC, bool_result, grad=False),
    Binary("logical_or", np.logical_or, (-1, 1), (-1, 1), LOGIC, bool_result, grad=False),
    Binary("logical_xor", np.logical_xor, (-1, 1), (-1, 1), LOGIC, bool_result, grad=False),
    Binary("bitwise_and", np.bitwise_and, (0, 7), (0, 7), BITS, promoted, grad=False),
    Binary("bitwise_or", np.bitwise_or, (0, 7), (0, 7), BITS, promoted, grad=False),
    Binary("bitwise_xor", np.bitwise_xor, (0, 7), (0, 7), BITS, promoted, grad=False),
    Binary("bitwise_left_shift", np.left_shift, (0, 15), (0, 3), SHIFTS, promoted, grad=False),
    Binary("bitwise_right_shift", np.right_shift, (0, 15), (0, 3), SHIFTS, promoted, grad=False),
]


def _operand(value, shape, domain, seed):
    return value if not isinstance(value, str) else sample(shape, value, *domain, seed=seed)


def _binary_reference(case, a, b, pair):
    expected = case.rule(pair)
    compute = PROMOTED[pair]
    if expected in FLOATS or compute in FLOATS:
        compute = "float64"
    return case.ref(np.asarray(a).astype(compute), np.asarray(b).astype(compute)), expected


@pytest.mark.parametrize("case,pair", [(c, p) for c in BINARY for p in c.pairs], ids=repr)
def test_binary_values_shape_dtype(case, pair):
    # (2, 3) with (3,): every op broadcasts.
    a = _operand(pair[0], (2, 3), case.domain1, seed=1)
    b = _operand(pair[1], (3,), case.domain2, seed=2)
    out = getattr(ops, case.op)(a, b)
    reference, expected = _binary_reference(case, a, b, pair)
    assert dtype_of(out) == expected
    assert tuple(out.shape) == np.broadcast_shapes(np.shape(a), np.shape(b))
    assert_matches(out, reference, expected)


# ---- reductions ----


@dataclass
class Reduction:
    op: str
    ref: Callable
    variants: list  # keyword arguments, one call each
    dtypes: tuple
    rule: Callable
    domain: tuple = (-3, 3)
    grad: bool = True

    def __repr__(self):
        return self.op


AXES = [{}, {"axis": 0}, {"axis": -1, "keepdims": True}, {"axis": (0, 2)}, {"axis": None, "keepdims": True}]
ONE_AXIS = [{}, {"axis": 1}, {"axis": -1, "keepdims": True}, {"keepdims": True}]
W_FULL = sample((2, 3, 4), "float32", 0.5, 2, seed=7)
W_AXIS1 = sample((3,), "float32", 0.5, 2, seed=8)


REDUCTIONS = [
    Reduction("sum", np.sum, AXES, ALL, widened),
    Reduction("prod", np.prod, AXES, ("bool", "int32", "int64") + FLOATS, widened, domain=(0.5, 1.5)),
    Reduction("mean", np.mean, AXES, ALL, floaty),
    Reduction("var", np.var, AXES, ALL, floaty),
    Reduction("std", np.std, AXES, ALL, floaty),
    Reduction("median", np.median, AXES, NUMBERS, floaty),
    Reduction("quantile", np.quantile, [{"q": 0.3}, {"q": [0.25, 0.75], "axis": 1},
                                        {"q": 0.5, "axis": (0, 2), "keepdims": True},
                                        {"q": 0.4, "method": "lower", "axis": -1}],
              NUMBERS, floaty),
    Reduction("max", np.max, AXES, ALL, same),
    Reduction("min", np.min, AXES, ALL, same),
    Reduction("amax", np.amax, AXES, ALL, same),
    Reduction("amin", np.amin, AXES, ALL, same),
    Reduction("all", np.all, AXES, ALL, boolean, domain=(-1, 1), grad=False),
    Reduction("any", np.any, AXES, ALL, boolean, domain=(-1, 1), grad=False),
    Reduction("argmax", np.argmax, ONE_AXIS, ALL, lambda d: "int32", grad=False),
    Reduction("argmin", np.argmin, ONE_AXIS, ALL, lambda d: "int32", grad=False),
    Reduction("count_nonzero", np.count_nonzero, [{}, {"axis": 1}, {"axis": (0, 2)}], ALL,
              lambda d: "int32", domain=(-1, 1), grad=False),
    Reduction("cumsum", np.cumsum, [{}, {"axis": 1}, {"axis": -1}], ALL, cumulative),
    Reduction("cumprod", np.cumprod, [{}, {"axis": 1}, {"axis": -1}], ("bool", "int32", "int64") + FLOATS,
              cumulative, domain=(0.5, 1.5)),
    Reduction("average", np.average, [{}, {"axis": 1}, {"axis": 1, "weights": W_AXIS1}, {"weights": W_FULL},
                                      {"axis": 0, "weights": W_FULL}], NUMBERS, floaty),
]


def _reduction_reference(case, x, kwargs, expected):
    if expected in FLOATS:
        x = x.astype("float64")
    elif case.op in ("sum", "prod", "cumsum", "cumprod"):
        x = x.astype(expected)  # accumulate in the widened dtype, as Keras
    kwargs = {k: (tuple(v) if k == "axis" and isinstance(v, list) else v) for k, v in kwargs.items()}
    return np.asarray(case.ref(x, **kwargs))


def _reduction_cases():
    """Every variant on float32 and int32; the other dtypes (for the dtype rule) on the first."""
    for case in REDUCTIONS:
        for dtype in case.dtypes:
            variants = case.variants if dtype in ("float32", "int32") else case.variants[:1]
            yield from ((case, dtype, kwargs) for kwargs in variants)


@pytest.mark.parametrize("case,dtype,kwargs", list(_reduction_cases()), ids=repr)
def test_reduction_values_shape_dtype(case, dtype, kwargs):
    x = sample((2, 3, 4), dtype, *case.domain)
    out = getattr(ops, case.op)(x, **kwargs)
    expected = case.rule(dtype)
    reference = _reduction_reference(case, x, kwargs, expected)
    assert dtype_of(out) == expected
    assert tuple(out.shape) == reference.shape
    assert_matches(out, reference, expected)


# ---- symbolic shape and dtype inference, with a None dim ----


def _symbolic_calls():
    """(op, args builder, kwargs) for every case: ``make(batch)`` gives the inputs for a batch size."""
    for case in UNARY:
        dtype = case.dtypes[-1]
        yield case.op, (lambda n, c=case, d=dtype: (sample((n, 3), d, c.low, c.high),)), {}
    for case in BINARY:
        pair = case.pairs[0]
        yield case.op, (lambda n, c=case, p=pair: (
            _operand(p[0], (n, 3), c.domain1, 1), _operand(p[1], (3,), c.domain2, 2))), {}
    for case in REDUCTIONS:
        dtype = case.dtypes[-1]
        for kwargs in case.variants:
            if "weights" in kwargs and kwargs["weights"].ndim == 3:
                continue  # a full-shape weight cannot follow a changing batch size
            yield case.op, (lambda n, c=case, d=dtype: (sample((n, 3, 4), d, *c.domain),)), kwargs


SYMBOLIC = list(_symbolic_calls())


@pytest.mark.parametrize("op,make,kwargs", SYMBOLIC, ids=[f"{o}-{i}" for i, (o, _, _) in enumerate(SYMBOLIC)])
def test_symbolic_shape_and_dtype_with_none_dim(op, make, kwargs):
    small, large = make(2), make(5)
    out_small = getattr(ops, op)(*small, **kwargs)
    out_large = getattr(ops, op)(*large, **kwargs)
    # The reference: the concrete shapes, None where they change with the batch size.
    expected = tuple(a if a == b else None for a, b in zip(out_small.shape, out_large.shape))

    def symbolic(value, batch_dim):
        if not isinstance(value, np.ndarray) or value.ndim == 0:
            return value
        shape = (None,) + value.shape[1:] if batch_dim else value.shape
        return KerasTensor(shape, dtype=value.dtype.name)

    args = [symbolic(v, np.shape(v)[:1] == (2,)) for v in small]
    result = getattr(ops, op)(*args, **kwargs)
    assert isinstance(result, KerasTensor)
    assert result.shape == expected, f"{op}: {result.shape} != {expected}"
    assert result.dtype == dtype_of(out_small)

    known = getattr(ops, op)(*[symbolic(v, False) for v in small], **kwargs)
    assert known.shape == tuple(out_small.shape) and known.dtype == dtype_of(out_small)


def test_bincount_symbolic_length_is_unknown():
    out = ops.bincount(KerasTensor((None, 5), dtype="int32"), weights=np.ones((4, 5), "float32"))
    assert out.shape == (None, None) and out.dtype == "float32"


# ---- gradients (finite differences, float64) ----

GRAD_UNARY = [c for c in UNARY if c.grad]
GRAD_BINARY = [c for c in BINARY if c.grad]
# One axis variant each (average: the one with weights, so that their gradient is checked too).
GRAD_REDUCTIONS = [(c, c.variants[2 if c.op == "average" else 1]) for c in REDUCTIONS if c.grad]


@requires_training
@pytest.mark.parametrize("case", GRAD_UNARY, ids=repr)
def test_unary_gradients(case):
    x = sample((2, 3), "float64", case.low, case.high, seed=3)
    check_gradients(getattr(ops, case.op), [x])


@requires_training
@pytest.mark.parametrize("case", GRAD_BINARY, ids=repr)
def test_binary_gradients(case):
    a = sample((2, 3), "float64", *case.domain1, seed=4)
    b = sample((3,), "float64", *case.domain2, seed=5)
    check_gradients(getattr(ops, case.op), [a, b])


@requires_training
@pytest.mark.parametrize("case,kwargs", GRAD_REDUCTIONS, ids=repr)
def test_reduction_gradients(case, kwargs):
    x = sample((2, 3, 2), "float64", *case.domain, seed=6)
    check_gradients(lambda t: getattr(ops, case.op)(t, **kwargs), [x])


# ---- bad inputs: the error names the op and what it received ----

BROADCASTING = [c.op for c in BINARY]
WITH_AXIS = [c.op for c in REDUCTIONS if c.op not in ("cumsum", "cumprod", "average", "quantile")]


@pytest.mark.parametrize("op", BROADCASTING)
def test_incompatible_broadcast_names_op_and_shapes(op):
    with pytest.raises((ValueError, TypeError)) as info:
        getattr(ops, op)(np.ones((2, 3), "int32"), np.ones((4,), "int32"))
    message = str(info.value)
    assert f"ops.{op}" in message and "(2, 3)" in message and "(4,)" in message


@pytest.mark.parametrize("op", WITH_AXIS + ["cumsum", "cumprod", "quantile"])
def test_axis_out_of_range_names_op_and_shape(op):
    extra = {"q": 0.5} if op == "quantile" else {}
    with pytest.raises((ValueError, IndexError)) as info:
        getattr(ops, op)(np.ones((2, 3), "float32"), axis=5, **extra)
    message = str(info.value)
    assert f"ops.{op}" in message and "(2, 3)" in message


# ---- every op is swept ----


def test_every_op_is_swept():
    public = {name for name, fn in vars(numpy_math).items() if inspect.isfunction(fn) and not name.startswith("_")}
    public.discard("backend_op")
    swept = {c.op for c in UNARY} | {c.op for c in BINARY} | {c.op for c in REDUCTIONS}
    swept |= {"clip", "bincount"}  # tests/ops/test_numpy_math_special.py
    swept |= {"slogdet"}  # tests/ops/test_numpy_shapes.py
    assert public == swept, f"not swept: {sorted(public - swept)}; unknown: {sorted(swept - public)}"
