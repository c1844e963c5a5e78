"""Shape arithmetic shared by the engines' convolutions and reductions (Keras's ``backend.common.backend_utils``).

Transposed convolutions: the output size Keras gives each spatial axis, and the explicit
``(left, right)`` padding of the equivalent dilated-input convolution (the form ``jax.lax``
takes). Axes: canonical non-negative indices.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np


def _per_axis(value, count: int) -> tuple:
    return (value,) * count if value is None or isinstance(value, int) else tuple(value)


def _check_padding(padding: str) -> str:
    if padding.lower() not in ("valid", "same"):
        raise ValueError(f"The `padding` argument must be one of 'valid', 'same'. Received: padding={padding}")
    return padding.lower()


def conv_transpose_length(size: int | None, kernel_size: int, stride: int, padding: str,
                          output_padding: int | None = None, dilation_rate: int = 1) -> int | None:
    """The output size of a transposed convolution along one axis (``None`` stays ``None``)."""
    padding = _check_padding(padding)
    if size is None:
        return None
    span = (kernel_size - 1) * dilation_rate + 1  # the dilated kernel's extent
    if output_padding is None:
        return size * stride + max(span - stride, 0) if padding == "valid" else size * stride
    trimmed = 0 if padding == "valid" else span // 2 * 2  # "same" trims the kernel's even part
    return (size - 1) * stride + span - trimmed + output_padding


def compute_conv_transpose_output_shape(input_shape: Sequence, kernel_size: Sequence, filters: int, strides,
                                        padding: str, output_padding=None, data_format: str = "channels_last",
                                        dilation_rate=1) -> list:
    """The full output shape of a transposed convolution.

    Args:
        input_shape: ``(batch, *spatial, channels)`` or ``(batch, channels, *spatial)``.
        kernel_size: the spatial kernel sizes (a full kernel shape also works: its leading entries are read).
        filters: the output channels.
        strides, output_padding, dilation_rate: an int for every axis or one per spatial axis.
        padding: ``"valid"`` or ``"same"``.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Example:
    >>> compute_conv_transpose_output_shape((2, 5, 3), (3,), 4, 2, "valid")
    [2, 11, 4]
    """
    rank = len(input_shape) - 2
    strides, dilation_rate = _per_axis(strides, rank), _per_axis(dilation_rate, rank)
    output_padding = _per_axis(output_padding, rank)
    spatial = input_shape[1:-1] if data_format == "channels_last" else input_shape[2:]
    lengths = [
        conv_transpose_length(spatial[i], kernel_size[i], strides[i], padding, output_padding[i], dilation_rate[i])
        for i in range(rank)
    ]
    if data_format == "channels_last":
        return [input_shape[0], *lengths, filters]
    return [input_shape[0], filters, *lengths]


def _convert_conv_transpose_padding_args_from_keras_to_jax(kernel_size: int, stride: int, dilation_rate: int,
                                                           padding: str, output_padding) -> tuple[int, int]:
    """``(left, right)`` padding of the stride-dilated input whose convolution with the flipped kernel is the
    transposed convolution Keras defines along one axis."""
    padding = _check_padding(padding)
    span = (kernel_size - 1) * dilation_rate + 1
    if padding == "valid":
        extra = max(span, stride) - span if output_padding is None else output_padding
        return span - 1, span - 1 + extra
    total = stride + span - 2 if output_padding is None else span + span % 2 - 2 + output_padding
    left = min((total + 1) // 2, span - 1)
    return left, total - left


def _convert_conv_transpose_padding_args_from_keras_to_torch(kernel_size: int, stride: int, dilation_rate: int,
                                                             padding: str, output_padding) -> tuple[int, int]:
    """``(padding, output_padding)`` for ``torch.nn.functional.conv_transposeNd`` along one axis.

    Torch crops ``padding`` from both ends and adds ``output_padding`` (less than the stride) at the end, so
    an asymmetric Keras padding is matched in size, not always in alignment (a warning says when).
    """
    padding = _check_padding(padding)
    span = (kernel_size - 1) * dilation_rate + 1
    if padding == "valid":
        torch_padding = 0
        torch_output_padding = max(span, stride) - span if output_padding is None else output_padding
    else:
        extra = stride - span % 2 if output_padding is None else output_padding
        torch_padding = max((span - span % 2 - extra + 1) // 2, 0)
        torch_output_padding = 2 * torch_padding + span % 2 - span + extra
    if torch_padding > 0 and torch_output_padding > 0:
        warnings.warn(f"conv_transpose with kernel_size={kernel_size}, stride={stride}, dilation_rate={dilation_rate}, "
                      f"padding={padding!r}, output_padding={output_padding}: torch can only pad at the end, so the "
                      "output may be shifted by one position against the other engines.", stacklevel=2)
    if torch_output_padding >= stride:
        warnings.warn(f"torch requires output_padding < stride: output_padding {torch_output_padding} is clamped to "
                      f"{stride - 1} for stride {stride}.", stacklevel=2)
        torch_output_padding = stride - 1
    return torch_padding, torch_output_padding


def _get_output_shape_given_tf_padding(input_size, kernel_size: int, strides: int, padding: str, output_padding,
                                       dilation_rate: int):
    """The output size of a transposed convolution along one axis (``conv_transpose_length``)."""
    return conv_transpose_length(input_size, kernel_size, strides, padding, output_padding, dilation_rate)


def compute_conv_transpose_padding_args_for_jax(input_shape: Sequence, kernel_shape: Sequence, strides, padding: str,
                                                output_padding, dilation_rate) -> list[tuple[int, int]]:
    """The ``(left, right)`` padding per spatial axis of the dilated-input convolution a transposed one equals.

    ``kernel_shape`` is ``(*spatial, in, out)``. Padding the stride-dilated input by these amounts and
    convolving with the flipped kernel gives ``compute_conv_transpose_output_shape``'s sizes.

    Example:
        >>> compute_conv_transpose_padding_args_for_jax((1, 5, 5, 3), (3, 3, 3, 3), 2, "same", None, 1)
        [(2, 1), (2, 1)]
    """
    rank = len(input_shape) - 2
    strides, dilation_rate = _per_axis(strides, rank), _per_axis(dilation_rate, rank)
    output_padding = _per_axis(output_padding, rank)
    return [_convert_conv_transpose_padding_args_from_keras_to_jax(kernel_shape[i], strides[i], dilation_rate[i],
                                                                   padding, output_padding[i]) for i in range(rank)]


def compute_conv_transpose_padding_args_for_torch(input_shape: Sequence, kernel_shape: Sequence, strides,
                                                  padding: str, output_padding, dilation_rate) -> tuple[list, list]:
    """Per spatial axis, torch's ``padding`` and ``output_padding`` for Keras's transposed convolution."""
    rank = len(input_shape) - 2
    strides, dilation_rate = _per_axis(strides, rank), _per_axis(dilation_rate, rank)
    output_padding = _per_axis(output_padding, rank)
    pairs = [_convert_conv_transpose_padding_args_from_keras_to_torch(kernel_shape[i], strides[i], dilation_rate[i],
                                                                      padding, output_padding[i]) for i in range(rank)]
    return [p for p, _ in pairs], [o for _, o in pairs]


def canonicalize_axis(axis: int, num_dims: int) -> int:
    """``axis`` as a non-negative index into ``num_dims`` axes; a ValueError names it when out of range."""
    axis = int(axis)
    if not -num_dims <= axis < num_dims:
        raise ValueError(f"axis {axis} is out of bounds for an array with dimension {num_dims}.")
    return axis % num_dims if num_dims else axis


def canonicalize_axes(axis, num_dims: int) -> tuple[int, ...]:
    """Each of ``axis`` (an int, NumPy's included, or a sequence of them) as a non-negative index; a TypeError
    for anything else (a string, say)."""
    if isinstance(axis, (int, np.integer)) and not isinstance(axis, bool):
        return (canonicalize_axis(axis, num_dims),)
    if not isinstance(axis, (list, tuple)):
        raise TypeError(f"canonicalize_axes: `axis` must be an int or a sequence of ints, received {axis!r}.")
    for a in axis:
        if not isinstance(a, (int, np.integer)) or isinstance(a, bool):
            raise TypeError(f"canonicalize_axes: every axis must be an int, received {a!r} in {axis!r}.")
    return tuple(canonicalize_axis(a, num_dims) for a in axis)


def to_tuple_or_list(value):
    """``None`` stays ``None``; a list or tuple stays as it is; anything else becomes a one-element tuple."""
    if value is None or isinstance(value, (list, tuple)):
        return value
    return (value,)
