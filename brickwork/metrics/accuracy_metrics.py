"""Accuracy metrics: how often predictions match labels (exact, thresholded, argmax, top-k)."""

from __future__ import annotations

from brickwork import backend, ops
from brickwork.losses.loss import squeeze_or_expand_to_same_rank
from brickwork.metrics.reduction_metrics import _BuiltinMeanMetric


def accuracy(y_true, y_pred):
    """1.0 where ``y_pred == y_true``, 0.0 elsewhere (one value per element, as in Keras 3)."""
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return ops.cast(ops.equal(y_true, y_pred), backend.floatx())


def binary_accuracy(y_true, y_pred, threshold=0.5):
    """1.0 where ``(y_pred > threshold) == y_true``, 0.0 elsewhere (one value per element, as in Keras 3).

    Args:
        y_true: the targets.
        y_pred: the predictions.
        threshold: predictions above it count as 1.

    Returns:
        1.0 or 0.0 for each sample.

    Example:
        y_true, y_pred = np.array([[0.0], [1.0], [1.0], [0.0]]), np.array([[0.2], [0.8], [0.4], [0.6]])
        binary_accuracy(y_true, y_pred)   # [[1], [1], [0], [0]]
    """
    y_true = ops.convert_to_tensor(y_true)
    y_pred = ops.convert_to_tensor(y_pred)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    # A Python-number threshold compares in y_pred's dtype, and boolean predictions compare as numbers.
    y_pred = ops.cast(ops.greater(y_pred, threshold), y_true.dtype)
    return ops.cast(ops.equal(y_true, y_pred), backend.floatx())


def _matches(y_true, predicted_labels, restore_shape):
    if predicted_labels.dtype != y_true.dtype:
        predicted_labels = ops.cast(predicted_labels, y_true.dtype)
    matches = ops.cast(ops.equal(y_true, predicted_labels), backend.floatx())
    return matches if restore_shape is None else ops.reshape(matches, restore_shape)


def categorical_accuracy(y_true, y_pred):
    """1.0 where ``argmax(y_pred) == argmax(y_true)`` (one-hot labels).

    Args:
        y_true: the targets.
        y_pred: the predictions.

    Returns:
        1.0 or 0.0 for each sample.

    Example:
        y_true, y_pred = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 0.0]]), np.array([[0.4, 0.6], [0.3, 0.7], [0.9, 0.1]])
        categorical_accuracy(y_true, y_pred)   # [1, 0, 1]
    """
    y_true = ops.argmax(y_true, axis=-1)
    y_pred = ops.convert_to_tensor(y_pred)
    restore_shape = None
    if len(y_true.shape) == len(y_pred.shape):
        restore_shape = tuple(y_true.shape)
        y_true = ops.squeeze(y_true, -1)
    return _matches(y_true, ops.argmax(y_pred, axis=-1), restore_shape)


def sparse_categorical_accuracy(y_true, y_pred):
    """1.0 where ``argmax(y_pred) == y_true`` (integer labels, shape ``(n,)`` or ``(n, 1)``).

    Args:
        y_true: the targets.
        y_pred: the predictions.

    Returns:
        1.0 or 0.0 for each sample.

    Example:
        y_true, y_pred = np.array([[1], [0], [0]]), np.array([[0.4, 0.6], [0.3, 0.7], [0.9, 0.1]])
        sparse_categorical_accuracy(y_true, y_pred)   # [1, 0, 1]
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true)
    restore_shape = None
    if len(y_true.shape) == len(y_pred.shape) and y_true.shape[-1] == 1:
        restore_shape = tuple(y_true.shape)
        y_true = ops.squeeze(y_true, -1)
    matches = _matches(y_true, ops.argmax(y_pred, axis=-1), restore_shape)
    if len(matches.shape) > 1 and matches.shape[-1] == 1:
        matches = ops.squeeze(matches, -1)
    return matches


def _in_top_k(labels, y_pred, k):
    """1.0 where the integer ``labels`` are among the ``k`` largest entries of ``y_pred``'s last axis."""
    restore_shape = None
    if len(y_pred.shape) > 2:
        y_pred = ops.reshape(y_pred, (-1, y_pred.shape[-1]))
    if len(labels.shape) > 1:
        restore_shape = tuple(labels.shape)
        labels = ops.reshape(labels, (-1,))
    matches = ops.cast(ops.in_top_k(ops.cast(labels, "int32"), y_pred, k=k), backend.floatx())
    return matches if restore_shape is None else ops.reshape(matches, restore_shape)


def top_k_categorical_accuracy(y_true, y_pred, k=5):
    """1.0 where the one-hot label is among the ``k`` highest predictions.

    Args:
        y_true: the targets.
        y_pred: the predictions.
        k: how many of the highest predictions may hold the label.

    Returns:
        1.0 or 0.0 for each sample.

    Example:
        y_true, y_pred = np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]), np.array([[0.1, 0.5, 0.4], [0.2, 0.3, 0.5]])
        top_k_categorical_accuracy(y_true, y_pred, k=2)   # [1, 0]
    """
    return _in_top_k(ops.argmax(y_true, axis=-1), ops.convert_to_tensor(y_pred), k)


