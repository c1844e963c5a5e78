"""Integer quantization on a grid: symmetric abs-max scales, asymmetric scales with a zero point, per group.

Each formula is written once against an array namespace: ``brickwork.ops`` (on the device, any engine) or
NumPy (``to_numpy=True``: on the host, to spare device memory while quantizing a large model).

Example:
>>> kernel = np.array([[0.5, -1.0], [0.25, 2.0]], "float32")
>>> values, scale = abs_max_quantize(kernel, axis=0)      # scale = 127 / max|column|
>>> np.asarray(values)                                     # [[127, -64], [64, 127]]
"""

from __future__ import annotations

import numpy as np

from brickwork import backend, ops

_EPSILON = 1e-7  # Keras's backend.epsilon() when its quantizers module is imported


def _namespace(to_numpy: bool):
    return np if to_numpy else ops


def _cast(xp, x, dtype: str):
    return x.astype(dtype) if xp is np else ops.cast(x, dtype)


def _as_array(x, to_numpy: bool):
    return np.asarray(backend.convert_to_numpy(x)) if to_numpy else ops.convert_to_tensor(x)


def _dtype_name(x) -> str:
    return backend.standardize_dtype(x.dtype)


class Quantizer:
    """Base class of quantizers: ``quantizer(x)`` returns the quantized ``x`` (by default ``x`` itself).

    Args:
        output_dtype: the dtype of the quantized values.

    Example:
    >>> class Identity(Quantizer):
    ...     def get_config(self):
    ...         return {"output_dtype": self.output_dtype}
    >>> Identity()(np.ones(2))
    """

    def __init__(self, output_dtype: str = "int8"):
        self.output_dtype = output_dtype

    def __call__(self, x):
        return x

    @classmethod
    def from_config(cls, config: dict) -> "Quantizer":
        return cls(**config)

    def get_config(self) -> dict:
        raise NotImplementedError(f"{type(self).__name__} does not implement get_config().")


class AbsMaxQuantizer(Quantizer):
    """Symmetric quantizer: ``round(x * value_range[1] / max|x|)`` along an axis, and that scale.

    Args:
        axis: the axis (or axes) reduced by the max; deprecated here, pass it to the call instead.
        value_range: the ``(min, max)`` integer range (``(-127, 127)`` for int8, ``(-8, 7)`` for int4).
        epsilon: added to the max so an all-zero slice does not divide by zero.
        output_dtype: the dtype of the quantized values.

    Example:
    >>> values, scale = AbsMaxQuantizer()(np.array([[1.0, -2.0]], "float32"), axis=-1)
    """

    def __init__(self, axis=None, value_range=(-127, 127), epsilon: float = _EPSILON, output_dtype: str = "int8"):
        super().__init__(output_dtype=output_dtype)
        self.axis = None if axis is None else ((axis,) if isinstance(axis, int) else tuple(axis))
        self.value_range = tuple(value_range)  # a config read back from JSON holds a list
        self.epsilon = epsilon
        if output_dtype == "int8" and (value_range[0] < -128 or value_range[1] > 127):
            raise ValueError("AbsMaxQuantizer: with output_dtype='int8', `value_range` must lie within [-128, 127]; "
                             f"received value_range={value_range}.")

    def __call__(self, x, axis=None, to_numpy: bool = False):
        """``(quantized x, scale)`` along ``axis`` (default: the constructor's, else ``-1``)."""
        axis = next(a for a in (axis, self.axis, -1) if a is not None)
        return abs_max_quantize(x, axis, self.value_range, self.output_dtype, self.epsilon, to_numpy)

    def get_config(self) -> dict:
        config = {"value_range": self.value_range, "epsilon": self.epsilon, "output_dtype": self.output_dtype}
        if self.axis is not None:
            config["axis"] = self.axis
        return config


