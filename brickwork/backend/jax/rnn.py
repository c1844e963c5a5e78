"""JAX recurrence: ``jax.lax.scan`` over the time axis, traced once, no Python loop per step.

``rnn`` scans any cell when traced (under ``jit`` or ``grad``, as in training); an eager call on
concrete arrays steps through the sequence instead of compiling a scan it would use once.
``lstm``/``gru`` run the Keras default cells (tanh/sigmoid), compiled once per shape, with the
input projections of every step computed in one matmul before the scan, so that only the
recurrent matmul stays inside the loop (what cuDNN does, without cuDNN).

Shared with the other NumPy-like engines: ``common/rnn_ops.py``, included here (see
``common/binding.py``).
"""

from __future__ import annotations

import contextlib
import functools

import jax
import jax.numpy as jnp
import optree
from jax import lax

from brickwork.backend.common.stateless_scope import StatelessScope, in_stateless_scope
from brickwork.backend.common.binding import include
from brickwork.backend.jax.core import convert_to_tensor

# ruff: noqa: F821 - the functions include() defines are unknown to linters
include("rnn_ops", globals())


def rnn(step_function, inputs, initial_states, go_backwards=False, mask=None, unroll=False,
        zero_output_for_mask=False, return_all_outputs=True):
    """Run ``output, states = step_function(inputs[:, t], states)`` along axis 1 of ``inputs``.

    Args:
        step_function: ``(step_input, states) -> (output, new_states)``.
        inputs: ``(batch, time, ...)``.
        initial_states: the initial states (a list, possibly nested).
        go_backwards: iterate from the last step to the first.
        mask: ``(batch, time)`` booleans; a masked step keeps the previous states and repeats
            the previous output (zeros with ``zero_output_for_mask``).
        unroll: unroll the scan completely (faster for short sequences, slower to compile).
        return_all_outputs: stack every step's output; else only the last.

    Returns:
        ``(last_output, outputs, final_states)``; ``outputs`` is ``(batch, time, ...)`` in the
        order the steps ran (reversed with ``go_backwards``), or ``(batch, 1, ...)``.
    """
    inputs = convert_to_tensor(inputs)
    initial_states = optree.tree_map(convert_to_tensor, initial_states)
    treedef = optree.tree_structure(initial_states)

    def step(step_input, states):
        output, new_states = step_function(step_input, states)
        # The scan carry keeps one structure; cells may return lists for tuples.
        return output, optree.tree_unflatten(treedef, optree.tree_leaves(new_states))

    if not isinstance(inputs, jax.core.Tracer):
        # Eager call: run the steps as they come (each op is compiled once and cached), rather
        # than compiling a scan for this one call.
        return _loop(step, inputs, initial_states, mask, go_backwards, zero_output_for_mask, return_all_outputs)
    # A variable assigned inside the traced loop would leak a tracer: record and drop it.
    scope = contextlib.nullcontext() if in_stateless_scope() else StatelessScope()
    with scope:
        return _scan(step, inputs, initial_states, mask, go_backwards, unroll, zero_output_for_mask,
                     return_all_outputs)


def _loop(step, inputs, states, mask, go_backwards, zero_output_for_mask, return_all_outputs):
    steps = inputs.shape[1]
    if steps == 0:
        raise ValueError("rnn: the input sequence has no time steps.")
    keeps = None if mask is None else _time_mask(mask)
    output, outputs = None, []
    for t in (range(steps - 1, -1, -1) if go_backwards else range(steps)):
        new_output, new_states = step(inputs[:, t], states)
        if keeps is not None:
            keep = keeps[:, t]
            fill = output if output is not None and not zero_output_for_mask else jnp.zeros_like(new_output)
            new_output = jnp.where(_expand(keep, new_output), new_output, fill)
            new_states = optree.tree_map(lambda new, old, keep=keep: jnp.where(_expand(keep, new), new, old),
                                         new_states, states)
        output, states = new_output, new_states
        if return_all_outputs:
            outputs.append(output)
    stacked = jnp.stack(outputs, axis=1) if return_all_outputs else output[:, None]
    return output, stacked, states


def _scan(step, inputs, initial_states, mask, go_backwards, unroll, zero_output_for_mask, return_all_outputs):
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


