"""ops.math against NumPy and textbook formulas: values, shapes, dtypes, symbolic shapes, gradients."""

import math
import re

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


_erf = np.vectorize(math.erf)


# ---- element-wise special functions ----

UNARY = {
    # name: (reference, input sampler)
    "rsqrt": (lambda x: 1 / np.sqrt(x), lambda shape: rng.uniform(0.1, 4, shape)),
    "erf": (_erf, lambda shape: rng.uniform(-3, 3, shape)),
    "erfinv": (None, lambda shape: rng.uniform(-0.95, 0.95, shape)),  # checked through erf below
}


@pytest.mark.parametrize("name", sorted(UNARY))
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_unary_values_and_dtype(name, dtype):
    reference, sample = UNARY[name]
    x = sample((3, 4)).astype(dtype)
    out = getattr(ops, name)(x)
    assert dtype_of(out) == dtype and tuple(out.shape) == (3, 4)
    if reference is None:  # erfinv: erf(erfinv(x)) == x
        np.testing.assert_allclose(_erf(to_np(out).astype("float64")), x, rtol=1e-5, atol=1e-6)
    else:
        np.testing.assert_allclose(to_np(out), reference(x.astype("float64")), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_integer_input_gives_floatx(name):
    out = getattr(ops, name)(np.array([0, 1], dtype="int32") if name != "rsqrt" else np.array([1, 4], "int32"))
    assert dtype_of(out) == "float32"


def test_erfinv_known_values():
    out = to_np(ops.erfinv(np.array([-0.5, -0.2, -0.1, 0.0, 0.3], "float32")))
    np.testing.assert_allclose(out, [-0.47694, -0.17914, -0.08886, 0.0, 0.27246], atol=1e-5)


def test_erfinv_pure_numpy_fallback_matches_erf():
    from brickwork.backend.numpy import math as numpy_math

    x = np.linspace(-0.999, 0.999, 41)
    np.testing.assert_allclose(_erf(numpy_math._erfinv_fallback(x)), x, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(numpy_math._erf_fallback(x), _erf(x), rtol=1e-15)


# ---- segment reductions ----

def _segment_reference(data, ids, num_segments, reduce):
    out = []
    for s in range(num_segments):
        rows = data[ids == s]
        if reduce == "sum":
            out.append(rows.sum(axis=0) if len(rows) else np.zeros(data.shape[1:], data.dtype))
        else:
            lowest = -np.inf if data.dtype.kind == "f" else np.iinfo(data.dtype).min
            out.append(rows.max(axis=0) if len(rows) else np.full(data.shape[1:], lowest, data.dtype))
    return np.stack(out).astype(data.dtype)


@pytest.mark.parametrize("reduce", ["sum", "max"])
@pytest.mark.parametrize("dtype", ["float32", "int32"])
@pytest.mark.parametrize("sorted_ids", [True, False])
def test_segment_reductions(reduce, dtype, sorted_ids):
    data = (rng.standard_normal((7, 3)) * 10).astype(dtype)
    ids = np.array([0, 0, 1, 3, 3, 3, 1] if not sorted_ids else [0, 0, 1, 1, 3, 3, 3], dtype="int32")
    op = ops.segment_sum if reduce == "sum" else ops.segment_max
    out = op(data, ids, num_segments=5, sorted=sorted_ids)
    assert dtype_of(out) == dtype and tuple(out.shape) == (5, 3)
    np.testing.assert_allclose(to_np(out), _segment_reference(data, ids, 5, reduce), rtol=1e-6)


@pytest.mark.parametrize("op", [ops.segment_sum, ops.segment_max])
def test_segment_out_of_range_ids_are_dropped_and_count_is_inferred(op):
    data = np.arange(6, dtype="float32")
    ids = np.array([0, -1, 1, 7, 1, 2], dtype="int32")
    dropped = op(data, ids, num_segments=3)
    reduce = "sum" if op is ops.segment_sum else "max"
    keep = (ids >= 0) & (ids < 3)
    np.testing.assert_allclose(to_np(dropped), _segment_reference(data[keep], ids[keep], 3, reduce))
    inferred = op(data[:3], np.array([0, 2, 2], "int32"))
    assert tuple(inferred.shape) == (3,)


def test_segment_sum_keras_example():
    out = ops.segment_sum([1, 2, 10, 20, 100, 200], [0, 0, 1, 1, 2, 2], num_segments=3)
    np.testing.assert_array_equal(to_np(out), [3, 30, 300])
    assert dtype_of(out) == "int32"


# ---- top_k, in_top_k ----

@pytest.mark.parametrize("dtype", ["float32", "int32"])
def test_top_k_matches_numpy_and_breaks_ties_by_index(dtype):
    x = np.array([[5, 2, 7, 1, 9, 3, 7], [1, 1, 0, 4, 4, 4, 2]], dtype=dtype)
    values, indices = ops.top_k(x, k=4)
    expected_indices = np.argsort(-x.astype("float64"), axis=-1, kind="stable")[:, :4]
    np.testing.assert_array_equal(to_np(indices), expected_indices)
    np.testing.assert_array_equal(to_np(values), np.take_along_axis(x, expected_indices, axis=-1))
    assert dtype_of(values) == dtype and dtype_of(indices) == "int32"


def test_in_top_k_matches_rank_definition():
    predictions = rng.standard_normal((6, 5)).astype("float32")
    predictions[0, :] = 1.0  # all tied: the target counts as in the top k
    targets = np.array([3, 0, 4, 1, 2, 2], dtype="int32")
    for k in (1, 2, 5):
        out = to_np(ops.in_top_k(targets, predictions, k))
        rank = (predictions > predictions[np.arange(6), targets][:, None]).sum(axis=1)
        np.testing.assert_array_equal(out, rank < k)
        assert out.dtype == np.bool_
    # Class ids given as floats (Keras's tests feed float targets) name the same classes.
    np.testing.assert_array_equal(to_np(ops.in_top_k(targets.astype("float32"), predictions, 2)),
                                  to_np(ops.in_top_k(targets, predictions, 2)))


def test_in_top_k_keras_example_with_out_of_range_target():
    predictions = [[0.1, 0.4, 0.6, 0.9, 0.5], [0.1, 0.7, 0.9, 0.8, 0.3], [0.1, 0.6, 0.9, 0.9, 0.5]]
    np.testing.assert_array_equal(to_np(ops.in_top_k([2, 5, 3], predictions, 3)), [True, False, True])


# ---- logsumexp, extract_sequences ----

@pytest.mark.parametrize("axis, keepdims", [(None, False), (None, True), (1, False), (-1, True), ((0, 2), False)])
def test_logsumexp(axis, keepdims):
    x = rng.standard_normal((2, 3, 4)).astype("float32") * 5
    out = ops.logsumexp(x, axis=axis, keepdims=keepdims)
    expected = np.log(np.sum(np.exp(x.astype("float64")), axis=axis, keepdims=keepdims))
    assert dtype_of(out) == "float32" and tuple(out.shape) == expected.shape
    np.testing.assert_allclose(to_np(out), expected, rtol=1e-5)


def test_logsumexp_is_stable_and_gives_floatx_for_ints():
    np.testing.assert_allclose(to_np(ops.logsumexp(np.array([1000.0, 1000.0]))), 1000 + np.log(2))
    assert to_np(ops.logsumexp(np.array([-np.inf, -np.inf], "float32"))) == -np.inf
    assert dtype_of(ops.logsumexp(np.array([1, 2], "int32"))) == "float32"


@pytest.mark.parametrize("length, stride", [(3, 2), (2, 1), (4, 4), (5, 3)])
def test_extract_sequences(length, stride):
    x = np.arange(2 * 11, dtype="int32").reshape(2, 11)
    out = ops.extract_sequences(x, length, stride)
    count = 1 + (11 - length) // stride
    expected = np.stack([x[:, i * stride : i * stride + length] for i in range(count)], axis=1)
    assert dtype_of(out) == "int32"
    np.testing.assert_array_equal(to_np(out), expected)


# ---- Fourier transforms ----

def _pair(shape, dtype):
    return rng.standard_normal(shape).astype(dtype), rng.standard_normal(shape).astype(dtype)


@pytest.mark.parametrize("name, reference", [("fft", np.fft.fft), ("fft2", np.fft.fft2), ("ifft2", np.fft.ifft2)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_complex_transforms(name, reference, dtype):
    real, imag = _pair((2, 4, 6), dtype)
    out_real, out_imag = getattr(ops, name)((real, imag))
    expected = reference(real.astype("float64") + 1j * imag)
    assert dtype_of(out_real) == dtype and dtype_of(out_imag) == dtype
    tol = 1e-4 if dtype == "float32" else 1e-10
    np.testing.assert_allclose(to_np(out_real), expected.real, rtol=tol, atol=tol)
    np.testing.assert_allclose(to_np(out_imag), expected.imag, rtol=tol, atol=tol)


@pytest.mark.parametrize("fft_length", [None, 6, 9])
def test_rfft_and_irfft(fft_length):
    x = rng.standard_normal((3, 8)).astype("float32")
    real, imag = ops.rfft(x, fft_length)
    expected = np.fft.rfft(x.astype("float64"), n=fft_length)
    assert dtype_of(real) == "float32" and tuple(real.shape) == expected.shape
    np.testing.assert_allclose(to_np(real), expected.real, atol=1e-4)
    np.testing.assert_allclose(to_np(imag), expected.imag, atol=1e-4)
    back = ops.irfft((real, imag), fft_length)
    expected_back = np.fft.irfft(expected, n=fft_length)
    assert dtype_of(back) == "float32"
    np.testing.assert_allclose(to_np(back), expected_back, atol=1e-4)


def test_fft_rejects_mismatched_parts_naming_the_op():
    with pytest.raises(ValueError, match="fft"):
        ops.fft((np.zeros((2, 3), "float32"), np.zeros((2, 4), "float32")))


def _stft_reference(x, length, stride, fft_length, center):
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(length) / length)  # periodic Hann
    left = (fft_length - length) // 2
    window = np.pad(window, (left, fft_length - length - left))
    if center:
        x = np.pad(x, [(0, 0), (fft_length // 2, fft_length // 2)], mode="reflect")
    count = 1 + (x.shape[-1] - fft_length) // stride
    frames = np.stack([x[:, i * stride : i * stride + fft_length] for i in range(count)], axis=1)
    return np.fft.rfft(frames * window, n=fft_length)


@pytest.mark.parametrize("length, stride, fft_length, center", [(8, 4, 8, True), (6, 2, 8, False), (5, 2, 8, True)])
def test_stft_matches_framed_rfft(length, stride, fft_length, center):
    x = rng.standard_normal((2, 32))
    real, imag = ops.stft(x, length, stride, fft_length, center=center)
    expected = _stft_reference(x, length, stride, fft_length, center)
    assert tuple(real.shape) == expected.shape and dtype_of(real) == "float64"
    np.testing.assert_allclose(to_np(real), expected.real, atol=1e-10)
    np.testing.assert_allclose(to_np(imag), expected.imag, atol=1e-10)


def test_stft_keras_example():
    real, imag = ops.stft(np.array([0.0, 1.0, 2.0, 3.0, 4.0]), 3, 2, 3)
    np.testing.assert_allclose(to_np(real), [[0.75, -0.375], [3.75, -1.875], [5.25, -2.625]], atol=1e-7)
    np.testing.assert_allclose(to_np(imag), [[0.0, 0.64951905], [0.0, 0.64951905], [0.0, -0.64951905]], atol=1e-7)


@pytest.mark.parametrize("window", ["hann", "hamming"])
def test_istft_inverts_stft(window):
    x = rng.standard_normal((2, 40)).astype("float32")
    spectrum = ops.stft(x, 16, 4, 16, window=window)
    back = ops.istft(spectrum, 16, 4, 16, length=40, window=window)
    assert tuple(back.shape) == (2, 40) and dtype_of(back) == "float32"
    np.testing.assert_allclose(to_np(back), x, atol=1e-4)


def test_istft_without_window_only_overlap_adds():
    """Keras 3.15.1's istft with ``window=None`` sums the inverse frames and divides by nothing."""
    real, imag = _pair((2, 5, 9), "float64")
    frames = np.fft.irfft(real + 1j * imag, n=16)
    expected = np.zeros((2, 16 + 4 * 4))
    for i in range(5):
        expected[:, i * 4 : i * 4 + 16] += frames[:, i]
    out = ops.istft((real, imag), 16, 4, 16, window=None, center=False)
    np.testing.assert_allclose(to_np(out), expected, atol=1e-10)


# Each invalid call, the error class and the phrase Keras 3.15.1 raises it with (brickwork names the op as well).
INVALID_CALLS = {
    "fft of one tensor": (lambda: ops.fft(np.ones(3)), ValueError, "Input `x` should be a tuple of two tensors"),
    "irfft of three tensors": (lambda: ops.irfft((np.ones(3),) * 3), ValueError, "should be a tuple of two tensors"),
    "fft2 parts of two shapes": (lambda: ops.fft2((np.ones((2, 3)), np.ones((2, 4)))), ValueError,
                                 "Both the real and imaginary parts should have the same shape"),
    "fft of scalars": (lambda: ops.fft((np.array(1.0), np.array(1.0))), ValueError, "Input should have rank >= 1"),
    "fft2 of vectors": (lambda: ops.fft2((np.ones(3), np.ones(3))), ValueError, "Input should have rank >= 2"),
    "istft of vectors": (lambda: ops.istft((np.ones(3), np.ones(3)), 2, 1, 4), ValueError, "rank >= 2"),
    "rfft of a scalar": (lambda: ops.rfft(np.array(5.0)), ValueError, "Input should have rank >= 1"),
    "fft of undefined length": (lambda: ops.fft((KerasTensor((None,)), KerasTensor((None,)))), ValueError,
                                "Input should have its last dimension fully-defined"),
    "fft2 of undefined axes": (lambda: ops.fft2((KerasTensor((2, None, 3)), KerasTensor((2, None, 3)))),
                               ValueError, "Input should have its last 2 axes fully-defined"),
    "fft of integer parts": (lambda: ops.fft((np.arange(3), np.arange(3))), ValueError, "not of type float"),
    "extract_sequences of a scalar": (lambda: ops.extract_sequences(np.array(42), 5, 1), ValueError,
                                      "Input should have rank >= 1"),
    "stft of integers": (lambda: ops.stft(np.arange(4), 2, 1, 4), TypeError, "`float32` or `float64`"),
    "stft fft_length too short": (lambda: ops.stft(np.ones(4), 4, 1, 2), ValueError, "`fft_length` must equal or"),
    "stft unknown window": (lambda: ops.stft(np.ones(4), 2, 1, 4, window="box"), ValueError,
                            "If a string is passed to `window`"),
    "stft window of the wrong length": (lambda: ops.stft(np.ones(4), 2, 1, 4, window=np.ones(3)), ValueError,
                                        "The shape of `window` must be equal to"),
    "istft window of the wrong length": (lambda: ops.istft((np.ones((1, 3)),) * 2, 2, 1, 4, window=np.ones(3)),
                                         ValueError, "The shape of `window` must be equal to"),
    "stft zero stride": (lambda: ops.stft(np.ones(4), 2, 0, 4), ValueError,
                         "`sequence_stride` must be a positive integer"),
    "istft fractional stride": (lambda: ops.istft((np.ones((1, 3)),) * 2, 2, 1.5, 4), ValueError,
                                "`sequence_stride` must be a positive integer"),
    "segment ids of rank 2": (lambda: ops.segment_sum(np.ones(4), np.zeros((2, 2), "int32")), ValueError,
                              "Argument `segment_ids` should be an 1-D vector"),
    "segment ids longer than data": (lambda: ops.segment_max(np.ones(0), np.zeros(4, "int32")), ValueError,
                                     "Argument `segment_ids` and `data` should have same leading dimension"),
    "symbolic segment ids of another length": (
        lambda: ops.segment_sum(KerasTensor((3, 2)), KerasTensor((4,), dtype="int32"), num_segments=2), ValueError,
        "should have same leading dimension"),
    "view_as_complex of odd pairs": (lambda: ops.view_as_complex(np.ones(3)), ValueError,
                                     "Last dimension of input must be size 2"),
}


@pytest.mark.parametrize("case", sorted(INVALID_CALLS))
def test_invalid_arguments_raise_keras_errors(case):
    call, error, phrase = INVALID_CALLS[case]
    with pytest.raises(error, match=re.escape(phrase)):
        call()


def test_segment_ids_of_unknown_length_are_accepted_symbolically():
    assert ops.segment_sum(KerasTensor((None, 4)), KerasTensor((5,)), num_segments=3).shape == (3, 4)
    assert ops.segment_max(KerasTensor((5, 4)), KerasTensor((None,)), num_segments=3).shape == (3, 4)


def test_op_classes_keep_their_static_arguments():
    from brickwork.ops import math as kmath

    op = kmath.ExtractSequences(5, 2)
    assert (op.sequence_length, op.sequence_stride) == (5, 2)
    assert kmath.RFFT(fft_length=8).fft_length == 8
    assert kmath.STFT(4, 2, 8, window=None).window is None


# ---- logdet and the qr alias ----

def test_logdet_of_positive_definite_matrices():
    a = rng.standard_normal((2, 4, 4))
    x = (a @ a.transpose(0, 2, 1) + 4 * np.eye(4)).astype("float32")
    out = ops.logdet(x)
    assert tuple(out.shape) == (2,) and dtype_of(out) == "float32"
    np.testing.assert_allclose(to_np(out), np.linalg.slogdet(x.astype("float64"))[1], rtol=1e-5)


def test_qr_is_also_in_math():
    from brickwork.ops import linalg, math as ops_math

    assert ops_math.qr is linalg.qr is ops.qr


# ---- symbolic shape and dtype inference ----

SYMBOLIC = [
    # (call on symbolic inputs, expected shapes, expected dtypes)
    (lambda: ops.segment_sum(KerasTensor((None, 3)), KerasTensor((None,), "int32"), num_segments=4),
     [(4, 3)], ["float32"]),
    (lambda: ops.segment_max(KerasTensor((None, 3), "int32"), KerasTensor((None,), "int32")),
     [(None, 3)], ["int32"]),
    (lambda: ops.top_k(KerasTensor((None, 10)), 3), [(None, 3), (None, 3)], ["float32", "int32"]),
    (lambda: ops.in_top_k(KerasTensor((None,), "int32"), KerasTensor((None, 5)), 2), [(None,)], ["bool"]),
    (lambda: ops.logsumexp(KerasTensor((None, 4, 5)), axis=1), [(None, 5)], ["float32"]),
    (lambda: ops.logsumexp(KerasTensor((None, 4), "int32"), keepdims=True), [(1, 1)], ["float32"]),
    (lambda: ops.extract_sequences(KerasTensor((None, 10)), 4, 2), [(None, 4, 4)], ["float32"]),
    (lambda: ops.extract_sequences(KerasTensor((2, None)), 4, 2), [(2, None, 4)], ["float32"]),
    (lambda: ops.fft((KerasTensor((None, 8)), KerasTensor((None, 8)))), [(None, 8)] * 2, ["float32"] * 2),
    (lambda: ops.fft2((KerasTensor((None, 4, 8)), KerasTensor((None, 4, 8)))), [(None, 4, 8)] * 2, ["float32"] * 2),
    (lambda: ops.rfft(KerasTensor((None, 8))), [(None, 5)] * 2, ["float32"] * 2),
    (lambda: ops.rfft(KerasTensor((None, 8)), 6), [(None, 4)] * 2, ["float32"] * 2),
    (lambda: ops.irfft((KerasTensor((None, 5)), KerasTensor((None, 5)))), [(None, 8)], ["float32"]),
    (lambda: ops.stft(KerasTensor((None, 32)), 8, 4, 8), [(None, 9, 5)] * 2, ["float32"] * 2),
    (lambda: ops.istft((KerasTensor((None, 9, 5)), KerasTensor((None, 9, 5))), 8, 4, 8), [(None, 32)], ["float32"]),
    (lambda: ops.rsqrt(KerasTensor((None, 3), "float64")), [(None, 3)], ["float64"]),
    (lambda: ops.erf(KerasTensor((None, 3), "int32")), [(None, 3)], ["float32"]),
    (lambda: ops.erfinv(KerasTensor((None, 3))), [(None, 3)], ["float32"]),
    (lambda: ops.logdet(KerasTensor((None, 3, 3))), [(None,)], ["float32"]),
]


@pytest.mark.parametrize("case", range(len(SYMBOLIC)))
def test_symbolic_shapes_and_dtypes(case):
    call, shapes, dtypes = SYMBOLIC[case]
    out = call()
    outs = list(out) if isinstance(out, (tuple, list)) else [out]
    assert all(isinstance(o, KerasTensor) for o in outs)
    assert [o.shape for o in outs] == shapes
    assert [o.dtype for o in outs] == dtypes


def test_symbolic_bad_input_names_the_op():
    with pytest.raises(ValueError, match="top_k"):
        ops.top_k(KerasTensor((None, 3)), 5)


def test_bad_input_names_the_op():
    with pytest.raises((ValueError, IndexError), match="top_k"):
        ops.top_k(np.zeros((2, 3), "float32"), 5)


# ---- gradients (finite differences, torch and jax) ----

GRADIENTS = {
    "logsumexp": (lambda x: ops.logsumexp(x, axis=1), [(3, 4)]),
    "segment_sum": (lambda x: ops.segment_sum(x, np.array([0, 2, 0, 1]), num_segments=3) ** 2, [(4, 2)]),
    "segment_max": (lambda x: ops.segment_max(x, np.array([0, 2, 0, 1]), num_segments=3), [(4, 2)]),
    "extract_sequences": (lambda x: ops.extract_sequences(x, 3, 2) ** 2, [(2, 7)]),
    "rsqrt": (lambda x: ops.rsqrt(x * x + 1.0), [(5,)]),
    "erf": (lambda x: ops.erf(x), [(5,)]),
    "erfinv": (lambda x: ops.erfinv(0.4 * ops.erf(x)), [(5,)]),
    "logdet": (lambda x: ops.logdet(x @ x.T), [(3, 3)]),
    "rfft": (lambda x: ops.rfft(x)[0] + 2 * ops.rfft(x)[1], [(6,)]),
    "stft": (lambda x: ops.stft(x, 4, 2, 4)[1], [(10,)]),
}


@pytest.mark.skipif(BACKEND == "numpy", reason="the numpy backend computes no gradients")
@pytest.mark.parametrize("name", sorted(GRADIENTS))
def test_gradients_match_finite_differences(name):
    fn, shapes = GRADIENTS[name]
    inputs = [rng.standard_normal(shape) for shape in shapes]
    if name == "logdet":
        inputs[0] += 2 * np.eye(3)
    check_gradients(fn, inputs)


@pytest.mark.parametrize("name", ["segment_min", "segment_prod"])
def test_segment_min_and_prod(name):
    data = np.array([[1.0, 2.0], [3.0, -4.0], [5.0, 0.5], [7.0, 2.0]], "float32")
    ids = np.array([0, 2, 0, 2], "int32")
    reduce = np.minimum if name == "segment_min" else np.multiply
    empty = np.inf if name == "segment_min" else 1.0
    expected = np.stack([reduce(data[0], data[2]), np.full(2, empty, "float32"), reduce(data[1], data[3])])
    np.testing.assert_allclose(backend.convert_to_numpy(getattr(ops, name)(data, ids, num_segments=3)), expected)
    assert getattr(ops, name)(KerasTensor((4, 2)), KerasTensor((4,), dtype="int32"), num_segments=3).shape == (3, 2)


def test_erfc_matches_reference():
    x = np.array([-2.0, 0.0, 0.5, 3.0, 6.0], "float64")
    expected = np.array([1.9953222650189528, 1.0, 0.4795001221869535, 2.209049699858544e-05, 2.1519736712498913e-17])
    np.testing.assert_allclose(backend.convert_to_numpy(ops.erfc(x)), expected, rtol=1e-7)
    assert backend.standardize_dtype(ops.erfc(np.array([1, 2], "int32")).dtype) == "float32"


# ---- cdist, view_as_complex, view_as_real ----


def test_cdist_against_scipy():
    from scipy.spatial.distance import cdist

    x, y = rng.standard_normal((2, 5, 3)).astype("float32"), rng.standard_normal((2, 4, 3)).astype("float32")
    out = to_np(ops.cdist(x, y))
    np.testing.assert_allclose(out, np.stack([cdist(a, b) for a, b in zip(x, y)]), rtol=1e-5)
    assert dtype_of(ops.cdist(np.ones((2, 3), "int32"), np.zeros((4, 3), "int32"))) == backend.floatx()
    assert ops.cdist(KerasTensor((None, 5, 3)), KerasTensor((None, 4, 3))).shape == (None, 5, 4)
    with pytest.raises(ValueError, match="last dimensions"):
        ops.cdist(np.ones((2, 3)), np.ones((2, 4)))


def test_view_as_complex_and_real():
    pairs = rng.standard_normal((3, 4, 2)).astype("float32")
    out = to_np(ops.view_as_complex(pairs))
    np.testing.assert_array_equal(out, pairs[..., 0] + 1j * pairs[..., 1])
    assert out.dtype == np.complex64
    assert to_np(ops.view_as_complex(pairs.astype("float64"))).dtype == np.complex64  # as in Keras 3.15.1
    np.testing.assert_array_equal(to_np(ops.view_as_real(out)), pairs)
    assert ops.view_as_complex(KerasTensor((3, 2))).shape == (3,)
    assert ops.view_as_real(KerasTensor((3,), dtype="complex64")).shape == (3, 2)
    with pytest.raises(ValueError, match="Last dimension of input must be size 2"):
        ops.view_as_complex(np.ones((3, 3), "float32"))
