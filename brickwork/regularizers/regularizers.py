"""Weight penalties: ``L1``, ``L2``, ``L1L2`` and ``OrthogonalRegularizer``.

A regularizer is called on a weight (or a layer's output) and returns a scalar added to the loss.
"""

from __future__ import annotations

import math

from brickwork import backend, ops


def validate_float_arg(value, name: str) -> float:
    """``value`` as a non-negative finite float, or a ValueError naming the argument.

    Example:
        >>> validate_float_arg(1, "l2")
        1.0
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise ValueError(f"Invalid value for argument {name}: expected a non-negative float, received {name}={value!r}.")
    return float(value)


class Regularizer:
    """Base class: ``regularizer(x)`` returns a scalar penalty for the tensor ``x``.

    Subclasses implement ``__call__`` and ``get_config`` (returning their ``__init__`` arguments).
    Any function taking a tensor and returning a scalar may stand in for a regularizer.

    Example:
    >>> class Sum(Regularizer):
    ...     def __call__(self, x):
    ...         return ops.sum(x)
    """

    def __call__(self, x):
        return 0.0

    def get_config(self) -> dict:
        raise NotImplementedError(f"{type(self).__name__} does not implement get_config()")

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)

    def __repr__(self) -> str:
        try:
            args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        except NotImplementedError:
            args = ""
        return f"{type(self).__name__}({args})"


class L1L2(Regularizer):
    """``l1 * sum(|x|) + l2 * sum(x**2)``.

    Args:
        l1: L1 factor (default 0).
        l2: L2 factor (default 0).

    Example:
        L1L2(l1=0.1, l2=0.1)(np.array([1.0, -2.0]))   # 0.8: 0.1 * 3 + 0.1 * 5
    """

    def __init__(self, l1: float = 0.0, l2: float = 0.0):
        self.l1 = validate_float_arg(0.0 if l1 is None else l1, "l1")
        self.l2 = validate_float_arg(0.0 if l2 is None else l2, "l2")

    def __call__(self, x):
        x = backend.convert_to_tensor(x)
        penalty = 0.0
        if self.l1:
            penalty = self.l1 * ops.sum(ops.absolute(x))
        if self.l2:
            penalty = penalty + self.l2 * ops.sum(ops.square(x))
        if isinstance(penalty, float):
            return backend.convert_to_tensor(penalty, dtype=x.dtype)
        return penalty

    def get_config(self) -> dict:
        return {"l1": self.l1, "l2": self.l2}


class L1(Regularizer):
    """``l1 * sum(|x|)``.

    Args:
        l1: the factor (default 0.01).

    Example:
        L1(0.1)(np.array([1.0, -2.0]))   # 0.3
        layer = keras.layers.Dense(2, kernel_regularizer=L1(0.01))
    """

    def __init__(self, l1: float = 0.01):
        self.l1 = validate_float_arg(0.01 if l1 is None else l1, "l1")

    def __call__(self, x):
        return self.l1 * ops.sum(ops.absolute(x))

    def get_config(self) -> dict:
        return {"l1": self.l1}


class L2(Regularizer):
    """``l2 * sum(x**2)``.

    Args:
        l2: the factor (default 0.01).

    Example:
    >>> L2(2.0)(ops.ones((5, 5)))   # 50.0
    """

    def __init__(self, l2: float = 0.01):
        self.l2 = validate_float_arg(0.01 if l2 is None else l2, "l2")

    def __call__(self, x):
        return self.l2 * ops.sum(ops.square(x))

    def get_config(self) -> dict:
        return {"l2": self.l2}


class OrthogonalRegularizer(Regularizer):
    """Pushes the rows (or columns) of a 2-D weight towards being orthogonal to each other.

    The penalty is ``factor`` times the mean absolute cosine similarity over all distinct pairs of
    rows (``mode="rows"``) or columns (``mode="columns"``).

    Args:
        factor: the factor (default 0.01).
        mode: ``"rows"`` (default) or ``"columns"``.

    Example:
        OrthogonalRegularizer(factor=0.1)(np.eye(2))   # 0: the rows are already orthogonal
    """

    def __init__(self, factor: float = 0.01, mode: str = "rows"):
        self.factor = validate_float_arg(factor, "factor")
        if mode not in ("rows", "columns"):
            raise ValueError(f'Invalid value for argument `mode`. Expected one of {{"rows", "columns"}}. Received: mode={mode}')
        self.mode = mode

    def __call__(self, x):
        x = backend.convert_to_tensor(x)
        if len(x.shape) != 2:
            raise ValueError(f"Inputs to OrthogonalRegularizer must have rank 2. Received: inputs.shape={tuple(x.shape)}")
        if self.mode == "columns":
            x = ops.transpose(x)
        size = x.shape[0]
        norms = ops.sqrt(ops.sum(ops.square(x), axis=1, keepdims=True))
        unit = x / ops.maximum(norms, backend.epsilon())
        product = ops.absolute(ops.matmul(unit, ops.transpose(unit)))
        # Each pair appears twice off the diagonal; the diagonal (each row with itself) is dropped.
        off_diagonal = ops.sum(product) - ops.sum(ops.diagonal(product))
        num_pairs = size * (size - 1) / 2.0
        return self.factor * 0.5 * off_diagonal / num_pairs

    def get_config(self) -> dict:
        return {"factor": self.factor, "mode": self.mode}
