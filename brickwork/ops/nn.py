"""Neural-network ops: activations, convolution, pooling, normalization, encodings, losses, attention.

Conventions (Keras 3's): inputs are channels-last unless ``data_format="channels_first"``
(``None`` means ``brickwork.backend.image_data_format()``); a conv kernel has the layout
``(*spatial, in_channels // groups, out_channels)``; ``padding="same"`` pads as TF does (the extra
element after). Activations of integer inputs return floatx, except ``relu`` and ``relu6``.
"""

from __future__ import annotations

import warnings as _warnings

import numpy as _np

from brickwork.backend import KerasTensor as _KerasTensor
from brickwork.backend import active as _active
from brickwork.backend import compute_output_spec as _engine_spec
from brickwork.backend import config as _config
from brickwork.backend.common.dtypes import promote_types as _result_type
from brickwork.ops import core as _core
from brickwork.ops import math as _math_ops
from brickwork.ops import numpy_arrays as _arrays
from brickwork.ops import numpy_math as _math
from brickwork.ops._dispatch import backend_op


def _shape(x) -> tuple:
    return tuple(x.shape) if hasattr(x, "shape") else _np.shape(x)


def _check_axis(op: str, shape: tuple, axis) -> None:
    """NumPy's AxisError (a ValueError) for an int axis outside ``shape``'s rank, symbolic calls included."""
    if isinstance(axis, int) and not -len(shape) <= axis < len(shape):
        raise _np.exceptions.AxisError(axis, len(shape), msg_prefix=f"ops.{op}")

# ---- activations ----


@backend_op("nn")
def relu(x):
    """Rectified linear unit, ``max(x, 0)``.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape and dtype of ``x``.

    Example:
    >>> ops.relu([-1.0, 0.0, 2.0])   # [0., 0., 2.]
    """


@backend_op("nn")
def relu6(x):
    """ReLU capped at 6, ``clip(x, 0, 6)``.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape and dtype of ``x``.

    Example:
    >>> ops.relu6([-1.0, 3.0, 8.0])   # [0.0, 3.0, 6.0]
    """


@backend_op("nn")
def sigmoid(x):
    """Logistic sigmoid, ``1 / (1 + exp(-x))``.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x``: floating inputs keep their dtype, integer inputs give floatx.

    Example:
    >>> ops.sigmoid([-1.0, 0.0, 1.0])   # [0.2689, 0.5, 0.7311]
    """


@backend_op("nn")
def sparse_sigmoid(x):
    """Piecewise-linear sigmoid: 0 for ``x <= -1``, ``(x + 1) / 2`` between, 1 for ``x >= 1``.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x``: floating inputs keep their dtype, integer inputs give floatx.

    Example:
    >>> ops.sparse_sigmoid([-2.0, 0.0, 0.5])   # [0.0, 0.5, 0.75]
    """


@backend_op("nn")
def softplus(x):
    """``log(1 + exp(x))``, computed without overflow.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x``: floating inputs keep their dtype, integer inputs give floatx.

    Example:
    >>> ops.softplus([-1.0, 0.0, 1.0])   # [0.3133, 0.6931, 1.313]
    """


@backend_op("nn")
def softsign(x):
    """``x / (|x| + 1)``.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x``: floating inputs keep their dtype, integer inputs give floatx.

    Example:
    >>> ops.softsign([-1.0, 0.0, 3.0])   # [-0.5, 0.0, 0.75]
    """


@backend_op("nn")
def soft_shrink(x, threshold: float = 0.5):
    """``x - threshold`` above ``threshold``, ``x + threshold`` below ``-threshold``, else 0.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        threshold: the amount each value moves toward 0; values within it become 0 (default 0.5).

    Returns:
        A tensor of the shape of ``x``: floating inputs keep their dtype, integer inputs give floatx.

    Example:
    >>> ops.soft_shrink([-1.0, 0.3, 0.7])   # [-0.5, 0.0, 0.2]
    """


@backend_op("nn")
def hard_shrink(x, threshold: float = 0.5):
    """``x`` where ``|x| > threshold``, else 0.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        threshold: values with ``|x|`` at or below it become 0 (default 0.5).

    Returns:
        A tensor of the shape of ``x``: floating inputs keep their dtype, integer inputs give floatx.

    Example:
    >>> ops.hard_shrink([-1.0, 0.3, 0.7])   # [-1.0, 0.0, 0.7]
    """


@backend_op("nn")
def tanh_shrink(x):
    """``x - tanh(x)``.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x``: floating inputs keep their dtype, integer inputs give floatx.

    Example:
    >>> ops.tanh_shrink([-1.0, 0.0, 1.0])   # [-0.2384, 0.0, 0.2384]
    """


@backend_op("nn")
def sparse_plus(x):
    """Smooth ReLU: 0 for ``x <= -1``, ``(x + 1)**2 / 4`` between, ``x`` for ``x >= 1``.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x``: floating inputs keep their dtype, integer inputs give floatx.

    Example:
    >>> ops.sparse_plus([-2.0, 0.0, 2.0])   # [0.0, 0.25, 2.0]
    """


