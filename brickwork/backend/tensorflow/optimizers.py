"""TensorFlow optimizer helpers: updates through ``Variable.assign`` (a ``tf.Variable.assign``).

There are no parallel kernels here (``PARALLEL_UPDATES`` is empty): the optimizer's generic
``update_step`` runs inside the trainer's ``tf.function``, where TensorFlow (or XLA with
``jit_compile=True``) runs the per-variable updates. Branches on graph values (gradient accumulation,
EMA overwrite, a loss-scale step skipped) are ``tf.cond``s that assign variables. A sparse gradient
(``tf.IndexedSlices``, from an ``Embedding``) is densified where these helpers accumulate or clip it.
"""

from __future__ import annotations

import contextlib

import tensorflow as tf
import tensorflow.experimental.numpy as tnp

from brickwork.backend.tensorflow.core import convert_to_tensor

PARALLEL_UPDATES: dict = {}


def update_scope():
    """The context of an optimizer step (nothing to set up on TensorFlow)."""
    return contextlib.nullcontext()


def stateful_cond(pred, true_fn, false_fn, variables) -> None:
    """Run ``true_fn()`` or ``false_fn()``, which update ``variables``, as ``pred`` says.

    Eagerly ``pred`` is read; in a traced step the branches become a ``tf.cond``, whose branches may assign
    variables (``variables`` is what the jax engine threads through its branches; here the graph tracks them).
    """
    if not tf.is_symbolic_tensor(pred):
        (true_fn if bool(pred) else false_fn)()
        return

    def branch(fn):
        def run():
            fn()
            return tf.constant(0)  # both branches return the same structure

        return run

    tf.cond(convert_to_tensor(pred, "bool"), branch(true_fn), branch(false_fn))


def _scalar(value, dtype):
    return convert_to_tensor(value).astype(dtype)


def apply_weight_decay(variables, learning_rate, weight_decay) -> None:
    """``variable -= variable * weight_decay * learning_rate`` for every variable."""
    for variable in variables:
        value = variable.value
        variable.assign(value - value * (_scalar(weight_decay, value.dtype) * _scalar(learning_rate, value.dtype)))


def increment_accumulators(accumulators, grads) -> None:
    """``accumulator += grad`` for each pair."""
    for accumulator, grad in zip(accumulators, grads):
        accumulator.assign(accumulator.value + convert_to_tensor(grad, accumulator.dtype, sparse=False))


def reset_accumulators(accumulators) -> None:
    """Set every accumulator to zero."""
    for accumulator in accumulators:
        accumulator.assign(tnp.zeros_like(accumulator.value))


def update_moving_averages(averages, variables, momentum) -> None:
    """``average = momentum * average + (1 - momentum) * variable`` for each pair."""
    for average, variable in zip(averages, variables):
        m = _scalar(momentum, average.dtype)
        average.assign(m * average.value + (1 - m) * variable.value)


def clip_by_norm(values, clip_norm) -> list:
    """Each of ``values`` scaled to an L2 norm of at most ``clip_norm``."""
    clipped = []
    for value in values:
        value = convert_to_tensor(value, sparse=False)
        l2sum = tnp.sum(tnp.square(value))
        positive = l2sum > 0
        # The double where keeps the gradient of sqrt finite at zero.
        norm = tnp.where(positive, tnp.sqrt(tnp.where(positive, l2sum, 1.0)), l2sum)
        clipped.append(value * clip_norm / tnp.maximum(norm, clip_norm).astype(value.dtype))
    return clipped


def clip_by_global_norm(values, clip_norm) -> list:
    """``values`` scaled so that their joint L2 norm is at most ``clip_norm`` (NaN if it is not finite)."""
    values = [convert_to_tensor(v, sparse=False) for v in values]
    norm = tnp.sqrt(sum(tnp.sum(tnp.square(v.astype(tf.float32))) for v in values))
    scale = clip_norm * tnp.minimum(1.0 / norm, 1.0 / clip_norm) + (norm - norm)
    return [v * scale.astype(v.dtype) for v in values]


def clip_by_value(values, clip_value) -> list:
    """Each of ``values`` clipped element-wise to ``[-clip_value, clip_value]``."""
    return [tnp.clip(convert_to_tensor(v, sparse=False), -clip_value, clip_value) for v in values]


def all_finite(values):
    """A 0-d bool array: whether every element of ``values`` is finite (True for none)."""
    if not values:
        return tnp.asarray(True)
    # A sparse tensor's implicit zeros are finite: its stored values say it all.
    values = [v.values if isinstance(v, (tf.IndexedSlices, tf.SparseTensor)) else convert_to_tensor(v) for v in values]
    return tnp.all(tnp.stack([tnp.all(tnp.isfinite(v)) for v in values]))


def scalar_state_scope():
    """Where the step counter and learning rate live: with the rest of the state."""
    return contextlib.nullcontext()
