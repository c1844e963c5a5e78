"""numpy backend: neural-network ops, for inference.

Convolution and pooling gather each output's window with ``sliding_window_view`` (strided, no copy)
and reduce it with ``einsum`` or a NumPy reduction, working channels-last internally.

Shared with the other NumPy-like engines: ``common/nn_ops.py``, included here with ``xp = numpy``
(see ``common/binding.py``).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from brickwork.backend import config
from brickwork.backend.common import dtypes
from brickwork.backend.common.binding import include
from brickwork.backend.numpy.core import convert_to_tensor, stop_gradient  # noqa: F401 - bound for the include
from brickwork.backend.numpy.math import erf
from brickwork.backend.common.conv_utils import (  # noqa: F401
    _check_depthwise_channels,
    _check_groups,
    _check_transpose_channels,
    _padding_mode,
    _same_pads,
    _spatial_rank,
    _transpose_pads,
    _tuple,
)

# ruff: noqa: F821 - the functions include() defines are unknown to linters
xp = np  # the array namespace common/nn_ops.py runs on
include("nn_ops", globals())

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _float(x) -> np.ndarray:
    """``x`` as a floating array: integers and bools become floatx."""
    x = convert_to_tensor(x)
    if x.dtype.kind == "f":
        return x
    return x.astype(config.floatx())


def _rsqrt(x: np.ndarray) -> np.ndarray:
    return 1.0 / np.sqrt(x)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    # The tanh form never overflows, unlike 1 / (1 + exp(-x)).
    return 0.5 * np.tanh(0.5 * x) + 0.5


# ---- activations ----


def relu(x):
    x = convert_to_tensor(x)
    return np.maximum(x, 0).astype(x.dtype)


def relu6(x):
    x = convert_to_tensor(x)
    return np.clip(x, 0, 6).astype(x.dtype)


def sigmoid(x):
    return _sigmoid(_float(x))


def sparse_sigmoid(x):
    return np.clip(0.5 * _float(x) + 0.5, 0.0, 1.0)


def softplus(x):
    return np.logaddexp(0.0, _float(x))


def softsign(x):
    x = _float(x)
    return x / (np.abs(x) + 1)


def sparse_plus(x):
    x = _float(x)
    return np.where(x <= -1, 0.0, np.where(x >= 1, x, 0.25 * np.square(x + 1))).astype(x.dtype)


def silu(x):
    x = _float(x)
    return x * _sigmoid(x)


def squareplus(x, b=4):
    x = _float(x)
    return (0.5 * (x + np.sqrt(np.square(x) + b))).astype(x.dtype)


def log_sigmoid(x):
    return -np.logaddexp(0.0, -_float(x))


def leaky_relu(x, negative_slope=0.2):
    x = _float(x)
    return np.where(x >= 0, x, negative_slope * x).astype(x.dtype)


def hard_sigmoid(x):
    return np.clip(_float(x) / 6.0 + 0.5, 0.0, 1.0)


def hard_silu(x):
    x = _float(x)
    return x * hard_sigmoid(x)


def hard_tanh(x):
    return np.clip(_float(x), -1.0, 1.0)


def elu(x, alpha=1.0):
    x = _float(x)
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0))).astype(x.dtype)


def selu(x):
    x = _float(x)
    return (_SELU_SCALE * elu(x, _SELU_ALPHA)).astype(x.dtype)


def celu(x, alpha=1.0):
    x = _float(x)
    return (np.maximum(x, 0) + np.minimum(0, alpha * np.expm1(np.minimum(x, 0) / alpha))).astype(x.dtype)


def gelu(x, approximate=True):
    x = _float(x)
    if approximate:
        inner = math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)
        return (0.5 * x * (1.0 + np.tanh(inner))).astype(x.dtype)
    return (0.5 * x * (1.0 + erf(x / math.sqrt(2)))).astype(x.dtype)


def glu(x, axis=-1):
    x = _float(x)
    if x.shape[axis] % 2:
        raise ValueError(f"glu: the size of axis {axis} must be even, received shape {tuple(x.shape)}.")
    a, b = np.split(x, 2, axis=axis)
    return a * _sigmoid(b)


def _axes(axis, ndim: int):
    return tuple(range(ndim)) if axis is None else axis if isinstance(axis, int) else tuple(axis)


def softmax(x, axis=-1):
    x = _float(x)
    axis = _axes(axis, x.ndim)
    exp = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return exp / np.sum(exp, axis=axis, keepdims=True)


def log_softmax(x, axis=-1):
    x = _float(x)
    axis = _axes(axis, x.ndim)
    shifted = x - np.max(x, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


# ---- convolution and pooling ----


def _conv_operands(inputs, kernel):
    """Inputs and kernel as arrays of one floating dtype (Keras's result type, ints -> floatx)."""
    inputs = convert_to_tensor(inputs)
    kernel = convert_to_tensor(kernel)
    if inputs.dtype != kernel.dtype or inputs.dtype.kind != "f":
        name = dtypes.promote_types(inputs.dtype, kernel.dtype)
        target = dtypes.to_numpy_dtype(name if dtypes.is_float(name) else config.floatx())
        inputs, kernel = inputs.astype(target), kernel.astype(target)
    return inputs, kernel


def _pads(padding, sizes, kernel_size, strides, dilation) -> list:
    if _padding_mode(padding) == "valid":
        return [(0, 0)] * len(sizes)
    return _same_pads(sizes, kernel_size, strides, dilation)


def _windows(x, window, strides, dilation):
    """Channels-last ``x`` (N, *spatial, C) -> a strided view (N, *out, C, *window) of every window."""
    rank = len(window)
    spans = tuple((k - 1) * d + 1 for k, d in zip(window, dilation))
    view = sliding_window_view(x, spans, axis=tuple(range(1, rank + 1)))
    index = (slice(None),) + tuple(slice(None, None, s) for s in strides) + (slice(None),)
    return view[index + tuple(slice(None, None, d) for d in dilation)]


def _conv_last(x, kernel, strides, pads, dilation, groups: int):
    """Channels-last grouped convolution with explicit (before, after) pads."""
    rank = kernel.ndim - 2
    x = np.pad(x, [(0, 0)] + list(pads) + [(0, 0)])
    windows = _windows(x, kernel.shape[:rank], strides, dilation)
    batch, out_sizes = windows.shape[0], windows.shape[1 : rank + 1]
    group_in, out_channels = kernel.shape[-2], kernel.shape[-1]
    windows = windows.reshape((batch, *out_sizes, groups, group_in) + kernel.shape[:rank])
    weights = kernel.reshape(kernel.shape[:rank] + (group_in, groups, out_channels // groups))
    spatial, taps = "xyz"[:rank], "ijk"[:rank]
    out = np.einsum(f"n{spatial}gc{taps},{taps}cgm->n{spatial}gm", windows, weights, optimize=True)
    return out.reshape((batch, *out_sizes, out_channels)).astype(x.dtype, copy=False)


def _to_last(x, channels_last: bool):
    return x if channels_last else np.moveaxis(x, 1, -1)


def _from_last(x, channels_last: bool):
    return x if channels_last else np.moveaxis(x, -1, 1)


def _conv(op, inputs, kernel, strides, padding, data_format, dilation_rate, groups_of):
    rank = _spatial_rank(op, inputs, kernel)
    channels_last = _channels_last(data_format)
    x = _to_last(inputs, channels_last)
    kernel, groups = groups_of(x.shape[-1], kernel, rank)
    strides = _tuple(strides, rank, "strides")
    dilation = _tuple(dilation_rate, rank, "dilation_rate")
    pads = _pads(padding, x.shape[1:-1], kernel.shape[:rank], strides, dilation)
    return _from_last(_conv_last(x, kernel, strides, pads, dilation, groups), channels_last)


def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    inputs, kernel = _conv_operands(inputs, kernel)

    def groups_of(channels, kernel, rank):
        return kernel, _check_groups("conv", channels, kernel.shape[-2], kernel)

    return _conv("conv", inputs, kernel, strides, padding, data_format, dilation_rate, groups_of)


def _depthwise_groups(op: str):
    def groups_of(channels, kernel, rank):
        """Keras depthwise kernel (*spatial, C, M) -> grouped conv kernel (*spatial, 1, C*M), C groups."""
        _check_depthwise_channels(op, channels, kernel)
        return kernel.reshape(kernel.shape[:rank] + (1, -1)), channels

    return groups_of


def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    inputs, kernel = _conv_operands(inputs, kernel)
    return _conv("depthwise_conv", inputs, kernel, strides, padding, data_format, dilation_rate,
                 _depthwise_groups("depthwise_conv"))


def separable_conv(inputs, depthwise_kernel, pointwise_kernel, strides=1, padding="valid", data_format=None,
                   dilation_rate=1):
    inputs, depthwise_kernel = _conv_operands(inputs, depthwise_kernel)
    pointwise_kernel = convert_to_tensor(pointwise_kernel, inputs.dtype)
    out = _conv("separable_conv", inputs, depthwise_kernel, strides, padding, data_format, dilation_rate,
                _depthwise_groups("separable_conv"))
    rank = inputs.ndim - 2
    mid = out.shape[-1 if _channels_last(data_format) else 1]
    if pointwise_kernel.ndim != rank + 2 or pointwise_kernel.shape[-2] != mid:
        raise ValueError(
            f"separable_conv: the pointwise kernel must have shape (1,) * {rank} + ({mid}, filters), "
            f"received {tuple(pointwise_kernel.shape)}."
        )
    return conv(out, pointwise_kernel, 1, "valid", data_format, 1)


def conv_transpose(inputs, kernel, strides=1, padding="valid", output_padding=None, data_format=None,
                   dilation_rate=1):
    inputs, kernel = _conv_operands(inputs, kernel)
    rank = _spatial_rank("conv_transpose", inputs, kernel)
    channels_last = _channels_last(data_format)
    x = _to_last(inputs, channels_last)
    _check_transpose_channels(x.shape[-1], kernel)
    mode = _padding_mode(padding)
    strides = _tuple(strides, rank, "strides")
    dilation = _tuple(dilation_rate, rank, "dilation_rate")
    out_pad = (None,) * rank if output_padding is None else _tuple(output_padding, rank, "output_padding")
    pads = [_transpose_pads(k, s, d, mode, p) for k, s, d, p in zip(kernel.shape[:rank], strides, dilation, out_pad)]
    # A transposed conv is a conv of the stride-dilated input with the flipped, in/out-swapped kernel.
    dilated = np.zeros((x.shape[0],) + tuple((n - 1) * s + 1 for n, s in zip(x.shape[1:-1], strides))
                       + (x.shape[-1],), dtype=x.dtype)
    dilated[(slice(None),) + tuple(slice(None, None, s) for s in strides)] = x
    flipped = np.swapaxes(np.flip(kernel, axis=tuple(range(rank))), -1, -2)
    out = _conv_last(dilated, flipped, (1,) * rank, pads, dilation, 1)
    return _from_last(out, channels_last)


def _pool_setup(op, inputs, pool_size, strides, padding, data_format):
    """Channels-last input, pool size, strides, (before, after) pads, and whether the input was channels-last."""
    rank = _spatial_rank(op, inputs)
    pool_size = _tuple(pool_size, rank, "pool_size")
    strides = pool_size if strides is None else _tuple(strides, rank, "strides")
    channels_last = _channels_last(data_format)
    x = _to_last(inputs, channels_last)
    return x, pool_size, strides, _pads(padding, x.shape[1:-1], pool_size, strides, (1,) * rank), channels_last


def _window_reduce(x, pool_size, strides, pads, fill, reduce):
    padded = np.pad(x, [(0, 0)] + pads + [(0, 0)], constant_values=fill)
    windows = _windows(padded, pool_size, strides, (1,) * len(pool_size))
    return reduce(windows, axis=tuple(range(-len(pool_size), 0)))


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    inputs = convert_to_tensor(inputs)
    x, pool_size, strides, pads, channels_last = _pool_setup("max_pool", inputs, pool_size, strides, padding,
                                                             data_format)
    lowest = -np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min
    return _from_last(_window_reduce(x, pool_size, strides, pads, lowest, np.max), channels_last)


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    inputs = _float(inputs)
    x, pool_size, strides, pads, channels_last = _pool_setup("average_pool", inputs, pool_size, strides, padding,
                                                             data_format)
    sums = _window_reduce(x, pool_size, strides, pads, 0, np.sum)
    # Count only real (unpadded) elements in each window, as TF does for "same".
    ones = np.ones((1,) + x.shape[1:-1] + (1,), x.dtype)
    counts = _window_reduce(ones, pool_size, strides, pads, 0, np.sum)
    return _from_last((sums / counts).astype(x.dtype), channels_last)


# ---- normalization ----


def _compute_dtype(x):
    """``x`` in the dtype to compute statistics in (at least float32, as Keras), and its own dtype."""
    x = _float(x)
    return (x.astype(np.float32), x.dtype) if x.dtype.itemsize < 4 else (x, x.dtype)


def normalize(x, axis=-1, order=2, epsilon=None):
    x = _float(x)
    epsilon = config.epsilon() if epsilon is None else epsilon
    if order == 2:
        with np.errstate(divide="ignore"):
            inv_norm = 1.0 / np.sqrt(np.sum(np.square(x), axis=axis, keepdims=True))
        return (x * np.minimum(inv_norm, 1.0 / epsilon)).astype(x.dtype)
    norm = np.linalg.norm(x, ord=order, axis=axis, keepdims=True)
    return (x / np.maximum(norm, epsilon)).astype(x.dtype)


def rms_normalization(x, scale=1, axis=-1, epsilon=None):
    x, dtype = _compute_dtype(x)
    axes = _norm_axes(axis, x.ndim)
    epsilon = config.epsilon() if epsilon is None else epsilon
    out = x / np.sqrt(np.mean(np.square(x), axis=axes, keepdims=True) + epsilon)
    if scale is not None:
        out = out * (scale if isinstance(scale, (int, float)) else _broadcast_param(scale, x, axes))
    return out.astype(dtype)

# ---- encodings and losses ----


def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    if sparse:
        raise ValueError("one_hot: sparse=True is not supported by the numpy backend.")
    x = convert_to_tensor(x)
    if x.dtype.kind == "f":
        x = x.astype(np.int64)
    # Out-of-range and negative ids give all-zero rows, as Keras.
    out = (x[..., None] == np.arange(num_classes)).astype(dtypes.to_numpy_dtype(dtype or config.floatx()))
    return out if axis == -1 else np.moveaxis(out, -1, axis)


def binary_crossentropy(target, output, from_logits=False):
    output = _float(output)
    target = convert_to_tensor(target, output.dtype)
    _check_same_shape("binary_crossentropy", target, output)
    if from_logits:
        # -t log σ(z) - (1 - t) log σ(-z), written so that no exp overflows.
        return (np.maximum(output, 0) - output * target + np.log1p(np.exp(-np.abs(output)))).astype(output.dtype)
    eps = config.epsilon()
    output = np.clip(output, eps, 1.0 - eps)
    return -(target * np.log(output) + (1.0 - target) * np.log1p(-output))


def ctc_loss(target, output, target_length, output_length, mask_index=0):
    """CTC negative log-likelihood per batch entry, by the forward algorithm in log space (at least float32)."""
    log_probs = log_softmax(_compute_dtype(output)[0], axis=-1)
    target = convert_to_tensor(target).astype(np.int64)
    target_length = convert_to_tensor(target_length).astype(np.int64)
    output_length = convert_to_tensor(output_length).astype(np.int64)
    batch, steps, _ = log_probs.shape
    labels = target.shape[1]
    # Extended label sequence: blank, l1, blank, l2, ..., blank.
    extended = np.full((batch, 2 * labels + 1), mask_index, dtype=np.int64)
    extended[:, 1::2] = target
    width = extended.shape[1]
    skip_forbidden = np.ones((batch, width), bool)
    skip_forbidden[:, 2:] = extended[:, 2:] == extended[:, :-2]
    emit = np.take_along_axis(log_probs, np.broadcast_to(extended[:, None, :], (batch, steps, width)), axis=2)
    alpha = np.full((batch, width), -np.inf, dtype=log_probs.dtype)
    alpha[:, 0] = emit[:, 0, 0]
    if labels:
        alpha[:, 1] = emit[:, 0, 1]
    with np.errstate(invalid="ignore"):
        for t in range(1, steps):
            shift1 = np.concatenate([np.full((batch, 1), -np.inf), alpha[:, :-1]], axis=1)
            shift2 = np.concatenate([np.full((batch, 2), -np.inf), alpha[:, :-2]], axis=1)
            shift2 = np.where(skip_forbidden, -np.inf, shift2)
            new = np.logaddexp(np.logaddexp(alpha, shift1), shift2) + emit[:, t]
            alpha = np.where((t < output_length)[:, None], new, alpha).astype(log_probs.dtype)
    last = 2 * target_length
    end_blank = np.take_along_axis(alpha, last[:, None], axis=1)[:, 0]
    end_label = np.take_along_axis(alpha, np.maximum(last - 1, 0)[:, None], axis=1)[:, 0]
    return -np.logaddexp(end_blank, np.where(target_length > 0, end_label, -np.inf)).astype(log_probs.dtype)


def psnr(x1, x2, max_val):
    x1, x2 = _float(x1), _float(x2)
    if x1.shape != x2.shape:
        raise ValueError(f"psnr: x1 and x2 must have the same shape, received {tuple(x1.shape)} and {tuple(x2.shape)}.")
    mse = np.mean(np.square(x1 - x2))
    return np.asarray(20.0 * np.log10(max_val) - 10.0 * np.log10(mse), dtype=x1.dtype)


# ---- attention ----


def dot_product_attention(query, key, value, bias=None, mask=None, scale=None, is_causal=False,
                          flash_attention=None, attention_logit_soft_cap=None):
    query, key, value = _float(query), _float(key), _float(value)
    dtype = dtypes.promote_types(*(dtypes.standardize_dtype(t.dtype) for t in (query, key, value)))
    query, key, value = query.astype(dtype), key.astype(dtype), value.astype(dtype)  # mixed precisions meet
    _check_attention_shapes(query, key, value)
    repeats = query.shape[2] // key.shape[2]
    if repeats > 1:
        key, value = np.repeat(key, repeats, axis=2), np.repeat(value, repeats, axis=2)
    scale = 1.0 / math.sqrt(query.shape[-1]) if scale is None else scale
    logits = np.einsum("btnh,bsnh->bnts", query, key) * scale
    if attention_logit_soft_cap is not None:
        logits = attention_logit_soft_cap * np.tanh(logits / attention_logit_soft_cap)
    if bias is not None:
        logits = logits + convert_to_tensor(bias, query.dtype)
    if mask is not None:
        logits = np.where(convert_to_tensor(mask).astype(bool), logits, -np.inf)
    if is_causal:
        logits = np.where(np.tril(np.ones((query.shape[1], key.shape[1]), bool)), logits, -np.inf)
    weights = softmax(logits.astype(query.dtype), axis=-1)
    return np.einsum("bnts,bsnh->btnh", weights, value).astype(query.dtype)
