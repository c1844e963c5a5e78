"""Correlation between targets and predictions: Pearson's r and Lin's concordance coefficient.

Both are computed per sample along ``axis`` (population statistics) and averaged over samples as metrics.
"""

from __future__ import annotations

from brickwork import backend, ops
from brickwork.losses.loss import squeeze_or_expand_to_same_rank
from brickwork.metrics.reduction_metrics import MeanMetricWrapper


def _as_pair(y_true, y_pred):
    y_pred = ops.convert_to_tensor(y_pred)
    if not backend.is_float(y_pred.dtype):
        y_pred = ops.cast(y_pred, backend.floatx())
    y_true = ops.cast(y_true, y_pred.dtype)
    return squeeze_or_expand_to_same_rank(y_true, y_pred)


def pearson_correlation(y_true, y_pred, axis: int = -1):
    """Pearson's correlation coefficient between ``y_true`` and ``y_pred`` along ``axis``.

    ``r = mean((t - mean t) (p - mean p)) / (std t * std p)``.

    Args:
        y_true: the targets.
        y_pred: the predictions.
        axis: the axis it reduces over.

    Returns:
        The correlation of each sample's values along ``axis``.

    Example:
        keras.metrics.pearson_correlation([[1.0, 2.0, 3.0]], [[2.0, 4.0, 7.0]])  # [0.9934]
    """
    y_true, y_pred = _as_pair(y_true, y_pred)
    true_centred = y_true - ops.mean(y_true, axis=axis, keepdims=True)
    pred_centred = y_pred - ops.mean(y_pred, axis=axis, keepdims=True)
    true_scaled = true_centred / ops.std(true_centred, axis=axis, keepdims=True)
    pred_scaled = pred_centred / ops.std(pred_centred, axis=axis, keepdims=True)
    return ops.mean(true_scaled * pred_scaled, axis=axis)


def concordance_correlation(y_true, y_pred, axis: int = -1):
    """Lin's concordance correlation coefficient along ``axis``: agreement, not only correlation.

    ``ccc = 2 cov(t, p) / (var t + var p + (mean t - mean p)^2)``.

    Args:
        y_true: the targets.
        y_pred: the predictions.
        axis: the axis it reduces over.

    Returns:
        The correlation of each sample's values along ``axis``.

    Example:
        keras.metrics.concordance_correlation([[1.0, 2.0, 3.0]], [[1.0, 2.0, 3.0]])  # [1.0]
    """
    y_true, y_pred = _as_pair(y_true, y_pred)
    true_mean = ops.mean(y_true, axis=axis, keepdims=True)
    pred_mean = ops.mean(y_pred, axis=axis, keepdims=True)
    covariance = ops.mean((y_true - true_mean) * (y_pred - pred_mean), axis=axis)
    spread = (ops.var(y_true, axis=axis) + ops.var(y_pred, axis=axis)
              + ops.square(ops.squeeze(true_mean, axis) - ops.squeeze(pred_mean, axis)))
    return 2.0 * covariance / (spread + backend.epsilon())


class PearsonCorrelation(MeanMetricWrapper):
    """The mean over samples of ``pearson_correlation`` (along ``axis``).

    Args:
        name: default ``"pearson_correlation"``.
        dtype: the dtype of the state and result.
        axis: the axis the correlation is taken along (default -1).

    Example:
    >>> m = PearsonCorrelation()
    >>> m.update_state([[1.0, 2.0, 3.0], [0.0, 1.0, 0.0]], [[2.0, 4.0, 7.0], [0.0, 1.0, 0.5]])
    >>> m.result()  # mean of 0.9934 and 0.8660
    """

    def __init__(self, name: str = "pearson_correlation", dtype=None, axis: int = -1):
        super().__init__(fn=pearson_correlation, name=name, dtype=dtype, axis=axis)
        self.axis = axis

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype, "axis": self.axis}


class ConcordanceCorrelation(MeanMetricWrapper):
    """The mean over samples of ``concordance_correlation`` (along ``axis``).

    Args:
        name: default ``"concordance_correlation"``.
        dtype: the dtype of the state and result.
        axis: the axis the coefficient is taken along (default -1).

    Example:
    >>> m = ConcordanceCorrelation()
    >>> m.update_state([[1.0, 2.0, 3.0]], [[1.0, 2.0, 4.0]])
    >>> m.result()  # 0.8571
    """

    def __init__(self, name: str = "concordance_correlation", dtype=None, axis: int = -1):
        super().__init__(fn=concordance_correlation, name=name, dtype=dtype, axis=axis)
        self.axis = axis

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype, "axis": self.axis}
