"""``brickwork.metrics``: Keras 3's metrics, their function forms, and lookup by name or config.

Example:
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy", metrics.AUC()])
    m = metrics.Mean(); m.update_state([1, 3]); m.result()   # 2.0
"""

from __future__ import annotations

from brickwork.backend.common.global_state import to_snake_case
from brickwork.losses.losses import (
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    categorical_focal_crossentropy,
    categorical_hinge,
    hinge,
    huber,
    kl_divergence,
    log_cosh,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
    poisson,
    sparse_categorical_crossentropy,
    squared_hinge,
)
from brickwork.metrics.accuracy_metrics import (
    Accuracy,
    BinaryAccuracy,
    CategoricalAccuracy,
    SparseCategoricalAccuracy,
    SparseTopKCategoricalAccuracy,
    TopKCategoricalAccuracy,
    binary_accuracy,
    categorical_accuracy,
    sparse_categorical_accuracy,
    sparse_top_k_categorical_accuracy,
    top_k_categorical_accuracy,
)
from brickwork.metrics.confusion_metrics import (
    AUC,
    FalseNegatives,
    FalsePositives,
    Precision,
    Recall,
    TrueNegatives,
    TruePositives,
)
from brickwork.metrics.correlation_metrics import ConcordanceCorrelation, PearsonCorrelation  # noqa: I001
from brickwork.metrics.correlation_metrics import concordance_correlation, pearson_correlation
from brickwork.metrics.f_score_metrics import F1Score, FBetaScore
from brickwork.metrics.hinge_metrics import CategoricalHinge, Hinge, SquaredHinge
from brickwork.metrics.iou_metrics import IoU, BinaryIoU, MeanIoU, OneHotIoU, OneHotMeanIoU  # noqa: I001
from brickwork.metrics.metric import Metric
from brickwork.metrics.probabilistic_metrics import (
    BinaryCrossentropy,
    CategoricalCrossentropy,
    KLDivergence,
    Poisson,
    SparseCategoricalCrossentropy,
)
from brickwork.metrics.reduction_metrics import Mean, MeanMetricWrapper, Sum
from brickwork.metrics.regression_metrics import (
    CosineSimilarity,
    LogCoshError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    R2Score,
    RootMeanSquaredError,
)
from brickwork.metrics.sensitivity_specificity_metrics import (  # noqa: I001
    PrecisionAtRecall, RecallAtPrecision, SensitivityAtSpecificity, SpecificityAtSensitivity)
from brickwork.saving.object_lookup import ObjectLookup

# Keras's short and legacy names for the same functions.
mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kullback_leibler_divergence = kl_divergence
logcosh = log_cosh
bce = BCE = binary_crossentropy

_CLASSES = (
    Metric, Mean, Sum, MeanMetricWrapper, Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy,
    TopKCategoricalAccuracy, SparseTopKCategoricalAccuracy, MeanSquaredError, MeanAbsoluteError,
    MeanAbsolutePercentageError, MeanSquaredLogarithmicError, RootMeanSquaredError, LogCoshError, CosineSimilarity,
    R2Score, BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy, KLDivergence, Poisson,
    Hinge, SquaredHinge, CategoricalHinge, AUC, Precision, Recall, TruePositives, FalsePositives, TrueNegatives,
    FalseNegatives, F1Score, FBetaScore,
    IoU, BinaryIoU, MeanIoU, OneHotIoU, OneHotMeanIoU,
    PrecisionAtRecall, RecallAtPrecision, SensitivityAtSpecificity, SpecificityAtSensitivity,
    PearsonCorrelation, ConcordanceCorrelation,
)
_FUNCTIONS = (
    binary_accuracy, categorical_accuracy, sparse_categorical_accuracy, top_k_categorical_accuracy,
    sparse_top_k_categorical_accuracy, binary_crossentropy, binary_focal_crossentropy, categorical_crossentropy,
    categorical_focal_crossentropy, sparse_categorical_crossentropy, kl_divergence, poisson, hinge, squared_hinge,
    categorical_hinge, mean_squared_error, mean_absolute_error, mean_absolute_percentage_error,
    mean_squared_logarithmic_error, log_cosh, huber,
    pearson_correlation, concordance_correlation,
)
ALL_OBJECTS = _CLASSES + _FUNCTIONS
_FUNCTIONS_DICT = {fn.__name__: fn for fn in _FUNCTIONS}
ALL_OBJECTS_DICT = {obj.__name__: obj for obj in _FUNCTIONS}
# A snake-case class name gives the class (a named, stateful metric), as "mean_squared_error" does in compile.
ALL_OBJECTS_DICT.update({to_snake_case(cls.__name__): cls for cls in _CLASSES})
ALL_OBJECTS_DICT.update({cls.__name__: cls for cls in _CLASSES})
# Short names give the metric class, as in Keras 3 ("mse" -> MeanSquaredError()).
ALL_OBJECTS_DICT.update({
    "bce": BinaryCrossentropy, "BCE": BinaryCrossentropy, "mse": MeanSquaredError, "MSE": MeanSquaredError,
    "mae": MeanAbsoluteError, "MAE": MeanAbsoluteError, "mape": MeanAbsolutePercentageError,
    "MAPE": MeanAbsolutePercentageError, "msle": MeanSquaredLogarithmicError,
    "MSLE": MeanSquaredLogarithmicError, "kld": kl_divergence, "KLD": kl_divergence,
    "kullback_leibler_divergence": kl_divergence, "logcosh": LogCoshError, "auc": AUC,
})


_lookup = ObjectLookup("metric", "Metric", ALL_OBJECTS_DICT, examples="'accuracy' or 'mae'", functions=_FUNCTIONS_DICT)


def serialize(metric) -> dict:
    """The Keras 3 config of a ``Metric`` or metric function.

    Args:
        metric: a ``Metric`` or metric function.

    Returns:
        A config dict that ``deserialize`` reads back.

    Example:
        config = serialize(Mean(name="loss_mean"))
        deserialize(config).name   # 'loss_mean'
    """
    return _lookup.serialize(metric)


def deserialize(config, custom_objects: dict | None = None):
    """A metric from a config made by ``serialize`` (or a name).

    Args:
        config: a name or a config dict made by ``serialize``.
        custom_objects: extra ``{name: object}`` to look names up in.

    Returns:
        The object the config describes.

    Example:
        deserialize({"class_name": "Mean", "config": {"name": "m"}}).name   # 'm'
    """
    return _lookup.deserialize(config, custom_objects)


def get(identifier):
    """A metric from ``None``, a name (``"mae"``, ``"AUC"``/``"auc"`` give an instance),
    a config dict, a class (instantiated), a ``Metric`` or a callable (returned as is).

    Args:
        identifier: a name, a config dict, a class, an instance, a function, or ``None``.

    Returns:
        The object the identifier names, or ``None``.

    Example:
        get("mae")   # a MeanAbsoluteError metric
    """
    return _lookup.get(identifier)


__all__ = [cls.__name__ for cls in _CLASSES] + [fn.__name__ for fn in _FUNCTIONS] + [
    "mse", "MSE", "mae", "MAE", "mape", "MAPE", "msle", "MSLE", "kld", "KLD", "kullback_leibler_divergence",
    "logcosh", "bce", "BCE", "serialize", "deserialize", "get",
]