@backend_op("nn")
def silu(x):
    """Sigmoid linear unit (swish), ``x * sigmoid(x)``.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x``: floating inputs keep their dtype, integer inputs give floatx.

    Example:
    >>> ops.silu([-1.0, 0.0, 1.0])   # [-0.2689, 0.0, 0.7311]
    """


swish = silu


@backend_op("nn")
def squareplus(x, b: float = 4):
    """``(x + sqrt(x**2 + b)) / 2``, a smooth ReLU with smoothness ``b``.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        b: the smoothness near 0 (default 4); with ``b=0`` it is ``relu``.

    Returns:
        A tensor of the shape of ``x``: floating inputs keep their dtype, integer inputs give floatx.

    Example:
    >>> ops.squareplus([-1.0, 0.0, 1.0])   # [0.618, 1.0, 1.618]
    """


@backend_op("nn")
def log_sigmoid(x):
    """``log(sigmoid(x))``, computed without overflow.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x``: floating inputs keep their dtype, integer inputs give floatx.

    Example:
    >>> ops.log_sigmoid([-1.0, 0.0, 1.0])   # [-1.313, -0.6931, -0.3133]
    """


@backend_op("nn")
def leaky_relu(x, negative_slope: float = 0.2):
    """``x`` for ``x >= 0``, ``negative_slope * x`` below.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        negative_slope: the slope for negative inputs (default 0.2).

    Returns:
        A tensor of the shape of ``x``: floating inputs keep their dtype, integer inputs give floatx.

    Example:
    >>> ops.leaky_relu([-2.0, 3.0])   # [-0.4, 3.0]
    """


@backend_op("nn")
def hard_sigmoid(x):
    """Piecewise-linear sigmoid, ``clip(x / 6 + 0.5, 0, 1)``.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x``: floating inputs keep their dtype, integer inputs give floatx.

    Example:
    >>> ops.hard_sigmoid([-4.0, 0.0, 1.5])   # [0.0, 0.5, 0.75]
    """


@backend_op("nn")
def hard_silu(x):
    """Hard swish, ``x * hard_sigmoid(x)``.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x``: floating inputs keep their dtype, integer inputs give floatx.

    Example:
    >>> ops.hard_silu([-4.0, 0.0, 1.5])   # [0.0, 0.0, 1.125]
    """


hard_swish = hard_silu


@backend_op("nn")
def hard_tanh(x):
    """``clip(x, -1, 1)``.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x``: floating inputs keep their dtype, integer inputs give floatx.

    Example:
    >>> ops.hard_tanh([-2.0, 0.5, 3.0])   # [-1.0, 0.5, 1.0]
    """


@backend_op("nn")
def elu(x, alpha: float = 1.0):
    """Exponential linear unit: ``x`` for ``x > 0``, ``alpha * (exp(x) - 1)`` below.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        alpha: the scale of the negative part: the output tends to ``-alpha`` as ``x`` goes to ``-inf``
            (default 1.0).

    Returns:
        A tensor of the shape of ``x``: floating inputs keep their dtype, integer inputs give floatx.

    Example:
    >>> ops.elu([-1.0, 0.0, 2.0])   # [-0.6321, 0.0, 2.0]
    """


@backend_op("nn")
def selu(x):
    """Scaled ELU, ``1.0507 * elu(x, alpha=1.67326)``.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).

    Returns:
        A tensor of the shape of ``x``: floating inputs keep their dtype, integer inputs give floatx.

    Example:
    >>> ops.selu([-1.0, 0.0, 2.0])   # [-1.111, 0.0, 2.101]
    """


@backend_op("nn")
def celu(x, alpha: float = 1.0):
    """Continuously differentiable ELU, ``max(x, 0) + min(0, alpha * (exp(x / alpha) - 1))``.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        alpha: the scale of the negative part and of the input there (default 1.0).

    Returns:
        A tensor of the shape of ``x``: floating inputs keep their dtype, integer inputs give floatx.

    Example:
    >>> ops.celu([-1.0, 0.0, 2.0], alpha=2.0)   # [-0.7869, 0.0, 2.0]
    """


@backend_op("nn")
def gelu(x, approximate: bool = True):
    """Gaussian error linear unit, ``x * Phi(x)``; ``approximate=True`` uses the tanh formula.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        approximate: if ``True`` (default), use the tanh approximation; if ``False``, the exact form
            through ``erf``.

    Returns:
        A tensor of the shape of ``x``: floating inputs keep their dtype, integer inputs give floatx.

    Example:
    >>> ops.gelu([-1.0, 0.0, 1.0], approximate=False)   # [-0.1587, 0., 0.8413]
    """


@backend_op("nn")
def glu(x, axis: int = -1):
    """Gated linear unit: split ``x`` in halves ``a, b`` along ``axis`` (even size), return ``a * sigmoid(b)``.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        axis: the axis to split in halves (default -1); its length must be even.

    Returns:
        A tensor of the shape of ``x`` with ``axis`` halved: floating inputs keep their dtype, integer
            inputs give floatx.

    Example:
    >>> ops.glu([[1.0, 2.0, 0.0, 100.0]])   # [[0.5, 2.0]]
    """


@backend_op("nn")
def threshold(x, threshold: float, default_value: float):
    """``x`` where ``x > threshold``, else ``default_value``.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        threshold: values at or below it are replaced.
        default_value: the value that replaces them.

    Returns:
        A tensor of the shape of ``x``: floating inputs keep their dtype, integer inputs give floatx.

    Example:
    >>> ops.threshold([0.5, 1.5, 3.0], 1.0, 0.0)   # [0.0, 1.5, 3.0]
    """


