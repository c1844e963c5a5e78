"""torch backend: neural-network ops (activations, convolution, pooling, normalization, losses, attention).

Written once in ``common/nn_ops.py`` against ``xp`` and included here with ``xp = torch`` (see
``common/binding.py``): the per-channel helpers, ``batch_normalization``, the shape checks and
``categorical_crossentropy`` are shared. What follows the include is torch's own: its fused kernels
(``F.softshrink``, ``torch.var_mean``, ``F.layer_norm``, ``F.cross_entropy``, the adaptive pools,
``F.unfold``/``F.fold``) replace the shared NumPy-style versions. Kernels arrive in Keras's layout,
``(*spatial, in_channels, out_channels)``, and inputs channels-last by default; both are permuted to
torch's channels-first views once per call.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import rsqrt as _rsqrt  # noqa: F401 - bound for the include

from brickwork.backend import config
from brickwork.backend.common import dtypes
from brickwork.backend.common.binding import include
from brickwork.backend.torch.core import (  # noqa: F401 - stop_gradient: bound for the include
    convert_to_tensor,
    standardize_dtype,
    stop_gradient,
    to_torch_dtype,
)
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
xp = torch  # the array namespace common/nn_ops.py runs on
include("nn_ops", globals())


def _float(x) -> torch.Tensor:
    """``x`` as a floating tensor: integers and bools become floatx."""
    x = convert_to_tensor(x)
    if x.is_floating_point():
        return x
    return x.to(to_torch_dtype(config.floatx()))


# ---- activations ----


def relu(x):
    return F.relu(convert_to_tensor(x))


def relu6(x):
    x = convert_to_tensor(x)
    return F.relu6(x) if x.is_floating_point() else torch.clamp(x, 0, 6)


def sigmoid(x):
    return torch.sigmoid(_float(x))


def sparse_sigmoid(x):
    return torch.clamp(0.5 * _float(x) + 0.5, 0.0, 1.0)


def tanh_shrink(x):
    return F.tanhshrink(_float(x))


def softplus(x):
    # torch's default threshold (20) returns x beyond it, which loses nothing in float32.
    return F.softplus(_float(x))


def softsign(x):
    return F.softsign(_float(x))


def soft_shrink(x, threshold=0.5):
    return F.softshrink(_float(x), threshold)


def hard_shrink(x, threshold=0.5):
    return F.hardshrink(_float(x), threshold)


def sparse_plus(x):
    x = _float(x)
    return torch.where(x <= -1, 0.0, torch.where(x >= 1, x, 0.25 * torch.square(x + 1)))


def silu(x):
    return F.silu(_float(x))


def squareplus(x, b=4):
    x = _float(x)
    return 0.5 * (x + torch.sqrt(torch.square(x) + b))


def log_sigmoid(x):
    return F.logsigmoid(_float(x))


def leaky_relu(x, negative_slope=0.2):
    return F.leaky_relu(_float(x), negative_slope)


def hard_sigmoid(x):
    return F.hardsigmoid(_float(x))


def hard_silu(x):
    return F.hardswish(_float(x))


def hard_tanh(x):
    return F.hardtanh(_float(x))


def elu(x, alpha=1.0):
    return F.elu(_float(x), alpha)


def selu(x):
    return F.selu(_float(x))


def celu(x, alpha=1.0):
    return F.celu(_float(x), alpha)


def gelu(x, approximate=True):
    return F.gelu(_float(x), approximate="tanh" if approximate else "none")


def glu(x, axis=-1):
    x = _float(x)
    if x.shape[axis] % 2:
        raise ValueError(f"glu: the size of axis {axis} must be even, received shape {tuple(x.shape)}.")
    return F.glu(x, axis)


def threshold(x, threshold, default_value):
    return F.threshold(_float(x), threshold, default_value)


def softmax(x, axis=-1):
    x = _float(x)
    if isinstance(axis, int):
        return torch.softmax(x, axis)
    axis = tuple(range(x.ndim)) if axis is None else tuple(axis)
    return torch.exp(x - torch.logsumexp(x, axis, keepdim=True))


def log_softmax(x, axis=-1):
    x = _float(x)
    if isinstance(axis, int):
        return torch.log_softmax(x, axis)
    axis = tuple(range(x.ndim)) if axis is None else tuple(axis)
    return x - torch.logsumexp(x, axis, keepdim=True)


def sparsemax(x, axis=-1):
    x = _float(x)
    ordered = torch.sort(x, dim=axis, descending=True).values
    cumulative = torch.cumsum(ordered, dim=axis)
    shape = [1] * x.ndim
    shape[axis] = -1
    ranks = torch.arange(1, x.shape[axis] + 1, dtype=x.dtype, device=x.device).reshape(shape)
    support = ordered * ranks > cumulative - 1
    k = support.sum(dim=axis, keepdim=True)
    tau = (torch.gather(cumulative, axis, k - 1) - 1) / k.to(x.dtype)
    return torch.clamp(x - tau, min=0)


# ---- convolution and pooling ----

_CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
_CONV_TRANSPOSE = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}
_MAX_POOL = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}
_AVG_POOL = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}
# Keras kernel (*spatial, in, out) -> torch weight (out, in, *spatial); the same permutation maps a
# conv_transpose kernel (*spatial, out, in) to torch's (in, out, *spatial).
_KERNEL_PERM = {rank: (rank + 1, rank) + tuple(range(rank)) for rank in (1, 2, 3)}


def _conv_operands(inputs, kernel):
    """Inputs and kernel as tensors of one floating dtype (Keras's result type, ints -> floatx)."""
    inputs = convert_to_tensor(inputs)
    kernel = convert_to_tensor(kernel)
    if inputs.dtype != kernel.dtype or not inputs.is_floating_point():
        name = dtypes.promote_types(standardize_dtype(inputs.dtype), standardize_dtype(kernel.dtype))
        target = to_torch_dtype(name if dtypes.is_float(name) else config.floatx())
        inputs, kernel = inputs.to(target), kernel.to(target)
    return inputs, kernel


def _flat_pad(pads) -> list:
    """(before, after) pairs in dim order -> the flat last-dim-first list ``F.pad`` takes."""
    return [p for pair in reversed(pads) for p in pair]


def _run_conv(x, weight, kernel_size, strides, padding, dilation, groups):
    """A channels-first convolution with Keras's padding (TF's asymmetric "same" when strided)."""
    rank = len(kernel_size)
    mode = _padding_mode(padding)
    if mode == "valid":
        pad = 0
    elif all(s == 1 and (k - 1) * d % 2 == 0 for s, k, d in zip(strides, kernel_size, dilation)):
        pad = "same"  # symmetric: torch pads inside the kernel call
    else:
        pads = _same_pads(x.shape[2:], kernel_size, strides, dilation)
        if all(a == b for a, b in pads):
            pad = tuple(a for a, _ in pads)
        else:
            x, pad = F.pad(x, _flat_pad(pads)), 0
    return _CONV[rank](x, weight, None, strides, pad, dilation, groups)


def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    inputs, kernel = _conv_operands(inputs, kernel)
    rank = _spatial_rank("conv", inputs, kernel)
    channels_last = _channels_last(data_format)
    if channels_last:
        inputs = inputs.movedim(-1, 1)
    groups = _check_groups("conv", inputs.shape[1], kernel.shape[-2], kernel)
    out = _run_conv(
        inputs, kernel.permute(_KERNEL_PERM[rank]), kernel.shape[:rank], _tuple(strides, rank, "strides"),
        padding, _tuple(dilation_rate, rank, "dilation_rate"), groups,
    )
    return out.movedim(1, -1) if channels_last else out


def _depthwise_weight(op: str, kernel, in_channels: int, rank: int):
    """Keras depthwise kernel (*spatial, C, M) -> torch grouped weight (C*M, 1, *spatial)."""
    _check_depthwise_channels(op, in_channels, kernel)
    merged = kernel.reshape(tuple(kernel.shape[:rank]) + (1, -1))
    return merged.permute(_KERNEL_PERM[rank])


def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    inputs, kernel = _conv_operands(inputs, kernel)
    rank = _spatial_rank("depthwise_conv", inputs, kernel)
    channels_last = _channels_last(data_format)
    if channels_last:
        inputs = inputs.movedim(-1, 1)
    channels = inputs.shape[1]
    weight = _depthwise_weight("depthwise_conv", kernel, channels, rank)
    out = _run_conv(
        inputs, weight, kernel.shape[:rank], _tuple(strides, rank, "strides"), padding,
        _tuple(dilation_rate, rank, "dilation_rate"), channels,
    )
    return out.movedim(1, -1) if channels_last else out


def separable_conv(inputs, depthwise_kernel, pointwise_kernel, strides=1, padding="valid", data_format=None,
                   dilation_rate=1):
    inputs, depthwise_kernel = _conv_operands(inputs, depthwise_kernel)
    pointwise_kernel = convert_to_tensor(pointwise_kernel, inputs.dtype)
    rank = _spatial_rank("separable_conv", inputs, depthwise_kernel)
    channels_last = _channels_last(data_format)
    if channels_last:
        inputs = inputs.movedim(-1, 1)
    channels = inputs.shape[1]
    weight = _depthwise_weight("separable_conv", depthwise_kernel, channels, rank)
    out = _run_conv(
        inputs, weight, depthwise_kernel.shape[:rank], _tuple(strides, rank, "strides"), padding,
        _tuple(dilation_rate, rank, "dilation_rate"), channels,
    )
    if pointwise_kernel.ndim != rank + 2 or pointwise_kernel.shape[-2] != out.shape[1]:
        raise ValueError(
            f"separable_conv: the pointwise kernel must have shape (1,) * {rank} + ({out.shape[1]}, filters), "
            f"received {tuple(pointwise_kernel.shape)}."
        )
    out = _CONV[rank](out, pointwise_kernel.permute(_KERNEL_PERM[rank]))
    return out.movedim(1, -1) if channels_last else out


def conv_transpose(inputs, kernel, strides=1, padding="valid", output_padding=None, data_format=None,
                   dilation_rate=1):
    inputs, kernel = _conv_operands(inputs, kernel)
    rank = _spatial_rank("conv_transpose", inputs, kernel)
    channels_last = _channels_last(data_format)
    if channels_last:
        inputs = inputs.movedim(-1, 1)
    _check_transpose_channels(inputs.shape[1], kernel)
    mode = _padding_mode(padding)
    strides = _tuple(strides, rank, "strides")
    dilation = _tuple(dilation_rate, rank, "dilation_rate")
    out_pad = (None,) * rank if output_padding is None else _tuple(output_padding, rank, "output_padding")
    torch_padding, torch_output_padding, fix = [], [], []
    for k, s, d, p in zip(kernel.shape[:rank], strides, dilation, out_pad):
        before, after = _transpose_pads(k, s, d, mode, p)
        extra = after - before
        # torch pads both sides alike and adds output_padding (< max(stride, dilation)) at the end;
        # whatever it cannot express is cropped or zero-padded afterwards.
        allowed = extra if 0 <= extra < max(s, d) else 0
        torch_padding.append((k - 1) * d - before)
        torch_output_padding.append(allowed)
        fix.append((0, extra - allowed))
    out = _CONV_TRANSPOSE[rank](
        inputs, kernel.permute(_KERNEL_PERM[rank]), None, strides, tuple(torch_padding),
        tuple(torch_output_padding), 1, dilation,
    )
    if any(after for _, after in fix):
        out = F.pad(out, _flat_pad(fix))
    return out.movedim(1, -1) if channels_last else out


def _pool_setup(op: str, inputs, pool_size, strides, data_format):
    inputs = convert_to_tensor(inputs)
    rank = _spatial_rank(op, inputs)
    pool_size = _tuple(pool_size, rank, "pool_size")
    strides = pool_size if strides is None else _tuple(strides, rank, "strides")
    channels_last = _channels_last(data_format)
    if channels_last:
        inputs = inputs.movedim(-1, 1)
    return inputs, rank, pool_size, strides, channels_last


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    inputs, rank, pool_size, strides, channels_last = _pool_setup("max_pool", inputs, pool_size, strides,
                                                                  data_format)
    pad = 0
    if _padding_mode(padding) == "same":
        pads = _same_pads(inputs.shape[2:], pool_size, strides, (1,) * rank)
        if all(a == b for a, b in pads):
            pad = tuple(a for a, _ in pads)
        else:
            lowest = -math.inf if inputs.is_floating_point() else torch.iinfo(inputs.dtype).min
            inputs = F.pad(inputs, _flat_pad(pads), value=lowest)
    out = _MAX_POOL[rank](inputs, pool_size, strides, pad)
    return out.movedim(1, -1) if channels_last else out


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    inputs, rank, pool_size, strides, channels_last = _pool_setup("average_pool", inputs, pool_size, strides,
                                                                  data_format)
    inputs = _float(inputs)
    pool = _AVG_POOL[rank]
    if _padding_mode(padding) == "valid":
        out = pool(inputs, pool_size, strides, 0)
    else:
        pads = _same_pads(inputs.shape[2:], pool_size, strides, (1,) * rank)
        if all(a == b for a, b in pads):
            out = pool(inputs, pool_size, strides, tuple(a for a, _ in pads), count_include_pad=False)
        else:
            # Asymmetric padding: divide window sums by the number of real (unpadded) elements, as TF.
            flat = _flat_pad(pads)
            ones = torch.ones((1, 1) + tuple(inputs.shape[2:]), dtype=inputs.dtype, device=inputs.device)
            out = pool(F.pad(inputs, flat), pool_size, strides, 0) / pool(F.pad(ones, flat), pool_size, strides, 0)
    return out.movedim(1, -1) if channels_last else out


# ---- normalization ----


def _compute_dtype(x):
    """``x`` in the dtype to compute statistics in (at least float32, as Keras), and its own dtype."""
    x = _float(x)
    return (x.float(), x.dtype) if x.dtype in (torch.float16, torch.bfloat16) else (x, x.dtype)


def moments(x, axes, keepdims=False, synchronized=False):
    x, dtype = _compute_dtype(x)
    axes = (axes,) if isinstance(axes, int) else tuple(axes)
    variance, mean = torch.var_mean(x, dim=axes, correction=0, keepdim=keepdims)
    if dtype != x.dtype:  # a variance past float16's range is its largest value, not inf, as in Keras
        variance = torch.clamp(variance, max=torch.finfo(dtype).max)
    return mean.to(dtype), variance.to(dtype)


def normalize(x, axis=-1, order=2, epsilon=None):
    x = _float(x)
    epsilon = config.epsilon() if epsilon is None else epsilon
    if order == 2:
        inv_norm = torch.rsqrt(torch.sum(torch.square(x), dim=axis, keepdim=True))
        return x * torch.clamp(inv_norm, max=1.0 / epsilon)
    norm = torch.linalg.vector_norm(x, ord=order, dim=axis, keepdim=True)
    return x / torch.clamp(norm, min=epsilon)


def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, **kwargs):
    x, dtype = _compute_dtype(x)
    axes = _norm_axes(axis, x.ndim)
    epsilon = config.epsilon() if epsilon is None else epsilon
    if axes == tuple(range(x.ndim - len(axes), x.ndim)):
        # Trailing axes: torch's fused kernel.
        shape = tuple(x.shape[-len(axes):])
        gamma = None if gamma is None else convert_to_tensor(gamma, x.dtype).reshape(shape)
        beta = None if beta is None else convert_to_tensor(beta, x.dtype).reshape(shape)
        return F.layer_norm(x, shape, gamma, beta, epsilon).to(dtype)
    variance, mean = torch.var_mean(x, dim=axes, correction=0, keepdim=True)
    inv = torch.rsqrt(variance + epsilon)
    gamma, beta = _broadcast_param(gamma, x, axes), _broadcast_param(beta, x, axes)
    if gamma is not None:
        inv = inv * gamma
    out = (x - mean) * inv
    return (out if beta is None else out + beta).to(dtype)


