"""The Keras 3 losses: each a function returning per-sample losses, and a ``Loss`` class wrapping it.

Every class takes ``reduction``, ``name`` and ``dtype`` as ``Loss`` does, after its own arguments.

Example:
    model.compile(loss=losses.BinaryCrossentropy(from_logits=True), optimizer="adam")
    per_sample = losses.mean_squared_error([[0.0, 1.0]], [[1.0, 1.0]])   # -> [0.5]
"""

from __future__ import annotations

import warnings

from brickwork import backend, ops
from brickwork.losses.loss import Loss, set_mask, squeeze_or_expand_to_same_rank


class LossFunctionWrapper(Loss):
    """A ``Loss`` computing ``fn(y_true, y_pred, **kwargs)``.

    Args:
        fn: the loss function ``fn(y_true, y_pred, **kwargs)``, one value per sample.
        reduction: how the per-sample losses become one value: ``"sum_over_batch_size"``, ``"sum"``, ``None``, ...
        name: the name shown in logs and history.
        dtype: the dtype of the state and result.
        kwargs: passed to ``fn`` on every call.

    Example:
    >>> loss = LossFunctionWrapper(lambda t, p: ops.abs(t - p), name="l1")
    """

    def __init__(self, fn, reduction="sum_over_batch_size", name=None, dtype=None, **kwargs):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true, y_pred):
        if hasattr(y_true, "shape") and hasattr(y_pred, "shape"):
            y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self) -> dict:
        from brickwork.saving import serialization_lib

        config = super().get_config()
        config["fn"] = serialization_lib.serialize_keras_object(self.fn)
        config.update(serialization_lib.serialize_keras_object(self._fn_kwargs))
        return config

    @classmethod
    def from_config(cls, config: dict):
        config = dict(config)
        if isinstance(config.get("fn"), dict):
            from brickwork import losses

            config["fn"] = losses.deserialize(config["fn"])
        return cls(**config)

    def __repr__(self):
        return f"<LossFunctionWrapper({getattr(self.fn, '__name__', self.fn)}, kwargs={self._fn_kwargs})>"


class _BuiltinLoss(LossFunctionWrapper):
    """A built-in loss class: its config is the base config plus the arguments of its function."""

    _fn = None

    def __init__(self, reduction="sum_over_batch_size", name=None, dtype=None, **kwargs):
        super().__init__(type(self)._fn, reduction=reduction, name=name, dtype=dtype, **kwargs)
        for key, value in kwargs.items():
            setattr(self, key, value)

    def get_config(self) -> dict:
        return {**Loss.get_config(self), **self._fn_kwargs}

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)


# ----------------------------------------------------------------------------- regression


def mean_squared_error(y_true, y_pred):
    """``mean(square(y_true - y_pred), axis=-1)``; shape ``[batch, d0, .. dN-1]``.

    Args:
        y_true: the targets.
        y_pred: the predictions, the shape of ``y_true``.

    Returns:
        The loss, one value per sample (the last axis is reduced).

    Example:
        mean_squared_error(np.array([[0.0, 1.0], [1.0, 1.0]]), np.array([[1.0, 1.0], [1.0, 0.0]]))   # [0.5, 0.5]
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return ops.mean(ops.square(ops.subtract(y_true, y_pred)), axis=-1)


def mean_absolute_error(y_true, y_pred):
    """``mean(abs(y_true - y_pred), axis=-1)``.

    Args:
        y_true: the targets.
        y_pred: the predictions, the shape of ``y_true``.

    Returns:
        The loss, one value per sample (the last axis is reduced).

    Example:
        mean_absolute_error(np.array([[0.0, 1.0], [1.0, 1.0]]), np.array([[1.0, 1.0], [1.0, 0.0]]))   # [0.5, 0.5]
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return ops.mean(ops.abs(ops.subtract(y_true, y_pred)), axis=-1)


def mean_absolute_percentage_error(y_true, y_pred):
    """``100 * mean(abs((y_true - y_pred) / maximum(abs(y_true), epsilon)), axis=-1)``.

    Args:
        y_true: the targets.
        y_pred: the predictions, the shape of ``y_true``.

    Returns:
        The loss, one value per sample (the last axis is reduced).

    Example:
        y_true, y_pred = np.array([[1.0, 2.0], [4.0, 4.0]]), np.array([[1.0, 1.0], [2.0, 4.0]])
        mean_absolute_percentage_error(y_true, y_pred)   # [25, 25]
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    epsilon = ops.convert_to_tensor(backend.epsilon(), dtype=y_pred.dtype)
    diff = ops.abs(ops.subtract(y_true, y_pred) / ops.maximum(ops.abs(y_true), epsilon))
    return 100.0 * ops.mean(diff, axis=-1)


def mean_squared_logarithmic_error(y_true, y_pred):
    """``mean(square(log(y_pred + 1) - log(y_true + 1)), axis=-1)``, values below epsilon raised to it.

    Args:
        y_true: the targets.
        y_pred: the predictions, the shape of ``y_true``.

    Returns:
        The loss, one value per sample (the last axis is reduced).

    Example:
        y_true, y_pred = np.array([[0.0, 1.0], [1.0, 1.0]]), np.array([[1.0, 1.0], [1.0, 0.0]])
        mean_squared_logarithmic_error(y_true, y_pred)   # [0.2402, 0.2402]
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    epsilon = ops.convert_to_tensor(backend.epsilon(), dtype=y_pred.dtype)
    first_log = ops.log(ops.maximum(y_pred, epsilon) + 1.0)
    second_log = ops.log(ops.maximum(y_true, epsilon) + 1.0)
    return ops.mean(ops.square(first_log - second_log), axis=-1)