def _check_softmax(x, axis=-1) -> None:
    shape = _shape(x)
    _check_axis("softmax", shape, axis)
    if isinstance(axis, int) and shape[axis] == 1:
        _warnings.warn(f"You are using a softmax over axis {axis} of a tensor of shape {shape}. This axis has size 1. "
                       "The softmax operation will always return the value 1, which is likely not what you intended. "
                       "Did you mean to use a sigmoid instead?", stacklevel=3)


@backend_op("nn", check=_check_softmax)
def softmax(x, axis: int | tuple | None = -1):
    """``exp(x) / sum(exp(x))`` along ``axis`` (an int, a tuple of ints, or ``None`` for all axes).

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        axis: the axis (or tuple of axes) to normalize over (default -1); ``None`` for all axes.

    Returns:
        A tensor of the shape of ``x`` whose values along ``axis`` are positive and sum to 1; integer
            inputs give floatx.

    Example:
    >>> ops.softmax([1.0, 2.0, 3.0])   # [0.0900, 0.2447, 0.6652]
    """


@backend_op("nn")
def log_softmax(x, axis: int | tuple | None = -1):
    """``x - logsumexp(x)`` along ``axis``.

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        axis: the axis (or tuple of axes) to normalize over (default -1); ``None`` for all axes.

    Returns:
        A tensor of the shape of ``x``: floating inputs keep their dtype, integer inputs give floatx.

    Example:
    >>> ops.log_softmax([1.0, 2.0, 3.0])   # [-2.408, -1.408, -0.4076]
    """


@backend_op("nn")
def sparsemax(x, axis: int = -1):
    """Euclidean projection of ``x`` onto the probability simplex along ``axis`` (sparse softmax).

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        axis: the axis to normalize over (default -1).

    Returns:
        A tensor of the shape of ``x`` whose values along ``axis`` are non-negative and sum to 1, many exactly 0;
            integer inputs give floatx.

    Example:
    >>> ops.sparsemax([1.0, 2.0, 0.0])   # [0.0, 1.0, 0.0]
    """


# ---- convolution and pooling ----


@backend_op("nn")
def conv(inputs, kernel, strides: int | tuple = 1, padding: str = "valid", data_format: str | None = None,
         dilation_rate: int | tuple = 1):
    """N-D convolution (1, 2 or 3 spatial dims, from the rank of ``inputs``).

    Args:
        inputs: ``(batch, *spatial, channels)``, or ``(batch, channels, *spatial)`` with
            ``data_format="channels_first"``.
        kernel: ``(*kernel_size, in_channels // groups, out_channels)``; groups are inferred from the
            input channels.
        strides, dilation_rate: an int or one int per spatial dim.
        padding: ``"valid"`` or ``"same"`` (TF's: output size ``ceil(size / stride)``).
        data_format: ``"channels_last"``, ``"channels_first"`` or ``None`` (the global default).

    Returns:
        The convolution, in the layout of ``inputs``.

    Example:
    >>> ops.conv(np.ones((1, 5, 5, 3)), np.ones((3, 3, 3, 8)), padding="same").shape   # (1, 5, 5, 8)
    """


@backend_op("nn")
def depthwise_conv(inputs, kernel, strides: int | tuple = 1, padding: str = "valid",
                   data_format: str | None = None, dilation_rate: int | tuple = 1):
    """Depthwise convolution: each input channel convolved with its own ``depth_multiplier`` filters.

    Args: as ``conv``, with ``kernel`` of shape ``(*kernel_size, in_channels, depth_multiplier)``; the
    output has ``in_channels * depth_multiplier`` channels (channel ``c * depth_multiplier + m``).

    Returns:
        A tensor ``(batch, *output_spatial, in_channels * depth_multiplier)`` (channels first under
            ``"channels_first"``).

    Example:
    >>> ops.depthwise_conv(np.ones((1, 5, 5, 3)), np.ones((3, 3, 3, 2))).shape   # (1, 3, 3, 6)
    """


@backend_op("nn")
def separable_conv(inputs, depthwise_kernel, pointwise_kernel, strides: int | tuple = 1, padding: str = "valid",
                   data_format: str | None = None, dilation_rate: int | tuple = 1):
    """Depthwise convolution followed by a pointwise (1x1) convolution.

    Args: as ``depthwise_conv``; ``pointwise_kernel`` has shape
    ``(1, ..., 1, in_channels * depth_multiplier, out_channels)``.

    Returns:
        A tensor ``(batch, *output_spatial, out_channels)`` (channels first under ``"channels_first"``).

    Example:
    >>> ops.separable_conv(np.ones((1, 5, 5, 3)), np.ones((3, 3, 3, 2)), np.ones((1, 1, 6, 8))).shape   # (1, 3, 3, 8)
    """


