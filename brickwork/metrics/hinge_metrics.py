"""Hinge metrics: the mean hinge, squared hinge or categorical hinge loss over everything seen."""

from __future__ import annotations

from brickwork.losses.losses import categorical_hinge, hinge, squared_hinge
from brickwork.metrics.reduction_metrics import _BuiltinMeanMetric


class Hinge(_BuiltinMeanMetric):
    """The mean of ``maximum(1 - y_true * y_pred, 0)``; labels -1/1 (0/1 are converted).

    Args:
        name: the name shown in logs and history.
        dtype: the dtype of the state and result.

    Example:
        y_true, y_pred = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 0.0]]), np.array([[0.4, 0.6], [0.3, 0.7], [0.9, 0.1]])
        metric = Hinge()
        metric.update_state(y_true, y_pred)
        metric.result()   # 0.9
    """

    _function = staticmethod(hinge)

    def __init__(self, name="hinge", dtype=None):
        super().__init__(name=name, dtype=dtype)


class SquaredHinge(_BuiltinMeanMetric):
    """The mean of ``square(maximum(1 - y_true * y_pred, 0))``; labels -1/1 (0/1 are converted).

    Args:
        name: the name shown in logs and history.
        dtype: the dtype of the state and result.

    Example:
        y_true, y_pred = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 0.0]]), np.array([[0.4, 0.6], [0.3, 0.7], [0.9, 0.1]])
        metric = SquaredHinge()
        metric.update_state(y_true, y_pred)
        metric.result()   # 1.12
    """

    _function = staticmethod(squared_hinge)

    def __init__(self, name="squared_hinge", dtype=None):
        super().__init__(name=name, dtype=dtype)


class CategoricalHinge(_BuiltinMeanMetric):
    """The mean of ``maximum(neg - pos + 1, 0)`` for one-hot labels.

    Args:
        name: the name shown in logs and history.
        dtype: the dtype of the state and result.

    Example:
        y_true, y_pred = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 0.0]]), np.array([[0.4, 0.6], [0.3, 0.7], [0.9, 0.1]])
        metric = CategoricalHinge()
        metric.update_state(y_true, y_pred)
        metric.result()   # 0.8
    """

    _function = staticmethod(categorical_hinge)

    def __init__(self, name="categorical_hinge", dtype=None):
        super().__init__(name=name, dtype=dtype)
