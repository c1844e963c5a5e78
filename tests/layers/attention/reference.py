"""Attention written out in NumPy (float64) and torch, from the textbook formulas, for the attention tests.

Weights come in Keras 3's order: query kernel/bias, key kernel/bias, value kernel/bias, output kernel/bias;
kernels ``(dim, heads, head_dim)`` for the projections and ``(heads, head_dim, out)`` for the output.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from brickwork import backend


def numpy(x) -> np.ndarray:
    return np.asarray(backend.convert_to_numpy(x))


def softmax(logits, mask=None, axis=-1):
    """Softmax over ``axis``; entries where ``mask`` is False get 0 (an all-masked row gives all zeros)."""
    logits = np.asarray(logits, np.float64)
    if mask is not None:
        logits = np.where(mask, logits, -np.inf)
    peak = np.max(logits, axis=axis, keepdims=True)
    peak = np.where(np.isfinite(peak), peak, 0.0)
    exp = np.exp(logits - peak)
    total = np.sum(exp, axis=axis, keepdims=True)
    return exp / np.where(total == 0, 1.0, total)


def causal(query_length: int, key_length: int) -> np.ndarray:
    return np.tril(np.ones((query_length, key_length), bool))


def split_weights(weights, use_bias: bool = True):
    """``[(kernel, bias or 0)] * 4`` for query, key, value, output."""
    weights = [np.asarray(w, np.float64) for w in weights]
    if use_bias:
        return [(weights[i], weights[i + 1]) for i in range(0, 8, 2)]
    return [(w, 0.0) for w in weights]


def multi_head_attention(query, value, key, weights, mask=None, use_bias=True):
    """``(output, scores)`` for ``(B, T, dim)`` inputs; ``mask`` broadcastable to ``(B, heads, T, S)``.

    Key and value heads may be fewer than query heads (grouped-query): each serves a contiguous group.
    """
    (wq, bq), (wk, bk), (wv, bv), (wo, bo) = split_weights(weights, use_bias)
    key = value if key is None else key
    q = np.einsum("btd,dnh->btnh", query, wq) + bq
    k = np.einsum("bsd,dnh->bsnh", key, wk) + bk
    v = np.einsum("bsd,dnh->bsnh", value, wv) + bv
    groups = q.shape[2] // k.shape[2]
    k, v = np.repeat(k, groups, axis=2), np.repeat(v, groups, axis=2)
    logits = np.einsum("btnh,bsnh->bnts", q, k) / np.sqrt(q.shape[-1])
    scores = softmax(logits, mask)
    heads = np.einsum("bnts,bsnh->btnh", scores, v)
    return np.einsum("btnh,nho->bto", heads, wo) + bo, scores


def torch_multi_head_attention(query, value, key, weights, mask=None):
    """The same with ``torch.nn.functional.scaled_dot_product_attention`` (torch tensors in and out)."""
    wq, bq, wk, bk, wv, bv, wo, bo = weights
    key = value if key is None else key
    q = (torch.einsum("btd,dnh->bnth", query, wq) + bq[:, None])
    k = (torch.einsum("bsd,dnh->bnsh", key, wk) + bk[:, None])
    v = (torch.einsum("bsd,dnh->bnsh", value, wv) + bv[:, None])
    mask = None if mask is None else torch.as_tensor(mask)
    heads = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, enable_gqa=q.shape[1] != k.shape[1])
    return torch.einsum("bnth,nho->bto", heads, wo) + bo


def attention(query, value, key=None, query_mask=None, value_mask=None, causal_mask=False,
              score_fn=None):
    """Luong/Bahdanau attention ``(output, scores)``: ``score_fn(query, key) -> (B, Tq, Tv)``."""
    key = value if key is None else key
    logits = score_fn(np.asarray(query, np.float64), np.asarray(key, np.float64))
    mask = np.ones(logits.shape, bool)
    if value_mask is not None:
        mask &= np.asarray(value_mask, bool)[:, None, :]
    if causal_mask:
        mask &= causal(logits.shape[1], logits.shape[2])
    scores = softmax(logits, mask)
    output = scores @ np.asarray(value, np.float64)
    if query_mask is not None:
        output = output * np.asarray(query_mask, np.float64)[:, :, None]
    return output, scores