@backend_op("nn")
def conv_transpose(inputs, kernel, strides: int | tuple = 1, padding: str = "valid",
                   output_padding: int | tuple | None = None, data_format: str | None = None,
                   dilation_rate: int | tuple = 1):
    """Transposed convolution (the gradient of ``conv`` with respect to its input).

    Args:
        inputs: as ``conv``.
        kernel: ``(*kernel_size, out_channels, in_channels)``.
        strides, padding, data_format, dilation_rate: as ``conv``.
        output_padding: extra size added at the end of each spatial dim; ``None`` gives
            ``size * stride`` for ``"same"`` and ``size * stride + max(kernel - stride, 0)`` for ``"valid"``.

    Returns:
        A tensor ``(batch, *output_spatial, channels)`` (channels first under ``"channels_first"``), in the dtype
            the inputs promote to.

    Example:
    >>> ops.conv_transpose(np.ones((1, 4, 4, 3)), np.ones((3, 3, 8, 3)), 2, "same").shape   # (1, 8, 8, 8)
    """


@backend_op("nn")
def max_pool(inputs, pool_size: int | tuple, strides: int | tuple | None = None, padding: str = "valid",
             data_format: str | None = None):
    """Max pooling over windows of ``pool_size`` (strides default to ``pool_size``).

    Args:
        inputs: ``(batch, *spatial, channels)`` with 1, 2 or 3 spatial axes (channels first under
            ``"channels_first"``).
        pool_size: the window size: one int for every spatial axis, or one per axis.
        strides: the step between windows, an int or one per axis; ``None`` (default) for ``pool_size``.
        padding: ``"valid"`` (default): whole windows only; ``"same"``: pad so the output size is
            ``ceil(size / stride)``.
        data_format: ``"channels_last"`` or ``"channels_first"``; ``None`` (default) uses
            ``keras.config.image_data_format()``.

    Returns:
        A tensor ``(batch, *pooled, channels)`` (channels first under ``"channels_first"``) in the
            dtype of ``inputs``.

    Example:
    >>> ops.max_pool(np.arange(16.0).reshape(1, 4, 4, 1), 2).shape   # (1, 2, 2, 1)
    """


@backend_op("nn")
def average_pool(inputs, pool_size: int | tuple, strides: int | tuple | None = None, padding: str = "valid",
                 data_format: str | None = None):
    """Average pooling; with ``padding="same"`` each window averages only its real (unpadded) elements.

    Args:
        inputs: ``(batch, *spatial, channels)`` (or channels first, by ``data_format``), 1 to 3 spatial axes.
        pool_size: the window, one int for every spatial axis or one per axis.
        strides: the step between windows; ``None`` means ``pool_size``.
        padding: ``"valid"`` (whole windows only) or ``"same"`` (output size ``ceil(size / stride)``).
        data_format: ``"channels_last"`` or ``"channels_first"``; ``None`` takes the global setting.

    Returns:
        A tensor ``(batch, *pooled, channels)`` (channels first under ``"channels_first"``) in the
            dtype of ``inputs``.

    Example:
    >>> ops.average_pool(np.arange(4.0).reshape(1, 4, 1), 2)[0, :, 0]   # [0.5, 2.5]
    """


# ---- normalization ----


@backend_op("nn")
def moments(x, axes: int | list | tuple, keepdims: bool = False, synchronized: bool = False):
    """Mean and variance of ``x`` over ``axes`` (float16/bfloat16 are reduced in float32).

    Args:
        x: the input tensor.
        axes: the axis or axes to compute the statistics over.
        keepdims: if ``True``, the reduced axes stay with length 1; default ``False``.
        synchronized: accepted for Keras compatibility (cross-device statistics) and ignored.

    Returns:
        ``(mean, variance)``. ``synchronized`` (cross-device statistics) is accepted and ignored.

    Example:
    >>> mean, variance = ops.moments(np.array([[1.0, 3.0]]), axes=[1])   # [2.], [1.]
    """


def _check_batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3) -> None:
    channels = _shape(x)[axis] if isinstance(axis, int) and -len(_shape(x)) <= axis < len(_shape(x)) else None
    for name, value in (("mean", mean), ("variance", variance), ("offset", offset), ("scale", scale)):
        shape = None if value is None else _shape(value)
        if shape is not None and len(shape) == 1 and None not in (channels, shape[0]) and shape[0] != channels:
            raise ValueError(f"ops.batch_normalization: Arguments `{name}` must be a vector of length `x.shape[axis]`. "
                             f"Expected: `({channels},)`. Received: `{shape}`.")


@backend_op("nn", check=_check_batch_normalization)
def batch_normalization(x, mean, variance, axis: int, offset=None, scale=None, epsilon: float = 1e-3):
    """``(x - mean) / sqrt(variance + epsilon) * scale + offset``, with 1-D statistics along ``axis``.

    Args:
        x: input tensor.
        mean, variance: 1-D statistics of length ``x.shape[axis]``.
        axis: the axis the statistics run along (the features axis).
        offset, scale: optional 1-D ``beta`` and ``gamma`` of the same length.
        epsilon: added to ``variance`` before the square root.

    Returns:
        A tensor of ``x``'s shape.

    Example:
    >>> ops.batch_normalization([[1.0, 3.0]], [1.0, 1.0], [4.0, 4.0], axis=-1, epsilon=0.0)   # [[0.0, 1.0]]
    """


