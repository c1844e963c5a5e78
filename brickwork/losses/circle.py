"""Circle loss (Sun et al., 2020): metric learning on L2-normalized embeddings with integer labels."""

from __future__ import annotations

from brickwork import ops
from brickwork.backend.common.masking import set_keras_mask
from brickwork.losses.losses import _BuiltinLoss


def _pair_masks(query_labels, key_labels, remove_diagonal: bool):
    """``(same label, different label)`` boolean matrices of shape ``(queries, keys)``."""
    query_labels = ops.reshape(query_labels, (-1, 1))
    key_labels = ops.reshape(key_labels, (1, -1))
    positive = ops.equal(query_labels, key_labels)
    negative = ops.logical_not(positive)
    if remove_diagonal:
        eye = ops.eye(query_labels.shape[0], key_labels.shape[1], dtype="bool")
        positive = ops.logical_and(positive, ops.logical_not(eye))
    return positive, negative


def circle(y_true, y_pred, ref_labels=None, ref_embeddings=None, remove_diagonal: bool = True,
           gamma: float = 80.0, margin: float = 0.4):
    """The Circle loss of each embedding in ``y_pred`` against the reference embeddings.

    With cosine distances ``d`` between a query and the references, positives (same label) are pushed
    below ``margin`` and negatives (other labels) above ``1 - margin``, each pair weighted by how far it
    is from its optimum; the loss is ``softplus(logsumexp(positive terms) + logsumexp(negative terms))``.
    Entries with a zero loss are masked out of the mean.

    Args:
        y_true: integer labels, shape ``(batch,)``.
        y_pred: L2-normalized embeddings, shape ``(batch, dim)``.
        ref_labels, ref_embeddings: the references (default: ``y_true`` and ``y_pred`` themselves).
        remove_diagonal: leave each embedding's similarity with itself out of its positives.
        gamma: the scale of the similarity terms (default 80).
        margin: the relaxation margin (default 0.4).

    Returns:
        One loss per embedding, shape ``(batch,)``.

    Example:
        embeddings = keras.ops.normalize(keras.random.normal((8, 16)))
        keras.losses.circle(keras.ops.array([0, 0, 1, 1, 2, 2, 3, 3]), embeddings)
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(y_true, "int32")
    ref_embeddings = y_pred if ref_embeddings is None else ops.convert_to_tensor(ref_embeddings)
    ref_labels = y_true if ref_labels is None else ops.cast(ref_labels, "int32")
    distances = ops.maximum(1.0 - ops.matmul(y_pred, ops.transpose(ref_embeddings)), 0.0)
    positive, negative = _pair_masks(y_true, ref_labels, remove_diagonal)
    # Each pair is weighted by its distance from the optimum: margin for positives, 1 + margin for negatives.
    positive_weights = ops.maximum((margin + distances) * ops.cast(positive, distances.dtype), 0.0)
    negative_weights = ops.maximum((1.0 + margin - distances) * ops.cast(negative, distances.dtype), 0.0)
    positive_terms = -gamma * positive_weights * (margin - distances)
    negative_terms = gamma * negative_weights * ((1.0 - margin) - distances)
    positive_loss = ops.logsumexp(ops.where(positive, positive_terms, float("-inf")), axis=1)
    negative_loss = ops.logsumexp(ops.where(negative, negative_terms, float("-inf")), axis=1)
    losses = ops.softplus(positive_loss + negative_loss)
    set_keras_mask(losses, losses > 0)
    return losses


class Circle(_BuiltinLoss):
    """Circle loss between integer labels and L2-normalized embeddings (see ``circle``).

    Put a ``UnitNormalization`` layer after a linear embedding layer so that the embeddings have unit norm.

    Args:
        gamma: the scale of the similarity terms (default 80).
        margin: the relaxation margin (default 0.4).
        remove_diagonal: leave self-similarities out of the positives (default True).
        reduction, name, dtype: as for every ``Loss``.

    Example:
        model = keras.Sequential([keras.Input((32,)), keras.layers.Dense(16), keras.layers.UnitNormalization()])
        model.compile(optimizer="adam", loss=keras.losses.Circle())
    """

    _fn = staticmethod(circle)

    def __init__(self, gamma: float = 80.0, margin: float = 0.4, remove_diagonal: bool = True,
                 reduction="sum_over_batch_size", name: str = "circle", dtype=None):
        super().__init__(reduction=reduction, name=name, dtype=dtype, gamma=gamma, margin=margin,
                         remove_diagonal=remove_diagonal)
