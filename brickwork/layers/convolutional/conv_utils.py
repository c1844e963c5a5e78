"""Argument checks and output-size rules shared by the convolution, pooling and reshaping layers."""

from __future__ import annotations

import numbers


def is_int(value) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def standardize_tuple(value, n: int, name: str, allow_zero: bool = False) -> tuple:
    """``value`` (an int or ``n`` ints) as a tuple of ``n`` non-negative (or positive) ints.

    Example:
    >>> standardize_tuple(3, 2, "kernel_size")   # (3, 3)
    """
    if is_int(value):
        result = (int(value),) * n
    else:
        try:
            result = tuple(int(v) for v in value)
            if not all(is_int(v) for v in value):
                raise TypeError
        except (TypeError, ValueError):
            raise ValueError(f"`{name}` must be an int or a tuple of {n} ints, received {value!r}.") from None
        if len(result) != n:
            raise ValueError(f"`{name}` must be an int or a tuple of {n} ints, received {value!r}.")
    lowest = 0 if allow_zero else 1
    if any(v < lowest for v in result):
        condition = "value >= 0" if allow_zero else "value > 0"
        raise ValueError(f"The `{name}` argument must be a tuple of {n} integers. Received {name}={value!r}, "
                         f"including values {set(v for v in result if v < lowest)} that do not satisfy "
                         f"`{condition}`.")
    return result


def standardize_padding(value, allow_causal: bool = False) -> str:
    """``"valid"``, ``"same"`` (or ``"causal"`` where allowed), case-insensitive."""
    padding = value.lower() if isinstance(value, str) else value
    allowed = ("valid", "same", "causal") if allow_causal else ("valid", "same")
    if padding not in allowed:
        raise ValueError(f"`padding` must be one of {allowed}, received {value!r}.")
    return padding


def conv_output_length(size: int | None, kernel_size: int, stride: int, padding: str, dilation: int = 1):
    """The output size of a convolution or pooling window along one axis (``None`` stays ``None``)."""
    if size is None:
        return None
    if padding == "valid":
        return (size - ((kernel_size - 1) * dilation + 1)) // stride + 1
    return (size - 1) // stride + 1  # "same" and "causal": ceil(size / stride)


def conv_transpose_output_length(size: int | None, kernel_size: int, stride: int, padding: str,
                                 output_padding: int | None = None, dilation: int = 1):
    """The output size of a transposed convolution along one axis, as Keras computes it."""
    if size is None:
        return None
    kernel_size = (kernel_size - 1) * dilation + 1
    if output_padding is None:
        if padding == "valid":
            return size * stride + max(kernel_size - stride, 0)
        return size * stride
    pad = kernel_size // 2 if padding == "same" else 0
    return (size - 1) * stride + kernel_size - 2 * pad + output_padding


def spatial_output_shape(layer, input_shape, channels: int | None, lengths) -> tuple:
    """``input_shape`` with its spatial sizes replaced by ``lengths`` and its channels by ``channels``.

    Raises a ValueError naming ``layer`` when a spatial size would not be positive.
    """
    lengths = tuple(lengths)
    if any(length is not None and length <= 0 for length in lengths):
        raise ValueError(
            f"{type(layer).__name__} {layer.name!r}: Computed output size would be zero or negative: the input "
            f"of shape {tuple(input_shape)} is too small for the layer's window, the output's spatial size would "
            f"be {lengths}."
        )
    if layer.data_format == "channels_last":
        return (input_shape[0],) + lengths + (channels,)
    return (input_shape[0], channels) + lengths


def standardize_pairs(value, rank: int, name: str) -> tuple:
    """``value`` as ``rank`` (before, after) pairs of non-negative ints, Keras's forms for cropping and
    padding: an int (the same everywhere), ``rank`` ints (symmetric per axis) or ``rank`` pairs.

    Example:
    >>> standardize_pairs((1, (2, 3)), 2, "padding")   # ((1, 1), (2, 3))
    """
    if is_int(value):
        if value < 0:
            raise ValueError(f"`{name}` must be non-negative, received {value!r}.")
        return ((int(value), int(value)),) * rank
    if not hasattr(value, "__len__") or len(value) != rank:
        raise ValueError(
            f"`{name}` must be an int, a tuple of {rank} ints or a tuple of {rank} (before, after) pairs, "
            f"received {value!r}."
        )
    return tuple(standardize_tuple(entry, 2, f"entry {i} of {name}", allow_zero=True) for i, entry in enumerate(value))
