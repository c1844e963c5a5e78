"""NumPy-like ops on the values where engines part ways with NumPy: NaNs in sorts and quantiles, any sort
axis, kernels longer than the signal, values on bin edges, values outside a histogram's range, integer
``linspace``, unsigned wrap-around. The reference is NumPy itself, on every backend."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from brickwork import backend, ops

rng = np.random.default_rng(7)


def to_np(x):
    return backend.convert_to_numpy(x)


WITH_NAN = np.array([[3.0, np.nan, 1.0, -np.inf], [np.nan, 2.0, 2.0, 0.5], [0.0, -0.0, np.inf, 4.0]], "float32")


@pytest.mark.parametrize("axis", [0, 1, -1, None])
def test_sort_and_argsort_put_nan_last_along_any_axis(axis):
    np.testing.assert_array_equal(to_np(ops.sort(WITH_NAN, axis=axis)) if axis is not None else
                                  to_np(ops.sort(WITH_NAN.ravel())), np.sort(WITH_NAN, axis=axis))
    x = rng.standard_normal((4, 5, 3)).round(1).astype("float32")  # ties, broken by index (stable)
    np.testing.assert_array_equal(to_np(ops.argsort(x, axis=0 if axis is None else axis)),
                                  np.argsort(x, axis=0 if axis is None else axis, kind="stable"))


@pytest.mark.parametrize("method", ["linear", "lower", "higher", "midpoint", "nearest"])
def test_quantile_and_nanquantile_with_nans(method):
    x = rng.standard_normal((3, 7)).astype("float32")
    x[0, 2] = np.nan
    x[2, :] = np.nan
    q = np.array([0.1, 0.5, 0.9], "float32")
    with warnings.catch_warnings():  # NumPy warns of the all-NaN row
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = np.quantile(x, q, axis=1, method=method)
        expected_nan = np.nanquantile(x, q, axis=1, method=method)
    np.testing.assert_allclose(to_np(ops.quantile(x, q, axis=1, method=method)), expected, rtol=1e-5)
    np.testing.assert_allclose(to_np(ops.nanquantile(x, q, axis=1, method=method)), expected_nan, rtol=1e-5)


def test_median_over_several_axes_keeps_dims():
    x = rng.standard_normal((2, 3, 4)).astype("float32")
    out = ops.median(x, axis=(0, 2), keepdims=True)
    np.testing.assert_allclose(to_np(out), np.median(x, axis=(0, 2), keepdims=True), rtol=1e-6)


@pytest.mark.parametrize("mode", ["valid", "same", "full"])
@pytest.mark.parametrize("lengths", [(5, 3), (3, 6), (4, 4)])
def test_correlate_when_the_kernel_is_longer(mode, lengths):
    a = rng.standard_normal(lengths[0])
    v = rng.standard_normal(lengths[1])
    np.testing.assert_allclose(to_np(ops.correlate(a, v, mode=mode)), np.correlate(a, v, mode=mode), atol=1e-6)


def test_digitize_on_the_bin_edges():
    x = np.array([-2.0, 0.0, 0.5, 1.0, 2.0, 3.0], "float32")
    bins = np.array([0.0, 1.0, 2.0], "float32")
    np.testing.assert_array_equal(to_np(ops.digitize(x, bins)), np.digitize(x, bins))


def test_histogram_drops_values_outside_its_range():
    x = np.array([-3.0, -1.0, -0.2, 0.0, 0.7, 1.0, 5.0], "float32")
    counts, edges = ops.histogram(x, bins=4, range=(-1.0, 1.0))
    expected_counts, expected_edges = np.histogram(x, bins=4, range=(-1.0, 1.0))
    np.testing.assert_array_equal(to_np(counts), expected_counts)
    np.testing.assert_allclose(to_np(edges), expected_edges, rtol=1e-6)


def test_integer_linspace_rounds_down_as_numpy():
    np.testing.assert_array_equal(to_np(ops.linspace(0, 10, 4, dtype="int32")), np.linspace(0, 10, 4, dtype="int32"))


def test_unsigned_negative_wraps_around():
    x = np.array([0, 1, 200], "uint8")
    np.testing.assert_array_equal(to_np(ops.negative(x)), np.negative(x))
    np.testing.assert_array_equal(to_np(ops.sign(x)), np.sign(x))


def test_take_with_negative_indices_and_take_along_a_middle_axis():
    x = rng.standard_normal((3, 4, 5)).astype("float32")
    np.testing.assert_array_equal(to_np(ops.take(x, np.array([-1, 0, 2]), axis=1)), np.take(x, [-1, 0, 2], axis=1))
    index = rng.integers(0, 4, (3, 2, 5))
    np.testing.assert_array_equal(to_np(ops.take_along_axis(x, index, axis=1)), np.take_along_axis(x, index, axis=1))


X234 = np.arange(24, dtype="float32").reshape(2, 3, 4)
ADVANCED_KEYS = {
    "2-D mask after an integer": (0, X234[0] > 5),
    "1-D mask after a slice": (slice(None), np.array([True, False, True])),
    "integer and array apart": (1, slice(None), [3, 0]),
    "two arrays apart": (np.array([[0], [1]]), slice(None), np.array([3, 0])),
    "two arrays together": (slice(None), np.array([0, 1]), np.array([1, 2])),
    "new axis and integer": (slice(None), None, 1),
}


@pytest.mark.parametrize("name", sorted(ADVANCED_KEYS))
def test_get_item_follows_numpys_advanced_indexing(name):
    if name == "integer and array apart" and backend.backend() == "torch":
        pytest.skip("torch keeps an integer's axis in place (basic indexing), as Keras on torch does")
    key = ADVANCED_KEYS[name]
    np.testing.assert_array_equal(to_np(ops.get_item(X234, key)), X234[key])
