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
import tensorflow.experimental.numpy as xp  # noqa: F401 - for the included optimizer_ops

from brickwork.backend.common.binding import include
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


# ruff: noqa: F821 - the functions include() defines are unknown to linters
include("optimizer_ops", globals())  # weight decay, accumulators, moving averages, clipping


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
