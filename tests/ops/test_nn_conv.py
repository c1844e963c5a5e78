"""ops.nn convolution and pooling against NumPy loops that follow TF's definitions.

Each reference walks every output position and kernel tap explicitly (tiny shapes), so it shares
nothing with the backends' implementations.
"""

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


def _as_tuple(value, rank):
    return (value,) * rank if isinstance(value, int) else tuple(value)


def _same_pads(sizes, window, strides, dilation):
    """TF "same": output size ceil(n / s), the odd padding element after."""
    pads = []
    for n, k, s, d in zip(sizes, window, strides, dilation):
        total = max((-(-n // s) - 1) * s + (k - 1) * d + 1 - n, 0)
        pads.append((total // 2, total - total // 2))
    return pads


def reference_conv(x, kernel, strides, padding, dilation):
    """Channels-last grouped convolution, one output position and kernel tap at a time."""
    rank = x.ndim - 2
    taps, group_in, out_channels = kernel.shape[:rank], kernel.shape[-2], kernel.shape[-1]
    groups = x.shape[-1] // group_in
    group_out = out_channels // groups
    pads = _same_pads(x.shape[1:-1], taps, strides, dilation) if padding == "same" else [(0, 0)] * rank
    xp = np.pad(x, [(0, 0)] + pads + [(0, 0)])
    out_sizes = [(xp.shape[1 + i] - (taps[i] - 1) * dilation[i] - 1) // strides[i] + 1 for i in range(rank)]
    out = np.zeros((x.shape[0], *out_sizes, out_channels))
    for position in np.ndindex(*out_sizes):
        for tap in np.ndindex(*taps):
            source = tuple(p * s + t * d for p, s, t, d in zip(position, strides, tap, dilation))
            patch = xp[(slice(None),) + source]
            for g in range(groups):
                out[(slice(None),) + position + (slice(g * group_out, (g + 1) * group_out),)] += (
                    patch[:, g * group_in:(g + 1) * group_in] @ kernel[tap][:, g * group_out:(g + 1) * group_out]
                )
    return out


def reference_conv_transpose(x, kernel, strides, padding, output_padding, dilation):
    """TF's transposed conv: scatter every input element through the kernel, then crop as the forward conv pads."""
    rank = x.ndim - 2
    taps = kernel.shape[:rank]
    effective = [(k - 1) * d + 1 for k, d in zip(taps, dilation)]
    sizes = []
    for n, k, s, p in zip(x.shape[1:-1], effective, strides, output_padding):
        if p is None:
            sizes.append(n * s if padding == "same" else n * s + max(k - s, 0))
        else:
            sizes.append((n - 1) * s + k - 2 * (k // 2 if padding == "same" else 0) + p)
    full = np.zeros((x.shape[0], *[(n - 1) * s + k + 8 for n, s, k in zip(x.shape[1:-1], strides, effective)],
                     kernel.shape[-2]))
    for position in np.ndindex(*x.shape[1:-1]):
        for tap in np.ndindex(*taps):
            target = tuple(p * s + t * d for p, s, t, d in zip(position, strides, tap, dilation))
            full[(slice(None),) + target] += x[(slice(None),) + position] @ kernel[tap].T
    before = [b for b, _ in _same_pads(sizes, taps, strides, dilation)] if padding == "same" else [0] * rank
    return full[(slice(None),) + tuple(slice(b, b + n) for b, n in zip(before, sizes))]


def reference_pool(x, pool_size, strides, padding, kind):
    """Channels-last pooling over the real (unpadded) elements of each window."""
    rank = x.ndim - 2
    pads = _same_pads(x.shape[1:-1], pool_size, strides, (1,) * rank) if padding == "same" else [(0, 0)] * rank
    out_sizes = [(n + a + b - k) // s + 1 for n, (a, b), k, s in zip(x.shape[1:-1], pads, pool_size, strides)]
    out = np.zeros((x.shape[0], *out_sizes, x.shape[-1]))
    for position in np.ndindex(*out_sizes):
        window = tuple(
            slice(max(p * s - a, 0), min(p * s - a + k, n))
            for p, s, (a, _), k, n in zip(position, strides, pads, pool_size, x.shape[1:-1])
        )
        values = x[(slice(None),) + window + (slice(None),)].reshape(x.shape[0], -1, x.shape[-1])
        out[(slice(None),) + position] = values.max(1) if kind == "max" else values.mean(1)
    return out


def _channels_first(x):
    return np.moveaxis(x, -1, 1)


def _run(op, x, *args, data_format, **kwargs):
    """Call ``op`` in ``data_format`` on channels-last ``x``; return the result channels-last."""
    if data_format == "channels_first":
        return np.moveaxis(to_np(op(_channels_first(x), *args, data_format=data_format, **kwargs)), 1, -1)
    return to_np(op(x, *args, data_format=data_format, **kwargs))


_SPATIAL = {1: (7,), 2: (6, 5), 3: (5, 4, 4)}

CONV_CASES = [
    # (rank, kernel size, strides, padding, dilation, groups)
    (1, 3, 1, "valid", 1, 1),
    (1, 2, 2, "same", 1, 1),
    (1, 3, 1, "same", 2, 2),
    (2, 3, 1, "valid", 1, 1),
    (2, 3, 2, "same", 1, 1),
    (2, 2, 1, "same", 1, 1),
    (2, (2, 3), (2, 1), "same", 1, 2),
    (2, 3, 1, "valid", 2, 1),
    (2, 3, 1, "same", (2, 1), 1),
    (2, 4, 3, "same", 1, 1),
    (3, 2, 1, "valid", 1, 1),
    (3, 3, 2, "same", 1, 1),
    (3, 2, 1, "same", 2, 2),
]


def _case_id(case):
    return "-".join(str(v).replace(" ", "") for v in case)


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("case", CONV_CASES, ids=_case_id)
def test_conv(case, data_format):
    rank, size, strides, padding, dilation, groups = case
    size, strides, dilation = _as_tuple(size, rank), _as_tuple(strides, rank), _as_tuple(dilation, rank)
    x = rng.normal(size=(2, *_SPATIAL[rank], 4))
    kernel = rng.normal(size=(*size, 4 // groups, 6))
    expected = reference_conv(x, kernel, strides, padding, dilation)
    result = _run(ops.conv, x.astype("float32"), kernel.astype("float32"), strides=case[2], padding=padding,
                  dilation_rate=case[4], data_format=data_format)
    assert result.dtype == np.float32
    assert result.shape == expected.shape
    np.testing.assert_allclose(result, expected, rtol=1e-4, atol=1e-4)


DEPTHWISE_CASES = [(1, 3, 1, "same", 1), (2, 3, 2, "same", 1), (2, 2, 1, "valid", 2), (3, 2, 1, "same", 1)]


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("case", DEPTHWISE_CASES, ids=_case_id)
def test_depthwise_and_separable_conv(case, data_format):
    rank, size, strides, padding, dilation = case
    size, strides_t, dilation_t = _as_tuple(size, rank), _as_tuple(strides, rank), _as_tuple(dilation, rank)
    x = rng.normal(size=(2, *_SPATIAL[rank], 3))
    depthwise = rng.normal(size=(*size, 3, 2))
    # Depthwise output channel c * multiplier + m comes from input channel c and filter m.
    grouped = np.zeros((*size, 1, 6))
    for c in range(3):
        for m in range(2):
            grouped[..., 0, c * 2 + m] = depthwise[..., c, m]
    expected = reference_conv(x, grouped, strides_t, padding, dilation_t)
    out = _run(ops.depthwise_conv, x.astype("float32"), depthwise.astype("float32"), strides=strides,
               padding=padding, dilation_rate=dilation, data_format=data_format)
    np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-4)

    pointwise = rng.normal(size=(*(1,) * rank, 6, 5))
    expected = reference_conv(expected, pointwise, (1,) * rank, "valid", (1,) * rank)
    out = _run(ops.separable_conv, x.astype("float32"), depthwise.astype("float32"), pointwise.astype("float32"),
               strides=strides, padding=padding, dilation_rate=dilation, data_format=data_format)
    np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-4)


TRANSPOSE_CASES = [
    # (rank, kernel size, strides, padding, output_padding, dilation)
    (1, 3, 2, "valid", None, 1),
    (1, 3, 2, "same", None, 1),
    (1, 2, 3, "valid", None, 1),
    (1, 4, 2, "same", 1, 1),
    (2, 3, 1, "same", None, 1),
    (2, 3, 2, "same", None, 1),
    (2, 2, 2, "same", None, 1),
    (2, (3, 2), (2, 1), "valid", None, 1),
    (2, 3, 2, "valid", 1, 1),
    (2, 3, 1, "same", None, 2),
    (2, 3, 1, "valid", None, 2),
    (3, 2, 2, "same", None, 1),
    (3, 3, 2, "valid", None, 1),
]


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("case", TRANSPOSE_CASES, ids=_case_id)
def test_conv_transpose(case, data_format):
    rank, size, strides, padding, output_padding, dilation = case
    size = _as_tuple(size, rank)
    out_pad = (None,) * rank if output_padding is None else _as_tuple(output_padding, rank)
    x = rng.normal(size=(2, *_SPATIAL[rank][:rank], 3))
    kernel = rng.normal(size=(*size, 5, 3))
    expected = reference_conv_transpose(x, kernel, _as_tuple(strides, rank), padding, out_pad,
                                        _as_tuple(dilation, rank))
    out = _run(ops.conv_transpose, x.astype("float32"), kernel.astype("float32"), strides=strides, padding=padding,
               output_padding=output_padding, dilation_rate=dilation, data_format=data_format)
    assert out.shape == expected.shape
    np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-4)


POOL_CASES = [
    # (rank, pool size, strides, padding)
    (1, 2, None, "valid"),
    (1, 3, 2, "same"),
    (2, 2, None, "valid"),
    (2, 3, 2, "same"),
    (2, 2, 1, "same"),
    (2, (2, 3), (1, 2), "same"),
    (2, 3, 3, "same"),
    (3, 2, None, "same"),
    (3, 3, 2, "same"),
]


@pytest.mark.parametrize("kind", ["max", "average"])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("case", POOL_CASES, ids=_case_id)
def test_pool(case, data_format, kind):
    rank, pool_size, strides, padding = case
    x = rng.normal(size=(2, *_SPATIAL[rank], 3))
    pool = _as_tuple(pool_size, rank)
    expected = reference_pool(x, pool, pool if strides is None else _as_tuple(strides, rank), padding, kind)
    op = ops.max_pool if kind == "max" else ops.average_pool
    out = _run(op, x.astype("float32"), pool_size, strides=strides, padding=padding, data_format=data_format)
    assert out.shape == expected.shape and out.dtype == np.float32
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-6)


def test_default_data_format_follows_the_global_setting():
    x = rng.normal(size=(1, 3, 4, 4)).astype("float32")
    kernel = rng.normal(size=(2, 2, 3, 2)).astype("float32")
    expected = to_np(ops.conv(x, kernel, data_format="channels_first"))
    backend.set_image_data_format("channels_first")
    try:
        np.testing.assert_allclose(to_np(ops.conv(x, kernel)), expected)
        assert tuple(ops.max_pool(x, 2).shape) == (1, 3, 2, 2)
    finally:
        backend.set_image_data_format("channels_last")


def test_integer_inputs_give_floatx():
    x = np.arange(16, dtype="int32").reshape(1, 4, 4, 1)
    assert dtype_of(ops.conv(x, np.ones((2, 2, 1, 1), "int32"))) == "float32"
    assert dtype_of(ops.conv(x, np.ones((2, 2, 1, 1), "float64"))) == "float64"
    assert dtype_of(ops.average_pool(x, 2)) == "float32"
    np.testing.assert_array_equal(to_np(ops.max_pool(x, 2)).ravel(), [5, 7, 13, 15])


# ---- symbolic shape inference ----

SYMBOLIC_CASES = {
    "conv_same_strided": (lambda x, k: ops.conv(x, k, 2, "same"), [(None, 7, None, 3), (3, 3, 3, 4)],
                          (None, 4, None, 4)),
    "conv_valid_1d": (lambda x, k: ops.conv(x, k), [(None, 7, 3), (3, 3, 4)], (None, 5, 4)),
    "conv_channels_first": (lambda x, k: ops.conv(x, k, data_format="channels_first"), [(None, 3, 6, 6), (3, 3, 3, 4)],
                            (None, 4, 4, 4)),
    "depthwise_conv": (lambda x, k: ops.depthwise_conv(x, k, padding="same"), [(None, 5, 5, 3), (3, 3, 3, 2)],
                       (None, 5, 5, 6)),
    "separable_conv": (lambda x, d, p: ops.separable_conv(x, d, p), [(None, 5, 5, 3), (3, 3, 3, 2), (1, 1, 6, 4)],
                       (None, 3, 3, 4)),
    "conv_transpose": (lambda x, k: ops.conv_transpose(x, k, 2, "same"), [(None, 4, 4, 3), (3, 3, 5, 3)],
                       (None, 8, 8, 5)),
    "conv_transpose_3d": (lambda x, k: ops.conv_transpose(x, k, 2), [(None, 2, 2, 2, 3), (3, 3, 3, 5, 3)],
                          (None, 5, 5, 5, 5)),
    "max_pool": (lambda x: ops.max_pool(x, 2, padding="same"), [(None, 5, 5, 3)], (None, 3, 3, 3)),
    "average_pool_1d": (lambda x: ops.average_pool(x, 3, 2, "same"), [(None, None, 3)], (None, None, 3)),
}


@pytest.mark.parametrize("name", sorted(SYMBOLIC_CASES))
def test_symbolic_shapes(name):
    fn, shapes, expected = SYMBOLIC_CASES[name]
    out = fn(*[KerasTensor(shape, "float32") for shape in shapes])
    assert out.shape == expected and out.dtype == "float32"


# ---- gradients ----

GRADIENT_CASES = {
    "conv": (lambda x, k: ops.conv(x, k, 2, "same"), [(1, 4, 4, 2), (3, 3, 2, 2)]),
    "conv_grouped_1d": (lambda x, k: ops.conv(x, k, 1, "same", dilation_rate=2), [(1, 6, 4), (2, 2, 4)]),
    "depthwise_conv": (lambda x, k: ops.depthwise_conv(x, k, padding="same"), [(1, 4, 4, 2), (2, 2, 2, 2)]),
    "separable_conv": (lambda x, d, p: ops.separable_conv(x, d, p), [(1, 4, 4, 2), (2, 2, 2, 1), (1, 1, 2, 2)]),
    "conv_transpose": (lambda x, k: ops.conv_transpose(x, k, 2, "same"), [(1, 3, 3, 2), (3, 3, 2, 2)]),
    "conv_transpose_3d": (lambda x, k: ops.conv_transpose(x, k, 2, "same"), [(1, 3, 2, 2, 2), (2, 2, 2, 3, 2)]),
    "conv_transpose_dilated_channels_first": (
        lambda x, k: ops.conv_transpose(x, k, 2, "same", dilation_rate=2, data_format="channels_first"),
        [(1, 2, 3, 4), (3, 3, 3, 2)]),
    "conv_grouped_3d_strided_dilated": (lambda x, k: ops.conv(x, k, 2, "same", dilation_rate=2),
                                        [(1, 5, 4, 4, 4), (2, 2, 2, 2, 2)]),
    "depthwise_conv_unequal_strides": (lambda x, k: ops.depthwise_conv(x, k, (2, 1), "same"),
                                       [(1, 5, 4, 2), (3, 3, 2, 2)]),
    "max_pool": (lambda x: ops.max_pool(x, 2, 1, "same"), [(1, 4, 4, 2)]),
    "average_pool": (lambda x: ops.average_pool(x, 3, 2, "same"), [(1, 4, 4, 2)]),
}


@pytest.mark.skipif(BACKEND == "numpy", reason="the numpy backend computes no gradients")
@pytest.mark.parametrize("name", sorted(GRADIENT_CASES))
def test_gradients(name):
    fn, shapes = GRADIENT_CASES[name]
    check_gradients(fn, [rng.normal(size=shape) for shape in shapes])


# ---- bad inputs ----


@pytest.mark.parametrize("op_name, args", [
    ("conv", (np.ones((4, 3)), np.ones((3, 3, 3)))),
    ("conv", (np.ones((1, 5, 5, 3)), np.ones((3, 3, 4)))),
    ("depthwise_conv", (np.ones((2, 5)), np.ones((3, 2, 2)))),
    ("conv_transpose", (np.ones((5, 3)), np.ones((3, 2, 3)))),
    ("max_pool", (np.ones((5, 3)), 2)),
    ("average_pool", (np.ones((1, 2, 3, 4, 5, 6)), 2)),
])
def test_wrong_rank_names_the_op_and_shapes(op_name, args):
    with pytest.raises(ValueError, match=rf"ops\.{op_name}.*rank 3, 4 or 5") as info:
        getattr(ops, op_name)(*args)
    assert str(tuple(args[0].shape)) in str(info.value)


@pytest.mark.parametrize("op_name, kernel", [
    ("conv", np.ones((3, 3, 4, 2))),
    ("depthwise_conv", np.ones((3, 3, 2, 2))),
    ("conv_transpose", np.ones((3, 3, 2, 4))),
])
def test_kernel_channel_mismatch_names_the_op_and_shapes(op_name, kernel):
    with pytest.raises(ValueError, match=rf"ops\.{op_name}.*input channels must match the kernel") as info:
        getattr(ops, op_name)(np.ones((1, 5, 5, 3)), kernel)  # the phrase is Keras 3.15.1's
    assert str(kernel.shape) in str(info.value)
    with pytest.raises(ValueError, match="input channels must match the kernel"):  # symbolic calls too
        getattr(ops, op_name)(KerasTensor((1, 5, 5, 3)), KerasTensor(kernel.shape))


def test_bad_padding_is_named():
    with pytest.raises(ValueError, match="padding"):
        ops.conv(np.ones((1, 5, 3)), np.ones((3, 3, 2)), padding="full")
    with pytest.raises(ValueError, match="padding"):
        ops.max_pool(np.ones((1, 5, 3)), 2, padding="causal")
