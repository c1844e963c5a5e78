"""JAX optimizer helpers: functional updates through ``Variable.assign``.

There are no parallel kernels here (``PARALLEL_UPDATES`` is empty): the optimizer's generic
``update_step`` runs inside ``jax.jit``, where XLA fuses the per-variable updates anyway.
Branches on traced values (gradient accumulation, EMA overwrite) run both sides and select
the new values with ``jnp.where``, so that they trace under ``jax.jit``. A sparse (BCOO) gradient is
densified where these helpers accumulate or clip it.
"""

from __future__ import annotations

import contextlib

import jax
import jax.numpy as jnp
import jax.numpy as xp  # noqa: F401 - for the included optimizer_ops

from brickwork.backend.common.binding import include
from brickwork.backend.jax.core import convert_to_tensor
from brickwork.backend.jax.sparse import SPARSE_TYPES

PARALLEL_UPDATES: dict = {}


def update_scope():
    """The context of an optimizer step (nothing to set up on jax)."""
    return contextlib.nullcontext()


def stateful_cond(pred, true_fn, false_fn, variables) -> None:
    """Run ``true_fn()`` or ``false_fn()``, which update ``variables``, as ``pred`` says.

    A traced ``pred`` runs both and keeps, per variable, the value of the branch it selects.
    """
    if not isinstance(pred, jax.core.Tracer):
        (true_fn if bool(pred) else false_fn)()
        return
    before = [v.value for v in variables]
    true_fn()
    after_true = [v.value for v in variables]
    for variable, value in zip(variables, before):
        variable.assign(value)
    false_fn()
    for variable, value in zip(variables, after_true):
        current = variable.value
        if value is not current:
            variable.assign(jnp.where(pred, value, current))


# ruff: noqa: F821 - the functions include() defines are unknown to linters
include("optimizer_ops", globals())  # weight decay, accumulators, moving averages, clipping


def all_finite(values):
    """A 0-d bool array: whether every element of ``values`` is finite (True for none)."""
    if not values:
        return jnp.asarray(True)
    # A sparse tensor's implicit zeros are finite: its stored values say it all.
    values = [v.data if type(v) in SPARSE_TYPES else convert_to_tensor(v) for v in values]
    return jnp.all(jnp.stack([jnp.all(jnp.isfinite(v)) for v in values]))


def scalar_state_scope():
    """Where the step counter and learning rate live: with the rest of the state."""
    return contextlib.nullcontext()
