"""``Loss``: the base class of losses, and the reductions that turn per-sample losses into a scalar.

A loss's ``call(y_true, y_pred)`` returns one value per sample; ``__call__`` casts the inputs to the
loss dtype, merges ``sample_weight`` with any mask on ``y_pred`` and reduces, as Keras 3 does.
"""

from __future__ import annotations

import math

import optree

from brickwork import backend, ops
from brickwork.backend.common import global_state
from brickwork.backend.common.masking import get_keras_mask as get_mask  # noqa: F401
from brickwork.backend.common.masking import set_keras_mask as set_mask  # noqa: F401

REDUCTIONS = ("sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None)


class Loss:
    """Base class of losses: subclass it and implement ``call(y_true, y_pred)``.

    Args:
        name: the loss's name (default: the class name in snake case).
        reduction: ``"sum_over_batch_size"`` (default) and ``"mean"`` divide the summed loss by the
            number of values; ``"sum"`` sums; ``"mean_with_sample_weight"`` divides by the summed sample
            weights; ``None``/``"none"`` returns the per-sample losses.
        dtype: the dtype of the computation (default floatx); a ``DTypePolicy`` gives its compute dtype.

    Example:
    >>> class MeanSquaredError(Loss):
    ...     def call(self, y_true, y_pred):
    ...         return ops.mean(ops.square(y_pred - y_true), axis=-1)
    """

    def __init__(self, name: str | None = None, reduction: str | None = "sum_over_batch_size", dtype=None):
        self.name = name or global_state.uniquify(global_state.to_snake_case(type(self).__name__))
        self.reduction = standardize_reduction(reduction)
        self._dtype_arg = dtype
        self._dtype = _compute_dtype(dtype)

    @property
    def dtype(self) -> str:
        return self._dtype

    def __call__(self, y_true, y_pred, sample_weight=None):
        in_mask = get_mask(y_pred)
        dtype = self._dtype
        y_pred = _convert_structure(y_pred, dtype)
        y_true = _convert_structure(y_true, dtype)
        try:
            losses, out_mask = self._call_with_mask(y_true, y_pred)
        except (ValueError, TypeError, RuntimeError) as error:
            raise _call_error(self, error, y_true, y_pred) from error
        if in_mask is None:
            mask = out_mask
        elif out_mask is None:
            mask = in_mask
        else:
            mask = ops.logical_and(in_mask, out_mask)
        if mask is None and sample_weight is None:
            return reduce_values(backend.convert_to_tensor(losses, dtype=dtype), None, self.reduction)
        return reduce_weighted_values(losses, sample_weight, mask, self.reduction, dtype)

    def _call_with_mask(self, y_true, y_pred):
        """``(per-sample losses, their mask or None)``; a subclass may compute the mask itself."""
        losses = self.call(y_true, y_pred)
        return losses, get_mask(losses)

    def call(self, y_true, y_pred):
        """The per-sample losses (one value per sample, or per sample and time step)."""
        raise NotImplementedError(f"{type(self).__name__}.call(y_true, y_pred) is not implemented.")

    def get_config(self) -> dict:
        return {"name": self.name, "reduction": self.reduction, "dtype": _serialize_dtype(self._dtype_arg)}

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, reduction={self.reduction}>"


def _call_error(loss, error, y_true, y_pred) -> Exception:
    """``error`` restated naming the loss and the shapes it received."""
    shapes = ", ".join(f"{name}.shape={tuple(getattr(x, 'shape', ()))}" for name, x in
                       (("y_true", y_true), ("y_pred", y_pred)))
    cls = type(error) if isinstance(error, (ValueError, TypeError)) else ValueError
    return cls(f"{type(loss).__name__} {loss.name!r}: {error} Received {shapes}.")


def standardize_reduction(reduction):
    """``reduction`` checked against the names Keras accepts."""
    if reduction not in REDUCTIONS:
        raise ValueError(f"Loss: Invalid value for argument `reduction`: received {reduction!r}. "
                         f"Expected one of {list(REDUCTIONS)}.")
    return reduction


def _compute_dtype(dtype) -> str:
    if dtype is None:
        return backend.floatx()
    compute = getattr(dtype, "compute_dtype", None)
    if compute is not None:
        return compute
    if isinstance(dtype, str) and dtype.startswith("mixed"):
        from brickwork import dtype_policies

        return dtype_policies.get(dtype).compute_dtype
    return backend.standardize_dtype(dtype)


def _serialize_dtype(dtype):
    if dtype is None or isinstance(dtype, str):
        return dtype
    if hasattr(dtype, "get_config"):
        from brickwork.saving import serialization_lib

        return serialization_lib.serialize_keras_object(dtype)
    return backend.standardize_dtype(dtype)


def _convert_structure(x, dtype):
    # The engine's conversion directly: a loss is called on data, and this runs every training step.
    if isinstance(x, (list, tuple, dict)) and not _is_numeric_list(x):
        return optree.tree_map(lambda v: backend.convert_to_tensor(v, dtype=dtype), x, none_is_leaf=False)
    return backend.convert_to_tensor(x, dtype=dtype)


def _is_numeric_list(x) -> bool:
    """A nested Python list of numbers is one tensor, not a structure of tensors."""
    if isinstance(x, dict):
        return False
    while isinstance(x, (list, tuple)) and x:
        x = x[0]
    return not hasattr(x, "shape") and not isinstance(x, (list, tuple, dict))


def squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1: bool = True):
    """Squeeze or expand the last axis of one of ``x1``, ``x2`` when their ranks differ by one."""
    rank1, rank2 = len(x1.shape), len(x2.shape)
    if rank1 == rank2:
        return x1, x2
    if rank1 == rank2 + 1 and x1.shape[-1] == 1:
        if rank2 == 1 and expand_rank_1:
            x2 = ops.expand_dims(x2, axis=-1)
        else:
            x1 = ops.squeeze(x1, axis=-1)
    if rank2 == rank1 + 1 and x2.shape[-1] == 1:
        if rank1 == 1 and expand_rank_1:
            x1 = ops.expand_dims(x1, axis=-1)
        else:
            x2 = ops.squeeze(x2, axis=-1)
    return x1, x2