def _l2_normalize(x, axis):
    # x / max(||x||, epsilon), as Keras's ops.normalize.
    norm = ops.sqrt(ops.sum(ops.square(x), axis=axis, keepdims=True))
    return x / ops.maximum(norm, ops.convert_to_tensor(backend.epsilon(), dtype=x.dtype))


def cosine_similarity(y_true, y_pred, axis=-1):
    """``-sum(l2_normalize(y_true) * l2_normalize(y_pred), axis)``: -1 means the same direction.

    Args:
        y_true: the targets.
        y_pred: the predictions, the shape of ``y_true``.
        axis: the axis the loss reduces over.

    Returns:
        The loss, one value per sample (the last axis is reduced).

    Example:
        cosine_similarity(np.array([[0.0, 1.0], [1.0, 1.0]]), np.array([[1.0, 1.0], [1.0, 0.0]]))   # [-0.7071, -0.7071]
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return -ops.sum(_l2_normalize(y_true, axis) * _l2_normalize(y_pred, axis), axis=axis)


def huber(y_true, y_pred, delta=1.0):
    """Mean over the last axis of ``0.5 * e**2`` where ``|e| <= delta``, else ``delta * |e| - 0.5 * delta**2``.

    Args:
        y_true: the targets.
        y_pred: the predictions, the shape of ``y_true``.
        delta: the error size where the loss turns from quadratic to linear.

    Returns:
        The loss, one value per sample (the last axis is reduced).

    Example:
        huber(np.array([[0.0, 1.0], [0.0, 3.0]]), np.array([[0.5, 1.0], [0.0, 0.0]]))   # [0.0625, 1.25]
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    delta = ops.convert_to_tensor(delta, dtype=y_pred.dtype)
    error = ops.subtract(y_pred, y_true)
    abs_error = ops.abs(error)
    quadratic = 0.5 * ops.square(error)
    linear = ops.multiply(abs_error, delta) - 0.5 * ops.square(delta)
    return ops.mean(ops.where(ops.less_equal(abs_error, delta), quadratic, linear), axis=-1)


def log_cosh(y_true, y_pred):
    """``mean(log(cosh(y_pred - y_true)), axis=-1)``, computed stably as ``x + softplus(-2x) - log 2``.

    Args:
        y_true: the targets.
        y_pred: the predictions, the shape of ``y_true``.

    Returns:
        The loss, one value per sample (the last axis is reduced).

    Example:
        log_cosh(np.array([[0.0, 1.0], [1.0, 1.0]]), np.array([[1.0, 1.0], [1.0, 0.0]]))   # [0.2169, 0.2169]
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    error = ops.subtract(y_pred, y_true)
    return ops.mean(error + ops.softplus(error * -2.0) - 0.6931471805599453, axis=-1)


# ----------------------------------------------------------------------------- probabilistic


def kl_divergence(y_true, y_pred):
    """``sum(y_true * log(y_true / y_pred), axis=-1)``, both clipped to ``[epsilon, 1]``.

    Args:
        y_true: the targets.
        y_pred: the predictions, the shape of ``y_true``.

    Returns:
        The loss, one value per sample (the last axis is reduced).

    Example:
        kl_divergence(np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([[0.4, 0.6], [0.3, 0.7]]))   # [0.5108, 1.204]
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=y_pred.dtype)
    y_true = ops.clip(y_true, backend.epsilon(), 1.0)
    y_pred = ops.clip(y_pred, backend.epsilon(), 1.0)
    return ops.sum(y_true * ops.log(y_true / y_pred), axis=-1)


