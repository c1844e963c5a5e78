"""torch backend: math ops (segments, top-k, logsumexp, Fourier transforms, special functions)."""

from __future__ import annotations

import math

import torch

from brickwork.backend import config
from brickwork.backend.torch.core import convert_to_tensor, to_torch_dtype


def _float(x) -> torch.Tensor:
    """``x`` as a tensor of a floating dtype: integers and bools become floatx."""
    x = convert_to_tensor(x)
    if x.is_floating_point() or x.is_complex():
        return x
    return x.to(to_torch_dtype(config.floatx()))


def _segment_setup(data, segment_ids, num_segments):
    """Data, int64 ids with out-of-range ids sent to an extra last row, and the segment count."""
    data = convert_to_tensor(data)
    ids = convert_to_tensor(segment_ids).to(torch.int64)
    if num_segments is None:
        num_segments = int(ids.max().item()) + 1 if ids.numel() else 0
    # Out-of-range ids (negative or >= num_segments) are dropped, as in Keras: they land in a
    # scratch row that is sliced off.
    ids = torch.where((ids >= 0) & (ids < num_segments), ids, num_segments)
    return data, ids, int(num_segments)


def segment_sum(data, segment_ids, num_segments=None, sorted=False):
    data, ids, num_segments = _segment_setup(data, segment_ids, num_segments)
    out = torch.zeros((num_segments + 1,) + tuple(data.shape[1:]), dtype=data.dtype, device=data.device)
    return out.index_add(0, ids, data)[:num_segments]


def segment_max(data, segment_ids, num_segments=None, sorted=False):
    data, ids, num_segments = _segment_setup(data, segment_ids, num_segments)
    if data.is_floating_point():
        lowest = -math.inf
    elif data.dtype == torch.bool:
        lowest = False
    else:
        lowest = torch.iinfo(data.dtype).min
    out = torch.full((num_segments + 1,) + tuple(data.shape[1:]), lowest, dtype=data.dtype, device=data.device)
    index = ids.view((-1,) + (1,) * (data.ndim - 1)).expand_as(data)
    return out.scatter_reduce(0, index, data, "amax", include_self=True)[:num_segments]


def segment_min(data, segment_ids, num_segments=None, sorted=False):
    data, ids, num_segments = _segment_setup(data, segment_ids, num_segments)
    if data.is_floating_point():
        highest = math.inf
    elif data.dtype == torch.bool:
        highest = True
    else:
        highest = torch.iinfo(data.dtype).max
    out = torch.full((num_segments + 1,) + tuple(data.shape[1:]), highest, dtype=data.dtype, device=data.device)
    index = ids.view((-1,) + (1,) * (data.ndim - 1)).expand_as(data)
    return out.scatter_reduce(0, index, data, "amin", include_self=True)[:num_segments]


def segment_prod(data, segment_ids, num_segments=None, sorted=False):
    data, ids, num_segments = _segment_setup(data, segment_ids, num_segments)
    out = torch.ones((num_segments + 1,) + tuple(data.shape[1:]), dtype=data.dtype, device=data.device)
    index = ids.view((-1,) + (1,) * (data.ndim - 1)).expand_as(data)
    return out.scatter_reduce(0, index, data, "prod", include_self=True)[:num_segments]


def top_k(x, k, sorted=True):
    x = convert_to_tensor(x)
    if not 0 <= k <= x.shape[-1]:
        raise ValueError(f"k must be in [0, {x.shape[-1]}] (the size of the last axis), received k={k}")
    # A stable sort keeps the lower index first among ties, as on the other backends.
    values, indices = torch.sort(x, dim=-1, descending=True, stable=True)
    return values[..., :k], indices[..., :k].to(torch.int32)


def in_top_k(targets, predictions, k):
    predictions = convert_to_tensor(predictions)
    targets = convert_to_tensor(targets).to(torch.int64)
    classes = predictions.shape[-1]
    valid = (targets >= 0) & (targets < classes)  # an out-of-range target is never in the top k
    at_target = torch.take_along_dim(predictions, targets.clamp(0, classes - 1).unsqueeze(-1), dim=-1)
    if predictions.is_floating_point():
        at_target = torch.where(torch.isnan(at_target), -math.inf, at_target)
    rank = (predictions > at_target).sum(dim=-1)
    return (rank < k) & valid


def logsumexp(x, axis=None, keepdims=False):
    x = _float(x)
    if axis is None:
        axis = tuple(range(x.ndim))
    if x.ndim == 0:
        return x.clone()
    return torch.logsumexp(x, dim=axis, keepdim=keepdims)


def extract_sequences(x, sequence_length, sequence_stride):
    x = convert_to_tensor(x)
    return x.unfold(-1, sequence_length, sequence_stride)


