"""TensorFlow backend: activations, convolutions, pooling, normalization, losses, attention.

Kernels arrive in Keras's layout ``(*spatial, in_channels, out_channels)``, which is TensorFlow's
own; TensorFlow's CPU convolution and pooling kernels take channels-last inputs only, so a
channels-first input is transposed to channels-last and back around each call. Where TensorFlow
has no kernel (a stride with a dilation, a dilated transposed convolution) the op is written from
ones it has.

Shared with the other NumPy-like engines: ``common/nn_ops.py``, included here with
``xp = tf.experimental.numpy`` (see ``common/binding.py``); the rest is TensorFlow's own.
"""

from __future__ import annotations

import math

import tensorflow as tf
import tensorflow.experimental.numpy as tnp
from tensorflow.math import rsqrt as _rsqrt  # noqa: F401 - bound for the include

from brickwork.backend import config
from brickwork.backend.common import dtypes
from brickwork.backend.common.binding import include
from brickwork.backend.common.conv_utils import (
    _check_depthwise_channels,
    _check_groups,
    _check_transpose_channels,
    _padding_mode,
    _same_pads,
    _spatial_rank,
    _transpose_pads,
    _tuple,
)
from brickwork.backend.tensorflow.core import (  # noqa: F401 - stop_gradient: bound for the include
    convert_to_tensor,
    standardize_dtype,
    stop_gradient,
    to_tf_dtype,
)
from brickwork.backend.tensorflow import sparse as tf_sparse
from brickwork.backend.tensorflow.core import shape as _shape

# ruff: noqa: F821 - the functions include() defines are unknown to linters
xp = tnp  # the array namespace common/nn_ops.py runs on
include("nn_ops", globals())


def _float(x):
    """``x`` as a floating tensor: integers and bools become floatx."""
    x = convert_to_tensor(x)
    if x.dtype.is_floating:
        return x
    return tf.cast(x, to_tf_dtype(config.floatx()))


def _axes(axis, ndim: int):
    return list(range(ndim)) if axis is None else [axis] if isinstance(axis, int) else list(axis)


# ---- activations ----


def relu(x):
    return tf.nn.relu(convert_to_tensor(x))


def relu6(x):
    x = convert_to_tensor(x)
    return tf.nn.relu6(x) if x.dtype.is_floating else tf.clip_by_value(x, tf.cast(0, x.dtype), tf.cast(6, x.dtype))


def sigmoid(x):
    return tf.sigmoid(_float(x))


def sparse_sigmoid(x):
    return tf.clip_by_value(0.5 * _float(x) + 0.5, 0.0, 1.0)


def softplus(x):
    return tf.math.softplus(_float(x))


def softsign(x):
    return tf.nn.softsign(_float(x))


def sparse_plus(x):
    x = _float(x)
    return tf.where(x <= -1.0, tf.zeros_like(x), tf.where(x >= 1.0, x, 0.25 * tf.square(x + 1.0)))


def silu(x):
    return tf.nn.silu(_float(x))


def squareplus(x, b=4):
    x = _float(x)
    return 0.5 * (x + tf.sqrt(tf.square(x) + tf.cast(b, x.dtype)))


def log_sigmoid(x):
    return tf.math.log_sigmoid(_float(x))


def leaky_relu(x, negative_slope=0.2):
    return tf.nn.leaky_relu(_float(x), alpha=negative_slope)


def hard_sigmoid(x):
    return tf.nn.relu6(_float(x) + 3.0) / 6.0


def hard_silu(x):
    x = _float(x)
    return x * hard_sigmoid(x)


def hard_tanh(x):
    return tf.clip_by_value(_float(x), -1.0, 1.0)


def elu(x, alpha=1.0):
    x = _float(x)
    return tf.nn.elu(x) if alpha == 1.0 else tf.where(x > 0, x, alpha * tf.math.expm1(x))


def selu(x):
    return tf.nn.selu(_float(x))


