"""NumPy optimizer helpers: eager updates through ``Variable.assign``.

The numpy backend computes no gradients, so it cannot ``fit``; but an optimizer given gradients
(``optimizer.apply(grads, variables)``) updates variables here as on the other engines, as in Keras's
numpy backend: a step is plain arithmetic. There are no parallel kernels; the optimizer's generic
``update_step`` runs variable by variable.

Example:
    w = keras.Variable(np.ones(2))
    keras.optimizers.SGD(0.1).apply([np.ones(2)], [w])   # w is now [0.9, 0.9]
"""

from __future__ import annotations

import contextlib

import numpy as np

from brickwork.backend.numpy.core import convert_to_tensor

PARALLEL_UPDATES: dict = {}


def update_scope():
    """The context of an optimizer step (nothing to set up)."""
    return contextlib.nullcontext()


def stateful_cond(pred, true_fn, false_fn, variables) -> None:
    """Run ``true_fn()`` or ``false_fn()`` (which update ``variables``) as ``pred`` says."""
    (true_fn if bool(pred) else false_fn)()


def _scalar(value, dtype):
    return np.asarray(value).astype(dtype)


def apply_weight_decay(variables, learning_rate, weight_decay) -> None:
    """``variable -= variable * weight_decay * learning_rate`` for every variable."""
    for variable in variables:
        value = variable.value
        variable.assign(value - value * (_scalar(weight_decay, value.dtype) * _scalar(learning_rate, value.dtype)))


def increment_accumulators(accumulators, grads) -> None:
    """``accumulator += grad`` for each pair."""
    for accumulator, grad in zip(accumulators, grads):
        accumulator.assign(accumulator.value + convert_to_tensor(grad, accumulator.dtype))


def reset_accumulators(accumulators) -> None:
    """Set every accumulator to zero."""
    for accumulator in accumulators:
        accumulator.assign(np.zeros_like(accumulator.value))


def update_moving_averages(averages, variables, momentum) -> None:
    """``average = momentum * average + (1 - momentum) * variable`` for each pair."""
    for average, variable in zip(averages, variables):
        m = _scalar(momentum, average.dtype)
        average.assign(m * average.value + (1 - m) * variable.value)


def clip_by_norm(values, clip_norm) -> list:
    """Each of ``values`` scaled to an L2 norm of at most ``clip_norm``."""
    clipped = []
    for value in values:
        value = convert_to_tensor(value)
        norm = np.sqrt(np.sum(np.square(value)))
        clipped.append(value * clip_norm / np.maximum(norm, clip_norm).astype(value.dtype))
    return clipped


def clip_by_global_norm(values, clip_norm) -> list:
    """``values`` scaled so that their joint L2 norm is at most ``clip_norm`` (NaN if it is not finite)."""
    values = [convert_to_tensor(v) for v in values]
    norm = np.sqrt(sum(np.sum(np.square(v.astype(np.float32))) for v in values))
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = clip_norm * np.minimum(1.0 / norm, 1.0 / clip_norm) + (norm - norm)
    return [v * np.asarray(scale).astype(v.dtype) for v in values]


def clip_by_value(values, clip_value) -> list:
    """Each of ``values`` clipped element-wise to ``[-clip_value, clip_value]``."""
    return [np.clip(convert_to_tensor(v), -clip_value, clip_value) for v in values]


def all_finite(values):
    """A 0-d bool array: whether every element of ``values`` is finite (True for none)."""
    return np.asarray(all(bool(np.all(np.isfinite(convert_to_tensor(v)))) for v in values))


def scalar_state_scope():
    """Where the step counter and learning rate live: with the rest of the state."""
    return contextlib.nullcontext()
