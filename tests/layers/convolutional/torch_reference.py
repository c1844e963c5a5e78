"""Independent references for the convolution layers: torch.nn.functional in float64, Keras layouts in and out.

Keras kernels are ``(*kernel_size, in, out)``; torch wants ``(out, in, *kernel_size)``. Keras's "same"
padding is TensorFlow's (the odd element goes after), written out here from its definition.
"""

from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F

_CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
_CONV_T = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}
_ACTIVATIONS = {None: lambda t: t, "linear": lambda t: t, "relu": torch.relu, "tanh": torch.tanh}


def tensor(x) -> torch.Tensor:
    return x if isinstance(x, torch.Tensor) else torch.tensor(np.asarray(x, dtype=np.float64))


def to_channels_first(x: torch.Tensor, data_format: str) -> torch.Tensor:
    return x.movedim(-1, 1) if data_format == "channels_last" else x


def from_channels_first(x: torch.Tensor, data_format: str) -> torch.Tensor:
    return x.movedim(1, -1) if data_format == "channels_last" else x


def torch_kernel(kernel: torch.Tensor) -> torch.Tensor:
    """``(*k, in, out)`` -> ``(out, in, *k)``."""
    rank = kernel.ndim - 2
    return kernel.permute(rank + 1, rank, *range(rank))


def pad_same(x: torch.Tensor, kernel_size, strides, dilation, value=0.0) -> torch.Tensor:
    """Pad a channels-first ``x`` as TensorFlow's "same": total ``(ceil(n/s)-1)*s + (k-1)*d + 1 - n``."""
    flat = []
    for n, k, s, d in reversed(list(zip(x.shape[2:], kernel_size, strides, dilation))):
        total = max((math.ceil(n / s) - 1) * s + (k - 1) * d + 1 - n, 0)
        flat += [total // 2, total - total // 2]
    return F.pad(x, flat, value=value)


def conv(x, kernel, bias=None, strides=1, padding="valid", dilation_rate=1, data_format="channels_last",
         activation=None) -> torch.Tensor:
    """What a Keras ``Conv*D`` layer computes (``groups`` follow from the kernel's input channels)."""
    x, kernel = tensor(x), tensor(kernel)
    rank = kernel.ndim - 2
    strides = (strides,) * rank if isinstance(strides, int) else tuple(strides)
    dilation = (dilation_rate,) * rank if isinstance(dilation_rate, int) else tuple(dilation_rate)
    x = to_channels_first(x, data_format)
    if padding == "same":
        x = pad_same(x, kernel.shape[:rank], strides, dilation)
    elif padding == "causal":
        x = F.pad(x, [(kernel.shape[0] - 1) * dilation[0], 0])
    groups = x.shape[1] // kernel.shape[-2]
    out = _CONV[rank](x, torch_kernel(kernel), None if bias is None else tensor(bias), strides, 0, dilation, groups)
    return _ACTIVATIONS[activation](from_channels_first(out, data_format))


def depthwise_conv(x, kernel, bias=None, strides=1, padding="valid", dilation_rate=1,
                   data_format="channels_last", activation=None) -> torch.Tensor:
    """``(*k, C, M)`` kernel: channel ``c`` gets filters ``c*M … c*M + M - 1`` (a grouped conv)."""
    kernel = tensor(kernel)
    rank = kernel.ndim - 2
    grouped = kernel.reshape(tuple(kernel.shape[:rank]) + (1, -1))
    return conv(x, grouped, bias, strides, padding, dilation_rate, data_format, activation)


def separable_conv(x, depthwise_kernel, pointwise_kernel, bias=None, strides=1, padding="valid", dilation_rate=1,
                   data_format="channels_last", activation=None) -> torch.Tensor:
    middle = depthwise_conv(x, depthwise_kernel, None, strides, padding, dilation_rate, data_format)
    return conv(middle, pointwise_kernel, bias, 1, "valid", 1, data_format, activation)


def conv_transpose(x, kernel, bias=None, strides=1, padding="valid", output_padding=None, dilation_rate=1,
                   data_format="channels_last", activation=None) -> torch.Tensor:
    """The full transposed convolution, then cropped/zero-padded per spatial dim as Keras specifies
    (its JAX backend pads the stride-dilated input by ``left``/``right`` around a ``k - 1`` full pad)."""
    x, kernel = tensor(x), tensor(kernel)
    rank = kernel.ndim - 2
    strides = (strides,) * rank if isinstance(strides, int) else tuple(strides)
    dilation = (dilation_rate,) * rank if isinstance(dilation_rate, int) else tuple(dilation_rate)
    output_padding = (output_padding,) * rank if isinstance(output_padding, int) else output_padding
    x = to_channels_first(x, data_format)
    # Keras's kernel is (*k, out, in): torch's transposed conv wants (in, out, *k).
    weight = kernel.permute(rank + 1, rank, *range(rank))
    out = _CONV_T[rank](x, weight, None, strides, 0, 0, 1, dilation)
    for dim in range(rank):
        k = (kernel.shape[dim] - 1) * dilation[dim] + 1
        s = strides[dim]
        p = None if output_padding is None else output_padding[dim]
        if padding == "valid":
            left, right = k - 1, k - 1 + (max(k, s) - k if p is None else p)
        else:
            total = s + k - 2 if p is None else k + k % 2 - 2 + p
            left = min(total // 2 + total % 2, k - 1)
            right = total - left
        axis = 2 + dim
        out = out.narrow(axis, k - 1 - left, out.shape[axis] - (k - 1 - left))
        extra = right - (k - 1)
        if extra > 0:
            shape = list(out.shape)
            shape[axis] = extra
            out = torch.cat([out, out.new_zeros(shape)], axis)
        elif extra < 0:
            out = out.narrow(axis, 0, out.shape[axis] + extra)
    if bias is not None:
        out = out + tensor(bias).reshape((1, -1) + (1,) * rank)
    return _ACTIVATIONS[activation](from_channels_first(out, data_format))


def numpy_of(fn):
    """``fn`` with NumPy in and out, for ``run_layer_test``'s ``reference``."""
    return lambda *args, **kwargs: fn(*args, **kwargs).detach().numpy()
