"""The parts of brickwork/ops/numpy_math.py a table sweep cannot show: arguments beyond the
inputs (decimals, initial, weights, minlength, methods), special values, complex inputs,
Python scalars and Variables as operands, and the thin dispatch path."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

from brickwork import backend, ops
from brickwork.backend import KerasTensor
from brickwork.ops import numpy_math
from tests.conftest import BACKEND, requires_training
from tests.gradient_check import check_gradients, engine_gradients

rng = np.random.default_rng(0)


def to_np(x):
    return backend.convert_to_numpy(x)


def dtype_of(x) -> str:
    return backend.standardize_dtype(x.dtype)


# ---- clip ----


@pytest.mark.parametrize(
    "x,low,high,dtype",
    [
        (np.array([-2, 0, 5, 9], "int32"), 0, 6, "int32"),
        (np.array([-2, 0, 5, 9], "int32"), 0.5, 6.5, "int32"),  # float bounds keep int
        (np.array([-2.5, 0.1, 5.0], "float32"), -1.0, 1.0, "float32"),
        (np.array([-2.5, 0.1, 5.0], "float64"), None, 1.0, "float64"),
        (np.array([True, False]), 0, 0, "int32"),  # bool gives int32
        (np.array([[-3.0, 4.0], [0.5, 2.0]], "float32"), np.array([-1.0, 1.0], "float32"), 3.0, "float32"),
    ],
)
def test_clip_values_and_dtype(x, low, high, dtype):
    out = ops.clip(x, low, high)
    expected = np.clip(x.astype("float64"), low, high).astype(dtype)
    assert dtype_of(out) == dtype and tuple(out.shape) == x.shape
    np.testing.assert_allclose(to_np(out), expected, rtol=1e-6)


def test_clip_symbolic():
    out = ops.clip(KerasTensor((None, 3), dtype="bool"), 0, 1)
    assert out.shape == (None, 3) and out.dtype == "int32"


@requires_training
def test_clip_gradient_is_one_inside_and_zero_outside():
    x = np.array([-2.0, -0.5, 0.3, 2.5])
    check_gradients(lambda t: ops.clip(t, -1.0, 1.0), [x])
    (grad,) = engine_gradients(lambda t: ops.clip(t, -1.0, 1.0), [x])
    np.testing.assert_array_equal(grad, [0, 1, 1, 0])


# ---- bincount ----


def test_bincount_counts_and_minlength():
    x = np.array([0, 1, 1, 3], "int32")
    out = ops.bincount(x)
    assert dtype_of(out) == "int32"
    np.testing.assert_array_equal(to_np(out), np.bincount(x))
    np.testing.assert_array_equal(to_np(ops.bincount(x, minlength=6)), np.bincount(x, minlength=6))


@pytest.mark.parametrize("weights_dtype,expected", [("float32", "float32"), ("int32", "int32"), ("float64", "float64")])
def test_bincount_weights_dtype(weights_dtype, expected):
    x = np.array([0, 2, 2, 5], "int32")
    weights = np.array([1, 2, 3, 4]).astype(weights_dtype)
    out = ops.bincount(x, weights=weights)
    assert dtype_of(out) == expected
    np.testing.assert_allclose(to_np(out), np.bincount(x, weights=weights.astype("float64")))


def test_bincount_2d_counts_each_row_to_a_common_length():
    x = np.array([[0, 1, 1], [3, 3, 0]], "int32")
    out = to_np(ops.bincount(x, minlength=2))
    np.testing.assert_array_equal(out, [[1, 2, 0, 0], [1, 0, 0, 2]])


# ---- round, nan_to_num, special values ----


@pytest.mark.parametrize("decimals", [0, 1, 2, -1])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_round_decimals_on_floats(decimals, dtype):
    x = (rng.uniform(-50, 50, (4, 3))).astype(dtype)
    out = ops.round(x, decimals=decimals)
    assert dtype_of(out) == dtype
    np.testing.assert_allclose(to_np(out), np.round(x.astype("float64"), decimals), rtol=1e-6, atol=1e-4)


def test_round_is_half_to_even_and_keeps_ints():
    np.testing.assert_array_equal(to_np(ops.round(np.array([0.5, 1.5, 2.5, -0.5], "float32"))), [0, 2, 2, -0])
    ints = np.array([15, 25, -35, 44], "int32")
    out = ops.round(ints, decimals=-1)
    assert dtype_of(out) == "int32"
    np.testing.assert_array_equal(to_np(out), [20, 20, -40, 40])
    np.testing.assert_array_equal(to_np(ops.round(ints, decimals=2)), ints)


SPECIALS = np.array([np.nan, np.inf, -np.inf, -0.0, 0.0, 1.5, -2.0], "float32")


def test_nan_to_num_defaults_and_replacements():
    np.testing.assert_array_equal(to_np(ops.nan_to_num(SPECIALS)), np.nan_to_num(SPECIALS))
    out = ops.nan_to_num(SPECIALS, nan=-1.0, posinf=9.0, neginf=-9.0)
    np.testing.assert_array_equal(to_np(out), np.nan_to_num(SPECIALS, nan=-1.0, posinf=9.0, neginf=-9.0))
    assert dtype_of(out) == "float32"


@pytest.mark.parametrize("op", ["isfinite", "isinf", "isnan", "signbit"])
def test_predicates_on_special_values(op):
    out = getattr(ops, op)(SPECIALS)
    assert dtype_of(out) == "bool"
    np.testing.assert_array_equal(to_np(out), getattr(np, op)(SPECIALS))


def test_isclose_tolerances_and_equal_nan():
    a = np.array([1.0, 1.0, np.nan, 100.0], "float64")
    b = np.array([1.0 + 1e-6, 1.1, np.nan, 100.5], "float64")
    for kwargs in ({}, {"rtol": 0.1}, {"atol": 1.0, "equal_nan": True}):
        np.testing.assert_array_equal(to_np(ops.isclose(a, b, **kwargs)), np.isclose(a, b, **kwargs))


# ---- reduction arguments ----


def test_max_min_initial():
    x = np.array([[1, 5], [3, 2]], "int32")
    np.testing.assert_array_equal(to_np(ops.max(x, axis=1, initial=4)), np.max(x, axis=1, initial=4))
    np.testing.assert_array_equal(to_np(ops.min(x, axis=0, initial=2)), np.min(x, axis=0, initial=2))
    assert dtype_of(ops.max(x, initial=4)) == "int32"


def test_argmax_keepdims_without_axis_keeps_every_dim():
    x = np.array([[1.0, 7.0], [3.0, 2.0]], "float32")
    out = ops.argmax(x, keepdims=True)
    assert tuple(out.shape) == (1, 1) and int(to_np(out).ravel()[0]) == 1


@pytest.mark.parametrize("method", ["linear", "lower", "higher", "midpoint", "nearest"])
def test_quantile_methods(method):
    x = rng.standard_normal((3, 7))
    out = ops.quantile(x, [0.1, 0.5, 0.9], axis=1, method=method)
    np.testing.assert_allclose(to_np(out), np.quantile(x, [0.1, 0.5, 0.9], axis=1, method=method), rtol=1e-12)


def test_median_of_even_count_averages_the_middle_two():
    np.testing.assert_allclose(to_np(ops.median(np.array([4, 1, 3, 2], "int32"))), 2.5)


def test_cumulative_and_prod_dtype_argument():
    x = np.array([[1, 2], [3, 4]], "int32")
    assert dtype_of(ops.cumsum(x, axis=0, dtype="float32")) == "float32"
    assert dtype_of(ops.cumprod(x, dtype="int64")) == "int64"
    out = ops.prod(x, axis=1, dtype="float64")
    assert dtype_of(out) == "float64"
    np.testing.assert_array_equal(to_np(out), [2, 12])


def test_reduction_over_list_axis_and_empty_axis():
    x = rng.standard_normal((2, 3, 4)).astype("float32")
    np.testing.assert_allclose(to_np(ops.sum(x, axis=[0, 2])), x.sum(axis=(0, 2)), rtol=1e-5)
    np.testing.assert_allclose(to_np(ops.mean(x, axis=())), x, rtol=1e-6)


def test_average_rejects_weights_of_another_shape_without_axis():
    with pytest.raises((ValueError, TypeError)) as info:
        ops.average(np.ones((2, 3), "float32"), weights=np.ones((3,), "float32"))
    assert "ops.average" in str(info.value)


# ---- complex inputs ----


def test_complex_parts():
    z = np.array([1 + 2j, -3 - 1j, 0.5j], "complex64")
    for op, expected_dtype in [("real", "float32"), ("imag", "float32"), ("conjugate", "complex64"),
                               ("conj", "complex64"), ("angle", "float32"), ("abs", "float32")]:
        out = getattr(ops, op)(z)
        assert dtype_of(out) == expected_dtype, op
        np.testing.assert_allclose(to_np(out), getattr(np, op)(z), rtol=1e-6, err_msg=op)


# ---- divide_no_nan at zero ----


def test_divide_no_nan_gives_zero_where_the_divisor_is_zero():
    out = ops.divide_no_nan(np.array([1, 2, 3], "int32"), np.array([0, 2, 0], "int32"))
    assert dtype_of(out) == "float32"
    np.testing.assert_array_equal(to_np(out), [0.0, 1.0, 0.0])


@requires_training
def test_divide_no_nan_gradient_is_finite_at_zero():
    grad_x, grad_y = engine_gradients(ops.divide_no_nan, [np.array([1.0, 2.0]), np.array([0.0, 4.0])])
    np.testing.assert_array_equal(grad_x, [0.0, 0.25])
    np.testing.assert_array_equal(grad_y, [0.0, -2.0 / 16])


# ---- Python scalars and Variables as operands ----


@pytest.mark.parametrize(
    "op,a,b,dtype",
    [
        ("add", 2, 3, "int32"),
        ("multiply", 2.0, np.array([1, 2], "int32"), "float32"),
        ("divide", 1, 2, "float32"),
        ("power", np.array([1, 2], "int32"), 2, "int32"),
        ("subtract", np.array([1.5], "float16"), 1, "float16"),
        ("maximum", np.array([1, 9], "uint8"), 4, "uint8"),
        ("greater", 1.5, np.array([1, 2], "int32"), "bool"),
    ],
)
def test_python_scalars_are_weak(op, a, b, dtype):
    out = getattr(ops, op)(a, b)
    assert dtype_of(out) == dtype
    np.testing.assert_allclose(to_np(out).astype("float64"), getattr(np, op)(np.float64(a), np.float64(b)))


@pytest.mark.parametrize("op", ["add", "subtract", "multiply", "divide", "logaddexp", "maximum", "arctan2"])
def test_python_float_meets_float64_at_full_precision(op):
    x = np.array([0.3, 1.7])
    out = getattr(ops, op)(x, 0.1)
    assert dtype_of(out) == "float64"
    np.testing.assert_allclose(to_np(out), getattr(np, op)(x, 0.1), rtol=1e-15)
    reverse = getattr(ops, op)(0.1, x)
    np.testing.assert_allclose(to_np(reverse), getattr(np, op)(0.1, x), rtol=1e-15)


def test_variables_are_operands():
    v = backend.Variable(np.array([1.0, -2.0], "float32"), trainable=False)
    np.testing.assert_allclose(to_np(ops.add(v, 1)), [2.0, -1.0])
    np.testing.assert_allclose(to_np(ops.abs(v)), [1.0, 2.0])
    assert dtype_of(ops.multiply(v, np.array([2, 3], "int32"))) == "float32"
    np.testing.assert_allclose(to_np(ops.sum(v)), -1.0)


# ---- the dispatch path stays thin ----

OPS = sorted(name for name, fn in vars(numpy_math).items()
             if inspect.isfunction(fn) and not name.startswith("_") and name != "backend_op")


LINALG_BOUND = {"slogdet"}  # a numpy-namespace op that the engines compute in their linalg module


@pytest.mark.parametrize("name", OPS)
def test_op_is_bound_straight_to_the_backend_function(name):
    op = getattr(ops, name)
    family = backend.active.linalg if name in LINALG_BOUND else backend.active.numpy
    impl = getattr(family, name)
    assert op.__wrapped_impl__ is impl

    def parameters(fn):
        return [(p.name, p.default) for p in inspect.signature(fn).parameters.values()]

    assert parameters(op) == parameters(impl)  # the public signature is the backend's


def test_concrete_calls_return_engine_tensors():
    x = backend.convert_to_tensor(np.array([[1.0, 2.0], [3.0, 4.0]], "float32"))
    for out in (ops.add(x, x), ops.multiply(x, 2.0), ops.sum(x, axis=0), ops.greater(x, 2.0), ops.exp(x)):
        assert backend.is_tensor(out)


@pytest.mark.skipif(BACKEND != "torch", reason="the conversion-free fast path is the torch backend's")
def test_torch_fast_path_converts_nothing(monkeypatch):
    module = backend.active.numpy
    x = backend.convert_to_tensor(np.array([1.0, 2.0], "float32"))
    i = backend.convert_to_tensor(np.array([1, 2], "int32"))

    def refuse(*args, **kwargs):
        raise AssertionError("the fast path converted an operand")

    monkeypatch.setattr(module, "convert_to_tensor", refuse)
    monkeypatch.setattr(module, "_promote", refuse)
    for op in ("add", "subtract", "multiply", "divide", "power", "equal", "less", "mod", "floor_divide"):
        getattr(ops, op)(x, x)
        getattr(ops, op)(x, 2.0)
        if op != "divide":  # int / int becomes float: a conversion by nature
            getattr(ops, op)(i, 2)
    assert dtype_of(ops.add(i, 2)) == "int32" and dtype_of(ops.multiply(x, 3)) == "float32"


@pytest.mark.parametrize("dtype", ["uint8", "uint16"])
def test_power_of_unsigned_ints_is_numpy_s(dtype):
    if dtype == "uint16" and backend.backend() == "torch":
        pytest.skip("torch has no uint16 arithmetic (Keras's tests leave it out on torch too)")
    base, exponent = np.array([2, 3, 0, 5], dtype), np.array([3, 2, 4, 1], dtype)
    out = ops.power(base, exponent)
    assert backend.standardize_dtype(out.dtype) == dtype
    np.testing.assert_array_equal(ops.convert_to_numpy(out), np.power(base, exponent))