def poisson(y_true, y_pred):
    """``mean(y_pred - y_true * log(y_pred + epsilon), axis=-1)``.

    Args:
        y_true: the targets.
        y_pred: the predictions, the shape of ``y_true``.

    Returns:
        The loss, one value per sample (the last axis is reduced).

    Example:
        poisson(np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([[0.4, 0.6], [0.3, 0.7]]))   # [0.7554, 1.102]
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=y_pred.dtype)
    return ops.mean(y_pred - y_true * ops.log(y_pred + backend.epsilon()), axis=-1)


def _check_axis(axis):
    if isinstance(axis, bool):
        raise ValueError(f"Loss: argument `axis` must be an int, received {axis!r} of type bool.")


def _warn_single_class(fn_name, y_pred):
    if y_pred.shape[-1] == 1:
        warnings.warn(
            f"In loss {fn_name}, expected y_pred.shape to be (batch_size, num_classes) with num_classes > 1. "
            f"Received: y_pred.shape={tuple(y_pred.shape)}. Consider using 'binary_crossentropy' if you only "
            "have 2 classes.", SyntaxWarning, stacklevel=3)


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Crossentropy between one-hot ``y_true`` and ``y_pred`` (probabilities, or logits if ``from_logits``).

    ``label_smoothing`` moves the labels to ``y * (1 - s) + s / num_classes``.

    Args:
        y_true: the targets.
        y_pred: the predictions.
        from_logits: whether ``y_pred`` holds logits rather than probabilities.
        label_smoothing: a value in ``[0, 1]``; the targets are moved toward uniform by that much.
        axis: the axis it reduces over.

    Returns:
        The loss of each sample.

    Example:
    >>> categorical_crossentropy([[0, 1, 0]], [[0.05, 0.95, 0.0]])   # -> [0.0513]
    """
    _check_axis(axis)
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(y_true, y_pred.dtype)
    _warn_single_class("categorical_crossentropy", y_pred)
    if label_smoothing:
        num_classes = y_true.shape[-1]
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / num_classes
    return ops.categorical_crossentropy(y_true, y_pred, from_logits=from_logits, axis=axis)


def categorical_focal_crossentropy(y_true, y_pred, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0,
                                   axis=-1):
    """``sum(alpha * (1 - p)**gamma * -y_true * log(p), axis)`` with ``p`` the normalized, clipped ``y_pred``.

    ``alpha`` may be a scalar or one weight per class.

    Args:
        y_true: the targets.
        y_pred: the predictions, the shape of ``y_true``.
        alpha: the weight of the positive class (or of false positives for Tversky).
        gamma: the focusing exponent: larger values weigh easy examples less.
        from_logits: whether ``y_pred`` holds logits rather than probabilities.
        label_smoothing: a value in ``[0, 1]``; the targets are moved toward uniform by that much.
        axis: the axis the loss reduces over.

    Returns:
        The loss, one value per sample (the last axis is reduced).

    Example:
        y_true, y_pred = np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([[0.4, 0.6], [0.3, 0.7]])
        categorical_focal_crossentropy(y_true, y_pred)   # [0.0204, 0.1475]
    """
    _check_axis(axis)
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(y_true, y_pred.dtype)
    _warn_single_class("categorical_focal_crossentropy", y_pred)
    if label_smoothing:
        num_classes = y_true.shape[-1]
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / num_classes
    if from_logits:
        y_pred = ops.softmax(y_pred, axis=axis)
    output = y_pred / ops.sum(y_pred, axis=axis, keepdims=True)
    output = ops.clip(output, backend.epsilon(), 1.0 - backend.epsilon())
    cce = -y_true * ops.log(output)
    weighting = ops.multiply(ops.power(1.0 - output, gamma), ops.convert_to_tensor(alpha, dtype=output.dtype))
    return ops.sum(weighting * cce, axis=axis)


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None, axis=-1):
    """Crossentropy between integer labels ``y_true`` and ``y_pred`` over classes.

    Args:
        ignore_class: a label whose entries give 0 and are masked out of the reduction
            (e.g. a segmentation "void" class).

    Returns:
        The loss of each sample.

    Example:
    >>> sparse_categorical_crossentropy([1, 2], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])   # -> [0.0513, 2.303]
    """
    result, valid_mask = _sparse_categorical_crossentropy(y_true, y_pred, from_logits, ignore_class, axis)
    if valid_mask is not None:
        set_mask(result, valid_mask)
    return result


