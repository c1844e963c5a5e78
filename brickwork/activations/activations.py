"""Keras 3's activation functions, written once on ``brickwork.ops``.

Each takes a tensor (or array, or symbolic tensor) and returns one of the same shape. Defaults are
Keras's, which differ from ``ops`` in places: ``activations.gelu`` is exact by default.
"""

from __future__ import annotations

from brickwork import ops


def relu(x, negative_slope: float = 0.0, max_value: float | None = None, threshold: float = 0.0):
    """Rectified linear unit, ``max(x, 0)`` by default.

    Args:
        x: input tensor.
        negative_slope: slope below ``threshold``.
        max_value: the largest value returned (``None``: unbounded).
        threshold: values at or below it are damped (to ``negative_slope * (x - threshold)``).

    Returns:
        A tensor of ``x``'s shape.

    Example:
    >>> activations.relu([-10.0, -5.0, 0.0, 5.0, 10.0], max_value=5.0)   # [0., 0., 0., 5., 5.]
    """
    if threshold == 0:
        if max_value is None:
            return ops.relu(x) if negative_slope == 0 else ops.leaky_relu(x, negative_slope)
        if max_value == 6 and negative_slope == 0:
            return ops.relu6(x)
    negative_part = ops.relu(ops.subtract(threshold, x)) if negative_slope != 0 else None
    if threshold != 0:
        positive = ops.multiply(x, ops.cast(ops.greater(x, threshold), ops.dtype(x)))
    else:
        positive = ops.relu(x)
    if max_value is not None:
        positive = ops.clip(positive, 0.0, max_value)
    if negative_part is None:
        return positive
    return ops.subtract(positive, ops.multiply(negative_slope, negative_part))


def leaky_relu(x, negative_slope: float = 0.2):
    """``x`` for ``x >= 0``, ``negative_slope * x`` below.

    Args:
        x: the input tensor (or array).
        negative_slope: the slope below 0.

    Returns:
        A tensor of ``x``'s shape.

    Example:
        leaky_relu(np.array([-2.0, -0.5, 0.0, 1.5]))   # [-0.4, -0.1, 0, 1.5]
    """
    return ops.leaky_relu(x, negative_slope=negative_slope)


def relu6(x):
    """ReLU capped at 6.

    Args:
        x: the input tensor (or array).

    Returns:
        A tensor of ``x``'s shape.

    Example:
        relu6(np.array([-2.0, -0.5, 0.0, 1.5]))   # [0, 0, 0, 1.5]
    """
    return ops.relu6(x)


def softmax(x, axis: int = -1):
    """``exp(x) / sum(exp(x))`` along ``axis``: a probability distribution.

    Args:
        x: the input tensor (or array).
        axis: the axis it works along.

    Returns:
        A tensor of ``x``'s shape whose slices along ``axis`` are distributions.

    Example:
        softmax(np.array([-2.0, -0.5, 0.0, 1.5]))   # [0.0217, 0.0975, 0.1607, 0.7201]
    """
    return ops.softmax(x, axis=axis)


def log_softmax(x, axis: int = -1):
    """``log(softmax(x))`` along ``axis``, computed stably.

    Args:
        x: the input tensor (or array).
        axis: the axis it works along.

    Returns:
        A tensor of ``x``'s shape: the logarithms of a distribution along ``axis``.

    Example:
        log_softmax(np.array([-2.0, -0.5, 0.0, 1.5]))   # [-3.8283, -2.3283, -1.8283, -0.3283]
    """
    return ops.log_softmax(x, axis=axis)


def elu(x, alpha: float = 1.0):
    """Exponential linear unit: ``x`` for ``x > 0``, ``alpha * (exp(x) - 1)`` below.

    Args:
        x: the input tensor (or array).
        alpha: the scale of the negative part.

    Returns:
        A tensor of ``x``'s shape.

    Example:
        elu(np.array([-2.0, -0.5, 0.0, 1.5]))   # [-0.8647, -0.3935, 0, 1.5]
    """
    return ops.elu(x, alpha=alpha)


def selu(x):
    """Scaled exponential linear unit (use with the ``lecun_normal`` initializer).

    Args:
        x: the input tensor (or array).

    Returns:
        A tensor of ``x``'s shape.

    Example:
        selu(np.array([-2.0, -0.5, 0.0, 1.5]))   # [-1.5202, -0.6918, 0, 1.5761]
    """
    return ops.selu(x)


def celu(x, alpha: float = 1.0):
    """Continuously differentiable ELU.

    Args:
        x: the input tensor (or array).
        alpha: the scale of the negative part.

    Returns:
        A tensor of ``x``'s shape.

    Example:
        celu(np.array([-2.0, -0.5, 0.0, 1.5]))   # [-0.8647, -0.3935, 0, 1.5]
    """
    return ops.celu(x, alpha=alpha)


