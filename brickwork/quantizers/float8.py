"""Float8 with delayed scaling: scale updates from an amax history, and quantize-dequantize through float8.

The rounding to float8 is computed in the compute dtype (round to ``mantissa_bits`` at the value's binary
exponent, with float8's smallest normal exponent as the floor for subnormals): it matches a cast to
``float8_e4m3fn`` / ``float8_e5m2`` and back on every engine, including those without float8 tensors.

Example:
>>> quantize_and_dequantize(np.array([0.3], "float32"), 1.0, "float8_e4m3fn", "float32")   # [0.3125]
"""

from __future__ import annotations

import math

from brickwork import ops

# name: (largest finite value, mantissa bits, smallest normal exponent)
FLOAT8_FORMATS = {
    "float8_e4m3fn": (448.0, 3, -6),
    "float8_e5m2": (57344.0, 2, -14),
}


def float8_max(dtype: str) -> float:
    """The largest finite value of a float8 format (``448.0`` for ``"float8_e4m3fn"``)."""
    return _format(dtype)[0]


def _format(dtype: str):
    if dtype not in FLOAT8_FORMATS:
        raise ValueError(f"float8: unknown float8 dtype {dtype!r}; expected one of {sorted(FLOAT8_FORMATS)}.")
    return FLOAT8_FORMATS[dtype]


def round_to_float8(x, dtype: str):
    """``x`` rounded (half to even) to the nearest value of the float8 format ``dtype``; ``x`` must already
    lie within its finite range."""
    _, mantissa_bits, min_exponent = _format(dtype)
    magnitude = ops.abs(x)
    exponent = ops.floor(ops.log2(ops.where(magnitude > 0, magnitude, 1.0)))
    # log2 can land one off next to a power of two: correct it with exact power-of-two comparisons.
    exponent = ops.where(ops.power(2.0, exponent) > magnitude, exponent - 1, exponent)
    exponent = ops.where(ops.power(2.0, exponent + 1) <= magnitude, exponent + 1, exponent)
    step = ops.power(2.0, ops.maximum(exponent, float(min_exponent)) - mantissa_bits)
    return ops.multiply(ops.round(ops.divide(x, step)), step)


def quantize_and_dequantize(inputs, scale, quantized_dtype: str, compute_dtype: str):
    """``inputs / scale`` clipped to the float8 range, rounded to float8, then times ``scale``, in ``compute_dtype``.

    Args:
        inputs: the float tensor.
        scale: the float8 scale (scalar or broadcastable).
        quantized_dtype: ``"float8_e4m3fn"`` (forward values) or ``"float8_e5m2"`` (gradients).
        compute_dtype: the dtype of the arithmetic and of the result.

    Returns:
        A tensor of the shape of ``inputs`` in ``compute_dtype``, holding only values float8 can represent
            (times ``scale``).

    Example:
    >>> quantize_and_dequantize(np.array([1000.0], "float32"), 1.0, "float8_e4m3fn", "float32")   # [448.]
    """
    largest = float8_max(quantized_dtype)
    scale = ops.cast(scale, compute_dtype)
    x = ops.clip(ops.divide(ops.cast(inputs, compute_dtype), scale), -largest, largest)
    # Round in float32 at least: float16 cannot hold every power-of-two step of e5m2's range.
    rounded = round_to_float8(ops.cast(x, "float32"), quantized_dtype)
    return ops.multiply(ops.cast(rounded, compute_dtype), scale)


def compute_float8_scale(amax, scale, dtype_max, margin: int = 0):
    """The next delayed-scaling scale: ``amax / dtype_max * 2**margin``, kept as ``scale`` where ``amax`` is zero
    or not finite (NVIDIA Transformer Engine's rule, written on the reciprocal Keras stores).

    Args:
        amax: the largest absolute value seen (e.g. the maximum of the amax history).
        scale: the current scale, kept where ``amax`` gives no usable one.
        dtype_max: the largest finite value of the float8 dtype (448 for ``float8_e4m3fn``, 57344 for
            ``float8_e5m2``).
        margin: a power-of-two headroom: the scale is multiplied by ``2 ** margin`` (default 0).

    Returns:
        The new scale, a float tensor of the shape of ``amax``.

    Example:
    >>> compute_float8_scale(3.0, 4.0, 448.0)   # 3 / 448
    """
    previous = ops.reciprocal(ops.convert_to_tensor(scale, "float32") if isinstance(scale, float) else scale)
    amax = ops.convert_to_tensor(amax, "float32") if isinstance(amax, (int, float)) else amax
    factor = ops.divide(ops.divide(dtype_max, amax), math.pow(2, margin))
    factor = ops.where(ops.logical_and(amax > 0.0, ops.isfinite(amax)), factor, previous)
    return ops.reciprocal(factor)


def compute_float8_amax_history(x, amax_history):
    """``amax_history`` rolled one step left, with ``max|x|`` written at position 0.

    Args:
        x: the tensor whose largest absolute value is recorded.
        amax_history: a 1-D float tensor of past maxima, newest at position 0.

    Returns:
        A tensor of the shape and dtype of ``amax_history``.

    Example:
    >>> compute_float8_amax_history(np.array([-3.0, 1.0]), np.array([5.0, 6.0, 7.0]))   # [3., 7., 5.]
    """
    latest = ops.cast(ops.max(ops.abs(x)), amax_history.dtype)
    return ops.scatter_update(ops.roll(amax_history, shift=-1), [[0]], ops.reshape(latest, (1,)))


def _history_update(x, scale, amax_history, dtype: str):
    """``(new scale, new amax history)`` after seeing ``x``: the delayed-scaling step."""
    new_scale = compute_float8_scale(ops.max(amax_history, axis=0), scale, ops.cast(float8_max(dtype), "float32"))
    return new_scale, compute_float8_amax_history(x, amax_history)


def quantize_dequantize_forward(x, scale, amax_history, training: bool, compute_dtype: str):
    """``x`` through float8_e4m3fn with ``scale``; the gradient passes through unchanged, and in training the
    "gradients" of ``scale`` and ``amax_history`` are their next values (variables created with
    ``overwrite_with_gradient=True`` take them as they are)."""

    @ops.custom_gradient
    def forward(x, scale, amax_history):
        updates = _history_update(x, scale, amax_history, "float8_e4m3fn") if training else (None, None)

        def grad(*args, upstream=None):
            upstream = args[0] if upstream is None else upstream
            return (upstream, *updates)

        return quantize_and_dequantize(x, scale, "float8_e4m3fn", compute_dtype), grad

    return forward(x, scale, amax_history)


def quantize_dequantize_gradient(x, scale, amax_history, compute_dtype: str):
    """``x`` unchanged; its incoming gradient goes through float8_e5m2 with ``scale``, and the "gradients" of
    ``scale`` and ``amax_history`` are their next values (as in ``quantize_dequantize_forward``)."""

    @ops.custom_gradient
    def backward_only(x, scale, amax_history):
        def grad(*args, upstream=None):
            upstream = args[0] if upstream is None else upstream
            new_scale, new_history = _history_update(upstream, scale, amax_history, "float8_e5m2")
            return quantize_and_dequantize(upstream, scale, "float8_e5m2", compute_dtype), new_scale, new_history

        return x, grad

    return backward_only(x, scale, amax_history)
