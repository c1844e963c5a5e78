"""NumPy-like shape, indexing, creation, sorting and product ops (``ops.reshape``, ``ops.matmul``, …)."""

from __future__ import annotations

from brickwork.ops._dispatch import backend_op


@backend_op("arrays")
def matmul(x1, x2):
    """Matrix product of two tensors (batched over leading dimensions)."""


@backend_op("arrays")
def reshape(x, newshape):
    """Give ``x`` a new shape; one dimension may be ``-1``."""