def _check_normalize(x, axis=-1, order=2, epsilon=None) -> None:
    if not isinstance(order, int) or isinstance(order, bool) or order < 1:
        raise ValueError(f"ops.normalize: Argument `order` must be an int >= 1. Received: order={order!r}")
    _check_axis("normalize", _shape(x) or (1,), axis)  # a scalar is normalized as a vector of one


@backend_op("nn", check=_check_normalize)
def normalize(x, axis: int = -1, order: int = 2, epsilon: float | None = None):
    """``x`` divided by its ``order``-norm along ``axis`` (floored at ``epsilon``, default ``backend.epsilon()``).

    Args:
        x: the input tensor, or a value convertible to one (NumPy array, list, Python number).
        axis: the axis to normalize along (default -1).
        order: the order of the norm (default 2).
        epsilon: the smallest norm divided by; ``None`` (default) uses ``keras.config.epsilon()``.

    Returns:
        A tensor of the shape of ``x``: floating inputs keep their dtype, integer inputs give floatx.

    Example:
    >>> ops.normalize([[3.0, 4.0]])   # [[0.6, 0.8]]
    """



@backend_op("nn", name="layer_normalization")
def _layer_normalization(x, gamma=None, beta=None, axis: int | tuple = -1, epsilon: float | None = None):
    """The engine's layer normalization."""


def layer_normalization(x, gamma=None, beta=None, axis: int | tuple = -1, epsilon: float | None = None, **kwargs):
    """Normalize ``x`` to zero mean and unit variance over ``axis``, then ``* gamma + beta``.

    Args:
        x: input tensor.
        gamma, beta: optional scale and offset, broadcast against the normalized axes.
        axis: the axis or axes the statistics run over.
        epsilon: added to the variance.

    Statistics are computed in at least float32; ``epsilon`` defaults to ``backend.epsilon()``.
    ``rms_scaling=True`` (deprecated in Keras, with a warning) returns ``x / sqrt(var(x) + epsilon) * gamma``
    instead, without centring and ``beta``; use ``rms_normalization`` for RMS normalization.

    Returns:
        A tensor of the shape and dtype of ``x``.

    Example:
    >>> ops.layer_normalization([[1.0, 3.0]], epsilon=0.0)   # [[-1.0, 1.0]]
    """
    rms_scaling = kwargs.pop("rms_scaling", False)
    if kwargs:
        raise TypeError(f"ops.layer_normalization: unexpected keyword arguments {sorted(kwargs)}")
    if not rms_scaling:
        return _layer_normalization(x, gamma, beta, axis=axis, epsilon=epsilon)
    _warnings.warn("You passed `rms_scaling=True`, which is deprecated. This argument incorrectly scales the input by "
                   "the variance, not the root mean square. To correctly use RMS Normalization, please use "
                   "`keras.ops.rms_normalization` / `keras.ops.nn.rms_normalization` instead.", stacklevel=2)
    x = x if hasattr(x, "shape") and hasattr(x, "dtype") else _core.convert_to_tensor(x)
    dtype = _core.dtype(x)
    compute = _result_type(dtype, "float32")
    x = _core.cast(x, compute)
    epsilon = _config.epsilon() if epsilon is None else epsilon
    axes = tuple(axis) if isinstance(axis, (list, tuple)) else (axis,)
    outputs = _math.multiply(x, _math_ops.rsqrt(_math.add(_math.var(x, axis=axes, keepdims=True), epsilon)))
    if gamma is not None:
        gamma = _core.cast(gamma, compute)
        if len(gamma.shape) not in (len(x.shape), 0) and sorted(a % len(x.shape) for a in axes) != [len(x.shape) - 1]:
            broadcast = [1] * len(x.shape)
            for a in axes:
                broadcast[a] = x.shape[a]
            gamma = _arrays.reshape(gamma, broadcast)
        outputs = _math.multiply(outputs, gamma)
    return _core.cast(outputs, dtype)


@backend_op("nn")
def rms_normalization(x, scale=1, axis: int | tuple = -1, epsilon: float | None = None):
    """``x / sqrt(mean(x**2, axis) + epsilon) * scale`` (root-mean-square normalization).

    Args:
        x: input tensor.
        scale: a number or a tensor broadcast against the normalized axes.
        axis: the axis or axes the mean runs over.
        epsilon: added to the mean square (default ``backend.epsilon()``).

    Returns:
        A tensor of the shape of ``x``: floating inputs keep their dtype, integer inputs give floatx.

    Example:
    >>> ops.rms_normalization([[1.0, 7.0]], epsilon=0.0)   # [[0.2, 1.4]]
    """

# ---- encodings and losses ----


def _sparse_spec(engine_op):
    """The engine's spec of ``engine_op`` called dense, marked ``sparse`` as asked (the symbolic result says so on
    every backend, as in Keras, whether or not the engine can then compute it sparse)."""

    def spec(*args, sparse=False, **kwargs):
        out = _engine_spec(engine_op, *args, **kwargs)
        return _KerasTensor(out.shape, dtype=out.dtype, sparse=sparse)

    return spec


