"""``fake_quant_with_min_max_vars``: quantization-aware training's round trip through ``num_bits`` integers.

The range ``[min, max]`` is nudged so that zero is exactly representable (as TensorFlow's op of the same
name does); values are clamped into it, rounded to one of ``2**num_bits`` levels and returned as floats.
The gradient is the straight-through estimator: it passes where the input lies inside the range, and goes
to ``min`` / ``max`` where it is clamped.

Example:
>>> fake_quant_with_min_max_vars(np.array([0.3, 2.0], "float32"), 0.0, 1.0)   # [0.2980, 1.0]
"""

from __future__ import annotations

from brickwork import backend, ops
from brickwork.backend.common import dtypes
from brickwork.backend.common.keras_tensor import KerasTensor, any_symbolic_tensors


def _nudged_range(min_range, max_range, num_bits: int, narrow_range: bool):
    """``(nudged_min, nudged_max, scale, inverse_scale)``, in float32 at least."""
    dtype = dtypes.promote_types(min_range.dtype, "float32")
    min_range, max_range = ops.cast(min_range, dtype), ops.cast(max_range, dtype)
    quant_min, quant_max = (1 if narrow_range else 0), (1 << num_bits) - 1
    span = ops.subtract(max_range, min_range)
    scale = ops.divide(span, quant_max - quant_min)
    inverse_scale = ops.divide(quant_max - quant_min, span)
    zero_point = ops.round(ops.clip(quant_min - ops.divide(min_range, scale), quant_min, quant_max))
    nudged_min = ops.multiply(ops.subtract(quant_min, zero_point), scale)
    nudged_max = ops.multiply(ops.subtract(quant_max, zero_point), scale)
    return nudged_min, nudged_max, scale, inverse_scale


def fake_quant_with_min_max_vars(inputs, min_vals, max_vals, num_bits: int = 8, narrow_range: bool = False,
                                 axis: int | None = None):
    """Quantize ``inputs`` to ``num_bits`` within ``[min_vals, max_vals]`` and dequantize, per tensor or per channel.

    Args:
        inputs: a float tensor.
        min_vals, max_vals: scalars (per tensor) or vectors along ``axis`` (per channel).
        num_bits: the bit width (levels ``0 .. 2**num_bits - 1``).
        narrow_range: whether level 0 is left out (levels ``1 .. 2**num_bits - 1``).
        axis: the channel axis of per-channel ranges; ``None`` for one range.

    Returns:
        A tensor of ``inputs``' shape and dtype; ``inputs``, ``min_vals`` and ``max_vals`` all get gradients.

    Example:
    >>> fake_quant_with_min_max_vars(np.zeros((2, 3), "float32"), [-1.0, 0, 0], [1.0, 1, 1], axis=-1)
    """
    if any_symbolic_tensors((inputs,)):
        return KerasTensor(inputs.shape, dtype=inputs.dtype)
    inputs = ops.convert_to_tensor(inputs)
    min_vals, max_vals = ops.convert_to_tensor(min_vals), ops.convert_to_tensor(max_vals)
    num_bits = int(num_bits)
    rank = len(inputs.shape)
    axis = None if axis is None else axis % rank
    reduced_axes = [i for i in range(rank) if i != axis]

    @ops.custom_gradient
    def fake_quant(x, min_val, max_val):
        nudged_min, nudged_max, scale, inverse_scale = _nudged_range(min_val, max_val, num_bits, narrow_range)
        quant_zero = ops.floor(ops.add(ops.multiply(ops.negative(nudged_min), inverse_scale), 0.5))
        shifted = ops.subtract(ops.clip(ops.cast(x, nudged_min.dtype), nudged_min, nudged_max), nudged_min)
        levels = ops.floor(ops.add(ops.subtract(ops.multiply(shifted, inverse_scale), quant_zero), 0.5))
        result = ops.cast(ops.multiply(levels, scale), backend.standardize_dtype(x.dtype))

        def grad(*args, upstream=None):
            upstream = args[0] if upstream is None else upstream
            zeros = ops.zeros_like(upstream)
            inside = ops.logical_and(ops.greater_equal(x, nudged_min), ops.less_equal(x, nudged_max))
            below = ops.where(ops.less_equal(x, nudged_min), upstream, zeros)
            above = ops.where(ops.greater_equal(x, nudged_max), upstream, zeros)
            reduce = (lambda g: ops.sum(g, axis=reduced_axes)) if axis is not None else ops.sum
            return (ops.where(inside, upstream, zeros), ops.reshape(reduce(below), ops.shape(min_val)),
                    ops.reshape(reduce(above), ops.shape(max_val)))

        return result, grad

    return fake_quant(inputs, min_vals, max_vals)
