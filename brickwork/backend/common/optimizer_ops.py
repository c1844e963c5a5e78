"""Optimizer helpers shared by the traced engines (jax and TensorFlow), written against their NumPy API ``xp``.

Included by ``backend/jax/optimizers.py`` and ``backend/tensorflow/optimizers.py`` (see ``common/binding.py``):
weight decay, gradient accumulation, moving averages and the three clippings are the same arithmetic on
``jax.numpy`` and ``tf.experimental.numpy``. Every function assigns through ``Variable.assign`` or returns
new values, so it traces under ``jax.jit`` and in a ``tf.function``; a sparse gradient is densified where it
is accumulated or clipped (``convert_to_tensor(..., sparse=False)``). The numpy engine keeps its own (eager,
with NumPy's warnings silenced).

Example (what an engine module writes)::

    import jax.numpy as xp
    from brickwork.backend.common.binding import include
    from brickwork.backend.jax.core import convert_to_tensor

    include("optimizer_ops", globals())
"""

from __future__ import annotations

from typing import TYPE_CHECKING

REQUIRES = ("xp", "convert_to_tensor")
if TYPE_CHECKING:  # bound by the including engine module
    import numpy as xp

    def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
        """The engine's tensor of ``x``."""


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
        accumulator.assign(xp.zeros_like(accumulator.value))


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
        l2sum = xp.sum(xp.square(value))
        positive = l2sum > 0
        # The double where keeps the gradient of sqrt finite at zero.
        norm = xp.where(positive, xp.sqrt(xp.where(positive, l2sum, 1.0)), l2sum)
        clipped.append(value * clip_norm / xp.maximum(norm, clip_norm).astype(value.dtype))
    return clipped


def clip_by_global_norm(values, clip_norm) -> list:
    """``values`` scaled so that their joint L2 norm is at most ``clip_norm`` (NaN if it is not finite)."""
    values = [convert_to_tensor(v, sparse=False) for v in values]
    norm = xp.sqrt(sum(xp.sum(xp.square(v.astype(xp.float32))) for v in values))
    scale = clip_norm * xp.minimum(1.0 / norm, 1.0 / clip_norm) + (norm - norm)
    return [v * scale.astype(v.dtype) for v in values]


def clip_by_value(values, clip_value) -> list:
    """Each of ``values`` clipped element-wise to ``[-clip_value, clip_value]``."""
    return [xp.clip(convert_to_tensor(v, sparse=False), -clip_value, clip_value) for v in values]
