"""Generalized cross entropy (Zhang & Sabuncu, 2018): a classification loss robust to noisy labels."""

from __future__ import annotations

from brickwork import ops
from brickwork.losses.losses import _BuiltinLoss


def categorical_generalized_cross_entropy(y_true, y_pred, q: float):
    """``(1 - p ** q) / q`` with ``p`` the predicted probability of the true class.

    ``q`` near 0 behaves like cross entropy, ``q = 1`` like mean absolute error.

    Args:
        y_true: integer class ids, shape ``(batch,)`` or ``(batch, 1)``.
        y_pred: class probabilities, shape ``(batch, num_classes)``.
        q: the noise parameter, in ``(0, 1)``.

    Returns:
        The loss of each sample.

    Example:
        keras.losses.categorical_generalized_cross_entropy([0, 1], [[0.7, 0.3], [0.2, 0.8]], q=0.5)
        # [(1 - 0.7 ** 0.5) / 0.5, (1 - 0.8 ** 0.5) / 0.5]
    """
    y_pred = ops.convert_to_tensor(y_pred)
    one_hot = ops.one_hot(ops.cast(y_true, "int32"), y_pred.shape[-1], dtype=y_pred.dtype)
    probability = ops.sum(y_pred * one_hot, axis=-1)
    return (1.0 - ops.power(probability, q)) / q


class CategoricalGeneralizedCrossEntropy(_BuiltinLoss):
    """Generalized cross entropy between integer labels and class probabilities (see the function).

    Args:
        q: the noise parameter in ``(0, 1)`` (default 0.5); larger is more robust to wrong labels.
        reduction, name, dtype: as for every ``Loss``.

    Example:
        loss = keras.losses.CategoricalGeneralizedCrossEntropy(q=0.7)
        loss([0, 1, 0, 1], [[0.7, 0.3], [0.2, 0.8], [0.6, 0.4], [0.4, 0.6]])
    """

    _fn = staticmethod(categorical_generalized_cross_entropy)

    def __init__(self, q: float = 0.5, reduction="sum_over_batch_size",
                 name: str = "categorical_generalized_cross_entropy", dtype=None):
        if not 0 < q < 1:
            raise ValueError(f"CategoricalGeneralizedCrossEntropy: q must be in the interval (0, 1); received q={q}.")
        super().__init__(reduction=reduction, name=name, dtype=dtype, q=q)
