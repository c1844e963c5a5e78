"""Probabilistic metrics: the mean crossentropy, KL divergence or Poisson loss over everything seen."""

from __future__ import annotations

from brickwork.losses.losses import (
    binary_crossentropy,
    categorical_crossentropy,
    kl_divergence,
    poisson,
    sparse_categorical_crossentropy,
)
from brickwork.metrics.reduction_metrics import _BuiltinMeanMetric


class KLDivergence(_BuiltinMeanMetric):
    """The mean of ``sum(y_true * log(y_true / y_pred), axis=-1)``.

    Args:
        name: the name shown in logs and history.
        dtype: the dtype of the state and result.

    Example:
        y_true, y_pred = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 0.0]]), np.array([[0.4, 0.6], [0.3, 0.7], [0.9, 0.1]])
        metric = KLDivergence()
        metric.update_state(y_true, y_pred)
        metric.result()   # 0.6067
    """

    _function = staticmethod(kl_divergence)

    def __init__(self, name="kl_divergence", dtype=None):
        super().__init__(name=name, dtype=dtype)


class Poisson(_BuiltinMeanMetric):
    """The mean of ``y_pred - y_true * log(y_pred)``.

    Args:
        name: the name shown in logs and history.
        dtype: the dtype of the state and result.

    Example:
        y_true, y_pred = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 0.0]]), np.array([[0.4, 0.6], [0.3, 0.7], [0.9, 0.1]])
        metric = Poisson()
        metric.update_state(y_true, y_pred)
        metric.result()   # 0.8034
    """

    _function = staticmethod(poisson)

    def __init__(self, name="poisson", dtype=None):
        super().__init__(name=name, dtype=dtype)


class BinaryCrossentropy(_BuiltinMeanMetric):
    """The mean binary crossentropy.

    Args:
        from_logits: whether ``y_pred`` holds logits rather than probabilities.
        label_smoothing: in ``[0, 1]``; squeezes the labels towards 0.5.

    Example:
        y_true, y_pred = np.array([[0.0], [1.0], [1.0], [0.0]]), np.array([[0.2], [0.8], [0.4], [0.6]])
        metric = BinaryCrossentropy()
        metric.update_state(y_true, y_pred)
        metric.result()   # 0.5697
    """

    _function = staticmethod(binary_crossentropy)

    def __init__(self, name="binary_crossentropy", dtype=None, from_logits=False, label_smoothing=0):
        super().__init__(name=name, dtype=dtype, from_logits=from_logits, label_smoothing=label_smoothing)


class CategoricalCrossentropy(_BuiltinMeanMetric):
    """The mean categorical crossentropy of one-hot labels.

    Args:
        from_logits: whether ``y_pred`` holds logits rather than probabilities.
        label_smoothing: in ``[0, 1]``; labels become ``y * (1 - s) + s / num_classes``.
        axis: the class axis.

    Example:
        y_true, y_pred = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 0.0]]), np.array([[0.4, 0.6], [0.3, 0.7], [0.9, 0.1]])
        metric = CategoricalCrossentropy()
        metric.update_state(y_true, y_pred)
        metric.result()   # 0.6067
    """

    _function = staticmethod(categorical_crossentropy)

    def __init__(self, name="categorical_crossentropy", dtype=None, from_logits=False, label_smoothing=0, axis=-1):
        super().__init__(name=name, dtype=dtype, from_logits=from_logits, label_smoothing=label_smoothing,
                         axis=axis)


class SparseCategoricalCrossentropy(_BuiltinMeanMetric):
    """The mean crossentropy of integer labels.

    Args:
        from_logits: whether ``y_pred`` holds logits rather than probabilities.
        ignore_class: a label whose entries count as 0 (and, with a ``sample_weight``, weigh nothing).
        axis: the class axis.

    Example:
        y_true, y_pred = np.array([[1], [0], [0]]), np.array([[0.4, 0.6], [0.3, 0.7], [0.9, 0.1]])
        metric = SparseCategoricalCrossentropy()
        metric.update_state(y_true, y_pred)
        metric.result()   # 0.6067
    """

    _function = staticmethod(sparse_categorical_crossentropy)

    def __init__(self, name="sparse_categorical_crossentropy", dtype=None, from_logits=False, ignore_class=None,
                 axis=-1):
        super().__init__(name=name, dtype=dtype, from_logits=from_logits, ignore_class=ignore_class, axis=axis)
