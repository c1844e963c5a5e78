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
    """``x`` for ``x >= 0``, ``negative_slope * x`` below."""
    return ops.leaky_relu(x, negative_slope=negative_slope)


def relu6(x):
    """ReLU capped at 6."""
    return ops.relu6(x)


def softmax(x, axis: int = -1):
    """``exp(x) / sum(exp(x))`` along ``axis``: a probability distribution."""
    return ops.softmax(x, axis=axis)


def log_softmax(x, axis: int = -1):
    """``log(softmax(x))`` along ``axis``, computed stably."""
    return ops.log_softmax(x, axis=axis)


def elu(x, alpha: float = 1.0):
    """Exponential linear unit: ``x`` for ``x > 0``, ``alpha * (exp(x) - 1)`` below."""
    return ops.elu(x, alpha=alpha)


def selu(x):
    """Scaled exponential linear unit (use with the ``lecun_normal`` initializer)."""
    return ops.selu(x)


def celu(x, alpha: float = 1.0):
    """Continuously differentiable ELU."""
    return ops.celu(x, alpha=alpha)


def softplus(x):
    """``log(exp(x) + 1)``."""
    return ops.softplus(x)


def softsign(x):
    """``x / (|x| + 1)``."""
    return ops.softsign(x)


def soft_shrink(x, threshold: float = 0.5):
    """``x - threshold`` above ``threshold``, ``x + threshold`` below ``-threshold``, else 0."""
    return ops.soft_shrink(x, threshold=threshold)


def sparse_plus(x):
    """0 for ``x <= -1``, ``(x + 1)**2 / 4`` between, ``x`` for ``x >= 1``."""
    return ops.sparse_plus(x)


def silu(x):
    """Swish, ``x * sigmoid(x)``."""
    return ops.silu(x)


swish = silu


def squareplus(x, b: float = 4):
    """``(x + sqrt(x**2 + b)) / 2``."""
    return ops.squareplus(x, b=b)


def gelu(x, approximate: bool = False):
    """Gaussian error linear unit, ``x * Phi(x)`` (``approximate=True``: the tanh formula)."""
    return ops.gelu(x, approximate=approximate)


def glu(x, axis: int = -1):
    """Gated linear unit: halves ``a, b`` of ``x`` along ``axis``, ``a * sigmoid(b)``."""
    return ops.glu(x, axis=axis)


def tanh(x):
    """Hyperbolic tangent."""
    return ops.tanh(x)


def tanh_shrink(x):
    """``x - tanh(x)``."""
    return ops.tanh_shrink(x)


def hard_tanh(x):
    """``clip(x, -1, 1)``."""
    return ops.hard_tanh(x)


def hard_shrink(x, threshold: float = 0.5):
    """``x`` where ``|x| > threshold``, else 0."""
    return ops.hard_shrink(x, threshold=threshold)


def threshold(x, threshold: float, default_value: float):
    """``x`` where ``x > threshold``, else ``default_value``."""
    return ops.threshold(x, threshold, default_value)


def sigmoid(x):
    """``1 / (1 + exp(-x))``."""
    return ops.sigmoid(x)


def sparse_sigmoid(x):
    """0 for ``x <= -1``, ``(x + 1) / 2`` between, 1 for ``x >= 1``."""
    return ops.sparse_sigmoid(x)


def exponential(x):
    """``exp(x)``."""
    return ops.exp(x)


def hard_sigmoid(x):
    """``clip(x / 6 + 0.5, 0, 1)``, a piecewise-linear sigmoid."""
    return ops.hard_sigmoid(x)


def hard_silu(x):
    """Hard swish, ``x * hard_sigmoid(x)``."""
    return ops.hard_silu(x)


hard_swish = hard_silu


def linear(x):
    """The identity: returns ``x`` unchanged."""
    return x


def mish(x):
    """``x * tanh(softplus(x))``."""
    return ops.multiply(x, ops.tanh(ops.softplus(x)))


def log_sigmoid(x):
    """``log(sigmoid(x))``, computed stably."""
    return ops.log_sigmoid(x)


def sparsemax(x, axis: int = -1):
    """Projection onto the probability simplex along ``axis``: a softmax with exact zeros."""
    return ops.sparsemax(x, axis=axis)