def celu(x, alpha=1.0):
    x = _float(x)
    return tf.maximum(x, 0.0) + tf.minimum(alpha * tf.math.expm1(x / alpha), 0.0)


def gelu(x, approximate=True):
    return tf.nn.gelu(_float(x), approximate=bool(approximate))


def glu(x, axis=-1):
    x = _float(x)
    if x.shape[axis] % 2:
        raise ValueError(f"glu: the size of axis {axis} must be even, received shape {tuple(x.shape)}.")
    a, b = tf.split(x, 2, axis=axis)
    return a * tf.sigmoid(b)


def softmax(x, axis=-1):
    x = _float(x)
    if isinstance(axis, int):
        return tf.nn.softmax(x, axis=axis)
    return tf.exp(x - tf.reduce_logsumexp(x, axis=_axes(axis, x.ndim), keepdims=True))


def log_softmax(x, axis=-1):
    x = _float(x)
    if isinstance(axis, int):
        return tf.nn.log_softmax(x, axis=axis)
    return x - tf.reduce_logsumexp(x, axis=_axes(axis, x.ndim), keepdims=True)


# ---- layouts ----


def _to_channels_last(x, channels_last: bool):
    return x if channels_last else tf.transpose(x, [0, *range(2, x.ndim), 1])


def _from_channels_last(x, channels_last: bool):
    return x if channels_last else tf.transpose(x, [0, x.ndim - 1, *range(1, x.ndim - 1)])


# ---- convolution and pooling ----


def _conv_operands(inputs, kernel):
    """Inputs and kernel as tensors of one floating dtype (Keras's result type, ints -> floatx)."""
    inputs = convert_to_tensor(inputs)
    kernel = convert_to_tensor(kernel)
    if inputs.dtype != kernel.dtype or not inputs.dtype.is_floating:
        name = dtypes.promote_types(standardize_dtype(inputs.dtype), standardize_dtype(kernel.dtype))
        target = to_tf_dtype(name if dtypes.is_float(name) else config.floatx())
        inputs, kernel = tf.cast(inputs, target), tf.cast(kernel, target)
    return inputs, kernel


def _pad_spatial(x, pads):
    """Zero-pad (positive) or crop (negative) the spatial axes of a channels-last ``x``."""
    if any(before < 0 or after < 0 for before, after in pads):
        x = x[(slice(None),) + tuple(slice(max(-b, 0), a if a < 0 else None) for b, a in pads)]
        pads = [(max(b, 0), max(a, 0)) for b, a in pads]
    if any(before or after for before, after in pads):
        x = tf.pad(x, [(0, 0), *pads, (0, 0)])
    return x


_FORMATS = {1: "NWC", 2: "NHWC", 3: "NDHWC"}  # named: a Conv3D recorded without one has no gradient


def _dense_then_subsample(x, window, strides, padding, dilation):
    """``x`` padded as "same" would pad it (when asked), for a stride-1 "valid" op whose result is then
    subsampled by ``strides``: what a strided op gives, for the strides TensorFlow's kernel refuses."""
    if _padding_mode(padding) == "same":
        x = _pad_spatial(x, _same_pads(x.shape[1:-1], window, strides, dilation))
    return x, lambda out: out[(slice(None),) + tuple(slice(None, None, s) for s in strides)]


def _run_conv(x, kernel, strides, padding, dilation):
    """A channels-last convolution (grouped when the kernel takes fewer channels than ``x`` has)."""
    groups = x.shape[-1] // kernel.shape[-2]
    if groups > 1:
        # TensorFlow's CPU kernels have no grouped 3D convolution and no grouped gradients: one conv a group.
        outs = [_run_conv(part, weights, strides, padding, dilation)
                for part, weights in zip(tf.split(x, groups, axis=-1), tf.split(kernel, groups, axis=-1))]
        return tf.concat(outs, axis=-1)
    data_format = _FORMATS[x.ndim - 2]
    if any(s > 1 for s in strides) and any(d > 1 for d in dilation):
        # TensorFlow takes a stride or a dilation, not both.
        x, subsample = _dense_then_subsample(x, kernel.shape[:-2], strides, padding, dilation)
        return subsample(tf.nn.convolution(x, kernel, padding="VALID", dilations=dilation, data_format=data_format))
    return tf.nn.convolution(x, kernel, strides=strides, padding=_padding_mode(padding).upper(), dilations=dilation,
                             data_format=data_format)


