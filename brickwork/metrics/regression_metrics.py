"""Regression metrics: mean errors, RMSE, cosine similarity and the R2 score."""

from __future__ import annotations

from brickwork import ops
from brickwork.losses.loss import squeeze_or_expand_to_same_rank
from brickwork.losses.losses import (
    _l2_normalize,
    log_cosh,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
)
from brickwork.metrics.metric import Metric
from brickwork.metrics.reduction_metrics import Mean, _BuiltinMeanMetric


def cosine_similarity(y_true, y_pred, axis=-1):
    """``sum(l2_normalize(y_true) * l2_normalize(y_pred), axis)``: 1 means the same direction."""
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return ops.sum(_l2_normalize(y_true, axis) * _l2_normalize(y_pred, axis), axis=axis)


class MeanSquaredError(_BuiltinMeanMetric):
    """The mean of ``square(y_true - y_pred)``.

    Args:
        name: the name shown in logs and history.
        dtype: the dtype of the state and result.

    Example:
        y_true, y_pred = np.array([[0.0, 1.0], [1.0, 1.0]]), np.array([[1.0, 1.0], [1.0, 0.0]])
        metric = MeanSquaredError()
        metric.update_state(y_true, y_pred)
        metric.result()   # 0.5
    """

    _function = staticmethod(mean_squared_error)

    def __init__(self, name="mean_squared_error", dtype=None):
        super().__init__(name=name, dtype=dtype)


class MeanAbsoluteError(_BuiltinMeanMetric):
    """The mean of ``abs(y_true - y_pred)``.

    Args:
        name: the name shown in logs and history.
        dtype: the dtype of the state and result.

    Example:
        y_true, y_pred = np.array([[0.0, 1.0], [1.0, 1.0]]), np.array([[1.0, 1.0], [1.0, 0.0]])
        metric = MeanAbsoluteError()
        metric.update_state(y_true, y_pred)
        metric.result()   # 0.5
    """

    _function = staticmethod(mean_absolute_error)

    def __init__(self, name="mean_absolute_error", dtype=None):
        super().__init__(name=name, dtype=dtype)


class MeanAbsolutePercentageError(_BuiltinMeanMetric):
    """The mean of ``100 * abs((y_true - y_pred) / y_true)``.

    Args:
        name: the name shown in logs and history.
        dtype: the dtype of the state and result.

    Example:
        y_true, y_pred = np.array([[1.0, 2.0], [4.0, 4.0]]), np.array([[1.0, 1.0], [2.0, 4.0]])
        metric = MeanAbsolutePercentageError()
        metric.update_state(y_true, y_pred)
        metric.result()   # 25
    """

    _function = staticmethod(mean_absolute_percentage_error)

    def __init__(self, name="mean_absolute_percentage_error", dtype=None):
        super().__init__(name=name, dtype=dtype)


