"""``to_categorical`` and ``normalize``: NumPy in, NumPy out; backend tensors in, tensors out. And
``build_pos_neg_masks``, the same-label pairs that contrastive losses compare."""

from __future__ import annotations

import numpy as np

from brickwork import backend, ops


def to_categorical(x, num_classes: int | None = None):
    """One-hot encode class indices: shape ``(...)`` or ``(..., 1)`` becomes ``(..., num_classes)``.

    Args:
        x: integer class indices (array-like or backend tensor).
        num_classes: the number of classes; ``max(x) + 1`` when None.

    Returns:
        A floatx tensor for a backend tensor, else a float64 NumPy array (as Keras).

    Example:
        to_categorical([0, 2, 1], num_classes=3)  # [[1, 0, 0], [0, 0, 1], [0, 1, 0]]
    """
    if backend.is_tensor(x):  # on the numpy backend this includes NumPy arrays, as in Keras
        if len(x.shape) > 1 and x.shape[-1] == 1:
            x = ops.reshape(x, tuple(x.shape[:-1]))
        if not num_classes:
            num_classes = int(np.max(backend.convert_to_numpy(x))) + 1
        classes = backend.convert_to_tensor(np.arange(num_classes), dtype=backend.standardize_dtype(x.dtype))
        return ops.cast(ops.expand_dims(x, -1) == classes, backend.floatx())
    x = np.array(x, dtype="int64")
    shape = x.shape
    if len(shape) > 1 and shape[-1] == 1:
        shape = shape[:-1]
    x = x.reshape(-1)
    if not num_classes:
        num_classes = int(np.max(x)) + 1
    categorical = np.zeros((x.shape[0], num_classes))
    categorical[np.arange(x.shape[0]), x] = 1
    return categorical.reshape(shape + (num_classes,))


def normalize(x, axis: int = -1, order: int = 2):
    """Scale ``x`` to unit ``order``-norm along ``axis``.

    Args:
        x: array-like or backend tensor.
        axis: the axis along which to normalize.
        order: the norm order (2 for L2).

    Returns:
        The normalized array: a NumPy array for NumPy input (zero-norm slices stay zero), else a
            backend tensor (norms are clipped below at ``epsilon`` as Keras does).

    Example:
        normalize(np.array([[3.0, 4.0]]))  # [[0.6, 0.8]]
    """
    if not isinstance(order, int) or order < 1:
        raise ValueError(f"normalize: `order` must be an int >= 1; received order={order!r}.")
    if isinstance(x, np.ndarray) or not backend.is_tensor(x):
        x = np.asarray(x)
        norm = np.atleast_1d(np.linalg.norm(x, order, axis))
        norm[norm == 0] = 1
        return x / np.expand_dims(norm, axis if axis is not None else -1)
    if not backend.is_float(x.dtype):
        x = ops.cast(x, backend.floatx())
    if len(x.shape) == 0:
        x = ops.expand_dims(x, 0)
    norm = ops.norm(x, ord=order, axis=axis, keepdims=True)
    epsilon = backend.epsilon()
    return x / ops.where(norm < epsilon, epsilon, norm)


def build_pos_neg_masks(query_labels, key_labels, remove_diagonal: bool = True):
    """Which (query, key) pairs share a label (positive) and which do not (negative).

    Args:
        query_labels: labels of shape ``(n,)`` or ``(n, 1)``.
        key_labels: labels of shape ``(m,)`` or ``(m, 1)``.
        remove_diagonal: drop the pairs ``(i, i)`` from the positive mask (a sample is not its own
            positive when queries and keys are the same batch); the negative mask keeps them as they are.

    Returns:
        ``(positive_mask, negative_mask)``, boolean tensors of shape ``(n, m)``; ``negative_mask`` is the
            complement of the positive mask before the diagonal is removed.

    Example:
        >>> import numpy as np
        >>> from brickwork.utils.numerical_utils import build_pos_neg_masks
        >>> positive, negative = build_pos_neg_masks(np.array([0, 1, 0]), np.array([0, 1, 0]))
        >>> np.asarray(positive).astype(int).tolist()
        [[0, 0, 1], [0, 0, 0], [1, 0, 0]]
    """
    query_labels = ops.reshape(query_labels, (-1, 1))
    key_labels = ops.reshape(key_labels, (1, -1))
    positive_mask = ops.equal(query_labels, key_labels)
    negative_mask = ops.logical_not(positive_mask)
    if remove_diagonal:
        off_diagonal = ops.logical_not(ops.eye(query_labels.shape[0], key_labels.shape[1], dtype="bool"))
        positive_mask = ops.logical_and(positive_mask, off_diagonal)
    return positive_mask, negative_mask