def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    inputs, kernel = _conv_operands(inputs, kernel)
    rank = _spatial_rank("conv", inputs, kernel)
    channels_last = _channels_last(data_format)
    x = _to_channels_last(inputs, channels_last)
    _check_groups("conv", x.shape[-1], kernel.shape[-2], kernel)
    out = _run_conv(x, kernel, _tuple(strides, rank, "strides"), padding, _tuple(dilation_rate, rank, "dilation_rate"))
    return _from_channels_last(out, channels_last)


def _depthwise(op: str, x, kernel, rank, strides, padding, dilation):
    """A channels-last depthwise convolution with Keras's kernel ``(*spatial, C, M)``."""
    _check_depthwise_channels(op, x.shape[-1], kernel)
    strides, dilation = _tuple(strides, rank, "strides"), _tuple(dilation, rank, "dilation_rate")
    if rank == 3:  # no depthwise kernel in 3D: a grouped convolution, one group per channel
        return _run_conv(x, tf.reshape(kernel, (*kernel.shape[:3], 1, -1)), strides, padding, dilation)
    if rank == 1:  # as 2D, with a height of one (any stride along it gives that one row)
        x, kernel = x[:, None], kernel[None]
        strides, dilation = (strides[0], *strides), (1, *dilation)
    if strides[0] != strides[1] or (any(s > 1 for s in strides) and any(d > 1 for d in dilation)):
        # TensorFlow's kernel takes equal strides, and a stride or a dilation, not both.
        x, subsample = _dense_then_subsample(x, kernel.shape[:2], strides, padding, dilation)
        out = subsample(tf.nn.depthwise_conv2d(x, kernel, strides=(1, 1, 1, 1), padding="VALID", dilations=dilation))
    else:
        out = tf.nn.depthwise_conv2d(x, kernel, strides=(1, *strides, 1), padding=_padding_mode(padding).upper(),
                                     dilations=dilation)
    return out[:, 0] if rank == 1 else out


def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    inputs, kernel = _conv_operands(inputs, kernel)
    rank = _spatial_rank("depthwise_conv", inputs, kernel)
    channels_last = _channels_last(data_format)
    x = _to_channels_last(inputs, channels_last)
    out = _depthwise("depthwise_conv", x, kernel, rank, strides, padding, dilation_rate)
    return _from_channels_last(out, channels_last)


def separable_conv(inputs, depthwise_kernel, pointwise_kernel, strides=1, padding="valid", data_format=None,
                   dilation_rate=1):
    inputs, depthwise_kernel = _conv_operands(inputs, depthwise_kernel)
    pointwise_kernel = convert_to_tensor(pointwise_kernel, inputs.dtype)
    rank = _spatial_rank("separable_conv", inputs, depthwise_kernel)
    channels_last = _channels_last(data_format)
    x = _to_channels_last(inputs, channels_last)
    out = _depthwise("separable_conv", x, depthwise_kernel, rank, strides, padding, dilation_rate)
    mid = out.shape[-1]
    if pointwise_kernel.ndim != rank + 2 or pointwise_kernel.shape[-2] != mid:
        raise ValueError(
            f"separable_conv: the pointwise kernel must have shape (1,) * {rank} + ({mid}, filters), "
            f"received {tuple(pointwise_kernel.shape)}."
        )
    out = tf.nn.convolution(out, pointwise_kernel, padding="VALID", data_format=_FORMATS[rank])
    return _from_channels_last(out, channels_last)


