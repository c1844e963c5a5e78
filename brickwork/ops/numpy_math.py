"""NumPy-like element-wise math, reductions, comparisons and logic (``ops.add``, ``ops.mean``, …)."""

from __future__ import annotations

from brickwork.ops._dispatch import backend_op


@backend_op("numpy")
def add(x1, x2):
    """Add arguments element-wise, with broadcasting.

    Example:
    >>> ops.add([1, 2], 3)   # int32 stays int32
    """


@backend_op("numpy")
def mean(x, axis=None, keepdims=False):
    """Mean over ``axis`` (all axes when ``None``); integer inputs give floatx."""
