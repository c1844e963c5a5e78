"""Neural-network ops the NumPy-like engines share, written once against ``xp``.

Included by ``backend/<engine>/nn.py`` (see ``common/binding.py``): the engine module binds the
names in ``REQUIRES`` and runs this code in its own namespace. Activations the engine library has
built in, convolution, pooling and normalization each engine writes its own way; these functions
call the engine module's ``_float``, ``one_hot`` and ``_log_probabilities`` (looked up when called,
so the engine may define them after the include).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from brickwork.backend import config

REQUIRES = ("xp", "convert_to_tensor")
if TYPE_CHECKING:  # bound by the including engine module
    import numpy as xp  # or jax.numpy: any NumPy-like namespace

    def convert_to_tensor(x, dtype=None): ...

    def _float(x):
        """``x`` as a floating array: integers and bools become floatx."""

    def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False): ...

    def _log_probabilities(output, from_logits, axis): ...


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


# ---- encodings and losses ----


def multi_hot(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
    num_classes = kwargs.pop("num_tokens", None) if num_classes is None else num_classes
    if num_classes is None:
        raise ValueError("multi_hot: the argument `num_classes` must be specified.")
    inputs = convert_to_tensor(inputs)
    encoded = one_hot(inputs, num_classes, axis=axis, dtype=dtype, sparse=sparse)
    return xp.max(encoded, axis=1 if inputs.ndim > 1 else 0)


def _check_same_shape(op: str, target, output) -> None:
    if target.shape != output.shape:
        raise ValueError(
            f"{op}: target and output must have the same shape, received target shape {tuple(target.shape)} "
            f"and output shape {tuple(output.shape)}."
        )


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    output = _float(output)
    target = convert_to_tensor(target, output.dtype)
    _check_same_shape("categorical_crossentropy", target, output)
    if output.ndim < 1:
        raise ValueError("categorical_crossentropy: output must have at least one dimension.")
    return -xp.sum(target * _log_probabilities(output, from_logits, axis), axis=axis)
