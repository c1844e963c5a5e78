"""NumPy optimizer helpers: the numpy backend is for inference only, so each one refuses.

An optimizer can still be constructed, configured and serialized on this backend.
"""

from __future__ import annotations

import contextlib

PARALLEL_UPDATES: dict = {}

INFERENCE_ONLY = (
    "The numpy backend is for inference only: optimizers cannot update variables. "
    "Train with BRICKWORK_BACKEND=torch or jax."
)


def update_scope():
    """The context of an optimizer step (nothing to set up)."""
    return contextlib.nullcontext()


def stateful_cond(pred, true_fn, false_fn, variables) -> None:
    raise NotImplementedError(INFERENCE_ONLY)


def apply_weight_decay(variables, learning_rate, weight_decay) -> None:
    raise NotImplementedError(INFERENCE_ONLY)


def increment_accumulators(accumulators, grads) -> None:
    raise NotImplementedError(INFERENCE_ONLY)


def reset_accumulators(accumulators) -> None:
    raise NotImplementedError(INFERENCE_ONLY)


def update_moving_averages(averages, variables, momentum) -> None:
    raise NotImplementedError(INFERENCE_ONLY)


def clip_by_norm(values, clip_norm) -> list:
    raise NotImplementedError(INFERENCE_ONLY)


def clip_by_global_norm(values, clip_norm) -> list:
    raise NotImplementedError(INFERENCE_ONLY)


def clip_by_value(values, clip_value) -> list:
    raise NotImplementedError(INFERENCE_ONLY)


def all_finite(values):
    raise NotImplementedError(INFERENCE_ONLY)


def scalar_state_scope():
    """Where the step counter and learning rate live: with the rest of the state."""
    return contextlib.nullcontext()