class MeanSquaredLogarithmicError(_BuiltinMeanMetric):
    """The mean of ``square(log(y_true + 1) - log(y_pred + 1))``.

    Args:
        name: the name shown in logs and history.
        dtype: the dtype of the state and result.

    Example:
        y_true, y_pred = np.array([[0.0, 1.0], [1.0, 1.0]]), np.array([[1.0, 1.0], [1.0, 0.0]])
        metric = MeanSquaredLogarithmicError()
        metric.update_state(y_true, y_pred)
        metric.result()   # 0.2402
    """

    _function = staticmethod(mean_squared_logarithmic_error)

    def __init__(self, name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(name=name, dtype=dtype)


class LogCoshError(_BuiltinMeanMetric):
    """The mean of ``log(cosh(y_pred - y_true))``.

    Args:
        name: the name shown in logs and history.
        dtype: the dtype of the state and result.

    Example:
        y_true, y_pred = np.array([[0.0, 1.0], [1.0, 1.0]]), np.array([[1.0, 1.0], [1.0, 0.0]])
        metric = LogCoshError()
        metric.update_state(y_true, y_pred)
        metric.result()   # 0.2169
    """

    _function = staticmethod(log_cosh)

    def __init__(self, name="logcosh", dtype=None):
        super().__init__(name=name, dtype=dtype)


class CosineSimilarity(_BuiltinMeanMetric):
    """The mean cosine similarity between labels and predictions along ``axis``.

    Args:
        name: the name shown in logs and history.
        dtype: the dtype of the state and result.
        axis: the axis it reduces over.

    Example:
        y_true, y_pred = np.array([[0.0, 1.0], [1.0, 1.0]]), np.array([[1.0, 1.0], [1.0, 0.0]])
        metric = CosineSimilarity()
        metric.update_state(y_true, y_pred)
        metric.result()   # 0.7071
    """

    _function = staticmethod(cosine_similarity)

    def __init__(self, name="cosine_similarity", dtype=None, axis=-1):
        super().__init__(name=name, dtype=dtype, axis=axis)


class RootMeanSquaredError(Mean):
    """``sqrt(mean(square(y_pred - y_true)))`` over everything seen.

    Args:
        name: the name shown in logs and history.
        dtype: the dtype of the state and result.

    Example:
    >>> m = RootMeanSquaredError()
    >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
    >>> m.result()   # 0.5
    """

    def __init__(self, name="root_mean_squared_error", dtype=None):
        super().__init__(name=name, dtype=dtype)

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        y_true = ops.convert_to_tensor(y_true, self._dtype)
        y_pred = ops.convert_to_tensor(y_pred, self._dtype)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        super().update_state(ops.square(y_pred - y_true), sample_weight=sample_weight)

    def result(self):
        return ops.sqrt(super().result())


class R2Score(Metric):
    """The coefficient of determination, ``1 - sum((y - y_pred)**2) / sum((y - mean(y))**2)``, per output.

    Args:
        class_aggregation: ``"uniform_average"`` (default), ``"variance_weighted_average"`` or ``None``
            (one score per output column), like scikit-learn's ``multioutput``.
        num_regressors: for the adjusted R2 score; 0 gives the plain R2 score.

    Example:
    >>> m = R2Score()
    >>> m.update_state(np.array([[1], [4], [3]]), np.array([[2], [4], [4]]))
    >>> m.result()   # 0.5714
    """

    _AGGREGATIONS = (None, "uniform_average", "variance_weighted_average")

    def __init__(self, class_aggregation="uniform_average", num_regressors=0, name="r2_score", dtype=None):
        super().__init__(name=name, dtype=dtype)
        if class_aggregation not in self._AGGREGATIONS:
            raise ValueError(
                f"R2Score: Invalid value for argument `class_aggregation`: expected one of {self._AGGREGATIONS}, "
                f"received {class_aggregation!r}.")
        if num_regressors < 0:
            raise ValueError(f"R2Score: Invalid value for argument `num_regressors`: expected >= 0, received {num_regressors!r}.")
        self.class_aggregation = class_aggregation
        self.num_regressors = num_regressors
        self.num_samples = self.add_variable(shape=(), initializer="zeros", name="num_samples")
        self._built = False

    def _build(self, y_true_shape, y_pred_shape) -> None:
        if len(y_pred_shape) != 2 or len(y_true_shape) != 2 or y_pred_shape[-1] is None:
            raise ValueError(
                "R2Score expects 2D inputs with shape (batch_size, output_dim), output_dim known. Received "
                f"y_true.shape={tuple(y_true_shape)}, y_pred.shape={tuple(y_pred_shape)}.")
        shape = (y_pred_shape[-1],)
        self.squared_sum = self.add_variable(shape=shape, initializer="zeros", name="squared_sum")
        self.sum = self.add_variable(shape=shape, initializer="zeros", name="sum")
        self.total_mse = self.add_variable(shape=shape, initializer="zeros", name="residual")
        self.count = self.add_variable(shape=shape, initializer="zeros", name="count")
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        y_true = ops.convert_to_tensor(y_true, dtype=self._dtype)
        y_pred = ops.convert_to_tensor(y_pred, dtype=self._dtype)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        if not self._built:
            self._build(y_true.shape, y_pred.shape)
        sample_weight = ops.convert_to_tensor(1 if sample_weight is None else sample_weight, dtype=self._dtype)
        if len(sample_weight.shape) == 1:
            sample_weight = ops.expand_dims(sample_weight, axis=1)
        sample_weight = ops.broadcast_to(sample_weight, y_true.shape)
        weighted_y_true = y_true * sample_weight
        self.sum.assign_add(ops.sum(weighted_y_true, axis=0))
        self.squared_sum.assign_add(ops.sum(y_true * weighted_y_true, axis=0))
        self.total_mse.assign_add(ops.sum(ops.square(y_true - y_pred) * sample_weight, axis=0))
        self.count.assign_add(ops.sum(sample_weight, axis=0))
        self.num_samples.assign_add(ops.cast(ops.size(y_true), self._dtype))

    def result(self):
        mean = self.sum.value / self.count.value
        total = self.squared_sum.value - self.sum.value * mean
        raw_scores = 1.0 - self.total_mse.value / total
        raw_scores = ops.where(ops.isinf(raw_scores), ops.zeros_like(raw_scores), raw_scores)
        if self.class_aggregation == "uniform_average":
            score = ops.mean(raw_scores)
        elif self.class_aggregation == "variance_weighted_average":
            score = ops.sum(total * raw_scores) / ops.sum(total)
        else:
            score = raw_scores
        if self.num_regressors == 0:
            return score
        return self._adjusted(score)

    def _adjusted(self, score):
        # Adjusted R2; with too few samples (n - 1 <= p) the plain score is returned, as Keras does.
        n = self.num_samples.value
        p = float(self.num_regressors)
        adjusted = 1.0 - (1.0 - score) * (n - 1.0) / ops.maximum(n - p - 1.0, 1.0)
        return ops.where(n - 1.0 > p, adjusted, score)

    def reset_state(self) -> None:
        for variable in self.variables:
            variable.assign(ops.zeros(variable.shape, dtype=variable.dtype))

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype, "class_aggregation": self.class_aggregation,
                "num_regressors": self.num_regressors}