def lstm(inputs, initial_state_h, initial_state_c, kernel, recurrent_kernel, bias=None, mask=None,
         go_backwards=False, return_sequences=False, zero_output_for_mask=False):
    """A Keras ``LSTMCell`` (tanh, sigmoid; gates i, f, c, o) over ``(batch, time, features)``.

    Returns:
        ``(last_output, outputs, [h, c])`` as ``rnn`` does.
    """
    kernel = convert_to_tensor(kernel)
    tensors = [convert_to_tensor(t, kernel.dtype) for t in (inputs, initial_state_h, initial_state_c)]
    return _lstm(*tensors, kernel, convert_to_tensor(recurrent_kernel), _optional(bias), _optional(mask),
                 go_backwards=go_backwards, return_sequences=return_sequences,
                 zero_output_for_mask=zero_output_for_mask)


def _optional(x):
    return None if x is None else convert_to_tensor(x)


# Compiled once per shape and configuration: eager calls reuse it, an outer jit inlines it.
@functools.partial(jax.jit, static_argnames=("go_backwards", "return_sequences", "zero_output_for_mask"))
def _lstm(inputs, h0, c0, kernel, recurrent_kernel, bias, mask, go_backwards, return_sequences, zero_output_for_mask):
    projected = jnp.matmul(inputs, kernel)
    if bias is not None:
        projected = projected + bias

    def step(z, states):
        h, c = states
        i, f, g, o = jnp.split(z + jnp.matmul(h, recurrent_kernel), 4, axis=-1)
        c = jax.nn.sigmoid(f) * c + jax.nn.sigmoid(i) * jnp.tanh(g)
        h = jax.nn.sigmoid(o) * jnp.tanh(c)
        return h, [h, c]

    return _scan(step, projected, [h0, c0], mask, go_backwards, False, zero_output_for_mask, return_sequences)


def gru(inputs, initial_state, kernel, recurrent_kernel, bias=None, mask=None, go_backwards=False,
        return_sequences=False, zero_output_for_mask=False, reset_after=True):
    """A Keras ``GRUCell`` (tanh, sigmoid; gates z, r, h) over ``(batch, time, features)``.

    ``bias`` is ``(2, 3 * units)`` (input, recurrent) with ``reset_after``, else ``(3 * units,)``.

    Returns:
        ``(last_output, outputs, [h])`` as ``rnn`` does.
    """
    kernel = convert_to_tensor(kernel)
    tensors = [convert_to_tensor(t, kernel.dtype) for t in (inputs, initial_state)]
    return _gru(*tensors, kernel, convert_to_tensor(recurrent_kernel), _optional(bias), _optional(mask),
                go_backwards=go_backwards, return_sequences=return_sequences,
                zero_output_for_mask=zero_output_for_mask, reset_after=reset_after)


@functools.partial(jax.jit, static_argnames=("go_backwards", "return_sequences", "zero_output_for_mask",
                                             "reset_after"))
def _gru(inputs, h0, kernel, recurrent_kernel, bias, mask, go_backwards, return_sequences, zero_output_for_mask,
         reset_after):
    units = recurrent_kernel.shape[0]
    input_bias = recurrent_bias = None
    if bias is not None:
        input_bias, recurrent_bias = (bias[0], bias[1]) if reset_after else (bias, None)
    projected = jnp.matmul(inputs, kernel)
    if input_bias is not None:
        projected = projected + input_bias

    def step(x, states):
        h = states[0]
        x_z, x_r, x_h = jnp.split(x, 3, axis=-1)
        if reset_after:
            inner = jnp.matmul(h, recurrent_kernel)
            if recurrent_bias is not None:
                inner = inner + recurrent_bias
            h_z, h_r, h_h = jnp.split(inner, 3, axis=-1)
            z, r = jax.nn.sigmoid(x_z + h_z), jax.nn.sigmoid(x_r + h_r)
            candidate = jnp.tanh(x_h + r * h_h)
        else:
            h_z, h_r = jnp.split(jnp.matmul(h, recurrent_kernel[:, :2 * units]), 2, axis=-1)
            z, r = jax.nn.sigmoid(x_z + h_z), jax.nn.sigmoid(x_r + h_r)
            candidate = jnp.tanh(x_h + jnp.matmul(r * h, recurrent_kernel[:, 2 * units:]))
        h = z * h + (1 - z) * candidate
        return h, [h]

    return _scan(step, projected, [h0], mask, go_backwards, False, zero_output_for_mask, return_sequences)