def _sparse_categorical_crossentropy(y_true, y_pred, from_logits, ignore_class, axis):
    """``(per-sample losses, mask of valid entries or None)``."""
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true)
    if len(y_true.shape) == len(y_pred.shape) and y_true.shape[axis] == 1:
        y_true = ops.squeeze(y_true, axis=axis)
    if ignore_class is None:
        return ops.sparse_categorical_crossentropy(y_true, y_pred, from_logits=from_logits, axis=axis), None
    valid_mask = ops.not_equal(y_true, ops.cast(ignore_class, y_true.dtype))
    # Ignored entries get label 0 (any valid class) and are zeroed below; y_pred stays finite for gradients.
    y_true = y_true * ops.cast(valid_mask, y_true.dtype)
    result = ops.sparse_categorical_crossentropy(y_true, y_pred, from_logits=from_logits, axis=axis)
    valid_mask = ops.reshape(valid_mask, result.shape)
    return ops.where(valid_mask, result, ops.zeros_like(result)), valid_mask


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """``mean(bce(y_true, y_pred), axis)``; ``label_smoothing`` squeezes labels towards 0.5.

    Args:
        y_true: the targets, 0 or 1 (or soft labels in between), shape ``(batch, ..., d)``.
        y_pred: the predictions, of the shape of ``y_true``: probabilities, or logits when
            ``from_logits`` is ``True``.
        from_logits: whether ``y_pred`` holds logits rather than probabilities (default ``False``).
        label_smoothing: a value in ``[0, 1]``: each target ``y`` becomes ``y * (1 - s) + 0.5 * s`` (default 0).
        axis: the axis the element losses are averaged over (default -1).

    Returns:
        A tensor of the shape of ``y_true`` without ``axis``: the loss of each sample.

    Example:
    >>> binary_crossentropy([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])   # -> [0.916, 0.714]
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(y_true, y_pred.dtype)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    return ops.mean(ops.binary_crossentropy(y_true, y_pred, from_logits=from_logits), axis=axis)


def binary_focal_crossentropy(y_true, y_pred, apply_class_balancing=False, alpha=0.25, gamma=2.0,
                              from_logits=False, label_smoothing=0.0, axis=-1):
    """Binary crossentropy scaled by the focal factor ``(1 - p_t) ** gamma`` (Lin et al., 2018).

    With ``apply_class_balancing``, class 1 is further weighted by ``alpha`` and class 0 by ``1 - alpha``.

    Args:
        y_true: the targets.
        y_pred: the predictions, the shape of ``y_true``.
        apply_class_balancing: whether to weigh positives by ``alpha`` and negatives by ``1 - alpha``.
        alpha: the weight of the positive class (or of false positives for Tversky).
        gamma: the focusing exponent: larger values weigh easy examples less.
        from_logits: whether ``y_pred`` holds logits rather than probabilities.
        label_smoothing: a value in ``[0, 1]``; the targets are moved toward uniform by that much.
        axis: the axis the loss reduces over.

    Returns:
        The loss, one value per sample (the last axis is reduced).

    Example:
        y_true, y_pred = np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([[0.4, 0.6], [0.3, 0.7]])
        binary_focal_crossentropy(y_true, y_pred)   # [0.0817, 0.5899]
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(y_true, y_pred.dtype)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    if from_logits:
        y_pred = ops.sigmoid(y_pred)
    bce = ops.binary_crossentropy(y_true, y_pred, from_logits=False)
    p_t = y_true * y_pred + (1.0 - y_true) * (1.0 - y_pred)
    focal_bce = ops.power(1.0 - p_t, gamma) * bce
    if apply_class_balancing:
        focal_bce = (y_true * alpha + (1.0 - y_true) * (1.0 - alpha)) * focal_bce
    return ops.mean(focal_bce, axis=axis)


# ----------------------------------------------------------------------------- hinge


def _convert_binary_labels_to_hinge(y_true):
    """Labels in {0, 1} become {-1, 1}; other labels are left as they are."""
    is_binary = ops.all(ops.logical_or(ops.equal(y_true, 0), ops.equal(y_true, 1)))
    return ops.where(is_binary, 2.0 * y_true - 1.0, y_true)


def hinge(y_true, y_pred):
    """``mean(maximum(1 - y_true * y_pred, 0), axis=-1)``; labels in {0, 1} are mapped to {-1, 1}.

    Args:
        y_true: the targets.
        y_pred: the predictions, the shape of ``y_true``.

    Returns:
        The loss, one value per sample (the last axis is reduced).

    Example:
        hinge(np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([[0.4, 0.6], [0.3, 0.7]]))   # [0.9, 1.2]
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = _convert_binary_labels_to_hinge(ops.cast(y_true, y_pred.dtype))
    return ops.mean(ops.maximum(1.0 - y_true * y_pred, 0.0), axis=-1)


def squared_hinge(y_true, y_pred):
    """``mean(square(maximum(1 - y_true * y_pred, 0)), axis=-1)``; labels in {0, 1} are mapped to {-1, 1}.

    Args:
        y_true: the targets.
        y_pred: the predictions, the shape of ``y_true``.

    Returns:
        The loss, one value per sample (the last axis is reduced).

    Example:
        squared_hinge(np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([[0.4, 0.6], [0.3, 0.7]]))   # [1.06, 1.69]
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = _convert_binary_labels_to_hinge(ops.cast(y_true, y_pred.dtype))
    return ops.mean(ops.square(ops.maximum(1.0 - y_true * y_pred, 0.0)), axis=-1)


def categorical_hinge(y_true, y_pred):
    """``maximum(neg - pos + 1, 0)`` with ``pos = sum(y_true * y_pred)``, ``neg = max((1 - y_true) * y_pred)``.

    Args:
        y_true: the targets.
        y_pred: the predictions, the shape of ``y_true``.

    Returns:
        The loss, one value per sample (the last axis is reduced).

    Example:
        categorical_hinge(np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([[0.4, 0.6], [0.3, 0.7]]))   # [0.8, 1.4]
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(y_true, y_pred.dtype)
    pos = ops.sum(y_true * y_pred, axis=-1)
    neg = ops.max((1.0 - y_true) * y_pred, axis=-1)
    return ops.maximum(neg - pos + 1.0, 0.0)


# ----------------------------------------------------------------------------- segmentation, sequences


def dice(y_true, y_pred, axis=None):
    """``1 - 2 * sum(y_true * y_pred) / (sum(y_true) + sum(y_pred) + epsilon)`` over ``axis`` (all when None).

    Args:
        y_true: the targets.
        y_pred: the predictions, the shape of ``y_true``.
        axis: the axis the loss reduces over.

    Returns:
        The loss, reduced over ``axis``.

    Example:
        dice(np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([[0.4, 0.6], [0.3, 0.7]]))   # 0.55
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(y_true, y_pred.dtype)
    intersection = ops.sum(y_true * y_pred, axis=axis)
    union = ops.sum(y_true, axis=axis) + ops.sum(y_pred, axis=axis) + backend.epsilon()
    return 1.0 - ops.divide(2.0 * intersection, union)


