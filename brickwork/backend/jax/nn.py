"""jax backend: neural-network ops (activations, convolution, pooling, normalization, losses, attention).

Convolutions go to ``jax.lax.conv_general_dilated`` with dimension numbers that read Keras's kernel
layout ``(*spatial, in_channels, out_channels)`` as it is; its ``"SAME"`` padding is TF's.

Shared with the other NumPy-like engines: ``common/nn_ops.py``, included here with ``xp = jax.numpy``
(see ``common/binding.py``).
"""

from __future__ import annotations

import functools
import math

import jax
import jax.numpy as jnp
from jax import lax
from jax.lax import rsqrt as _rsqrt, stop_gradient  # noqa: F401 - bound for the include

from brickwork.backend import config
from brickwork.backend.common import dtypes
from brickwork.backend.common.binding import include
from brickwork.backend.jax import sparse as jax_sparse
from brickwork.backend.jax.core import convert_to_tensor, standardize_dtype, to_jax_dtype
from brickwork.backend.common.conv_utils import (  # noqa: F401
    _check_depthwise_channels,
    _check_groups,
    _check_transpose_channels,
    _padding_mode,
    _spatial_rank,
    _transpose_pads,
    _tuple,
)

# ruff: noqa: F821 - the functions include() defines are unknown to linters
xp = jnp  # the array namespace common/nn_ops.py runs on
include("nn_ops", globals())


def _float(x):
    """``x`` as a floating array: integers and bools become floatx."""
    x = convert_to_tensor(x)
    if jnp.issubdtype(x.dtype, jnp.floating):
        return x
    return x.astype(to_jax_dtype(config.floatx()))


# ---- activations ----


def relu(x):
    return jax.nn.relu(convert_to_tensor(x))


def relu6(x):
    x = convert_to_tensor(x)
    return jax.nn.relu6(x) if jnp.issubdtype(x.dtype, jnp.floating) else jnp.clip(x, 0, 6)


def sigmoid(x):
    return jax.nn.sigmoid(_float(x))


def sparse_sigmoid(x):
    return jax.nn.sparse_sigmoid(_float(x))


def softplus(x):
    return jax.nn.softplus(_float(x))


def softsign(x):
    return jax.nn.soft_sign(_float(x))


def sparse_plus(x):
    return jax.nn.sparse_plus(_float(x))


def silu(x):
    return jax.nn.silu(_float(x))


def squareplus(x, b=4):
    return jax.nn.squareplus(_float(x), b)


def log_sigmoid(x):
    return jax.nn.log_sigmoid(_float(x))


def leaky_relu(x, negative_slope=0.2):
    return jax.nn.leaky_relu(_float(x), negative_slope)


def hard_sigmoid(x):
    return jax.nn.hard_sigmoid(_float(x))


def hard_silu(x):
    return jax.nn.hard_silu(_float(x))


def hard_tanh(x):
    return jax.nn.hard_tanh(_float(x))


def elu(x, alpha=1.0):
    return jax.nn.elu(_float(x), alpha)


def selu(x):
    return jax.nn.selu(_float(x))


def celu(x, alpha=1.0):
    return jax.nn.celu(_float(x), alpha)


def gelu(x, approximate=True):
    return jax.nn.gelu(_float(x), approximate)


def glu(x, axis=-1):
    x = _float(x)
    if x.shape[axis] % 2:
        raise ValueError(f"glu: the size of axis {axis} must be even, received shape {tuple(x.shape)}.")
    return jax.nn.glu(x, axis)


def softmax(x, axis=-1):
    return jax.nn.softmax(_float(x), axis=axis)


def log_softmax(x, axis=-1):
    return jax.nn.log_softmax(_float(x), axis=axis)


# ---- convolution and pooling ----

_SPATIAL = {1: "W", 2: "HW", 3: "DHW"}


def _conv_operands(inputs, kernel):
    """Inputs and kernel as arrays of one floating dtype (Keras's result type, ints -> floatx)."""
    inputs = convert_to_tensor(inputs)
    kernel = convert_to_tensor(kernel)
    if inputs.dtype != kernel.dtype or not jnp.issubdtype(inputs.dtype, jnp.floating):
        name = dtypes.promote_types(standardize_dtype(inputs.dtype), standardize_dtype(kernel.dtype))
        target = to_jax_dtype(name if dtypes.is_float(name) else config.floatx())
        inputs, kernel = inputs.astype(target), kernel.astype(target)
    return inputs, kernel


def _dimension_numbers(rank: int, channels_last: bool) -> tuple:
    spatial = _SPATIAL[rank]
    lhs = "N" + spatial + "C" if channels_last else "NC" + spatial
    return lhs, spatial + "IO", lhs