@backend_op("nn", spec=_sparse_spec(_active.nn.one_hot))
def one_hot(x, num_classes: int, axis: int = -1, dtype=None, sparse: bool = False):
    """One-hot encode integer ``x`` into ``num_classes`` along a new ``axis``; ids out of range give zeros.

    Args:
        x: an integer tensor of class ids.
        num_classes: the number of classes, the length of the new axis.
        axis: where the new axis goes (default -1, the last).
        dtype: the dtype of the result; ``None`` (default) gives floatx.
        sparse: if ``True``, return a sparse tensor (on engines that support them).

    Returns:
        A tensor of 0s and 1s, of the shape of ``x`` with an axis of ``num_classes`` inserted at ``axis``.

    Example:
    >>> ops.one_hot([0, 2], 3)   # [[1., 0., 0.], [0., 0., 1.]]
    """


@backend_op("nn", spec=_sparse_spec(_active.nn.multi_hot))
def multi_hot(inputs, num_classes: int | None = None, axis: int = -1, dtype=None, sparse: bool = False, **kwargs):
    """Multi-hot encode integer ``inputs``: rank 1 gives ``(num_classes,)``, rank 2 ``(batch, num_classes)``.

    ``num_tokens=`` is accepted for ``num_classes`` (the older name).

    Args:
        inputs: an integer tensor of class ids, rank 1 (one sample) or 2 (a batch); out-of-range ids are ignored.
        num_classes: the number of classes, the length of the encoding axis.
        axis: where the encoding axis goes (default -1, the last).
        dtype: the dtype of the result; ``None`` (default) gives floatx.
        sparse: if ``True``, return a sparse tensor (on engines that support them).
        **kwargs: ``num_tokens``, the older name of ``num_classes``.

    Returns:
        A tensor of 0s and 1s: ``(num_classes,)`` for rank-1 ``inputs``, ``(batch, num_classes)`` for rank 2.

    Example:
    >>> ops.multi_hot([[0, 2], [1, 1]], 3)   # [[1., 0., 1.], [0., 1., 0.]]
    """


@backend_op("nn")
def binary_crossentropy(target, output, from_logits: bool = False):
    """Element-wise binary cross-entropy; probabilities are clipped to ``[epsilon, 1 - epsilon]``.

    Args:
        target: the labels, 0 or 1 (or soft labels in between).
        output: probabilities, or logits when ``from_logits=True``; the shape of ``target``.
        from_logits: whether ``output`` holds logits.

    Returns:
        The loss per element, of ``target``'s shape.

    Example:
    >>> ops.binary_crossentropy([1.0, 0.0], [0.8, 0.4])   # [0.2231, 0.5108]
    """


@backend_op("nn")
def categorical_crossentropy(target, output, from_logits: bool = False, axis: int = -1):
    """Cross-entropy of one-hot (or soft) ``target`` and ``output`` along ``axis``.

    Probabilities are renormalized to sum to 1 and clipped to ``[epsilon, 1 - epsilon]``, as Keras.

    Args:
        target: one-hot or soft labels, the shape of ``output``.
        output: probabilities, or logits when ``from_logits=True``.
        from_logits: whether ``output`` holds logits.
        axis: the class axis.

    Returns:
        The loss with ``axis`` reduced.

    Example:
    >>> ops.categorical_crossentropy([[0.0, 1.0]], [[0.2, 0.8]])   # [0.2231]
    """


@backend_op("nn")
def sparse_categorical_crossentropy(target, output, from_logits: bool = False, axis: int = -1):
    """Cross-entropy of integer ``target`` (shape ``output.shape[:-1]``, or with a trailing 1) and ``output``.

    Args:
        target: integer class indices.
        output: probabilities, or logits when ``from_logits=True``, with the classes on ``axis``.
        from_logits: whether ``output`` holds logits.
        axis: the class axis of ``output``.

    Returns:
        The loss per entry, of ``target``'s shape (without a trailing 1).

    Example:
    >>> ops.sparse_categorical_crossentropy([1, 0], [[0.2, 0.8], [0.5, 0.5]])   # [0.2231, 0.6931]
    """


def _check_ctc_loss(target, output, target_length, output_length, mask_index=0) -> None:
    for (name1, value1), (name2, value2) in [(("target", target), ("output", output)),
                                             (("target_length", target_length), ("target", target)),
                                             (("output_length", output_length), ("output", output))]:
        shape1, shape2 = _shape(value1), _shape(value2)
        if shape1[:1] != shape2[:1] and None not in (shape1[:1] + shape2[:1]):
            raise ValueError(f"ops.ctc_loss: Arguments `{name1}` and `{name2}` must have the same first dimension. "
                             f"Received shapes: `{shape1}` and `{shape2}`.")


def _ctc_loss_spec(target, output, target_length, output_length, mask_index=0):
    return _KerasTensor(_shape(target)[:1], dtype=_result_type(_core.dtype(output), "float32"))


@backend_op("nn", spec=_ctc_loss_spec, check=_check_ctc_loss)
def ctc_loss(target, output, target_length, output_length, mask_index: int = 0):
    """Connectionist temporal classification loss per batch entry.

    Args:
        target: int ``(batch, max_label_length)``.
        output: logits ``(batch, max_time, num_classes)``.
        target_length, output_length: int ``(batch,)``.
        mask_index: the class index of the blank.

    Returns:
        ``(batch,)``, in ``result_type(output.dtype, "float32")`` (half precision is computed in float32).

    Example:
    >>> logits = np.zeros((1, 2, 3), "float32")   # uniform over blank (0) and classes 1, 2
    >>> ops.ctc_loss(np.array([[1]]), logits, np.array([1]), np.array([2]))   # [1.099], -log(3/9)
    """


