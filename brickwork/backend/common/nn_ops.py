"""Neural-network ops the NumPy-like engines share, written once against ``xp``.

Included by ``backend/<engine>/nn.py`` (see ``common/binding.py``): the engine module binds the
names in ``REQUIRES`` and runs this code in its own namespace. Activations the engine library has
built in, convolution, pooling, ``normalize`` and ``rms_normalization`` each engine writes its own
way; these functions call the engine module's ``_float``, ``_rsqrt``, ``_compute_dtype``, ``one_hot``
and ``log_softmax`` (looked up when called, so the engine may define them after the include).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as _np

from brickwork.backend import config
from brickwork.backend.common.conv_utils import _spatial_rank, _tuple

REQUIRES = ("xp", "convert_to_tensor", "stop_gradient")
if TYPE_CHECKING:  # bound by the including engine module
    import numpy as xp  # or jax.numpy: any NumPy-like namespace

    def convert_to_tensor(x, dtype=None): ...

    def stop_gradient(x): ...

    def _rsqrt(x):
        """``1 / sqrt(x)``, element-wise."""

    def _float(x):
        """``x`` as a floating array: integers and bools become floatx."""

    def _compute_dtype(x):
        """``x`` in the dtype to compute statistics in (at least float32, as Keras), and its own dtype."""

    def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False): ...

    def log_softmax(x, axis=-1): ...


# ---- activations ----


def tanh_shrink(x):
    x = _float(x)
    return x - xp.tanh(x)


def soft_shrink(x, threshold=0.5):
    x = _float(x)
    return xp.where(x > threshold, x - threshold, xp.where(x < -threshold, x + threshold, 0.0)).astype(x.dtype)


def hard_shrink(x, threshold=0.5):
    x = _float(x)
    return xp.where(xp.abs(x) > threshold, x, 0.0).astype(x.dtype)


def threshold(x, threshold, default_value):
    x = _float(x)
    return xp.where(x > threshold, x, default_value).astype(x.dtype)


def sparsemax(x, axis=-1):
    x = _float(x)
    ordered = -xp.sort(-x, axis=axis)
    cumulative = xp.cumsum(ordered, axis=axis)
    shape = [1] * x.ndim
    shape[axis] = -1
    ranks = xp.arange(1, x.shape[axis] + 1, dtype=x.dtype).reshape(shape)
    k = xp.sum(ordered * ranks > cumulative - 1, axis=axis, keepdims=True)
    tau = (xp.take_along_axis(cumulative, k - 1, axis=axis) - 1) / k.astype(x.dtype)
    return xp.maximum(x - tau, 0).astype(x.dtype)


# ---- layouts and per-channel parameters ----


def _channels_last(data_format) -> bool:
    return config.standardize_data_format(data_format) == "channels_last"


def _along_axis(value, x, axis: int):
    """A per-channel vector reshaped to broadcast along ``axis`` of ``x``."""
    value = convert_to_tensor(value, x.dtype)
    if value.ndim == 1 and x.ndim > 1:
        shape = [1] * x.ndim
        shape[axis] = -1
        value = value.reshape(shape)
    return value


def _norm_axes(axis, ndim: int) -> tuple:
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    return tuple(sorted(a % ndim for a in axes))


def _broadcast_param(value, x, axes):
    if value is None:
        return None
    value = convert_to_tensor(value, x.dtype)
    if value.ndim != x.ndim and axes != (x.ndim - 1,):
        shape = [1] * x.ndim
        for a in axes:
            shape[a] = x.shape[a]
        value = value.reshape(shape)
    return value


# ---- normalization ----


def moments(x, axes, keepdims=False, synchronized=False):
    x, dtype = _compute_dtype(x)
    axes = (axes,) if isinstance(axes, int) else tuple(axes)
    mean = xp.mean(x, axis=axes, keepdims=True)
    variance = xp.mean(xp.square(x - stop_gradient(mean)), axis=axes, keepdims=True)
    if not keepdims:
        mean, variance = xp.squeeze(mean, axes), xp.squeeze(variance, axes)
    if dtype != x.dtype:  # a variance past float16's range is its largest value, not inf, as in Keras
        variance = xp.minimum(variance, xp.finfo(dtype).max)
    return mean.astype(dtype), variance.astype(dtype)


def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    x = _float(x)
    inv = _rsqrt(_along_axis(variance, x, axis) + epsilon)
    if scale is not None:
        inv = inv * _along_axis(scale, x, axis)
    out = (x - _along_axis(mean, x, axis)) * inv
    return out if offset is None else out + _along_axis(offset, x, axis)


def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, **kwargs):
    x, dtype = _compute_dtype(x)
    axes = _norm_axes(axis, x.ndim)
    epsilon = config.epsilon() if epsilon is None else epsilon
    mean = xp.mean(x, axis=axes, keepdims=True)
    variance = xp.mean(xp.square(x - stop_gradient(mean)), axis=axes, keepdims=True)
    inv = _rsqrt(variance + epsilon)
    gamma, beta = _broadcast_param(gamma, x, axes), _broadcast_param(beta, x, axes)
    if gamma is not None:
        inv = inv * gamma
    out = (x - mean) * inv
    return (out if beta is None else out + beta).astype(dtype)


# ---- encodings and losses ----


def multi_hot(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
    num_classes = kwargs.pop("num_tokens", None) if num_classes is None else num_classes
    if num_classes is None:
        raise ValueError("multi_hot: the argument `num_classes` must be specified.")
    inputs = convert_to_tensor(inputs)
    encoded = one_hot(inputs, num_classes, axis=axis, dtype=dtype, sparse=sparse)
    return _any_along(encoded, axis=1 if inputs.ndim > 1 else 0)


def _any_along(encoded, axis):
    """The multi-hot of one-hot rows: their maximum along ``axis`` (an engine with sparse tensors redefines it)."""
    return xp.max(encoded, axis=axis)


def _check_same_shape(op: str, target, output) -> None:
    if target.shape != output.shape:
        raise ValueError(
            f"{op}: target and output must have the same shape, received target shape {tuple(target.shape)} "
            f"and output shape {tuple(output.shape)}."
        )


def _log_probabilities(output, from_logits: bool, axis: int):
    if from_logits:
        return log_softmax(output, axis=axis)
    eps = config.epsilon()
    output = output / xp.sum(output, axis=axis, keepdims=True)
    return xp.log(xp.clip(output, eps, 1.0 - eps))


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    output = _float(output)
    target = convert_to_tensor(target, output.dtype)
    _check_same_shape("categorical_crossentropy", target, output)
    if output.ndim < 1:
        raise ValueError("categorical_crossentropy: output must have at least one dimension.")
    return -xp.sum(target * _log_probabilities(output, from_logits, axis), axis=axis)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    output = _float(output)
    target = convert_to_tensor(target)
    if target.ndim == output.ndim and target.shape[axis] == 1:
        target = xp.squeeze(target, axis)
    class_axis = axis % output.ndim if output.ndim else 0
    if output.ndim < 1 or tuple(target.shape) != tuple(d for i, d in enumerate(output.shape) if i != class_axis):
        raise ValueError(
            "sparse_categorical_crossentropy: target must have the shape of output without its class axis, "
            f"received target shape {tuple(target.shape)} and output shape {tuple(output.shape)}."
        )
    log_prob = _log_probabilities(output, from_logits, axis)
    if axis not in (-1, output.ndim - 1):
        log_prob = xp.moveaxis(log_prob, axis, -1)
    target = target.astype(xp.int32)  # class indices; int64 would warn under JAX's default 32-bit mode
    # Out-of-range labels contribute zero, as a one-hot of them would.
    valid = (target >= 0) & (target < log_prob.shape[-1])
    picked = xp.take_along_axis(log_prob, xp.where(valid, target, 0)[..., None], axis=-1)[..., 0]
    return -xp.where(valid, picked, 0.0).astype(log_prob.dtype)


# ---- attention ----


def _check_attention_shapes(query, key, value) -> None:
    if not query.ndim == key.ndim == value.ndim == 4:
        raise ValueError(
            "dot_product_attention: query, key and value must have rank 4 (batch, length, heads, head_dim), "
            f"received shapes {tuple(query.shape)}, {tuple(key.shape)}, {tuple(value.shape)}."
        )
    if query.shape[2] % key.shape[2]:
        raise ValueError(
            f"dot_product_attention: the {query.shape[2]} query heads must be a multiple of the "
            f"{key.shape[2]} key heads."
        )


# ---- adaptive pooling ----


def _adaptive_windows(in_size: int, out_size: int):
    """Output bin ``i`` pools inputs ``[floor(i * in / out), ceil((i + 1) * in / out))``, as torch does."""
    bins = _np.arange(out_size)
    return (bins * in_size) // out_size, -(-((bins + 1) * in_size) // out_size)


def _adaptive_setup(op: str, inputs, output_size, data_format):
    inputs = convert_to_tensor(inputs)
    rank = _spatial_rank(op, inputs)
    output_size = _tuple(output_size, rank, "output_size")
    first = 1 if _channels_last(data_format) else 2
    return inputs, tuple(zip(range(first, first + rank), output_size))


def adaptive_average_pool(inputs, output_size, data_format=None):
    inputs, axes = _adaptive_setup("adaptive_average_pool", inputs, output_size, data_format)
    x = _float(inputs)
    for axis, size in axes:  # a box mean is separable: one (in, out) averaging matrix per spatial axis
        starts, ends = _adaptive_windows(x.shape[axis], size)
        weights = _np.zeros((x.shape[axis], size))
        for i, (start, end) in enumerate(zip(starts, ends)):
            weights[start:end, i] = 1.0 / (end - start)
        x = xp.moveaxis(xp.tensordot(x, xp.asarray(weights, dtype=x.dtype), axes=([axis], [0])), -1, axis)
    return x


def adaptive_max_pool(inputs, output_size, data_format=None):
    x, axes = _adaptive_setup("adaptive_max_pool", inputs, output_size, data_format)
    for axis, size in axes:  # so is a box max: gather each bin's window (its last element repeated)
        starts, ends = _adaptive_windows(x.shape[axis], size)
        width = int((ends - starts).max())
        index = _np.minimum(starts[:, None] + _np.arange(width), ends[:, None] - 1)
        windows = xp.take(x, xp.asarray(index.reshape(-1)), axis=axis)
        x = xp.max(windows.reshape(x.shape[:axis] + (size, width) + x.shape[axis + 1:]), axis=axis + 1)
    return x


# ---- unfold / fold (im2col / col2im), torch's layout: (N, C, H, W) <-> (N, C * kH * kW, L) ----


def _fold_geometry(kernel_size, dilation, padding, stride):
    return (_tuple(kernel_size, 2, "kernel_size"), _tuple(dilation, 2, "dilation"), _tuple(padding, 2, "padding"),
            _tuple(stride, 2, "stride"))


def _blocks_shape(size, kernel, dilation, padding, stride) -> int:
    return (size + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1


def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    x = convert_to_tensor(x)
    if x.ndim != 4:
        raise ValueError(f"unfold: expected x of rank 4 (N, C, H, W), received shape {tuple(x.shape)}")
    (kh, kw), (dh, dw), (ph, pw), (sh, sw) = _fold_geometry(kernel_size, dilation, padding, stride)
    n, c, h, w = x.shape
    oh, ow = _blocks_shape(h, kh, dh, ph, sh), _blocks_shape(w, kw, dw, pw, sw)
    x = xp.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), mode="constant")
    blocks = [x[:, :, i * dh:i * dh + sh * (oh - 1) + 1:sh, j * dw:j * dw + sw * (ow - 1) + 1:sw]
              for i in range(kh) for j in range(kw)]
    return xp.stack(blocks, axis=2).reshape(n, c * kh * kw, oh * ow)


def _spread(x, stride: int, axis: int):
    """``stride - 1`` zeros between the elements of ``x`` along ``axis``."""
    if stride == 1:
        return x
    x = xp.expand_dims(x, axis + 1)
    pads = [(0, 0)] * x.ndim
    pads[axis + 1] = (0, stride - 1)
    x = xp.pad(x, pads, mode="constant")
    x = x.reshape(x.shape[:axis] + (-1,) + x.shape[axis + 2:])
    return xp.take(x, xp.arange(x.shape[axis] - stride + 1), axis=axis)


def fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    x = convert_to_tensor(x)
    if x.ndim != 3:
        raise ValueError(f"fold: expected a 3D x of shape (N, C * kH * kW, L), received shape {tuple(x.shape)}")
    height, width = _tuple(output_size, 2, "output_size")
    (kh, kw), (dh, dw), (ph, pw), (sh, sw) = _fold_geometry(kernel_size, dilation, padding, stride)
    n, ckk, length = x.shape
    oh, ow = _blocks_shape(height, kh, dh, ph, sh), _blocks_shape(width, kw, dw, pw, sw)
    if ckk % (kh * kw) or oh * ow != length:
        raise ValueError(
            f"fold: expected x of shape (N, C * {kh * kw}, {oh * ow}) for output_size={(height, width)}, "
            f"kernel_size={(kh, kw)}, received shape {tuple(x.shape)}"
        )
    blocks = x.reshape(n, ckk // (kh * kw), kh, kw, oh, ow)
    full_h, full_w = height + 2 * ph, width + 2 * pw
    out = 0
    for i in range(kh):  # each kernel offset's blocks, spread by the stride and shifted into place
        for j in range(kw):
            block = _spread(_spread(blocks[:, :, i, j], sh, 2), sw, 3)
            top, left = i * dh, j * dw
            out = out + xp.pad(block, ((0, 0), (0, 0), (top, full_h - top - block.shape[2]),
                                       (left, full_w - left - block.shape[3])), mode="constant")
    return out[:, :, ph:ph + height, pw:pw + width]