def _channels_axis(channels_last: bool) -> int:
    return -1 if channels_last else 1


def _run_conv(inputs, kernel, rank, strides, padding, dilation_rate, channels_last, groups):
    return lax.conv_general_dilated(
        inputs, kernel,
        window_strides=_tuple(strides, rank, "strides"),
        padding=_padding_mode(padding).upper(),
        rhs_dilation=_tuple(dilation_rate, rank, "dilation_rate"),
        dimension_numbers=_dimension_numbers(rank, channels_last),
        feature_group_count=groups,
    )


def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    inputs, kernel = _conv_operands(inputs, kernel)
    rank = _spatial_rank("conv", inputs, kernel)
    channels_last = _channels_last(data_format)
    channels = inputs.shape[_channels_axis(channels_last)]
    groups = _check_groups("conv", channels, kernel.shape[-2], kernel)
    return _run_conv(inputs, kernel, rank, strides, padding, dilation_rate, channels_last, groups)


def _depthwise_kernel(op: str, kernel, in_channels: int, rank: int):
    """Keras depthwise kernel (*spatial, C, M) -> grouped conv kernel (*spatial, 1, C*M)."""
    _check_depthwise_channels(op, in_channels, kernel)
    return kernel.reshape(tuple(kernel.shape[:rank]) + (1, -1))


def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    inputs, kernel = _conv_operands(inputs, kernel)
    rank = _spatial_rank("depthwise_conv", inputs, kernel)
    channels_last = _channels_last(data_format)
    channels = inputs.shape[_channels_axis(channels_last)]
    kernel = _depthwise_kernel("depthwise_conv", kernel, channels, rank)
    return _run_conv(inputs, kernel, rank, strides, padding, dilation_rate, channels_last, channels)


def separable_conv(inputs, depthwise_kernel, pointwise_kernel, strides=1, padding="valid", data_format=None,
                   dilation_rate=1):
    inputs, depthwise_kernel = _conv_operands(inputs, depthwise_kernel)
    pointwise_kernel = convert_to_tensor(pointwise_kernel, inputs.dtype)
    rank = _spatial_rank("separable_conv", inputs, depthwise_kernel)
    channels_last = _channels_last(data_format)
    channels = inputs.shape[_channels_axis(channels_last)]
    kernel = _depthwise_kernel("separable_conv", depthwise_kernel, channels, rank)
    out = _run_conv(inputs, kernel, rank, strides, padding, dilation_rate, channels_last, channels)
    mid = out.shape[_channels_axis(channels_last)]
    if pointwise_kernel.ndim != rank + 2 or pointwise_kernel.shape[-2] != mid:
        raise ValueError(
            f"separable_conv: the pointwise kernel must have shape (1,) * {rank} + ({mid}, filters), "
            f"received {tuple(pointwise_kernel.shape)}."
        )
    return _run_conv(out, pointwise_kernel, rank, 1, "valid", 1, channels_last, 1)


def conv_transpose(inputs, kernel, strides=1, padding="valid", output_padding=None, data_format=None,
                   dilation_rate=1):
    inputs, kernel = _conv_operands(inputs, kernel)
    rank = _spatial_rank("conv_transpose", inputs, kernel)
    channels_last = _channels_last(data_format)
    channels = inputs.shape[_channels_axis(channels_last)]
    _check_transpose_channels(channels, kernel)
    mode = _padding_mode(padding)
    strides = _tuple(strides, rank, "strides")
    dilation = _tuple(dilation_rate, rank, "dilation_rate")
    out_pad = (None,) * rank if output_padding is None else _tuple(output_padding, rank, "output_padding")
    pads = [_transpose_pads(k, s, d, mode, p) for k, s, d, p in zip(kernel.shape[:rank], strides, dilation, out_pad)]
    # A transposed conv is a conv of the stride-dilated input with the flipped, in/out-swapped kernel.
    kernel = jnp.swapaxes(jnp.flip(kernel, axis=tuple(range(rank))), -1, -2)
    return lax.conv_general_dilated(
        inputs, kernel, window_strides=(1,) * rank, padding=pads, lhs_dilation=strides,
        rhs_dilation=dilation, dimension_numbers=_dimension_numbers(rank, channels_last),
    )


