"""brickwork/ops/numpy_numerics.py (and the shape helpers dstack/dsplit/fliplr/flipud) against NumPy/SciPy.

Runs on the active backend; the values come from NumPy, the result dtypes are Keras's (those of
``jax.numpy`` without 64-bit mode), written out here.
"""

from __future__ import annotations

import numpy as np
import pytest

from brickwork import backend, ops
from brickwork.backend import KerasTensor

NAN = np.nan
DATA = np.array([[1.0, NAN, 3.0, -2.0], [NAN, NAN, NAN, NAN], [4.0, 0.5, NAN, 8.0]], "float32")


def to_np(x):
    return backend.convert_to_numpy(x)


def dtype_of(x) -> str:
    return backend.standardize_dtype(x.dtype)


def close(actual, expected, rtol=1e-5):
    np.testing.assert_allclose(to_np(actual), np.asarray(expected), rtol=rtol, atol=1e-6)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("name", ["nansum", "nanprod", "nanmean", "nanvar", "nanstd", "nanmax", "nanmin", "nanmedian"])
@pytest.mark.parametrize("axis", [None, 0, 1])
def test_nan_reductions_match_numpy(name, axis):
    close(getattr(ops, name)(DATA, axis=axis), getattr(np, name)(DATA, axis=axis))
    close(getattr(ops, name)(DATA, axis=axis, keepdims=True), getattr(np, name)(DATA, axis=axis, keepdims=True))


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_nanmedian_over_no_axis_keeps_infinities():
    """Over ``axis=()`` each value is its own median, infinities included (NumPy's nanmedian)."""
    x = np.array([[1.0, np.nan, 3.0], [np.inf, -np.inf, 2.0]])
    close(ops.nanmedian(x, axis=()), np.nanmedian(x, axis=()))
    close(ops.nanmedian(x, axis=1), np.nanmedian(x, axis=1))
    assert dtype_of(ops.nanmedian(np.arange(4, dtype="int32"), axis=())) == "float32"


def test_argpartition_checks_only_the_type_of_kth_symbolically():
    """Keras infers argpartition's shape without judging ``kth``'s range, and refuses a sequence of kth."""
    from brickwork import KerasTensor

    assert ops.argpartition(KerasTensor((None, 3)), 3).shape == (None, 3)
    assert ops.argpartition(KerasTensor((2, 3)), 1, axis=None).shape == (6,)
    with pytest.raises(ValueError, match="kth"):
        ops.argpartition(KerasTensor((2, 3)), (1, 3))


@pytest.mark.parametrize("name", ["nanargmax", "nanargmin"])
def test_nan_arg_reductions(name):
    x = np.delete(DATA, 1, axis=0)  # NumPy refuses an all-NaN slice
    assert to_np(getattr(ops, name)(x, axis=1)).tolist() == getattr(np, name)(x, axis=1).tolist()
    assert dtype_of(getattr(ops, name)(x)) == "int32"


@pytest.mark.parametrize("name", ["nancumsum", "nancumprod"])
def test_nan_cumulative(name):
    close(getattr(ops, name)(DATA, axis=1), getattr(np, name)(DATA, axis=1))
    close(getattr(ops, name)(DATA), getattr(np, name)(DATA))


@pytest.mark.parametrize(
    ("name", "dtype", "expected"),
    [
        ("nansum", "int8", "int32"),
        ("nansum", "float16", "float16"),
        ("nanprod", "uint8", "uint32"),
        ("nanmean", "int32", "float32"),
        ("nanmedian", "int32", "float32"),
        ("nanstd", "bool", "float32"),
        ("nanmax", "int16", "int16"),
        ("ptp", "int8", "int8"),
        ("corrcoef", "int32", "float32"),
        ("trapezoid", "int32", "float32"),
    ],
)
def test_result_dtypes(name, dtype, expected):
    x = ops.ones((2, 3), dtype=dtype)
    assert dtype_of(getattr(ops, name)(x)) == expected
    assert getattr(ops, name)(KerasTensor((2, 3), dtype=dtype)).dtype == expected


def test_quantiles_and_percentiles():
    x = np.array([[1.0, NAN, 3.0, 10.0], [2.0, 4.0, 6.0, 8.0]], "float32")
    close(ops.nanquantile(x, 0.3, axis=1), np.nanquantile(x, 0.3, axis=1))
    close(ops.nanpercentile(x, [25, 75], axis=1, keepdims=True), np.nanpercentile(x, [25, 75], axis=1, keepdims=True))
    y = np.nan_to_num(x)
    close(ops.percentile(y, 40), np.percentile(y, 40))
    close(ops.percentile(y, [10, 90], axis=0, method="nearest"), np.percentile(y, [10, 90], axis=0, method="nearest"))


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("name", ["fmax", "fmin", "fmod", "logaddexp2", "nextafter"])
def test_binary_floats(name):
    a = np.array([1.5, NAN, -3.0, 0.0, 7.0], "float32")
    b = np.array([NAN, 2.0, 2.0, -1.0, -4.0], "float32")
    out = getattr(ops, name)(a, b)
    np.testing.assert_array_equal(to_np(out), getattr(np, name)(a, b))
    assert dtype_of(out) == "float32"


def test_nextafter_half():
    a = np.array([1.0, 0.0, -2.0, 3.0], "float16")
    b = np.array([2.0, -1.0, 0.0, 3.0], "float16")
    np.testing.assert_array_equal(to_np(ops.nextafter(a, b)), np.nextafter(a, b))