def _spread(x, stride: int, axis: int):
    """``stride - 1`` zeros between the elements of ``x`` along ``axis``: a dilated kernel (fold, from the
    shared code, spreads its blocks with it too)."""
    if stride == 1:
        return x
    size = x.shape[axis]
    x = tf.expand_dims(x, axis + 1)
    pads = [(0, 0)] * x.ndim
    pads[axis + 1] = (0, stride - 1)
    x = tf.pad(x, pads)
    shape = tf.concat([tf.shape(x)[:axis], [size * stride], tf.shape(x)[axis + 2:]], 0)
    x = tf.reshape(x, shape)
    return tf.gather(x, tf.range(size * stride - stride + 1), axis=axis)


def conv_transpose(inputs, kernel, strides=1, padding="valid", output_padding=None, data_format=None,
                   dilation_rate=1):
    inputs, kernel = _conv_operands(inputs, kernel)
    rank = _spatial_rank("conv_transpose", inputs, kernel)
    channels_last = _channels_last(data_format)
    x = _to_channels_last(inputs, channels_last)
    _check_transpose_channels(x.shape[-1], kernel)
    mode = _padding_mode(padding)
    strides = _tuple(strides, rank, "strides")
    dilation = _tuple(dilation_rate, rank, "dilation_rate")
    out_pad = (None,) * rank if output_padding is None else _tuple(output_padding, rank, "output_padding")
    pads = [_transpose_pads(k, s, d, mode, p) for k, s, d, p in zip(kernel.shape[:rank], strides, dilation, out_pad)]
    # TensorFlow's CPU kernel takes no dilation: spread the kernel itself.
    for axis, d in enumerate(dilation):
        kernel = _spread(kernel, d, axis)
    sizes = kernel.shape[:rank]
    # The full transposed convolution ((n - 1) * s + k per axis), then Keras's padding: the pads are those of
    # the equivalent direct convolution, whose full padding is k - 1 on each side.
    batch, *spatial, _ = _shape(x)  # an unknown size is a scalar tensor
    full = [(n - 1) * s + k for n, s, k in zip(spatial, strides, sizes)]
    output_shape = tf.stack([batch, *full, kernel.shape[-2]])
    out = tf.nn.conv_transpose(x, kernel, output_shape, strides=strides, padding="VALID", data_format=_FORMATS[rank])
    out = _pad_spatial(out, [(before - (k - 1), after - (k - 1)) for k, (before, after) in zip(sizes, pads)])
    return _from_channels_last(out, channels_last)


def _pool_setup(op: str, inputs, pool_size, strides, data_format):
    rank = _spatial_rank(op, inputs)
    pool_size = _tuple(pool_size, rank, "pool_size")
    strides = pool_size if strides is None else _tuple(strides, rank, "strides")
    channels_last = _channels_last(data_format)
    return _to_channels_last(inputs, channels_last), pool_size, strides, channels_last


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    x, pool_size, strides, channels_last = _pool_setup("max_pool", convert_to_tensor(inputs), pool_size, strides,
                                                       data_format)
    out = tf.nn.max_pool(x, pool_size, strides, _padding_mode(padding).upper())
    return _from_channels_last(out, channels_last)


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    # TensorFlow's "same" average divides by the real (unpadded) elements of each window, as Keras specifies.
    x, pool_size, strides, channels_last = _pool_setup("average_pool", _float(inputs), pool_size, strides,
                                                       data_format)
    out = tf.nn.avg_pool(x, pool_size, strides, _padding_mode(padding).upper())
    return _from_channels_last(out, channels_last)


# ---- normalization ----


def _compute_dtype(x):
    """``x`` in the dtype to compute statistics in (at least float32, as Keras), and its own dtype."""
    x = _float(x)
    return (tf.cast(x, tf.float32), x.dtype) if x.dtype in (tf.float16, tf.bfloat16) else (x, x.dtype)