def abs_max_quantize(inputs, axis, value_range=(-127, 127), dtype: str = "int8", epsilon: float = _EPSILON,
                     to_numpy: bool = False):
    """Quantize symmetrically: ``scale = value_range[1] / (max|inputs| + epsilon)`` along ``axis``.

    Args:
        inputs: the float tensor.
        axis: the axis (or axes) the max reduces; the scale keeps them with size 1.
        value_range: the ``(min, max)`` integer range the rounded values are clipped to.
        dtype: the dtype of the quantized values.
        epsilon: guards all-zero slices.
        to_numpy: compute on the host with NumPy (saves device memory for large weights).

    Returns:
        ``(quantized, scale)``; ``quantized / scale`` approximates ``inputs``.

    Example:
    >>> q, scale = abs_max_quantize(np.array([[0.5, -1.0]], "float32"), axis=-1)   # q = [[64, -127]]
    """
    xp = _namespace(to_numpy)
    source_dtype = _dtype_name(inputs)
    inputs = _as_array(inputs, to_numpy)
    axis = tuple(axis) if isinstance(axis, (list, tuple)) else axis
    scale = xp.divide(value_range[1], xp.add(xp.max(xp.abs(inputs), axis=axis, keepdims=True), epsilon))
    scale = _cast(xp, scale, source_dtype)
    outputs = _cast(xp, xp.clip(xp.round(xp.multiply(inputs, scale)), value_range[0], value_range[1]), dtype)
    if to_numpy:
        return ops.convert_to_tensor(outputs), ops.convert_to_tensor(scale, dtype=source_dtype)
    return outputs, scale