def softplus(x):
    """``log(exp(x) + 1)``.

    Args:
        x: the input tensor (or array).

    Returns:
        A tensor of ``x``'s shape.

    Example:
        softplus(np.array([-2.0, -0.5, 0.0, 1.5]))   # [0.1269, 0.4741, 0.6931, 1.7014]
    """
    return ops.softplus(x)


def softsign(x):
    """``x / (|x| + 1)``.

    Args:
        x: the input tensor (or array).

    Returns:
        A tensor of ``x``'s shape.

    Example:
        softsign(np.array([-2.0, -0.5, 0.0, 1.5]))   # [-0.6667, -0.3333, 0, 0.6]
    """
    return ops.softsign(x)


def soft_shrink(x, threshold: float = 0.5):
    """``x - threshold`` above ``threshold``, ``x + threshold`` below ``-threshold``, else 0.

    Args:
        x: the input tensor (or array).
        threshold: values with ``|x|`` at or below it become 0; the others move toward 0 by it.

    Returns:
        A tensor of ``x``'s shape.

    Example:
        soft_shrink(np.array([-2.0, -0.5, 0.0, 1.5]))   # [-1.5, 0, 0, 1]
    """
    return ops.soft_shrink(x, threshold=threshold)


def sparse_plus(x):
    """0 for ``x <= -1``, ``(x + 1)**2 / 4`` between, ``x`` for ``x >= 1``.

    Args:
        x: the input tensor (or array).

    Returns:
        A tensor of ``x``'s shape.

    Example:
        sparse_plus(np.array([-2.0, -0.5, 0.0, 1.5]))   # [0, 0.0625, 0.25, 1.5]
    """
    return ops.sparse_plus(x)


def silu(x):
    """Swish, ``x * sigmoid(x)``.

    Args:
        x: the input tensor (or array).

    Returns:
        A tensor of ``x``'s shape.

    Example:
        silu(np.array([-2.0, -0.5, 0.0, 1.5]))   # [-0.2384, -0.1888, 0, 1.2264]
    """
    return ops.silu(x)


swish = silu


def squareplus(x, b: float = 4):
    """``(x + sqrt(x**2 + b)) / 2``.

    Args:
        x: the input tensor (or array).
        b: the smoothness at 0: ``(x + sqrt(x**2 + b)) / 2``.

    Returns:
        A tensor of ``x``'s shape.

    Example:
        squareplus(np.array([-2.0, -0.5, 0.0, 1.5]))   # [0.4142, 0.7808, 1, 2]
    """
    return ops.squareplus(x, b=b)


def gelu(x, approximate: bool = False):
    """Gaussian error linear unit, ``x * Phi(x)`` (``approximate=True``: the tanh formula).

    Args:
        x: the input tensor (or array).
        approximate: whether to use the tanh approximation instead of the exact erf form.

    Returns:
        A tensor of ``x``'s shape.

    Example:
        gelu(np.array([-2.0, -0.5, 0.0, 1.5]))   # [-0.0455, -0.1543, 0, 1.3998]
    """
    return ops.gelu(x, approximate=approximate)


def glu(x, axis: int = -1):
    """Gated linear unit: halves ``a, b`` of ``x`` along ``axis``, ``a * sigmoid(b)``.

    Args:
        x: the input tensor (or array).
        axis: the axis it works along.

    Returns:
        ``x`` with ``axis`` halved: its first half times the sigmoid of the second.

    Example:
        glu(np.array([-2.0, -0.5, 0.0, 1.5]))   # [-1, -0.4088]
    """
    return ops.glu(x, axis=axis)


def tanh(x):
    """Hyperbolic tangent.

    Args:
        x: the input tensor (or array).

    Returns:
        A tensor of ``x``'s shape.

    Example:
        tanh(np.array([-2.0, -0.5, 0.0, 1.5]))   # [-0.964, -0.4621, 0, 0.9051]
    """
    return ops.tanh(x)


def tanh_shrink(x):
    """``x - tanh(x)``.

    Args:
        x: the input tensor (or array).

    Returns:
        A tensor of ``x``'s shape.

    Example:
        tanh_shrink(np.array([-2.0, -0.5, 0.0, 1.5]))   # [-1.036, -0.0379, 0, 0.5949]
    """
    return ops.tanh_shrink(x)


def hard_tanh(x):
    """``clip(x, -1, 1)``.

    Args:
        x: the input tensor (or array).

    Returns:
        A tensor of ``x``'s shape.

    Example:
        hard_tanh(np.array([-2.0, -0.5, 0.0, 1.5]))   # [-1, -0.5, 0, 1]
    """
    return ops.hard_tanh(x)