def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5, from_sorted_ids=False):
    """1.0 where the integer label is among the ``k`` highest predictions.

    With ``from_sorted_ids``, ``y_pred`` already holds class ids sorted by score (e.g. from ``ops.top_k``).

    Args:
        y_true: the targets.
        y_pred: the predictions.
        k: how many of the highest predictions may hold the label.
        from_sorted_ids: whether ``y_pred`` already holds the top class ids, best first.

    Returns:
        1.0 or 0.0 for each sample.

    Example:
        y_true, y_pred = np.array([[2], [0]]), np.array([[0.1, 0.5, 0.4], [0.2, 0.3, 0.5]])
        sparse_top_k_categorical_accuracy(y_true, y_pred, k=2)   # [[1], [0]]
    """
    y_true = ops.convert_to_tensor(y_true)
    y_pred = ops.convert_to_tensor(y_pred)
    if not from_sorted_ids:
        return _in_top_k(y_true, y_pred, k)
    if len(y_true.shape) == len(y_pred.shape) and y_true.shape[-1] == 1:
        y_true = ops.squeeze(y_true, -1)
    top = ops.cast(y_pred[..., :k], "int32")
    hits = ops.any(ops.equal(top, ops.expand_dims(ops.cast(y_true, "int32"), -1)), axis=-1)
    return ops.cast(hits, backend.floatx())


class Accuracy(_BuiltinMeanMetric):
    """How often predictions equal labels exactly.

    Args:
        name: the name shown in logs and history.
        dtype: the dtype of the state and result.

    Example:
    >>> m = Accuracy()
    >>> m.update_state([[1], [2], [3], [4]], [[0], [2], [3], [4]])
    >>> m.result()   # 0.75
    """

    _function = staticmethod(accuracy)

    def __init__(self, name="accuracy", dtype=None):
        super().__init__(name=name, dtype=dtype)


class BinaryAccuracy(_BuiltinMeanMetric):
    """How often ``y_pred > threshold`` matches the 0/1 labels.

    Args:
        threshold: in ``(0, 1)``, default 0.5.

    Example:
        y_true, y_pred = np.array([[0.0], [1.0], [1.0], [0.0]]), np.array([[0.2], [0.8], [0.4], [0.6]])
        metric = BinaryAccuracy()
        metric.update_state(y_true, y_pred)
        metric.result()   # 0.5
    """

    _function = staticmethod(binary_accuracy)

    def __init__(self, name="binary_accuracy", dtype=None, threshold=0.5):
        if threshold is not None and not 0 < threshold < 1:
            raise ValueError(f"BinaryAccuracy: `threshold` must be in (0, 1), received {threshold!r}.")
        super().__init__(name=name, dtype=dtype, threshold=threshold)


class CategoricalAccuracy(_BuiltinMeanMetric):
    """How often the argmax of ``y_pred`` matches the one-hot label (logits work too).

    Args:
        name: the name shown in logs and history.
        dtype: the dtype of the state and result.

    Example:
        y_true, y_pred = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 0.0]]), np.array([[0.4, 0.6], [0.3, 0.7], [0.9, 0.1]])
        metric = CategoricalAccuracy()
        metric.update_state(y_true, y_pred)
        metric.result()   # 0.6667
    """

    _function = staticmethod(categorical_accuracy)

    def __init__(self, name="categorical_accuracy", dtype=None):
        super().__init__(name=name, dtype=dtype)


class SparseCategoricalAccuracy(_BuiltinMeanMetric):
    """How often the argmax of ``y_pred`` matches the integer label (logits work too).

    Args:
        name: the name shown in logs and history.
        dtype: the dtype of the state and result.

    Example:
        y_true, y_pred = np.array([[1], [0], [0]]), np.array([[0.4, 0.6], [0.3, 0.7], [0.9, 0.1]])
        metric = SparseCategoricalAccuracy()
        metric.update_state(y_true, y_pred)
        metric.result()   # 0.6667
    """

    _function = staticmethod(sparse_categorical_accuracy)

    def __init__(self, name="sparse_categorical_accuracy", dtype=None):
        super().__init__(name=name, dtype=dtype)


class TopKCategoricalAccuracy(_BuiltinMeanMetric):
    """How often the one-hot label is among the ``k`` highest predictions (default 5).

    Args:
        k: how many of the highest predictions may hold the label.
        name: the name shown in logs and history.
        dtype: the dtype of the state and result.

    Example:
        y_true, y_pred = np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]), np.array([[0.1, 0.5, 0.4], [0.2, 0.3, 0.5]])
        metric = TopKCategoricalAccuracy(k=2)
        metric.update_state(y_true, y_pred)
        metric.result()   # 0.5
    """

    _function = staticmethod(top_k_categorical_accuracy)

    def __init__(self, k=5, name="top_k_categorical_accuracy", dtype=None):
        super().__init__(name=name, dtype=dtype, k=k)


class SparseTopKCategoricalAccuracy(_BuiltinMeanMetric):
    """How often the integer label is among the ``k`` highest predictions (default 5).

    Args:
        k: how many top predictions count.
        from_sorted_ids: ``y_pred`` holds class ids sorted by score rather than scores.

    Example:
        y_true, y_pred = np.array([[2], [0]]), np.array([[0.1, 0.5, 0.4], [0.2, 0.3, 0.5]])
        metric = SparseTopKCategoricalAccuracy(k=2)
        metric.update_state(y_true, y_pred)
        metric.result()   # 0.5
    """

    _function = staticmethod(sparse_top_k_categorical_accuracy)

    def __init__(self, k=5, name="sparse_top_k_categorical_accuracy", dtype=None, from_sorted_ids=False):
        super().__init__(name=name, dtype=dtype, k=k, from_sorted_ids=from_sorted_ids)
