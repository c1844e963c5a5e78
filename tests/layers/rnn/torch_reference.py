"""Independent references for the recurrent layers: torch.nn.LSTM/GRU/RNN given Keras's weights, and
NumPy step loops for what PyTorch has no module for.

Keras keeps ``kernel (input_dim, gates * units)`` with the gates side by side (LSTM i, f, c, o; GRU
z, r, h); PyTorch keeps ``weight_ih (gates * units, input_dim)`` (LSTM i, f, g, o; GRU r, z, n) and
two biases. Every reference takes and returns torch float64 tensors so that autograd gives the
reference gradients.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch.func import functional_call


def tensor(x) -> torch.Tensor:
    return x if isinstance(x, torch.Tensor) else torch.tensor(np.asarray(x, dtype=np.float64))


def _zeros_state(x, units):
    return torch.zeros(1, x.shape[0], units, dtype=x.dtype)


def lstm(x, kernel, recurrent_kernel, bias=None, h0=None, c0=None):
    """``(outputs, h, c)`` of ``torch.nn.LSTM`` (batch first) with Keras's weights."""
    x, kernel, recurrent_kernel = tensor(x), tensor(kernel), tensor(recurrent_kernel)
    units = recurrent_kernel.shape[0]
    module = torch.nn.LSTM(kernel.shape[0], units, batch_first=True, bias=bias is not None).double()
    params = {"weight_ih_l0": kernel.T, "weight_hh_l0": recurrent_kernel.T}
    if bias is not None:
        params.update(bias_ih_l0=tensor(bias), bias_hh_l0=torch.zeros(4 * units, dtype=torch.float64))
    h0 = _zeros_state(x, units) if h0 is None else tensor(h0)[None]
    c0 = _zeros_state(x, units) if c0 is None else tensor(c0)[None]
    outputs, (h, c) = functional_call(module, params, (x, (h0, c0)))
    return outputs, h[0], c[0]


def _gru_gates(w):
    """Keras z, r, h along the last axis -> PyTorch r, z, n along the first (transposed)."""
    z, r, h = torch.chunk(w, 3, dim=-1)
    return torch.cat([r, z, h], dim=-1).T


def gru(x, kernel, recurrent_kernel, bias=None, h0=None):
    """``(outputs, h)`` of ``torch.nn.GRU`` (batch first) with Keras's ``reset_after=True`` weights."""
    x, kernel, recurrent_kernel = tensor(x), tensor(kernel), tensor(recurrent_kernel)
    units = recurrent_kernel.shape[0]
    module = torch.nn.GRU(kernel.shape[0], units, batch_first=True, bias=bias is not None).double()
    params = {"weight_ih_l0": _gru_gates(kernel), "weight_hh_l0": _gru_gates(recurrent_kernel)}
    if bias is not None:
        bias = tensor(bias)
        params.update(bias_ih_l0=_gru_gates(bias[0][None])[:, 0], bias_hh_l0=_gru_gates(bias[1][None])[:, 0])
    h0 = _zeros_state(x, units) if h0 is None else tensor(h0)[None]
    outputs, h = functional_call(module, params, (x, h0))
    return outputs, h[0]


def simple_rnn(x, kernel, recurrent_kernel, bias=None, h0=None):
    """``(outputs, h)`` of ``torch.nn.RNN`` (tanh, batch first) with Keras's weights."""
    x, kernel, recurrent_kernel = tensor(x), tensor(kernel), tensor(recurrent_kernel)
    units = recurrent_kernel.shape[0]
    module = torch.nn.RNN(kernel.shape[0], units, batch_first=True, bias=bias is not None).double()
    params = {"weight_ih_l0": kernel.T, "weight_hh_l0": recurrent_kernel.T}
    if bias is not None:
        params.update(bias_ih_l0=tensor(bias), bias_hh_l0=torch.zeros(units, dtype=torch.float64))
    h0 = _zeros_state(x, units) if h0 is None else tensor(h0)[None]
    outputs, h = functional_call(module, params, (x, h0))
    return outputs, h[0]


def conv_lstm2d_same(x, kernel, recurrent_kernel, bias):
    """``(outputs, h, c)`` of ConvLSTM2D (odd kernel, "same" padding, stride 1, channels last) with
    ``torch.nn.functional.conv2d``."""
    x, kernel, recurrent_kernel, bias = (tensor(a) for a in (x, kernel, recurrent_kernel, bias))
    pad = (kernel.shape[0] // 2, kernel.shape[1] // 2)
    w, u = kernel.permute(3, 2, 0, 1), recurrent_kernel.permute(3, 2, 0, 1)
    frames = x.permute(0, 1, 4, 2, 3)  # (batch, time, channels, H, W)
    h = torch.zeros(x.shape[0], u.shape[1], x.shape[2], x.shape[3], dtype=x.dtype)
    c = torch.zeros_like(h)
    outputs = []
    for t in range(x.shape[1]):
        z = F.conv2d(frames[:, t], w, bias, padding=pad) + F.conv2d(h, u, padding=pad)
        i, f, g, o = torch.chunk(z, 4, dim=1)
        c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        h = torch.sigmoid(o) * torch.tanh(c)
        outputs.append(h.permute(0, 2, 3, 1))
    return torch.stack(outputs, dim=1), h.permute(0, 2, 3, 1), c.permute(0, 2, 3, 1)


# ---- NumPy step loops (Keras's equations written out) ----


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def gru_reset_before_numpy(x, kernel, recurrent_kernel, bias):
    """``(outputs, h)`` of the original GRU (``reset_after=False``): the reset gate scales ``h`` before its matmul."""
    units = recurrent_kernel.shape[0]
    h = np.zeros((x.shape[0], units))
    outputs = []
    for t in range(x.shape[1]):
        xz, xr, xh = np.split(x[:, t] @ kernel + bias, 3, axis=-1)
        z = _sigmoid(xz + h @ recurrent_kernel[:, :units])
        r = _sigmoid(xr + h @ recurrent_kernel[:, units:2 * units])
        candidate = np.tanh(xh + (r * h) @ recurrent_kernel[:, 2 * units:])
        h = z * h + (1 - z) * candidate
        outputs.append(h)
    return np.stack(outputs, axis=1), h


def conv_lstm2d_numpy(x, kernel, recurrent_kernel, bias):
    """``(outputs, h, c)`` of ConvLSTM2D with "same" padding, stride 1, channels last, by direct loops."""

    def conv_same(image, weights):  # image (b, H, W, ci), weights (kh, kw, ci, co)
        kh, kw = weights.shape[:2]
        top, left = (kh - 1) // 2, (kw - 1) // 2
        padded = np.pad(image, ((0, 0), (top, kh - 1 - top), (left, kw - 1 - left), (0, 0)))
        out = np.zeros(image.shape[:3] + (weights.shape[-1],))
        for i in range(kh):
            for j in range(kw):
                out += padded[:, i:i + image.shape[1], j:j + image.shape[2]] @ weights[i, j]
        return out

    filters = recurrent_kernel.shape[-2]
    h = np.zeros(x.shape[:1] + x.shape[2:4] + (filters,))
    c = np.zeros_like(h)
    outputs = []
    for t in range(x.shape[1]):
        z = conv_same(x[:, t], kernel) + bias + conv_same(h, recurrent_kernel)
        i, f, g, o = np.split(z, 4, axis=-1)
        c = _sigmoid(f) * c + _sigmoid(i) * np.tanh(g)
        h = _sigmoid(o) * np.tanh(c)
        outputs.append(h)
    return np.stack(outputs, axis=1), h, c