def normalize(x, axis=-1, order=2, epsilon=None):
    x = _float(x)
    epsilon = config.epsilon() if epsilon is None else epsilon
    if order == 2:
        inv_norm = tf.math.rsqrt(tf.reduce_sum(tf.square(x), axis=axis, keepdims=True))
        return x * tf.minimum(inv_norm, 1.0 / epsilon)
    norm = tf.norm(x, ord=order, axis=axis, keepdims=True)
    return x / tf.maximum(norm, epsilon)


def rms_normalization(x, scale=1, axis=-1, epsilon=None):
    x, dtype = _compute_dtype(x)
    axes = _norm_axes(axis, x.ndim)
    epsilon = config.epsilon() if epsilon is None else epsilon
    out = x * tf.math.rsqrt(tf.reduce_mean(tf.square(x), axis=axes, keepdims=True) + epsilon)
    if scale is not None:
        out = out * (scale if isinstance(scale, (int, float)) else _broadcast_param(scale, x, axes))
    return tf.cast(out, dtype)


# ---- encodings and losses ----


def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    x = convert_to_tensor(x, sparse=False)
    if x.dtype.is_floating:
        x = tf.cast(x, tf.int64)
    dtype = to_tf_dtype(dtype or config.floatx())
    if sparse:
        return tf_sparse.one_hot(x, num_classes, axis=axis, dtype=dtype)
    # Out-of-range and negative ids give all-zero rows, as Keras.
    return tf.one_hot(x, num_classes, axis=axis, dtype=dtype)


def _any_along(encoded, axis):
    """The multi-hot of one-hot rows: their maximum along ``axis`` (a ``tf.SparseTensor`` stays sparse)."""
    if tf_sparse.is_sparse(encoded):
        return tf_sparse.any_along(encoded, axis, encoded.dtype)
    return tf.reduce_max(encoded, axis=axis)


def binary_crossentropy(target, output, from_logits=False):
    output = _float(output)
    target = convert_to_tensor(target, output.dtype)
    _check_same_shape("binary_crossentropy", target, output)
    if from_logits:
        return tf.nn.sigmoid_cross_entropy_with_logits(labels=target, logits=output)
    eps = config.epsilon()
    output = tf.clip_by_value(output, eps, 1.0 - eps)
    return -(target * tf.math.log(output) + (1.0 - target) * tf.math.log1p(-output))


def ctc_loss(target, output, target_length, output_length, mask_index=0):
    """CTC negative log-likelihood per batch entry, by the forward algorithm in log space.

    Written out rather than ``tf.nn.ctc_loss``, which fails on float64 inputs; ``tf.scan`` runs the steps,
    and TensorFlow differentiates through it.
    """
    log_probs = tf.nn.log_softmax(_compute_dtype(output)[0], axis=-1)
    target = convert_to_tensor(target, "int32")
    target_length = convert_to_tensor(target_length, "int32")
    output_length = convert_to_tensor(output_length, "int32")
    batch, steps, labels = tf.shape(log_probs)[0], tf.shape(log_probs)[1], tf.shape(target)[1]
    # Extended label sequence: blank, l1, blank, l2, ..., blank.
    blanks = tf.fill((batch, labels), tf.constant(int(mask_index), tf.int32))
    extended = tf.reshape(tf.stack([blanks, target], axis=2), (batch, 2 * labels))
    extended = tf.concat([extended, tf.fill((batch, 1), int(mask_index))], 1)
    width = 2 * labels + 1
    neg_inf = tf.constant(-math.inf, log_probs.dtype)
    same_as_two_back = tf.concat([tf.ones((batch, 2), tf.bool), extended[:, 2:] == extended[:, :-2]], axis=1)
    emit = tf.gather(log_probs, extended, axis=2, batch_dims=1)  # (batch, steps, width)
    first = tf.where(tf.range(width) < 2, emit[:, 0], neg_inf)  # a path starts on the first blank or label

    def step(alpha, inputs):
        t, emit_t = inputs
        shift1 = tf.concat([tf.fill((batch, 1), neg_inf), alpha[:, :-1]], axis=1)
        shift2 = tf.concat([tf.fill((batch, 2), neg_inf), alpha[:, :-2]], axis=1)
        shift2 = tf.where(same_as_two_back, neg_inf, shift2)
        new = tf.reduce_logsumexp(tf.stack([alpha, shift1, shift2]), axis=0) + emit_t
        # Past an entry's output length its alphas stay as they were.
        return tf.where((t < output_length)[:, None], new, alpha)

    alphas = tf.scan(step, (tf.range(1, steps), tf.transpose(emit[:, 1:], (1, 0, 2))), initializer=first)
    alpha = tf.concat([first[None], alphas], 0)[-1]
    last = 2 * target_length
    end_blank = tf.gather(alpha, last, axis=1, batch_dims=1)
    end_label = tf.where(target_length > 0, tf.gather(alpha, tf.maximum(last - 1, 0), axis=1, batch_dims=1), neg_inf)
    return -tf.reduce_logsumexp(tf.stack([end_blank, end_label]), axis=0)