def test_integer_ops():
    a = np.array([12, -20, 7, 0], "int32")
    b = np.array([8, 15, 3, 5], "int32")
    for name in ("gcd", "lcm", "fmod", "fmax", "fmin"):
        out = getattr(ops, name)(a, b)
        np.testing.assert_array_equal(to_np(out), getattr(np, name)(a, b))
        assert dtype_of(out) == "int32"
    with pytest.raises(TypeError, match="integer"):
        ops.gcd(np.ones(2, "float32"), np.ones(2, "float32"))
    np.testing.assert_array_equal(to_np(ops.left_shift(a, 1)), np.left_shift(a, 1))
    np.testing.assert_array_equal(to_np(ops.right_shift(a, 1)), np.right_shift(a, 1))


def test_ldexp():
    out = ops.ldexp(np.array([1.0, 3.0, -0.5], "float32"), np.array([2, 1, 3], "int32"))
    np.testing.assert_array_equal(to_np(out), [4.0, 6.0, -4.0])
    assert dtype_of(ops.ldexp(np.array([1, 2], "int32"), np.array([1, 1], "int32"))) == "float32"
    with pytest.raises(TypeError, match="integer"):
        ops.ldexp(np.ones(2, "float32"), np.ones(2, "float32"))


def test_unary_floats():
    x = np.array([-2.5, -1.0, 0.0, 0.5, 3.0], "float32")
    close(ops.sinc(x), np.sinc(x))
    close(ops.i0(x), np.i0(x))
    close(ops.fabs(x), np.fabs(x))
    assert dtype_of(ops.sinc(np.array([1, 2], "int32"))) == "float32"
    assert dtype_of(ops.i0(np.array([1, 2], "int32"))) == "float32"
    assert dtype_of(ops.fabs(np.array([1, 2], "int32"))) == "float32"


def test_predicates():
    x = np.array([-np.inf, np.inf, NAN, 1.0], "float32")
    assert to_np(ops.isneginf(x)).tolist() == np.isneginf(x).tolist()
    assert to_np(ops.isposinf(x)).tolist() == np.isposinf(x).tolist()
    assert to_np(ops.isreal(x)).tolist() == [True] * 4
    assert to_np(ops.isin(np.array([1, 2, 3]), np.array([[2, 5]]))).tolist() == [False, True, False]
    assert to_np(ops.isin(np.array([1, 2, 3]), np.array([2, 5]), invert=True)).tolist() == [True, False, True]
    assert bool(to_np(ops.allclose([1.0, 2.0], [1.0, 2.000001])))
    assert not bool(to_np(ops.allclose([1.0, NAN], [1.0, NAN])))
    assert bool(to_np(ops.allclose([1.0, NAN], [1.0, NAN], equal_nan=True)))


def test_statistics():
    x = np.array([[1.0, 2.0, 4.0], [3.0, -1.0, 0.5], [2.0, 2.0, 9.0]], "float32")
    close(ops.ptp(x, axis=0), np.ptp(x, axis=0))
    close(ops.corrcoef(x), np.corrcoef(x))
    close(ops.trapezoid(x), np.trapezoid(x))
    close(ops.trapezoid(x, x=np.array([0.0, 1.0, 3.0]), axis=0), np.trapezoid(x, x=[0.0, 1.0, 3.0], axis=0))
    close(ops.trapezoid(x, dx=0.5, axis=0), np.trapezoid(x, dx=0.5, axis=0))


@pytest.mark.parametrize("name", ["bartlett", "blackman", "hamming", "hanning"])
@pytest.mark.parametrize("points", [0, 1, 6])
def test_windows(name, points):
    out = getattr(ops, name)(points)
    close(out, getattr(np, name)(points))
    assert dtype_of(out) == "float32"


def test_kaiser_geomspace_vander():
    close(ops.kaiser(7, 4.0), np.kaiser(7, 4.0))
    close(ops.geomspace(1, 1000, num=4), np.geomspace(1, 1000, num=4))
    close(ops.geomspace(-2.0, -32.0, num=5, endpoint=False), np.geomspace(-2.0, -32.0, num=5, endpoint=False))
    assert dtype_of(ops.geomspace(1, 10, 3)) == "float32"
    v = np.array([1, 2, 3], "int32")
    np.testing.assert_array_equal(to_np(ops.vander(v)), np.vander(v))
    np.testing.assert_array_equal(to_np(ops.vander(v, N=2, increasing=True)), np.vander(v, N=2, increasing=True))
    assert dtype_of(ops.vander(v)) == "int32"


def test_depth_and_flips():
    a, b = np.arange(6).reshape(2, 3), -np.arange(6).reshape(2, 3)
    np.testing.assert_array_equal(to_np(ops.dstack([a, b])), np.dstack([a, b]))
    np.testing.assert_array_equal(to_np(ops.dstack([a[0], b[0]])), np.dstack([a[0], b[0]]))
    x = np.arange(24).reshape(2, 3, 4)
    for got, want in zip(ops.dsplit(x, [1, 3]), np.dsplit(x, [1, 3])):
        np.testing.assert_array_equal(to_np(got), want)
    np.testing.assert_array_equal(to_np(ops.fliplr(x)), np.fliplr(x))
    np.testing.assert_array_equal(to_np(ops.flipud(x)), np.flipud(x))
    with pytest.raises(ValueError, match="rank 2"):
        ops.fliplr(np.arange(3))
    assert ops.dstack([KerasTensor((None, 3)), KerasTensor((None, 3))]).shape == (None, 3, 2)


def test_operation_classes_and_symbolic():
    assert ops.numpy.Nansum()(DATA).shape == ()
    assert ops.numpy.Fmax()(KerasTensor((None, 3)), KerasTensor((None, 3))).shape == (None, 3)
    assert ops.nanmean(KerasTensor((None, 3)), axis=1).shape == (None,)
    assert ops.nanpercentile(KerasTensor((4, 5)), 50, axis=0).shape == (5,)