def _pool_window(op: str, inputs, pool_size, strides, data_format):
    rank = _spatial_rank(op, inputs)
    pool_size = _tuple(pool_size, rank, "pool_size")
    strides = pool_size if strides is None else _tuple(strides, rank, "strides")
    if _channels_last(data_format):
        return (1,) + pool_size + (1,), (1,) + strides + (1,)
    return (1, 1) + pool_size, (1, 1) + strides


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    inputs = convert_to_tensor(inputs)
    window, strides = _pool_window("max_pool", inputs, pool_size, strides, data_format)
    if jnp.issubdtype(inputs.dtype, jnp.floating):
        # A Python number as the initial value: a traced array would make the pool non-differentiable.
        lowest = -jnp.inf
    else:
        lowest = jnp.array(jnp.iinfo(inputs.dtype).min, inputs.dtype)  # integers: exact dtype, no gradient
    return lax.reduce_window(inputs, lowest, lax.max, window, strides, _padding_mode(padding).upper())


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    inputs = _float(inputs)
    window, strides = _pool_window("average_pool", inputs, pool_size, strides, data_format)
    mode = _padding_mode(padding).upper()
    zero = jnp.array(0, inputs.dtype) if jnp.issubdtype(inputs.dtype, jnp.integer) else 0.0
    sums = lax.reduce_window(inputs, zero, lax.add, window, strides, mode)
    if mode == "VALID":
        return sums / math.prod(window)
    # "same": divide by the number of real (unpadded) elements in each window, as TF.
    # Dims with a unit window and stride (batch, channels) need no counting: ones of size 1 broadcast.
    ones = jnp.ones([1 if w == s == 1 else d for d, w, s in zip(inputs.shape, window, strides)], inputs.dtype)
    counts = lax.reduce_window(ones, zero, lax.add, window, strides, mode)
    return sums / counts


# ---- normalization ----


def _compute_dtype(x):
    """``x`` in the dtype to compute statistics in (at least float32, as Keras), and its own dtype."""
    x = _float(x)
    return (x.astype(jnp.float32), x.dtype) if x.dtype in (jnp.float16, jnp.bfloat16) else (x, x.dtype)


def normalize(x, axis=-1, order=2, epsilon=None):
    x = _float(x)
    epsilon = config.epsilon() if epsilon is None else epsilon
    if order == 2:
        inv_norm = lax.rsqrt(jnp.sum(jnp.square(x), axis=axis, keepdims=True))
        return x * jnp.minimum(inv_norm, 1.0 / epsilon)
    norm = jnp.linalg.norm(x, ord=order, axis=axis, keepdims=True)
    return x / jnp.maximum(norm, epsilon)


def rms_normalization(x, scale=1, axis=-1, epsilon=None):
    x, dtype = _compute_dtype(x)
    axes = _norm_axes(axis, x.ndim)
    epsilon = config.epsilon() if epsilon is None else epsilon
    out = x * lax.rsqrt(jnp.mean(jnp.square(x), axis=axes, keepdims=True) + epsilon)
    if scale is not None:
        out = out * (scale if isinstance(scale, (int, float)) else _broadcast_param(scale, x, axes))
    return out.astype(dtype)

# ---- encodings and losses ----


def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    x = convert_to_tensor(x, sparse=False)
    if jnp.issubdtype(x.dtype, jnp.floating):
        x = x.astype(jnp.int64)
    dtype = to_jax_dtype(dtype or config.floatx())
    if sparse:
        return jax_sparse.one_hot(x, num_classes, axis=axis, dtype=dtype)
    return jax.nn.one_hot(x, num_classes, dtype=dtype, axis=axis)


def _any_along(encoded, axis):
    """The multi-hot of one-hot rows: their maximum along ``axis`` (a BCOO stays sparse)."""
    if jax_sparse.is_sparse(encoded):
        return jax_sparse.any_along(encoded, axis, encoded.dtype)
    return jnp.max(encoded, axis=axis)


def binary_crossentropy(target, output, from_logits=False):
    output = _float(output)
    target = convert_to_tensor(target, output.dtype)
    _check_same_shape("binary_crossentropy", target, output)
    if from_logits:
        return -target * jax.nn.log_sigmoid(output) - (1.0 - target) * jax.nn.log_sigmoid(-output)
    eps = config.epsilon()
    output = jnp.clip(output, eps, 1.0 - eps)
    return -(target * jnp.log(output) + (1.0 - target) * jnp.log1p(-output))


def ctc_loss(target, output, target_length, output_length, mask_index=0):
    return _ctc_loss(_compute_dtype(output)[0], convert_to_tensor(target).astype(jnp.int32),
                     convert_to_tensor(target_length).astype(jnp.int32),
                     convert_to_tensor(output_length).astype(jnp.int32), int(mask_index))