def psnr(x1, x2, max_val):
    x1, x2 = _float(x1), _float(x2)
    if x1.shape != x2.shape:
        raise ValueError(f"psnr: x1 and x2 must have the same shape, received {tuple(x1.shape)} and {tuple(x2.shape)}.")
    mse = tf.reduce_mean(tf.square(x1 - x2))
    log10 = math.log(10.0)
    return 20.0 * tf.math.log(tf.cast(max_val, x1.dtype)) / log10 - 10.0 * tf.math.log(mse) / log10


# ---- attention ----


def dot_product_attention(query, key, value, bias=None, mask=None, scale=None, is_causal=False,
                          flash_attention=None, attention_logit_soft_cap=None):
    query, key, value = _float(query), _float(key), _float(value)
    dtype = to_tf_dtype(dtypes.promote_types(*(standardize_dtype(t.dtype) for t in (query, key, value))))
    query, key, value = tf.cast(query, dtype), tf.cast(key, dtype), tf.cast(value, dtype)
    _check_attention_shapes(query, key, value)
    # Half-precision inputs get float32 logits and softmax.
    logits_dtype = tf.float32 if dtype in (tf.float16, tf.bfloat16) else dtype
    batch, query_length, heads, head_dim = _shape(query)  # an unknown size is a scalar tensor
    key_length, groups = _shape(key)[1], key.shape[2]
    query = tf.reshape(query, (batch, query_length, groups, heads // groups, head_dim))
    scale = 1.0 / math.sqrt(head_dim) if scale is None else scale
    logits = tf.einsum("btkgh,bskh->bkgts", tf.cast(query, logits_dtype), tf.cast(key, logits_dtype)) * scale
    logits = tf.reshape(logits, (batch, heads, query_length, key_length))
    if attention_logit_soft_cap is not None:
        logits = attention_logit_soft_cap * tf.tanh(logits / attention_logit_soft_cap)
    if bias is not None:
        logits = logits + convert_to_tensor(bias, logits_dtype)
    minus_inf = tf.constant(-math.inf, logits_dtype)
    if mask is not None:
        logits = tf.where(convert_to_tensor(mask, "bool"), logits, minus_inf)
    if is_causal:
        causal = tf.linalg.band_part(tf.ones((query_length, key_length), tf.bool), -1, 0)
        logits = tf.where(causal, logits, minus_inf)
    weights = tf.cast(tf.nn.softmax(logits, axis=-1), dtype)
    weights = tf.reshape(weights, (batch, groups, heads // groups, query_length, key_length))
    out = tf.einsum("bkgts,bskh->btkgh", weights, value)
    return tf.reshape(out, (batch, query_length, heads, value.shape[-1]))