def compute_quantization_parameters(x, *, bits: int, symmetric: bool = False, per_channel: bool = False,
                                    group_size: int = -1, compute_dtype: str = "float32", epsilon: float = 0.0,
                                    signed: bool = False):
    """Scale and zero point mapping ``x`` (``(out_features, in_features)``) onto ``bits``-bit integers.

    Per tensor, per output row (``per_channel``) or per group of ``group_size`` input columns. The range
    ``[min, max]`` (made symmetric around zero if ``symmetric``) maps onto ``[0, 2**bits - 1]``, or onto
    ``[-2**(bits-1), 2**(bits-1) - 1]`` when ``signed``.

    Returns:
        ``(scale, zero, maxq)``: ``scale`` and ``zero`` of shape ``(out_features, groups)`` (one group unless
            grouped), ``zero`` int8 if ``signed`` else uint8, and ``maxq = 2**bits - 1``.

    Example:
    >>> scale, zero, maxq = compute_quantization_parameters(np.ones((4, 8), "float32"), bits=4, per_channel=True)
    """
    if x is None:
        raise ValueError("compute_quantization_parameters: the input tensor `x` cannot be None.")
    if len(x.shape) < 2:
        raise ValueError("compute_quantization_parameters: `x` must be a weight matrix with a rank of at least 2, "
                         f"received shape {tuple(x.shape)}.")
    if int(np.prod(x.shape)) == 0:
        raise ValueError("compute_quantization_parameters: `x` cannot be empty.")
    out_features, in_features = int(x.shape[0]), int(x.shape[1])
    grouped = per_channel and group_size > 0 and -(-in_features // group_size) > 1
    min_values, max_values = _group_min_max(ops.convert_to_tensor(x), per_channel, group_size if grouped else -1)
    if symmetric:
        max_abs = ops.maximum(ops.abs(min_values), max_values)
        min_values = ops.where(ops.less(min_values, 0), ops.negative(max_abs), min_values)
        max_values = max_abs
    flat = ops.equal(min_values, max_values)  # a constant slice still gets a usable, non-zero range
    min_values = ops.where(flat, ops.subtract(min_values, 1), min_values)
    max_values = ops.where(flat, ops.add(max_values, 1), max_values)
    maxq = ops.cast(2**bits - 1, compute_dtype)
    span = ops.subtract(max_values, min_values)
    if epsilon > 0:
        span = ops.add(span, epsilon)
    scale = ops.divide(span, maxq)
    scale = ops.where(ops.less_equal(scale, 0), 1e-8, scale)
    qmin = -(2 ** (bits - 1)) if signed else 0
    if symmetric:
        zero = ops.full_like(scale, 2 ** (bits - 1) + qmin)
    else:
        zero = ops.add(ops.round(ops.divide(ops.negative(min_values), scale)), qmin)
    if signed:
        zero = ops.clip(zero, qmin, 2 ** (bits - 1) - 1)
    if not grouped:
        scale, zero = ops.reshape(scale, (-1, 1)), ops.reshape(zero, (-1, 1))
        if not per_channel:
            scale, zero = ops.tile(scale, (out_features, 1)), ops.tile(zero, (out_features, 1))
    return scale, ops.cast(zero, "int8" if signed else "uint8"), maxq


class GPTQQuantizer(Quantizer):
    """The scale and zero point GPTQ uses for a slice of weights, from a ``GPTQConfig``'s ``weight_bits``,
    ``per_channel``, ``symmetric`` and ``group_size``.

    Args:
        config: the ``GPTQConfig`` (default: its defaults).
        compute_dtype: the dtype of ``maxq``.

    Example:
    >>> scale, zero, maxq = GPTQQuantizer(GPTQConfig(None, None, group_size=-1)).find_params(np.ones((4, 8)))
    """

    def __init__(self, config=None, compute_dtype: str = "float32"):
        from brickwork.quantizers.gptq_config import GPTQConfig

        super().__init__()
        config = GPTQConfig(dataset=None, tokenizer=None) if config is None else config
        self.weight_bits, self.per_channel = config.weight_bits, config.per_channel
        self.symmetric, self.group_size = config.symmetric, config.group_size
        self.compute_dtype = compute_dtype
        self.scale = self.zero = self.maxq = None

    def find_params(self, input_tensor):
        """``(scale, zero, maxq)`` of ``input_tensor`` (``(out_features, in_features)``), also kept on ``self``."""
        self.scale, self.zero, self.maxq = compute_quantization_parameters(
            input_tensor, bits=self.weight_bits, symmetric=self.symmetric, per_channel=self.per_channel,
            group_size=self.group_size, compute_dtype=self.compute_dtype)
        return self.scale, self.zero, self.maxq

    def get_config(self) -> dict:
        return {"output_dtype": self.output_dtype, "weight_bits": self.weight_bits,
                "per_channel": self.per_channel, "symmetric": self.symmetric, "group_size": self.group_size}

    @classmethod
    def from_config(cls, config: dict) -> "GPTQQuantizer":
        from brickwork.quantizers.gptq_config import GPTQConfig

        return cls(GPTQConfig(dataset=None, tokenizer=None, weight_bits=config["weight_bits"],
                              per_channel=config["per_channel"], symmetric=config["symmetric"],
                              group_size=config["group_size"]))


def _group_min_max(x, per_channel: bool, group_size: int):
    """Min and max of ``x`` per row group (``group_size > 0``), per row, or over the whole tensor."""
    out_features, in_features = int(x.shape[0]), int(x.shape[1])
    if group_size > 0:
        padding = -in_features % group_size
        if padding:
            x = ops.pad(x, [[0, 0], [0, padding]], constant_values=0.0)
        x = ops.reshape(x, (out_features, -1, group_size))
        return ops.min(x, axis=2), ops.max(x, axis=2)
    rows = ops.reshape(x, (out_features, -1) if per_channel else (1, -1))
    return ops.min(rows, axis=1), ops.max(rows, axis=1)


def abs_max_quantize_grouped_with_zero_point(inputs, block_size: int, value_range=(-8, 7), dtype: str = "int8",
                                             epsilon: float = _EPSILON, to_numpy: bool = False):
    """Asymmetric quantization of a 2D kernel in groups of ``block_size`` rows (the input axis).

    Each group of rows gets, per column, a scale ``(max - min + epsilon) / (qmax - qmin)`` and a zero point
    ``round(-min / scale) + qmin``, so ``q = round(x / scale) + zero`` and ``x ≈ (q - zero) * scale``.

    Args:
        inputs: the ``(input_dim, output_dim)`` kernel.
        block_size: rows per group (the last group is padded with zeros).
        value_range: the ``(qmin, qmax)`` integer range.
        dtype: the dtype of the quantized values.
        epsilon: added to each range.
        to_numpy: compute on the host with NumPy.

    Returns:
        ``(quantized, scale, zero_point)``: ``quantized`` shaped like ``inputs``; ``scale`` and the int8
            ``zero_point`` shaped ``(ceil(input_dim / block_size), output_dim)``.

    Example:
    >>> q, scale, zero = abs_max_quantize_grouped_with_zero_point(np.random.randn(256, 8), block_size=128)
    >>> scale.shape   # (2, 8)
    """
    xp = _namespace(to_numpy)
    source_dtype = _dtype_name(inputs)
    inputs = _as_array(inputs, to_numpy)
    input_dim, output_dim = int(inputs.shape[0]), int(inputs.shape[1])
    qmin, qmax = value_range
    groups = -(-input_dim // block_size)
    padding = groups * block_size - input_dim
    padded = xp.pad(inputs, [[0, padding], [0, 0]]) if padding else inputs
    blocks = xp.reshape(padded, (groups, block_size, output_dim))
    low, high = xp.min(blocks, axis=1, keepdims=True), xp.max(blocks, axis=1, keepdims=True)
    scale = xp.divide(xp.add(xp.subtract(high, low), epsilon), qmax - qmin)
    zero = xp.clip(xp.add(xp.round(xp.divide(xp.negative(low), scale)), qmin), qmin, qmax)
    quantized = xp.clip(xp.add(xp.round(xp.divide(blocks, scale)), zero), qmin, qmax)
    quantized = _cast(xp, xp.reshape(quantized, (groups * block_size, output_dim))[:input_dim], dtype)
    scale, zero = _cast(xp, xp.squeeze(scale, axis=1), source_dtype), _cast(xp, xp.squeeze(zero, axis=1), "int8")
    if to_numpy:
        return (ops.convert_to_tensor(quantized), ops.convert_to_tensor(scale, dtype=source_dtype),
                ops.convert_to_tensor(zero))
    return quantized, scale, zero


def quantize_with_zero_point(input_tensor, scale, zero, maxq):
    """``clip(round(x / scale + zero), 0, maxq)``, in the scale's float dtype (a zero scale counts as 1e-8)."""
    safe_scale = ops.where(ops.equal(scale, 0), ops.cast(1e-8, scale.dtype), scale)
    levels = ops.round(ops.add(ops.divide(input_tensor, safe_scale), ops.cast(zero, scale.dtype)))
    return ops.clip(levels, 0, maxq)


def dequantize_with_zero_point(input_tensor, scale, zero):
    """``scale * (q - zero)``."""
    return ops.multiply(scale, ops.subtract(input_tensor, ops.cast(zero, scale.dtype)))


def quantize_with_sz_map(weights_matrix, scale, zero, g_idx, maxq, group_axis: int = -1):
    """``quantize_with_zero_point`` where each position along the quantized axis takes the scale and zero of
    its group ``g_idx[i]`` (gathered from ``scale``/``zero`` along ``group_axis``)."""
    groups = ops.cast(g_idx, "int32")
    return quantize_with_zero_point(weights_matrix, ops.take(scale, groups, axis=group_axis),
                                    ops.take(zero, groups, axis=group_axis), maxq)


def dequantize_with_sz_map(weights_matrix, scale, zero, g_idx, group_axis: int = -1):
    """``(q - zero[g_idx]) * scale[g_idx]``: the float weights back from grouped integer ones."""
    groups = ops.cast(g_idx, "int32")
    scales = ops.take(scale, groups, axis=group_axis)
    zeros = ops.cast(ops.take(zero, groups, axis=group_axis), scales.dtype)
    return ops.multiply(ops.subtract(weights_matrix, zeros), scales)