# Compiled once per shape: eager calls would otherwise re-trace the scan's fresh closure every time.
@functools.partial(jax.jit, static_argnames="mask_index")
def _ctc_loss(output, target, target_length, output_length, mask_index):
    """CTC negative log-likelihood per batch entry, by the forward algorithm in log space."""
    log_probs = jax.nn.log_softmax(output, axis=-1)
    batch, steps, _ = log_probs.shape
    labels = target.shape[1]
    # Extended label sequence: blank, l1, blank, l2, ..., blank.
    extended = jnp.full((batch, 2 * labels + 1), mask_index, dtype=jnp.int32).at[:, 1::2].set(target)
    width = extended.shape[1]
    neg_inf = jnp.array(-jnp.inf, dtype=log_probs.dtype)
    same_as_two_back = jnp.concatenate(
        [jnp.ones((batch, 2), bool), extended[:, 2:] == extended[:, :-2]], axis=1
    )
    emit = jnp.take_along_axis(log_probs, jnp.broadcast_to(extended[:, None, :], (batch, steps, width)), axis=2)
    alpha = jnp.full((batch, width), neg_inf).at[:, 0].set(emit[:, 0, 0])
    if labels:
        alpha = alpha.at[:, 1].set(emit[:, 0, 1])

    def step(alpha, inputs):
        t, emit_t = inputs
        shift1 = jnp.concatenate([jnp.full((batch, 1), neg_inf), alpha[:, :-1]], axis=1)
        shift2 = jnp.concatenate([jnp.full((batch, 2), neg_inf), alpha[:, :-2]], axis=1)
        shift2 = jnp.where(same_as_two_back, neg_inf, shift2)
        new = jnp.logaddexp(jnp.logaddexp(alpha, shift1), shift2) + emit_t
        # Past an entry's output length its alphas stay as they were.
        return jnp.where((t < output_length)[:, None], new, alpha), None

    alpha, _ = lax.scan(step, alpha, (jnp.arange(1, steps), jnp.moveaxis(emit[:, 1:], 1, 0)))
    last = 2 * target_length
    end = jnp.logaddexp(
        jnp.take_along_axis(alpha, last[:, None], axis=1)[:, 0],
        jnp.where(target_length > 0, jnp.take_along_axis(alpha, jnp.maximum(last - 1, 0)[:, None], axis=1)[:, 0],
                  neg_inf),
    )
    return -end


def psnr(x1, x2, max_val):
    x1, x2 = _float(x1), _float(x2)
    if x1.shape != x2.shape:
        raise ValueError(f"psnr: x1 and x2 must have the same shape, received {tuple(x1.shape)} and {tuple(x2.shape)}.")
    mse = jnp.mean(jnp.square(x1 - x2))
    return (20.0 * jnp.log10(jnp.asarray(max_val, x1.dtype)) - 10.0 * jnp.log10(mse)).astype(x1.dtype)


# ---- attention ----


def dot_product_attention(query, key, value, bias=None, mask=None, scale=None, is_causal=False,
                          flash_attention=None, attention_logit_soft_cap=None):
    query, key, value = _float(query), _float(key), _float(value)
    _check_attention_shapes(query, key, value)
    # Written out rather than jax.nn.dot_product_attention, whose XLA path computes logits in float32
    # whatever the input dtype; here only half-precision inputs get float32 logits. XLA fuses it alike.
    dtype = query.dtype
    logits_dtype = jnp.float32 if dtype in (jnp.float16, jnp.bfloat16) else dtype
    batch, query_length, heads, head_dim = query.shape
    groups = key.shape[2]
    query = query.reshape(batch, query_length, groups, heads // groups, head_dim)
    scale = 1.0 / math.sqrt(head_dim) if scale is None else scale
    logits = jnp.einsum("btkgh,bskh->bkgts", query, key, preferred_element_type=logits_dtype) * scale
    logits = logits.reshape(batch, heads, query_length, key.shape[1])
    if attention_logit_soft_cap is not None:
        logits = attention_logit_soft_cap * jnp.tanh(logits / attention_logit_soft_cap)
    if bias is not None:
        logits = logits + convert_to_tensor(bias).astype(logits_dtype)
    if mask is not None:
        logits = jnp.where(convert_to_tensor(mask).astype(bool), logits, -jnp.inf)
    if is_causal:
        logits = jnp.where(jnp.tril(jnp.ones((query_length, key.shape[1]), bool)), logits, -jnp.inf)
    weights = jax.nn.softmax(logits, axis=-1).astype(dtype)
    weights = weights.reshape(batch, groups, heads // groups, query_length, key.shape[1])
    out = jnp.einsum("bkgts,bskh->btkgh", weights, value)
    return out.reshape(batch, query_length, heads, value.shape[-1])