def tversky(y_true, y_pred, alpha=0.5, beta=0.5, axis=None):
    """``1 - TP / (TP + alpha * FP + beta * FN + epsilon)``, soft counts over ``axis`` (Salehi et al., 2017).

    Args:
        y_true: the targets.
        y_pred: the predictions, the shape of ``y_true``.
        alpha: the weight of the positive class (or of false positives for Tversky).
        beta: the weight of false negatives.
        axis: the axis the loss reduces over.

    Returns:
        The loss, reduced over ``axis``.

    Example:
        tversky(np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([[0.4, 0.6], [0.3, 0.7]]))   # 0.55
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(y_true, y_pred.dtype)
    true_pos = ops.sum(y_true * y_pred, axis=axis)
    false_pos = ops.sum((1.0 - y_pred) * y_true, axis=axis)
    false_neg = ops.sum(y_pred * (1.0 - y_true), axis=axis)
    return 1.0 - ops.divide(true_pos, true_pos + false_pos * alpha + false_neg * beta + backend.epsilon())


def ctc(y_true, y_pred):
    """CTC loss of integer labels ``(batch, max_length)`` (0 is the blank) and logits ``(batch, time, classes)``.

    Args:
        y_true: the targets.
        y_pred: the predictions.

    Returns:
        The loss of each sample.

    Example:
    >>> y_true = np.array([[1, 2]])   # one label sequence, 0 is the blank
    >>> y_pred = np.log(np.full((1, 4, 3), 1 / 3, "float32"))   # 4 steps, uniform over 3 classes
    >>> ctc(y_true, y_pred)   # [1.6864] = -log(15 / 81): 15 of the 81 paths read "1 2"
    """
    if len(y_true.shape) != 2:
        raise ValueError(f"ctc: `y_true` must have shape (batch_size, max_length), received {tuple(y_true.shape)}.")
    if len(y_pred.shape) != 3:
        raise ValueError(
            f"ctc: `y_pred` must have shape (batch_size, max_length, num_classes), received {tuple(y_pred.shape)}.")
    batch, time = ops.shape(y_pred)[0], ops.shape(y_pred)[1]
    input_length = ops.full((batch,), time, dtype="int32")
    label_length = ops.cast(ops.sum(ops.cast(ops.not_equal(y_true, 0), "int32"), axis=-1), "int32")
    return ops.ctc_loss(ops.cast(y_true, "int32"), y_pred, label_length, input_length, mask_index=0)


# ----------------------------------------------------------------------------- classes

class MeanSquaredError(_BuiltinLoss):
    """``mean(square(y_true - y_pred))``.

    Args:
        reduction: how the per-sample losses become one value: ``"sum_over_batch_size"``, ``"sum"``, ``None``, ...
        name: the loss's name.
        dtype: the dtype of the loss's computation.

    Example:
        loss = MeanSquaredError()
        loss(np.array([[0.0, 1.0], [1.0, 1.0]]), np.array([[1.0, 1.0], [1.0, 0.0]]))   # 0.5
        model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2)])
        model.compile(optimizer="sgd", loss=MeanSquaredError())
    """

    _fn = staticmethod(mean_squared_error)

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_error", dtype=None):
        super().__init__(reduction=reduction, name=name, dtype=dtype)


class MeanAbsoluteError(_BuiltinLoss):
    """``mean(abs(y_true - y_pred))``.

    Args:
        reduction: how the per-sample losses become one value: ``"sum_over_batch_size"``, ``"sum"``, ``None``, ...
        name: the loss's name.
        dtype: the dtype of the loss's computation.

    Example:
        loss = MeanAbsoluteError()
        loss(np.array([[0.0, 1.0], [1.0, 1.0]]), np.array([[1.0, 1.0], [1.0, 0.0]]))   # 0.5
        model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2)])
        model.compile(optimizer="sgd", loss=MeanAbsoluteError())
    """

    _fn = staticmethod(mean_absolute_error)

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_error", dtype=None):
        super().__init__(reduction=reduction, name=name, dtype=dtype)


class MeanAbsolutePercentageError(_BuiltinLoss):
    """``100 * mean(abs((y_true - y_pred) / y_true))``.

    Args:
        reduction: how the per-sample losses become one value: ``"sum_over_batch_size"``, ``"sum"``, ``None``, ...
        name: the loss's name.
        dtype: the dtype of the loss's computation.

    Example:
        loss = MeanAbsolutePercentageError()
        loss(np.array([[1.0, 2.0], [4.0, 4.0]]), np.array([[1.0, 1.0], [2.0, 4.0]]))   # 25
        model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2)])
        model.compile(optimizer="sgd", loss=MeanAbsolutePercentageError())
    """

    _fn = staticmethod(mean_absolute_percentage_error)

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_percentage_error", dtype=None):
        super().__init__(reduction=reduction, name=name, dtype=dtype)


class MeanSquaredLogarithmicError(_BuiltinLoss):
    """``mean(square(log(y_true + 1) - log(y_pred + 1)))``.

    Args:
        reduction: how the per-sample losses become one value: ``"sum_over_batch_size"``, ``"sum"``, ``None``, ...
        name: the loss's name.
        dtype: the dtype of the loss's computation.

    Example:
        loss = MeanSquaredLogarithmicError()
        loss(np.array([[0.0, 1.0], [1.0, 1.0]]), np.array([[1.0, 1.0], [1.0, 0.0]]))   # 0.2402
        model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2)])
        model.compile(optimizer="sgd", loss=MeanSquaredLogarithmicError())
    """

    _fn = staticmethod(mean_squared_logarithmic_error)

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(reduction=reduction, name=name, dtype=dtype)


class CosineSimilarity(_BuiltinLoss):
    """``-sum(l2_norm(y_true) * l2_norm(y_pred), axis)``: minimizing it aligns the directions.

    Args:
        axis: the axis the loss reduces over.
        reduction: how the per-sample losses become one value: ``"sum_over_batch_size"``, ``"sum"``, ``None``, ...
        name: the loss's name.
        dtype: the dtype of the loss's computation.

    Example:
        loss = CosineSimilarity()
        loss(np.array([[0.0, 1.0], [1.0, 1.0]]), np.array([[1.0, 1.0], [1.0, 0.0]]))   # -0.7071
        model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2)])
        model.compile(optimizer="sgd", loss=CosineSimilarity())
    """

    _fn = staticmethod(cosine_similarity)

    def __init__(self, axis=-1, reduction="sum_over_batch_size", name="cosine_similarity", dtype=None):
        super().__init__(reduction=reduction, name=name, dtype=dtype, axis=axis)


class Huber(_BuiltinLoss):
    """Quadratic for errors up to ``delta``, linear beyond: ``huber(y_true, y_pred, delta)``.

    Args:
        delta: the error size where the loss turns from quadratic to linear.
        reduction: how the per-sample losses become one value: ``"sum_over_batch_size"``, ``"sum"``, ``None``, ...
        name: the loss's name.
        dtype: the dtype of the loss's computation.

    Example:
        loss = Huber()
        loss(np.array([[0.0, 1.0], [0.0, 3.0]]), np.array([[0.5, 1.0], [0.0, 0.0]]))   # 0.6562
        model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2)])
        model.compile(optimizer="sgd", loss=Huber())
    """

    _fn = staticmethod(huber)

    def __init__(self, delta=1.0, reduction="sum_over_batch_size", name="huber_loss", dtype=None):
        super().__init__(reduction=reduction, name=name, dtype=dtype, delta=delta)


class LogCosh(_BuiltinLoss):
    """``mean(log(cosh(y_pred - y_true)))``.

    Args:
        reduction: how the per-sample losses become one value: ``"sum_over_batch_size"``, ``"sum"``, ``None``, ...
        name: the loss's name.
        dtype: the dtype of the loss's computation.

    Example:
        loss = LogCosh()
        loss(np.array([[0.0, 1.0], [1.0, 1.0]]), np.array([[1.0, 1.0], [1.0, 0.0]]))   # 0.2169
        model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2)])
        model.compile(optimizer="sgd", loss=LogCosh())
    """

    _fn = staticmethod(log_cosh)

    def __init__(self, reduction="sum_over_batch_size", name="log_cosh", dtype=None):
        super().__init__(reduction=reduction, name=name, dtype=dtype)


class Hinge(_BuiltinLoss):
    """``maximum(1 - y_true * y_pred, 0)``; labels -1/1 (0/1 are converted).

    Args:
        reduction: how the per-sample losses become one value: ``"sum_over_batch_size"``, ``"sum"``, ``None``, ...
        name: the loss's name.
        dtype: the dtype of the loss's computation.

    Example:
        loss = Hinge()
        loss(np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([[0.4, 0.6], [0.3, 0.7]]))   # 1.05
        model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2)])
        model.compile(optimizer="sgd", loss=Hinge())
    """

    _fn = staticmethod(hinge)

    def __init__(self, reduction="sum_over_batch_size", name="hinge", dtype=None):
        super().__init__(reduction=reduction, name=name, dtype=dtype)


class SquaredHinge(_BuiltinLoss):
    """``square(maximum(1 - y_true * y_pred, 0))``; labels -1/1 (0/1 are converted).

    Args:
        reduction: how the per-sample losses become one value: ``"sum_over_batch_size"``, ``"sum"``, ``None``, ...
        name: the loss's name.
        dtype: the dtype of the loss's computation.

    Example:
        loss = SquaredHinge()
        loss(np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([[0.4, 0.6], [0.3, 0.7]]))   # 1.375
        model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2)])
        model.compile(optimizer="sgd", loss=SquaredHinge())
    """

    _fn = staticmethod(squared_hinge)

    def __init__(self, reduction="sum_over_batch_size", name="squared_hinge", dtype=None):
        super().__init__(reduction=reduction, name=name, dtype=dtype)


class CategoricalHinge(_BuiltinLoss):
    """``maximum(neg - pos + 1, 0)`` for one-hot labels.

    Args:
        reduction: how the per-sample losses become one value: ``"sum_over_batch_size"``, ``"sum"``, ``None``, ...
        name: the loss's name.
        dtype: the dtype of the loss's computation.

    Example:
        loss = CategoricalHinge()
        loss(np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([[0.4, 0.6], [0.3, 0.7]]))   # 1.1
        model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2)])
        model.compile(optimizer="sgd", loss=CategoricalHinge())
    """

    _fn = staticmethod(categorical_hinge)

    def __init__(self, reduction="sum_over_batch_size", name="categorical_hinge", dtype=None):
        super().__init__(reduction=reduction, name=name, dtype=dtype)


class KLDivergence(_BuiltinLoss):
    """``y_true * log(y_true / y_pred)`` summed over the last axis.

    Args:
        reduction: how the per-sample losses become one value: ``"sum_over_batch_size"``, ``"sum"``, ``None``, ...
        name: the loss's name.
        dtype: the dtype of the loss's computation.

    Example:
        loss = KLDivergence()
        loss(np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([[0.4, 0.6], [0.3, 0.7]]))   # 0.8574
        model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2)])
        model.compile(optimizer="sgd", loss=KLDivergence())
    """

    _fn = staticmethod(kl_divergence)

    def __init__(self, reduction="sum_over_batch_size", name="kl_divergence", dtype=None):
        super().__init__(reduction=reduction, name=name, dtype=dtype)


class Poisson(_BuiltinLoss):
    """``y_pred - y_true * log(y_pred)``.

    Args:
        reduction: how the per-sample losses become one value: ``"sum_over_batch_size"``, ``"sum"``, ``None``, ...
        name: the loss's name.
        dtype: the dtype of the loss's computation.

    Example:
        loss = Poisson()
        loss(np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([[0.4, 0.6], [0.3, 0.7]]))   # 0.9287
        model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2)])
        model.compile(optimizer="sgd", loss=Poisson())
    """

    _fn = staticmethod(poisson)

    def __init__(self, reduction="sum_over_batch_size", name="poisson", dtype=None):
        super().__init__(reduction=reduction, name=name, dtype=dtype)


class BinaryCrossentropy(_BuiltinLoss):
    """Crossentropy for 0/1 labels.

    Args:
        from_logits: whether ``y_pred`` holds logits (recommended) rather than probabilities.
        label_smoothing: in ``[0, 1]``; squeezes the labels towards 0.5.
        axis: the axis the mean is taken over.

    Example:
    >>> BinaryCrossentropy(from_logits=True)([0, 1, 0, 0], [-18.6, 0.51, 2.94, -12.8])   # -> 0.8654
    """

    _fn = staticmethod(binary_crossentropy)

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1, reduction="sum_over_batch_size",
                 name="binary_crossentropy", dtype=None):
        super().__init__(reduction=reduction, name=name, dtype=dtype, from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)


class BinaryFocalCrossentropy(_BuiltinLoss):
    """Binary crossentropy down-weighting easy examples by ``(1 - p_t) ** gamma``.

    Args:
        apply_class_balancing: also weight class 1 by ``alpha`` and class 0 by ``1 - alpha``.
        alpha, gamma: the balancing and focusing parameters (0.25 and 2.0, as in Lin et al.).
        from_logits, label_smoothing, axis: as in ``BinaryCrossentropy``.

    Example:
        loss = BinaryFocalCrossentropy()
        loss(np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([[0.4, 0.6], [0.3, 0.7]]))   # 0.3358
        model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2)])
        model.compile(optimizer="sgd", loss=BinaryFocalCrossentropy())
    """

    _fn = staticmethod(binary_focal_crossentropy)

    def __init__(self, apply_class_balancing=False, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0,
                 axis=-1, reduction="sum_over_batch_size", name="binary_focal_crossentropy", dtype=None):
        super().__init__(reduction=reduction, name=name, dtype=dtype, apply_class_balancing=apply_class_balancing,
                         alpha=alpha, gamma=gamma, from_logits=from_logits, label_smoothing=label_smoothing,
                         axis=axis)


class CategoricalCrossentropy(_BuiltinLoss):
    """Crossentropy for one-hot labels.

    Args:
        from_logits: whether ``y_pred`` holds logits rather than probabilities.
        label_smoothing: in ``[0, 1]``; labels become ``y * (1 - s) + s / num_classes``.
        axis: the class axis.

    Example:
    >>> CategoricalCrossentropy()([[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])   # -> 1.177
    """

    _fn = staticmethod(categorical_crossentropy)

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1, reduction="sum_over_batch_size",
                 name="categorical_crossentropy", dtype=None):
        super().__init__(reduction=reduction, name=name, dtype=dtype, from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)


class CategoricalFocalCrossentropy(_BuiltinLoss):
    """Categorical crossentropy weighted by ``alpha * (1 - p) ** gamma`` (``alpha`` a scalar or per class).

    Args:
        alpha: the weight of the positive class (or of false positives for Tversky).
        gamma: the focusing exponent: larger values weigh easy examples less.
        from_logits: whether ``y_pred`` holds logits rather than probabilities.
        label_smoothing: a value in ``[0, 1]``; the targets are moved toward uniform by that much.
        axis: the axis the loss reduces over.
        reduction: how the per-sample losses become one value: ``"sum_over_batch_size"``, ``"sum"``, ``None``, ...
        name: the loss's name.
        dtype: the dtype of the loss's computation.

    Example:
        loss = CategoricalFocalCrossentropy()
        loss(np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([[0.4, 0.6], [0.3, 0.7]]))   # 0.084
        model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2)])
        model.compile(optimizer="sgd", loss=CategoricalFocalCrossentropy())
    """

    _fn = staticmethod(categorical_focal_crossentropy)

    def __init__(self, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="categorical_focal_crossentropy", dtype=None):
        super().__init__(reduction=reduction, name=name, dtype=dtype, alpha=alpha, gamma=gamma,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)


class SparseCategoricalCrossentropy(_BuiltinLoss):
    """Crossentropy for integer labels.

    Args:
        from_logits: whether ``y_pred`` holds logits rather than probabilities.
        ignore_class: a label left out of the loss and of the mean (e.g. a padding or "void" class).
        axis: the class axis of ``y_pred`` (e.g. ``1`` for channels-first segmentation maps).

    Example:
    >>> SparseCategoricalCrossentropy()([1, 2], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])   # -> 1.177
    """

    _fn = staticmethod(sparse_categorical_crossentropy)

    def __init__(self, from_logits=False, ignore_class=None, reduction="sum_over_batch_size", axis=-1,
                 name="sparse_categorical_crossentropy", dtype=None):
        super().__init__(reduction=reduction, name=name, dtype=dtype, from_logits=from_logits,
                         ignore_class=ignore_class, axis=axis)

    def _call_with_mask(self, y_true, y_pred):
        # The valid-entry mask is returned rather than attached: it then works on every backend.
        return _sparse_categorical_crossentropy(y_true, y_pred, self.from_logits, self.ignore_class, self.axis)


class Dice(_BuiltinLoss):
    """``1 - 2 * sum(y_true * y_pred) / (sum(y_true) + sum(y_pred))`` over ``axis`` (all axes when None).

    Args:
        reduction: how the per-sample losses become one value: ``"sum_over_batch_size"``, ``"sum"``, ``None``, ...
        name: the loss's name.
        axis: the axis the loss reduces over.
        dtype: the dtype of the loss's computation.

    Example:
        loss = Dice()
        loss(np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([[0.4, 0.6], [0.3, 0.7]]))   # 0.55
        model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2)])
        model.compile(optimizer="sgd", loss=Dice())
    """

    _fn = staticmethod(dice)

    def __init__(self, reduction="sum_over_batch_size", name="dice", axis=None, dtype=None):
        super().__init__(reduction=reduction, name=name, dtype=dtype, axis=axis)


class Tversky(_BuiltinLoss):
    """Dice generalized: ``alpha`` weighs false positives, ``beta`` false negatives (0.5/0.5 is Dice).

    Args:
        alpha: the weight of the positive class (or of false positives for Tversky).
        beta: the weight of false negatives.
        reduction: how the per-sample losses become one value: ``"sum_over_batch_size"``, ``"sum"``, ``None``, ...
        name: the loss's name.
        axis: the axis the loss reduces over.
        dtype: the dtype of the loss's computation.

    Example:
        loss = Tversky()
        loss(np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([[0.4, 0.6], [0.3, 0.7]]))   # 0.55
        model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2)])
        model.compile(optimizer="sgd", loss=Tversky())
    """

    _fn = staticmethod(tversky)

    def __init__(self, alpha=0.5, beta=0.5, reduction="sum_over_batch_size", name="tversky", axis=None,
                 dtype=None):
        super().__init__(reduction=reduction, name=name, dtype=dtype, alpha=alpha, beta=beta, axis=axis)


class CTC(_BuiltinLoss):
    """Connectionist Temporal Classification loss (labels ``(batch, max_length)``, 0 the blank).

    Args:
        reduction: how the per-sample losses become one value: ``"sum_over_batch_size"``, ``"sum"``, ``None``, ...
        name: the name shown in logs and history.
        dtype: the dtype of the state and result.

    Example:
    >>> y_true = np.array([[1, 2]])   # one label sequence, 0 is the blank
    >>> y_pred = np.log(np.full((1, 4, 3), 1 / 3, "float32"))   # 4 steps, uniform over 3 classes
    >>> CTC()(y_true, y_pred)   # 1.6864 = -log(15 / 81): 15 of the 81 paths read "1 2"
    """

    _fn = staticmethod(ctc)

    def __init__(self, reduction="sum_over_batch_size", name="ctc", dtype=None):
        super().__init__(reduction=reduction, name=name, dtype=dtype)


# Losses kept in their own files, importable here too: Keras's `keras.src.losses.losses` (which the compat
# map points at this module) holds every loss class and function.
from brickwork.losses.circle import Circle, circle  # noqa: E402,F401
from brickwork.losses.generalized_cross_entropy import (  # noqa: E402,F401
    CategoricalGeneralizedCrossEntropy,
    categorical_generalized_cross_entropy,
)
