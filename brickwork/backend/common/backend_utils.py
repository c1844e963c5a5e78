"""Shape arithmetic shared by the engines' convolutions and reductions (Keras's ``backend.common.backend_utils``).

Transposed convolutions: the output size Keras gives each spatial axis, and the explicit
``(left, right)`` padding of the equivalent dilated-input convolution (the form ``jax.lax``
takes). Axes: canonical non-negative indices.
"""

from __future__ import annotations

from collections.abc import Sequence


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


def compute_conv_transpose_padding_args_for_jax(input_shape: Sequence, kernel_shape: Sequence, strides, padding: str,
                                                output_padding, dilation_rate) -> list[tuple[int, int]]:
    """The ``(left, right)`` padding per spatial axis of the dilated-input convolution a transposed one equals.

    ``kernel_shape`` is ``(*spatial, in, out)``. Padding the stride-dilated input by these amounts and
    convolving with the flipped kernel gives ``compute_conv_transpose_output_shape``'s sizes.
    """
    rank = len(input_shape) - 2
    strides, dilation_rate = _per_axis(strides, rank), _per_axis(dilation_rate, rank)
    output_padding = _per_axis(output_padding, rank)
    padding = _check_padding(padding)
    pads = []
    for i in range(rank):
        span = (kernel_shape[i] - 1) * dilation_rate[i] + 1
        extra = output_padding[i]
        if padding == "valid":
            extra = max(span, strides[i]) - span if extra is None else extra
            pads.append((span - 1, span - 1 + extra))
            continue
        total = strides[i] + span - 2 if extra is None else span + span % 2 - 2 + extra
        left = min((total + 1) // 2, span - 1)
        pads.append((left, total - left))
    return pads


def canonicalize_axis(axis: int, num_dims: int) -> int:
    """``axis`` as a non-negative index into ``num_dims`` axes; a ValueError names it when out of range."""
    axis = int(axis)
    if not -num_dims <= axis < num_dims:
        raise ValueError(f"axis {axis} is out of bounds for an array with dimension {num_dims}.")
    return axis % num_dims if num_dims else axis


def canonicalize_axes(axis, num_dims: int) -> tuple[int, ...]:
    """Each of ``axis`` (an int or a sequence) as a non-negative index."""
    if isinstance(axis, int):
        return (canonicalize_axis(axis, num_dims),)
    return tuple(canonicalize_axis(a, num_dims) for a in axis)


def to_tuple_or_list(value):
    """``None`` stays ``None``; a list or tuple stays as it is; anything else becomes a one-element tuple."""
    if value is None or isinstance(value, (list, tuple)):
        return value
    return (value,)