@backend_op("nn")
def psnr(x1, x2, max_val: float):
    """Peak signal-to-noise ratio, ``20 log10(max_val) - 10 log10(mean((x1 - x2)**2))``.

    Args:
        x1: the first signal or image batch.
        x2: the second, of the shape of ``x1``.
        max_val: the largest value a sample can take (1.0 for images in ``[0, 1]``, 255 for bytes).

    Returns:
        A scalar float tensor, in decibels.

    Example:
    >>> ops.psnr(np.zeros((4,)), np.full((4,), 0.1), max_val=1.0)   # 20.0
    """


# ---- attention ----


@backend_op("nn")
def dot_product_attention(query, key, value, bias=None, mask=None, scale: float | None = None,
                          is_causal: bool = False, flash_attention: bool | None = None,
                          attention_logit_soft_cap: float | None = None):
    """Scaled dot-product attention, ``softmax(q k^T * scale + bias) v``.

    Args:
        query: ``(batch, query_length, num_heads, head_dim)``.
        key, value: ``(batch, key_length, num_kv_heads, head_dim)``; ``num_heads`` must be a multiple
            of ``num_kv_heads`` (grouped-query attention).
        bias: added to the logits, broadcastable to ``(batch, num_heads, query_length, key_length)``.
        mask: bool, broadcastable likewise; ``True`` means attend.
        scale: the logit scale (default ``1 / sqrt(head_dim)``).
        is_causal: mask out keys after each query (top-left aligned).
        flash_attention: accepted; the engine picks its fused kernel itself.
        attention_logit_soft_cap: if set, logits become ``cap * tanh(logits / cap)``.

    Returns:
        ``(batch, query_length, num_heads, head_dim)``.

    Example:
    >>> q = np.ones((2, 5, 4, 8), "float32")   # (batch, length, heads, head_dim)
    >>> ops.dot_product_attention(q, q, q).shape   # (2, 5, 4, 8)
    """


# ---- adaptive pooling ----


@backend_op("nn")
def adaptive_average_pool(inputs, output_size: int | tuple, data_format: str | None = None):
    """Average pooling to a fixed ``output_size``: output bin ``i`` of a spatial axis of length ``n``
    averages inputs ``floor(i * n / out)`` to ``ceil((i + 1) * n / out) - 1`` (torch's bins).

    Args:
        inputs: ``(batch, *spatial, channels)`` with 1, 2 or 3 spatial axes, or channels first with
            ``data_format="channels_first"``.
        output_size: an int or one int per spatial axis.
        data_format: ``"channels_last"``, ``"channels_first"`` or ``None`` (the global default).

    Returns:
        ``(batch, *output_size, channels)`` (or channels first); integer inputs give floatx.

    Example:
    >>> ops.adaptive_average_pool(np.ones((2, 10, 7, 3)), (3, 2)).shape   # (2, 3, 2, 3)
    """


@backend_op("nn")
def adaptive_max_pool(inputs, output_size: int | tuple, data_format: str | None = None):
    """Max pooling to a fixed ``output_size``, over the bins of ``adaptive_average_pool``.

    Args:
        inputs: ``(batch, *spatial, channels)`` with 1, 2 or 3 spatial axes (channels first under
            ``"channels_first"``).
        output_size: the size of the result along each spatial axis: one int for all, or one per axis.
        data_format: ``"channels_last"`` or ``"channels_first"``; ``None`` (default) uses
            ``keras.config.image_data_format()``.

    Returns:
        A tensor ``(batch, *output_size, channels)`` (channels first under ``"channels_first"``) in the
            dtype of ``inputs``.

    Example:
    >>> ops.adaptive_max_pool(np.arange(10.0).reshape(1, 10, 1), 3)[0, :, 0]   # [3., 6., 9.]
    """


# ---- patches and blocks ----


@backend_op("nn")
def unfold(x, kernel_size: int | tuple, dilation: int | tuple = 1, padding: int | tuple = 0,
           stride: int | tuple = 1):
    """Sliding blocks of a channels-first batch of images, flattened (im2col, ``torch.nn.functional.unfold``).

    Args:
        x: ``(N, C, H, W)``.
        kernel_size, dilation, padding, stride: ints or ``(height, width)`` pairs; ``padding`` is zeros
            on both sides.

    Returns:
        ``(N, C * kH * kW, L)``, ``L`` the number of block positions, row-major.

    Example:
    >>> ops.unfold(np.ones((1, 2, 4, 4)), kernel_size=2, stride=2).shape   # (1, 8, 4)
    """


@backend_op("nn")
def fold(x, output_size: int | tuple, kernel_size: int | tuple, dilation: int | tuple = 1,
         padding: int | tuple = 0, stride: int | tuple = 1):
    """Sum flattened blocks back into images (col2im), the adjoint of ``unfold``.

    Args:
        x: ``(N, C * kH * kW, L)``.
        output_size: ``(H, W)`` of the images (an int for square ones).
        kernel_size, dilation, padding, stride: as given to ``unfold``.

    Returns:
        ``(N, C, H, W)``; where blocks overlap, their values add up.

    Example:
    >>> blocks = ops.unfold(np.ones((1, 2, 4, 4)), kernel_size=2, stride=2)
    >>> ops.fold(blocks, output_size=4, kernel_size=2, stride=2).shape   # (1, 2, 4, 4)
    """


