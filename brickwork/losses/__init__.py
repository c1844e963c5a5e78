"""``brickwork.losses``: Keras 3's losses as classes and functions, and lookup by name or config.

Example:
    model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
    model.compile(loss=losses.Huber(delta=0.5), optimizer="adam")
"""

from __future__ import annotations

from brickwork.losses.loss import Loss
from brickwork.losses.losses import (
    CTC,
    BinaryCrossentropy,
    BinaryFocalCrossentropy,
    CategoricalCrossentropy,
    CategoricalFocalCrossentropy,
    CategoricalHinge,
    CosineSimilarity,
    Dice,
    Hinge,
    Huber,
    KLDivergence,
    LogCosh,
    LossFunctionWrapper,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    Poisson,
    SparseCategoricalCrossentropy,
    SquaredHinge,
    Tversky,
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    categorical_focal_crossentropy,
    categorical_hinge,
    cosine_similarity,
    ctc,
    dice,
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
    tversky,
)
from brickwork.losses.circle import Circle, circle  # noqa: I001
from brickwork.losses.generalized_cross_entropy import CategoricalGeneralizedCrossEntropy  # noqa: I001
from brickwork.losses.generalized_cross_entropy import categorical_generalized_cross_entropy
from brickwork.saving.object_lookup import ObjectLookup

# Keras's short and legacy names for the same functions.
mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kullback_leibler_divergence = kl_divergence
logcosh = log_cosh
bce = BCE = binary_crossentropy

ALL_OBJECTS = (
    Loss, LossFunctionWrapper, KLDivergence, Poisson, BinaryCrossentropy, BinaryFocalCrossentropy,
    CategoricalCrossentropy, CategoricalFocalCrossentropy, SparseCategoricalCrossentropy, MeanSquaredError,
    MeanAbsoluteError, MeanAbsolutePercentageError, MeanSquaredLogarithmicError, CosineSimilarity, LogCosh, Huber,
    Hinge, SquaredHinge, CategoricalHinge, Dice, Tversky, CTC,
    kl_divergence, poisson, binary_crossentropy, binary_focal_crossentropy, categorical_crossentropy,
    categorical_focal_crossentropy, sparse_categorical_crossentropy, mean_squared_error, mean_absolute_error,
    mean_absolute_percentage_error, mean_squared_logarithmic_error, cosine_similarity, log_cosh, huber, hinge,
    squared_hinge, categorical_hinge, dice, tversky, ctc,
    Circle, circle, CategoricalGeneralizedCrossEntropy, categorical_generalized_cross_entropy,
)
ALL_OBJECTS_DICT = {obj.__name__: obj for obj in ALL_OBJECTS}
ALL_OBJECTS_DICT.update({
    "bce": binary_crossentropy, "BCE": binary_crossentropy, "kld": kl_divergence, "KLD": kl_divergence,
    "kullback_leibler_divergence": kl_divergence, "mae": mean_absolute_error, "MAE": mean_absolute_error,
    "mse": mean_squared_error, "MSE": mean_squared_error, "mape": mean_absolute_percentage_error,
    "MAPE": mean_absolute_percentage_error, "msle": mean_squared_logarithmic_error,
    "MSLE": mean_squared_logarithmic_error, "logcosh": log_cosh, "huber_loss": huber,
})


_lookup = ObjectLookup("loss", "Loss", ALL_OBJECTS_DICT, examples="'mse' or 'categorical_crossentropy'")


def serialize(loss) -> dict:
    """The Keras 3 config of a ``Loss`` or loss function.

    Args:
        loss: a ``Loss`` or loss function.

    Returns:
        A config dict that ``deserialize`` reads back.

    Example:
        config = serialize(MeanSquaredError())
        deserialize(config).name   # 'mean_squared_error'
    """
    return _lookup.serialize(loss)


def deserialize(config, custom_objects: dict | None = None):
    """A loss from a config made by ``serialize`` (or a name).

    Args:
        config: a name or a config dict made by ``serialize``.
        custom_objects: extra ``{name: object}`` to look names up in.

    Returns:
        The object the config describes.

    Example:
        deserialize("mean_absolute_error")   # the function mean_absolute_error
    """
    return _lookup.deserialize(config, custom_objects)


def get(identifier):
    """A loss from ``None``, a name (``"mse"`` gives the function, ``"MeanSquaredError"`` an instance),
    a config dict, a class (instantiated), a ``Loss`` or a callable (returned as is).

    Args:
        identifier: a name, a config dict, a class, an instance, a function, or ``None``.

    Returns:
        The object the identifier names, or ``None``.

    Example:
        get("mse")   # the function mean_squared_error
        get("MeanSquaredError")   # a Loss computing mean_squared_error
    """
    return _lookup.get(identifier)


__all__ = [
    "Loss", "LossFunctionWrapper", "MeanSquaredError", "MeanAbsoluteError", "MeanAbsolutePercentageError",
    "MeanSquaredLogarithmicError", "CosineSimilarity", "Huber", "LogCosh", "Hinge", "SquaredHinge",
    "CategoricalHinge", "KLDivergence", "Poisson", "BinaryCrossentropy", "BinaryFocalCrossentropy",
    "CategoricalCrossentropy", "CategoricalFocalCrossentropy", "SparseCategoricalCrossentropy", "Dice", "Tversky",
    "CTC", "mean_squared_error", "mean_absolute_error", "mean_absolute_percentage_error",
    "mean_squared_logarithmic_error", "cosine_similarity", "huber", "log_cosh", "hinge", "squared_hinge",
    "categorical_hinge", "kl_divergence", "poisson", "binary_crossentropy", "binary_focal_crossentropy",
    "categorical_crossentropy", "categorical_focal_crossentropy", "sparse_categorical_crossentropy", "dice",
    "tversky", "ctc", "mse", "MSE", "mae", "MAE", "mape", "MAPE", "msle", "MSLE", "kld", "KLD",
    "kullback_leibler_divergence", "logcosh", "bce", "BCE", "serialize", "deserialize", "get",
    "Circle", "circle", "CategoricalGeneralizedCrossEntropy", "categorical_generalized_cross_entropy",
]