def hard_shrink(x, threshold: float = 0.5):
    """``x`` where ``|x| > threshold``, else 0.

    Args:
        x: the input tensor (or array).
        threshold: values with ``|x|`` at or below it become 0.

    Returns:
        A tensor of ``x``'s shape.

    Example:
        hard_shrink(np.array([-2.0, -0.5, 0.0, 1.5]))   # [-2, 0, 0, 1.5]
    """
    return ops.hard_shrink(x, threshold=threshold)


def threshold(x, threshold: float, default_value: float):
    """``x`` where ``x > threshold``, else ``default_value``.

    Args:
        x: the input tensor (or array).
        threshold: values at or below it are replaced.
        default_value: the value that replaces them.

    Returns:
        A tensor of ``x``'s shape.

    Example:
        threshold(np.array([-2.0, -0.5, 0.0, 1.5]), threshold=0.5, default_value=0.0)   # [0, 0, 0, 1.5]
    """
    return ops.threshold(x, threshold, default_value)


def sigmoid(x):
    """``1 / (1 + exp(-x))``.

    Args:
        x: the input tensor (or array).

    Returns:
        A tensor of ``x``'s shape.

    Example:
        sigmoid(np.array([-2.0, -0.5, 0.0, 1.5]))   # [0.1192, 0.3775, 0.5, 0.8176]
    """
    return ops.sigmoid(x)


def sparse_sigmoid(x):
    """0 for ``x <= -1``, ``(x + 1) / 2`` between, 1 for ``x >= 1``.

    Args:
        x: the input tensor (or array).

    Returns:
        A tensor of ``x``'s shape.

    Example:
        sparse_sigmoid(np.array([-2.0, -0.5, 0.0, 1.5]))   # [0, 0.25, 0.5, 1]
    """
    return ops.sparse_sigmoid(x)


def exponential(x):
    """``exp(x)``.

    Args:
        x: the input tensor (or array).

    Returns:
        A tensor of ``x``'s shape.

    Example:
        exponential(np.array([-2.0, -0.5, 0.0, 1.5]))   # [0.1353, 0.6065, 1, 4.4817]
    """
    return ops.exp(x)


def hard_sigmoid(x):
    """``clip(x / 6 + 0.5, 0, 1)``, a piecewise-linear sigmoid.

    Args:
        x: the input tensor (or array).

    Returns:
        A tensor of ``x``'s shape.

    Example:
        hard_sigmoid(np.array([-2.0, -0.5, 0.0, 1.5]))   # [0.1667, 0.4167, 0.5, 0.75]
    """
    return ops.hard_sigmoid(x)


def hard_silu(x):
    """Hard swish, ``x * hard_sigmoid(x)``.

    Args:
        x: the input tensor (or array).

    Returns:
        A tensor of ``x``'s shape.

    Example:
        hard_silu(np.array([-2.0, -0.5, 0.0, 1.5]))   # [-0.3333, -0.2083, 0, 1.125]
    """
    return ops.hard_silu(x)


hard_swish = hard_silu


def linear(x):
    """The identity: returns ``x`` unchanged.

    Args:
        x: the input tensor (or array).

    Returns:
        A tensor of ``x``'s shape.

    Example:
        linear(np.array([-2.0, -0.5, 0.0, 1.5]))   # [-2, -0.5, 0, 1.5]
    """
    return x


def mish(x):
    """``x * tanh(softplus(x))``.

    Args:
        x: the input tensor (or array).

    Returns:
        A tensor of ``x``'s shape.

    Example:
        mish(np.array([-2.0, -0.5, 0.0, 1.5]))   # [-0.2525, -0.2207, 0, 1.4034]
    """
    return ops.multiply(x, ops.tanh(ops.softplus(x)))


def log_sigmoid(x):
    """``log(sigmoid(x))``, computed stably.

    Args:
        x: the input tensor (or array).

    Returns:
        A tensor of ``x``'s shape.

    Example:
        log_sigmoid(np.array([-2.0, -0.5, 0.0, 1.5]))   # [-2.1269, -0.9741, -0.6931, -0.2014]
    """
    return ops.log_sigmoid(x)


def sparsemax(x, axis: int = -1):
    """Projection onto the probability simplex along ``axis``: a softmax with exact zeros.

    Args:
        x: the input tensor (or array).
        axis: the axis it works along.

    Returns:
        A tensor of ``x``'s shape whose slices along ``axis`` are distributions.

    Example:
        sparsemax(np.array([-2.0, -0.5, 0.0, 1.5]))   # [0, 0, 0, 1]
    """
    return ops.sparsemax(x, axis=axis)
