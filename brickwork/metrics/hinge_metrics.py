"""Hinge metrics: the mean hinge, squared hinge or categorical hinge loss over everything seen."""

from __future__ import annotations

from brickwork.losses.losses import categorical_hinge, hinge, squared_hinge
from brickwork.metrics.reduction_metrics import _BuiltinMeanMetric


class Hinge(_BuiltinMeanMetric):
    """The mean of ``maximum(1 - y_true * y_pred, 0)``; labels -1/1 (0/1 are converted)."""

    _function = staticmethod(hinge)

    def __init__(self, name="hinge", dtype=None):
        super().__init__(name=name, dtype=dtype)


class SquaredHinge(_BuiltinMeanMetric):
    """The mean of ``square(maximum(1 - y_true * y_pred, 0))``; labels -1/1 (0/1 are converted)."""

    _function = staticmethod(squared_hinge)

    def __init__(self, name="squared_hinge", dtype=None):
        super().__init__(name=name, dtype=dtype)


class CategoricalHinge(_BuiltinMeanMetric):
    """The mean of ``maximum(neg - pos + 1, 0)`` for one-hot labels."""

    _function = staticmethod(categorical_hinge)

    def __init__(self, name="categorical_hinge", dtype=None):
        super().__init__(name=name, dtype=dtype)
