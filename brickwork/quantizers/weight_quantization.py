"""Quantize a float weight matrix the way ``layer.quantize`` stores it: int8, or int4 packed two to a byte.

``axis`` is the axis each scale reduces over: ``0`` for a ``Dense`` kernel (one scale per output unit),
``-1`` for an ``Embedding`` table (one scale per token). int4 values are packed along the last axis; with
a ``block_size``, the reduced axis is cut into groups that each get a scale and a zero point.

Example:
>>> values, scale = quantize_int8(np.random.randn(8, 4).astype("float32"), axis=0)   # int8 (8, 4), scale (4,)
"""

from __future__ import annotations

from brickwork import ops
from brickwork.quantizers.int4_packing import pack_int4, unpack_int4
from brickwork.quantizers.quantization_config import Int4QuantizationConfig, QuantizationConfig, is_per_channel
from brickwork.quantizers.quantizers import (
    AbsMaxQuantizer,
    abs_max_quantize_grouped_with_zero_point,
    dequantize_with_sz_map,
)


def quantize_int8(weights, axis: int, config=None):
    """``(int8 values, scale)`` with ``scale`` squeezed along ``axis``; the config's weight quantizer if it has one."""
    quantizer = QuantizationConfig.weight_quantizer_or_default(config, AbsMaxQuantizer(axis=axis))
    values, scale = quantizer(weights, to_numpy=True)
    return values, ops.squeeze(scale, axis=axis)


def int4_block_size(config) -> int | None:
    """The group size ``config`` asks for; ``None`` for one scale per channel."""
    block_size = config.block_size if isinstance(config, Int4QuantizationConfig) else None
    return None if is_per_channel(block_size) else block_size


def quantize_int4(weights, axis: int, config=None, pack_axis: int = -1):
    """``(packed int4 values, scale, zero point or None)``: per channel, or in groups of ``config.block_size``
    along ``axis`` (then ``scale``/``zero`` hold one row per group: ``(groups, n)`` for ``axis=0``,
    ``(n, groups)`` for ``axis=-1``); the values are packed two a byte along ``pack_axis``."""
    block_size = int4_block_size(config)
    zero = None
    if block_size is None:
        default = AbsMaxQuantizer(axis=axis, value_range=(-8, 7), output_dtype="int8")
        values, scale = QuantizationConfig.weight_quantizer_or_default(config, default)(weights, to_numpy=True)
        scale = ops.squeeze(scale, axis=axis)
    elif axis == 0:
        values, scale, zero = abs_max_quantize_grouped_with_zero_point(weights, block_size=block_size, to_numpy=True)
    else:
        values, scale, zero = abs_max_quantize_grouped_with_zero_point(ops.transpose(weights), block_size=block_size,
                                                                       to_numpy=True)
        values, scale, zero = ops.transpose(values), ops.transpose(scale), ops.transpose(zero)
    packed, _, _ = pack_int4(values, axis=pack_axis)
    return packed, scale, zero


def dequantize_int4_grouped(packed, length: int, scale, zero, g_idx, group_axis: int, dtype: str,
                            pack_axis: int = -1):
    """The float matrix back from grouped int4 values packed along ``pack_axis`` (``group_axis`` of
    ``scale``/``zero`` holds the groups that ``g_idx`` indexes)."""
    values = unpack_int4(packed, length, axis=pack_axis)
    return ops.cast(dequantize_with_sz_map(values, scale, zero, g_idx, group_axis=group_axis), dtype)