def rms_normalization(x, scale=1, axis=-1, epsilon=None):
    x, dtype = _compute_dtype(x)
    axes = _norm_axes(axis, x.ndim)
    epsilon = config.epsilon() if epsilon is None else epsilon
    out = x * torch.rsqrt(torch.mean(torch.square(x), dim=axes, keepdim=True) + epsilon)
    if scale is not None:
        out = out * (scale if isinstance(scale, (int, float)) else _broadcast_param(scale, x, axes))
    return out.to(dtype)

# ---- encodings and losses ----


def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    if sparse:
        raise ValueError("one_hot: sparse=True is not supported by the torch backend.")
    x = convert_to_tensor(x)
    if x.is_floating_point():
        x = x.to(torch.int64)
    # A comparison rather than F.one_hot: out-of-range and negative ids give all-zero rows, as Keras.
    out = x.unsqueeze(-1) == torch.arange(num_classes, device=x.device)
    out = out.to(to_torch_dtype(dtype or config.floatx()))
    return out if axis == -1 else out.movedim(-1, axis)


def multi_hot(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
    num_classes = kwargs.pop("num_tokens", None) if num_classes is None else num_classes
    if num_classes is None:
        raise ValueError("multi_hot: the argument `num_classes` must be specified.")
    inputs = convert_to_tensor(inputs)
    encoded = one_hot(inputs, num_classes, axis=axis, dtype=dtype, sparse=sparse)
    return torch.amax(encoded, dim=1 if inputs.ndim > 1 else 0)


def binary_crossentropy(target, output, from_logits=False):
    output = _float(output)
    target = convert_to_tensor(target, output.dtype)
    _check_same_shape("binary_crossentropy", target, output)
    if from_logits:
        return F.binary_cross_entropy_with_logits(output, target, reduction="none")
    eps = config.epsilon()
    output = torch.clamp(output, eps, 1.0 - eps)
    return -(target * torch.log(output) + (1.0 - target) * torch.log1p(-output))


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    output = _float(output)
    target = convert_to_tensor(target)
    if target.ndim == output.ndim and target.shape[axis] == 1:
        target = target.squeeze(axis)
    class_axis = axis % output.ndim if output.ndim else 0
    if output.ndim < 1 or tuple(target.shape) != tuple(d for i, d in enumerate(output.shape) if i != class_axis):
        raise ValueError(
            "sparse_categorical_crossentropy: target must have the shape of output without its class axis, "
            f"received target shape {tuple(target.shape)} and output shape {tuple(output.shape)}."
        )
    if axis not in (-1, output.ndim - 1):
        output = output.movedim(axis, -1)
    classes = output.shape[-1]
    labels = target.reshape(-1).to(torch.int64)
    # torch's fused kernels; unlike a one-hot product they reject labels outside [0, classes).
    if from_logits:
        loss = F.cross_entropy(output.reshape(-1, classes), labels, reduction="none")
    else:
        loss = F.nll_loss(_log_probabilities(output, False, -1).reshape(-1, classes), labels, reduction="none")
    return loss.reshape(target.shape)


def ctc_loss(target, output, target_length, output_length, mask_index=0):
    output = _float(output)
    target = convert_to_tensor(target, "int64")
    # torch's CTC kernels take float32/float64 only; half precision is computed, and returned, in float32 (Keras's
    # result_type(output, "float32")).
    log_probs = torch.log_softmax(output.float() if output.itemsize < 4 else output, -1).transpose(0, 1)
    return F.ctc_loss(
        log_probs, target, convert_to_tensor(output_length, "int64"), convert_to_tensor(target_length, "int64"),
        blank=mask_index, reduction="none", zero_infinity=False,
    )


def psnr(x1, x2, max_val):
    x1, x2 = _float(x1), _float(x2)
    if x1.shape != x2.shape:
        raise ValueError(f"psnr: x1 and x2 must have the same shape, received {tuple(x1.shape)} and {tuple(x2.shape)}.")
    mse = torch.mean(torch.square(x1 - x2))
    return 20.0 * torch.log10(torch.as_tensor(max_val, dtype=x1.dtype, device=x1.device)) - 10.0 * torch.log10(mse)


# ---- attention ----


def _causal_mask(query_length: int, key_length: int, device):
    return torch.ones((query_length, key_length), dtype=torch.bool, device=device).tril()


def dot_product_attention(query, key, value, bias=None, mask=None, scale=None, is_causal=False,
                          flash_attention=None, attention_logit_soft_cap=None):
    query, key, value = _float(query), _float(key), _float(value)
    dtype = to_torch_dtype(dtypes.promote_types(*(standardize_dtype(t.dtype) for t in (query, key, value))))
    query, key, value = query.to(dtype), key.to(dtype), value.to(dtype)  # mixed precisions meet in one dtype
    _check_attention_shapes(query, key, value)
    q, k, v = query.transpose(1, 2), key.transpose(1, 2), value.transpose(1, 2)
    attn_mask = None if mask is None else convert_to_tensor(mask).to(torch.bool)
    if bias is not None:
        bias = convert_to_tensor(bias, q.dtype)
        attn_mask = bias if attn_mask is None else bias.masked_fill(~attn_mask, -math.inf)
    if attention_logit_soft_cap is not None:
        out = _attention_reference(q, k, v, attn_mask, scale, is_causal, attention_logit_soft_cap)
        return out.transpose(1, 2)
    if is_causal and attn_mask is not None:
        causal = _causal_mask(q.shape[2], k.shape[2], q.device)
        attn_mask = attn_mask & causal if attn_mask.dtype == torch.bool else attn_mask.masked_fill(~causal, -math.inf)
        is_causal = False
    out = F.scaled_dot_product_attention(
        q, k, v, attn_mask=attn_mask, is_causal=is_causal, scale=scale, enable_gqa=q.shape[1] != k.shape[1]
    )
    return out.transpose(1, 2)


def _attention_reference(q, k, v, attn_mask, scale, is_causal, soft_cap):
    """Attention written out, for what the fused kernel cannot do (logit soft-capping)."""
    repeats = q.shape[1] // k.shape[1]
    if repeats > 1:
        k, v = k.repeat_interleave(repeats, 1), v.repeat_interleave(repeats, 1)
    scale = 1.0 / math.sqrt(q.shape[-1]) if scale is None else scale
    logits = torch.matmul(q, k.transpose(-1, -2)) * scale
    logits = soft_cap * torch.tanh(logits / soft_cap)
    if attn_mask is not None:
        logits = logits.masked_fill(~attn_mask, -math.inf) if attn_mask.dtype == torch.bool else logits + attn_mask
    if is_causal:
        logits = logits.masked_fill(~_causal_mask(q.shape[2], k.shape[2], q.device), -math.inf)
    return torch.matmul(torch.softmax(logits, -1), v)


# ---- adaptive pooling, fold / unfold ----

_ADAPTIVE_AVG_POOL = {1: F.adaptive_avg_pool1d, 2: F.adaptive_avg_pool2d, 3: F.adaptive_avg_pool3d}
_ADAPTIVE_MAX_POOL = {1: F.adaptive_max_pool1d, 2: F.adaptive_max_pool2d, 3: F.adaptive_max_pool3d}


def _adaptive_pool(op: str, pools, inputs, output_size, data_format):
    inputs = convert_to_tensor(inputs)
    rank = _spatial_rank(op, inputs)
    output_size = _tuple(output_size, rank, "output_size")
    channels_last = _channels_last(data_format)
    x = inputs.movedim(-1, 1) if channels_last else inputs
    out = pools[rank](x, output_size)
    return out.movedim(1, -1) if channels_last else out


def adaptive_average_pool(inputs, output_size, data_format=None):
    return _adaptive_pool("adaptive_average_pool", _ADAPTIVE_AVG_POOL, _float(inputs), output_size, data_format)


def adaptive_max_pool(inputs, output_size, data_format=None):
    return _adaptive_pool("adaptive_max_pool", _ADAPTIVE_MAX_POOL, inputs, output_size, data_format)


def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    x = convert_to_tensor(x)
    return F.unfold(x, _tuple(kernel_size, 2, "kernel_size"), dilation=_tuple(dilation, 2, "dilation"),
                    padding=_tuple(padding, 2, "padding"), stride=_tuple(stride, 2, "stride"))


def fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    x = convert_to_tensor(x)
    return F.fold(x, _tuple(output_size, 2, "output_size"), _tuple(kernel_size, 2, "kernel_size"),
                  dilation=_tuple(dilation, 2, "dilation"), padding=_tuple(padding, 2, "padding"),
                  stride=_tuple(stride, 2, "stride"))