def _complex(x) -> torch.Tensor:
    """One complex tensor from a ``(real, imag)`` pair of float tensors (``ops`` checked their shapes)."""
    real, imag = convert_to_tensor(x[0]), convert_to_tensor(x[1])
    if not (real.is_floating_point() and imag.is_floating_point()):
        raise ValueError(f"At least one tensor in input `x` is not of type float: received {real.dtype} and "
                         f"{imag.dtype}")
    return torch.complex(real, imag)


def fft(x):
    out = torch.fft.fft(_complex(x))
    return out.real, out.imag


def fft2(x):
    out = torch.fft.fft2(_complex(x))
    return out.real, out.imag


def ifft2(x):
    out = torch.fft.ifft2(_complex(x))
    return out.real, out.imag


def rfft(x, fft_length=None):
    out = torch.fft.rfft(_float(x), n=fft_length, dim=-1)
    return out.real, out.imag


def irfft(x, fft_length=None):
    return torch.fft.irfft(_complex(x), n=fft_length, dim=-1)


def _window(window, sequence_length, fft_length, dtype, device):
    """The analysis window, zero-padded on both sides to ``fft_length`` (``ops`` checked its name or shape)."""
    if window is None:
        win = torch.ones(sequence_length, dtype=dtype, device=device)
    elif isinstance(window, str):
        make = torch.hann_window if window == "hann" else torch.hamming_window
        win = make(sequence_length, periodic=True, dtype=dtype, device=device)
    else:
        win = convert_to_tensor(window, dtype=dtype)
    left = (fft_length - sequence_length) // 2
    return torch.nn.functional.pad(win, (left, fft_length - sequence_length - left))


def stft(x, sequence_length, sequence_stride, fft_length, window="hann", center=True):
    x = convert_to_tensor(x)
    if center:
        pad = fft_length // 2
        shape = x.shape
        flat = x.reshape((-1, 1, shape[-1]))
        x = torch.nn.functional.pad(flat, (pad, pad), mode="reflect").reshape(shape[:-1] + (-1,))
    frames = x.unfold(-1, fft_length, sequence_stride)
    frames = frames * _window(window, sequence_length, fft_length, x.dtype, x.device)
    out = torch.fft.rfft(frames, n=fft_length, dim=-1)
    return out.real, out.imag


def istft(x, sequence_length, sequence_stride, fft_length, length=None, window="hann", center=True):
    frames = torch.fft.irfft(_complex(x), n=fft_length, dim=-1)
    num_frames = frames.shape[-2]
    size = fft_length + sequence_stride * (num_frames - 1)
    batch = frames.shape[:-2]

    def overlap_add(columns):  # (n, fft_length, num_frames) -> (n, size)
        return torch.nn.functional.fold(columns, output_size=(1, size), kernel_size=(1, fft_length),
                                        stride=(1, sequence_stride)).reshape(columns.shape[0], size)

    if window is not None:
        # Window each frame, overlap-add, then divide by the overlapped squared window (least-squares inverse).
        # Without a window the frames are only overlap-added, as in Keras.
        win = _window(window, sequence_length, fft_length, frames.dtype, frames.device)
        frames = frames * win
    signal = overlap_add(frames.reshape((-1, num_frames, fft_length)).transpose(1, 2)).reshape(batch + (size,))
    if window is not None:
        norm = overlap_add((win * win).reshape(1, fft_length, 1).expand(1, fft_length, num_frames)).reshape(size)
        signal = signal / torch.where(norm > 1e-11, norm, torch.ones_like(norm))
    start = fft_length // 2 if center else 0
    end = start + length if length is not None else size - start
    return signal[..., start:end]


def rsqrt(x):
    return torch.rsqrt(_float(x))


def erf(x):
    return torch.erf(_float(x))


def erfc(x):
    return torch.special.erfc(_float(x))


def erfinv(x):
    return torch.erfinv(_float(x))


def logdet(x):
    return torch.linalg.slogdet(_float(x))[1]


# ---- complex views ----


def view_as_complex(x):
    x = convert_to_tensor(x)
    if x.ndim < 1 or x.shape[-1] != 2:
        raise ValueError(f"Last dimension of input must be size 2 (real and imaginary). "
                         f"Received shape: {tuple(x.shape)}")
    x = x.to(torch.float32)  # complex64 whatever the input, as in Keras
    return torch.complex(x[..., 0], x[..., 1])


def view_as_real(x):
    x = convert_to_tensor(x)
    if x.is_complex():
        return torch.view_as_real(x.resolve_conj())
    return torch.stack([x, torch.zeros_like(x)], dim=-1)
