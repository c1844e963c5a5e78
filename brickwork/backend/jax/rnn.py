"""JAX recurrence: ``jax.lax.scan`` over the time axis, traced once, no Python loop per step.

``rnn`` scans any cell when traced (under ``jit`` or ``grad``, as in training); an eager call on
concrete arrays steps through the sequence instead of compiling a scan it would use once.
``lstm``/``gru`` run the Keras default cells (tanh/sigmoid), compiled once per shape, with the
input projections of every step computed in one matmul before the scan, so that only the
recurrent matmul stays inside the loop (what cuDNN does, without cuDNN) -- except on the CPU, where XLA runs
the scan faster when each step projects its own input.

Written once in ``common/rnn_ops.py`` against ``xp`` and included here with ``xp = jax.numpy`` (see
``common/binding.py``); what follows the include is how jax runs the steps.
"""

from __future__ import annotations

import contextlib

import jax
import jax.numpy as jnp
import optree
from jax import lax
from jax.nn import sigmoid  # noqa: F401 - bound for the include

from brickwork.backend.common.binding import include
from brickwork.backend.common.stateless_scope import StatelessScope, in_stateless_scope
from brickwork.backend.jax.core import convert_to_tensor

# ruff: noqa: F821 - the functions include() defines are unknown to linters
xp = jnp  # the array namespace common/rnn_ops.py runs on
include("rnn_ops", globals())


def _rnn(step, inputs, initial_states, mask, go_backwards, zero_output_for_mask, return_all_outputs, unroll):
    """``rnn``'s steps: a ``lax.scan`` when traced, else the steps as they come (each op is compiled
    once and cached) rather than a scan compiled for this one call."""
    initial_states = optree.tree_map(convert_to_tensor, initial_states)
    if not isinstance(inputs, jax.core.Tracer):
        return _loop(step, inputs, initial_states, mask, go_backwards, zero_output_for_mask, return_all_outputs)
    # A variable assigned inside the traced loop would leak a tracer: record and drop it.
    scope = contextlib.nullcontext() if in_stateless_scope() else StatelessScope()
    with scope:
        return _scan(step, inputs, initial_states, mask, go_backwards, zero_output_for_mask, return_all_outputs,
                     unroll)


def _scan(step, inputs, initial_states, mask, go_backwards, zero_output_for_mask, return_all_outputs,
          unroll=False):
    if inputs.shape[1] == 0:
        raise ValueError("rnn: the input sequence has no time steps.")
    xs = jnp.swapaxes(inputs, 0, 1)
    spec = jax.eval_shape(step, xs[0], initial_states)[0]
    zeros = jnp.zeros(spec.shape, spec.dtype)

    def body(carry, x):
        states, previous = carry
        if mask is None:
            output, states = step(x, states)
        else:
            x, keep = x
            output, new_states = step(x, states)
            output = jnp.where(_expand(keep, output), output, zeros if zero_output_for_mask else previous)
            states = optree.tree_map(lambda new, old: jnp.where(_expand(keep, new), new, old), new_states, states)
        return (states, output), (output if return_all_outputs else None)

    scan_xs = xs if mask is None else (xs, jnp.swapaxes(_time_mask(mask), 0, 1))
    (states, last), outputs = lax.scan(body, (initial_states, zeros), scan_xs, reverse=go_backwards,
                                       unroll=bool(unroll))
    if not return_all_outputs:
        return last, last[:, None], states
    if go_backwards:  # scan(reverse=True) stores y[t] at x[t]; Keras returns the processing order
        outputs = jnp.flip(outputs, 0)
    return last, jnp.swapaxes(outputs, 0, 1), states


_fused = _scan  # lstm and gru always scan: they run compiled


def _project_in_loop() -> bool:
    """On the CPU, XLA's scan is ~3x faster at inference (and as fast in training) when each step projects its
    own input; on accelerators one matmul over every step stays best."""
    return jax.default_backend() == "cpu"


# Compiled once per shape and configuration: eager calls reuse them, an outer jit inlines them.
_lstm = jax.jit(_lstm, static_argnames=("go_backwards", "return_sequences", "zero_output_for_mask"))
_gru = jax.jit(_gru, static_argnames=("go_backwards", "return_sequences", "zero_output_for_mask", "reset_after"))
