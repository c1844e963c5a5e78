"""Shape arithmetic shared by every backend's convolution and pooling: argument tuples,
TensorFlow-style "same" padding, transposed-convolution padding, group checks."""

from __future__ import annotations

from brickwork.backend.common.backend_utils import _convert_conv_transpose_padding_args_from_keras_to_jax


def _tuple(value, rank: int, name: str) -> tuple:
    if isinstance(value, int):
        return (value,) * rank
    value = tuple(value)
    if len(value) == 1:
        return value * rank
    if len(value) != rank:
        raise ValueError(f"`{name}` must be an int or a tuple of {rank} ints, received {value}.")
    return value


def _same_pads(sizes, kernel_size, strides, dilation) -> list:
    """TF's "same" padding per spatial dim as (before, after): the extra element goes after."""
    pads = []
    for size, k, s, d in zip(sizes, kernel_size, strides, dilation):
        total = max((-(-size // s) - 1) * s + (k - 1) * d + 1 - size, 0)
        pads.append((total // 2, total - total // 2))
    return pads


def _transpose_pads(kernel_size: int, stride: int, dilation: int, padding: str, output_padding) -> tuple:
    """(before, after) zero padding of the stride-dilated input that makes a transposed conv match Keras."""
    return _convert_conv_transpose_padding_args_from_keras_to_jax(kernel_size, stride, dilation, padding,
                                                                  output_padding)


def _check_groups(op: str, in_channels: int, kernel_in: int, kernel) -> int:
    if kernel_in == 0 or in_channels % kernel_in:
        raise ValueError(
            f"{op}: the input channels must match the kernel: the inputs have {in_channels} channels, which is not "
            f"a multiple of the kernel's "
            f"{kernel_in} input channels (kernel shape {tuple(kernel.shape)})."
        )
    return in_channels // kernel_in


def _check_depthwise_channels(op: str, in_channels: int, kernel) -> None:
    if kernel.shape[-2] != in_channels:
        raise ValueError(
            f"{op}: the input channels must match the kernel: the inputs have {in_channels} channels but the "
            f"depthwise kernel (layout (*spatial, in_channels, depth_multiplier)) expects {kernel.shape[-2]} "
            f"(kernel shape {tuple(kernel.shape)})."
        )


def _check_transpose_channels(in_channels: int, kernel) -> None:
    if in_channels != kernel.shape[-1]:
        raise ValueError(
            f"conv_transpose: the input channels must match the kernel: the inputs have {in_channels} channels but "
            f"the kernel (layout (*spatial, out_channels, in_channels)) expects {kernel.shape[-1]} "
            f"(kernel shape {tuple(kernel.shape)})."
        )


def _spatial_rank(op: str, inputs, kernel=None) -> int:
    rank = inputs.ndim - 2
    if rank not in (1, 2, 3) or (kernel is not None and kernel.ndim != inputs.ndim):
        expected = "" if kernel is None else " and a kernel of the same rank"
        received = "" if kernel is None else f" and a kernel of shape {tuple(kernel.shape)}"
        raise ValueError(
            f"{op}: expected inputs of rank 3, 4 or 5 (batch, *spatial, channels){expected}; "
            f"received inputs of shape {tuple(inputs.shape)}{received}."
        )
    return rank


def _padding_mode(padding) -> str:
    mode = padding.lower() if isinstance(padding, str) else padding
    if mode not in ("valid", "same"):
        raise ValueError(f"padding must be 'valid' or 'same', received {padding!r}.")
    return mode