def _check_block_size(block_size: int) -> None:
    if not isinstance(block_size, int) or block_size < 2:
        raise ValueError(f"`block_size` must be at least 2 (an integer). Received: block_size={block_size!r}")


def depth_to_space(x, block_size: int, data_format: str = "channels_last"):
    """Move channels into ``block_size x block_size`` spatial blocks (pixel shuffle), as ``tf.nn.depth_to_space``.

    Channels-last input ``(N, H, W, r * r * C)`` reads channel ``(i * r + j) * C + c`` into pixel
    ``(h * r + i, w * r + j)``; channels first ``(N, C * r * r, H, W)`` reads channel ``c * r * r + i * r + j``
    (``torch.nn.functional.pixel_shuffle``).

    Args:
        x: a 4D tensor.
        block_size: ``r``, at least 2; the channels must be a multiple of ``r * r``.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Returns:
        ``(N, H * r, W * r, C)``, or ``(N, C, H * r, W * r)`` channels first.

    Example:
    >>> ops.depth_to_space(np.ones((1, 2, 2, 12)), 2).shape   # (1, 4, 4, 3)
    """
    _check_block_size(block_size)
    x, (height, width, channels), channels_last = _four_d("depth_to_space", x, data_format)
    r = block_size
    if channels is not None and channels % (r * r):
        raise ValueError(f"depth_to_space: the channels ({channels}) must be a multiple of block_size**2 ({r * r})")
    c = None if channels is None else channels // (r * r)
    if channels_last:
        x = _arrays.reshape(x, (-1, height, width, r, r, c))
        x = _arrays.transpose(x, (0, 1, 3, 2, 4, 5))
        return _arrays.reshape(x, (-1, _times(height, r), _times(width, r), c))
    x = _arrays.reshape(x, (-1, c, r, r, height, width))
    x = _arrays.transpose(x, (0, 1, 4, 2, 5, 3))
    return _arrays.reshape(x, (-1, c, _times(height, r), _times(width, r)))


def space_to_depth(x, block_size: int, data_format: str = "channels_last"):
    """Move ``block_size x block_size`` spatial blocks into channels, the inverse of ``depth_to_space``.

    Args:
        x: a 4D tensor whose height and width are multiples of ``block_size``.
        block_size: ``r``, at least 2.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Returns:
        ``(N, H / r, W / r, C * r * r)``, or ``(N, C * r * r, H / r, W / r)`` channels first.

    Example:
    >>> ops.space_to_depth(np.ones((1, 4, 4, 3)), 2).shape   # (1, 2, 2, 12)
    """
    _check_block_size(block_size)
    x, (height, width, channels), channels_last = _four_d("space_to_depth", x, data_format)
    r = block_size
    for name, size in (("height", height), ("width", width)):
        if size is not None and size % r:
            raise ValueError(f"space_to_depth: the {name} ({size}) must be a multiple of block_size ({r})")
    h, w = (None if height is None else height // r), (None if width is None else width // r)
    if channels_last:
        x = _arrays.reshape(x, (-1, h, r, w, r, channels))
        x = _arrays.transpose(x, (0, 1, 3, 2, 4, 5))
        return _arrays.reshape(x, (-1, h, w, _times(channels, r * r)))
    x = _arrays.reshape(x, (-1, channels, h, r, w, r))
    x = _arrays.transpose(x, (0, 1, 3, 5, 2, 4))
    return _arrays.reshape(x, (-1, _times(channels, r * r), h, w))


def _times(size, factor: int):
    return None if size is None else size * factor


def _four_d(op: str, x, data_format):
    """``x`` as a tensor, its (height, width, channels), and whether it is channels last."""
    x = x if hasattr(x, "shape") and hasattr(x, "dtype") else _core.convert_to_tensor(x)
    if len(x.shape) != 4:
        raise ValueError(f"{op}: expected a 4D tensor, received shape {tuple(x.shape)}")
    channels_last = _config.standardize_data_format(data_format) == "channels_last"
    shape = tuple(x.shape)
    return x, (shape[1:4] if channels_last else (shape[2], shape[3], shape[1])), channels_last


# ---- complex numbers ----


def polar(abs_, angle):
    """The complex number ``abs_ * (cos(angle) + 1j * sin(angle))`` from a magnitude and an angle, as ``torch.polar``.

    Args:
        abs_: the magnitudes, a float tensor.
        angle: the angles in radians; they broadcast against ``abs_``.

    Returns:
        A complex tensor of the broadcast shape (``complex64`` for ``float32`` inputs, ``complex128``
            for ``float64``).

    Example:
    >>> ops.polar(np.float32(2.0), np.float32(np.pi / 2))   # ~2j, complex64
    """
    parts = [_math.multiply(abs_, _math.cos(angle)), _math.multiply(abs_, _math.sin(angle))]
    return _math_ops.view_as_complex(_arrays.stack(parts, axis=-1))


# ---- decoding ----

from brickwork.ops._ctc import ctc_decode  # noqa: E402,F401