def _align_weight(values, sample_weight):
    """Keras's rank alignment; beyond it, a weight per sample (or step) that cannot broadcast from the
    right, e.g. ``(batch,)`` against ``(batch, time)``, is applied along the leading axes."""
    values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
    value_shape, weight_shape = tuple(values.shape), tuple(sample_weight.shape)
    extra = len(value_shape) - len(weight_shape)
    if extra > 0 and weight_shape and value_shape[:len(weight_shape)] == weight_shape:
        trailing_ok = all(w in (1, v) for w, v in zip(reversed(weight_shape), reversed(value_shape)))
        if not trailing_ok:
            sample_weight = ops.reshape(sample_weight, weight_shape + (1,) * extra)
    return values, sample_weight


def _num_elements(x):
    shape = tuple(x.shape)
    if None not in shape:
        return math.prod(shape)
    return ops.prod(ops.convert_to_tensor(ops.shape(x), dtype="int32"))


def reduce_values(values, sample_weight=None, reduction="sum_over_batch_size"):
    """Reduce per-sample ``values`` (already weighted) to a scalar as ``reduction`` says."""
    if reduction is None or reduction == "none" or tuple(values.shape) in ((), (0,)):
        return values
    loss = ops.sum(values)
    if reduction == "sum":
        return loss
    if reduction == "mean_with_sample_weight" and sample_weight is not None:
        return ops.divide_no_nan(loss, ops.cast(ops.sum(sample_weight), loss.dtype))
    count = _num_elements(values)
    if isinstance(count, int):
        return loss / count if count > 0 else loss
    return ops.divide_no_nan(loss, ops.cast(count, loss.dtype))


def reduce_weighted_values(values, sample_weight=None, mask=None, reduction="sum_over_batch_size", dtype=None):
    """Weight ``values`` by ``sample_weight`` and ``mask`` (broadcast as Keras does), then reduce."""
    reduction = standardize_reduction(reduction)
    values = ops.convert_to_tensor(values, dtype=dtype)
    if sample_weight is not None:
        sample_weight = ops.convert_to_tensor(sample_weight, dtype=dtype)
    sample_weight = apply_mask(sample_weight, mask, values.dtype, reduction)
    if sample_weight is not None:
        sample_weight = ops.cast(sample_weight, values.dtype)
        values, sample_weight = _align_weight(values, sample_weight)
        values = ops.multiply(values, sample_weight)
    return reduce_values(values, sample_weight, reduction)


def apply_mask(sample_weight, mask, dtype, reduction):
    """Merge ``mask`` into ``sample_weight``; for mean reductions, rescale so masked entries don't count."""
    if mask is None:
        return sample_weight
    mask = ops.cast(mask, dtype)
    if reduction in ("mean", "sum_over_batch_size"):
        # Valid entries get weight total/valid: the mean over all entries is then the mean over valid ones.
        total = ops.cast(_num_elements(mask), dtype)
        mask = ops.multiply(mask, ops.divide_no_nan(total, ops.sum(mask)))
    if sample_weight is None:
        return mask
    sample_weight = ops.cast(sample_weight, dtype)
    mask, sample_weight = _align_weight(mask, sample_weight)
    return ops.multiply(sample_weight, mask)
