"""Weight constraints: projections applied to a weight after each optimizer update.

``MaxNorm``, ``MinMaxNorm``, ``UnitNorm`` rescale the slices of a weight along ``axis`` by their
L2 norm; ``NonNeg`` clips at zero.
"""

from __future__ import annotations

from brickwork import backend, ops


class Constraint:
    """Base class: ``constraint(w)`` returns the projected weight (here, ``w`` unchanged).

    Subclasses implement ``__call__`` and, when they take arguments, ``get_config``.

    Example:
    >>> class NonPositive(Constraint):
    ...     def __call__(self, w):
    ...         return ops.minimum(w, 0.0)
    """

    def __call__(self, w):
        return w

    def get_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


def _norms(w, axis):
    """The L2 norms of ``w`` along ``axis``, kept as size-1 axes for broadcasting."""
    axis = tuple(axis) if isinstance(axis, list) else axis
    return ops.sqrt(ops.sum(ops.square(w), axis=axis, keepdims=True))


class MaxNorm(Constraint):
    """Rescale each slice along ``axis`` whose L2 norm exceeds ``max_value`` down to ``max_value``.

    Args:
        max_value: the largest norm allowed (default 2).
        axis: the axis (or list of axes) the norm runs over: 0 for a ``Dense`` kernel
            ``(input_dim, units)`` constrains each unit's incoming weights; ``[0, 1, 2]`` for a
            ``Conv2D`` kernel constrains each filter.

    Example:
        MaxNorm(1.0)(np.array([[3.0], [4.0]]))   # [[0.6], [0.8]]: the column's norm 5 brought to 1
    """

    def __init__(self, max_value: float = 2, axis=0):
        self.max_value = max_value
        self.axis = axis

    def __call__(self, w):
        w = backend.convert_to_tensor(w)
        norms = _norms(w, self.axis)
        desired = ops.clip(norms, 0, self.max_value)
        return w * (desired / (backend.epsilon() + norms))

    def get_config(self) -> dict:
        return {"max_value": self.max_value, "axis": self.axis}


class NonNeg(Constraint):
    """Clip negative weights to zero.

    Example:
        NonNeg()(np.array([-1.0, 2.0]))   # [0, 2]
        layer = keras.layers.Dense(2, kernel_constraint=NonNeg())
    """

    def __call__(self, w):
        w = backend.convert_to_tensor(w)
        return ops.maximum(w, 0)


class UnitNorm(Constraint):
    """Rescale each slice along ``axis`` to unit L2 norm.

    Args:
        axis: as for ``MaxNorm`` (default 0).

    Example:
        UnitNorm()(np.array([[3.0], [4.0]]))   # [[0.6], [0.8]]
    """

    def __init__(self, axis=0):
        self.axis = axis

    def __call__(self, w):
        w = backend.convert_to_tensor(w)
        return w / (backend.epsilon() + _norms(w, self.axis))

    def get_config(self) -> dict:
        return {"axis": self.axis}


class MinMaxNorm(Constraint):
    """Move the L2 norm of each slice along ``axis`` into ``[min_value, max_value]``.

    The new norm is ``rate * clip(norm, min_value, max_value) + (1 - rate) * norm``: ``rate=1``
    enforces the bounds at once, a smaller rate moves towards them step by step.

    Args:
        min_value: the smallest norm (default 0).
        max_value: the largest norm (default 1).
        rate: how far to move per call, in ``[0, 1]`` (default 1).
        axis: as for ``MaxNorm`` (default 0).

    Example:
        MinMaxNorm(1.0, 2.0)(np.array([[3.0], [4.0]]))   # [[1.2], [1.6]]
    """

    def __init__(self, min_value: float = 0.0, max_value: float = 1.0, rate: float = 1.0, axis=0):
        self.min_value = min_value
        self.max_value = max_value
        self.rate = rate
        self.axis = axis

    def __call__(self, w):
        w = backend.convert_to_tensor(w)
        norms = _norms(w, self.axis)
        desired = self.rate * ops.clip(norms, self.min_value, self.max_value) + (1 - self.rate) * norms
        return w * (desired / (backend.epsilon() + norms))

    def get_config(self) -> dict:
        return {"min_value": self.min_value, "max_value": self.max_value, "rate": self.rate, "axis": self.axis}
