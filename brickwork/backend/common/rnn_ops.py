"""Recurrence the NumPy-like engines share, written once against ``xp``: ``rnn``'s front, the Python
loop over the time axis, the Keras default LSTM and GRU cells, and masks over the time axis.

Included by ``backend/<engine>/rnn.py`` (see ``common/binding.py``): the engine module binds the
names in ``REQUIRES`` and runs this code in its own namespace. The engine defines how the steps
run (looked up when called, so it may define them after the include): ``_rnn`` for ``rnn``'s any
cell, ``_fused`` for the ``lstm`` and ``gru`` cells; both take the arguments of ``_loop``, which
they may be.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import optree

REQUIRES = ("xp", "convert_to_tensor", "sigmoid")
if TYPE_CHECKING:  # bound by the including engine module
    import numpy as xp  # or jax.numpy: any NumPy-like namespace

    def convert_to_tensor(x, dtype=None): ...

    def sigmoid(x): ...

    def _rnn(step, inputs, states, mask, go_backwards, zero_output_for_mask, return_all_outputs, unroll=False):
        """How ``rnn`` runs its steps: ``_loop``, or the engine's own."""

    def _fused(step, inputs, states, mask, go_backwards, zero_output_for_mask, return_all_outputs):
        """How ``lstm`` and ``gru`` run theirs."""


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
        unroll: unroll a compiled scan completely (faster for short sequences, slower to compile);
            a Python loop ignores it.
        return_all_outputs: stack every step's output; else only the last.

    Returns:
        ``(last_output, outputs, final_states)``; ``outputs`` is ``(batch, time, ...)`` in the
            order the steps ran (reversed with ``go_backwards``), or ``(batch, 1, ...)``.
    """
    treedef = optree.tree_structure(initial_states)

    def step(step_input, states):
        output, new_states = step_function(step_input, states)
        # The states keep one structure (a scan's carry must); cells may return lists for tuples.
        return output, optree.tree_unflatten(treedef, optree.tree_leaves(new_states))

    return _rnn(step, convert_to_tensor(inputs), initial_states, mask, go_backwards, zero_output_for_mask,
                return_all_outputs, unroll)


def _loop(step, inputs, states, mask, go_backwards, zero_output_for_mask, return_all_outputs, unroll=False):
    """``rnn``'s steps in a Python loop (``unroll`` has nothing to unroll); returns what ``rnn`` does."""
    steps = inputs.shape[1]
    if steps == 0:
        raise ValueError("rnn: the input sequence has no time steps.")
    keeps = None if mask is None else _time_mask(mask)
    order = range(steps - 1, -1, -1) if go_backwards else range(steps)
    output, outputs = None, []
    for t in order:
        new_output, new_states = step(inputs[:, t], states)
        if keeps is not None:
            keep = keeps[:, t]
            fill = output if output is not None and not zero_output_for_mask else xp.zeros_like(new_output)
            new_output = xp.where(_expand(keep, new_output), new_output, fill)
            new_states = optree.tree_map(lambda new, old, keep=keep: xp.where(_expand(keep, new), new, old),
                                         new_states, states)
        output, states = new_output, new_states
        if return_all_outputs:
            outputs.append(output)
    stacked = xp.stack(outputs, axis=1) if return_all_outputs else output[:, None]
    return output, stacked, states


def _time_mask(mask):
    mask = convert_to_tensor(mask)
    if mask.ndim == 3:
        mask = mask[:, :, 0]
    return mask.astype(bool)


def _expand(keep, like):
    """The ``(batch,)`` mask shaped to broadcast against ``like``."""
    return keep.reshape((-1,) + (1,) * (like.ndim - 1))


def _optional(x):
    return None if x is None else convert_to_tensor(x)


# ---- the Keras default cells: every step's input projection in one matmul before the loop (or in it) ----


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


def _project_in_loop() -> bool:
    """Whether each step projects its own input inside the loop instead (an engine may redefine it after the
    include): XLA on the CPU runs its scan ~3x faster so than reading one precomputed (time, batch, gates) tensor."""
    return False


def _projection(kernel, bias):
    def project(x):
        z = xp.matmul(x, kernel)
        return z if bias is None else z + bias
    return project


def _lstm(inputs, h0, c0, kernel, recurrent_kernel, bias, mask, go_backwards, return_sequences, zero_output_for_mask):
    project, in_loop = _projection(kernel, bias), _project_in_loop()

    def step(z, states):
        h, c = states
        i, f, g, o = xp.split((project(z) if in_loop else z) + xp.matmul(h, recurrent_kernel), 4, axis=-1)
        c = sigmoid(f) * c + sigmoid(i) * xp.tanh(g)
        h = sigmoid(o) * xp.tanh(c)
        return h, [h, c]

    sequence = inputs if in_loop else project(inputs)
    return _fused(step, sequence, [h0, c0], mask, go_backwards, zero_output_for_mask, return_sequences)


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


def _gru(inputs, h0, kernel, recurrent_kernel, bias, mask, go_backwards, return_sequences, zero_output_for_mask,
         reset_after):
    units = recurrent_kernel.shape[0]
    input_bias = recurrent_bias = None
    if bias is not None:
        input_bias, recurrent_bias = (bias[0], bias[1]) if reset_after else (bias, None)
    project, in_loop = _projection(kernel, input_bias), _project_in_loop()

    def step(x, states):
        h = states[0]
        x_z, x_r, x_h = xp.split(project(x) if in_loop else x, 3, axis=-1)
        if reset_after:
            inner = xp.matmul(h, recurrent_kernel)
            if recurrent_bias is not None:
                inner = inner + recurrent_bias
            h_z, h_r, h_h = xp.split(inner, 3, axis=-1)
            z, r = sigmoid(x_z + h_z), sigmoid(x_r + h_r)
            candidate = xp.tanh(x_h + r * h_h)
        else:
            h_z, h_r = xp.split(xp.matmul(h, recurrent_kernel[:, :2 * units]), 2, axis=-1)
            z, r = sigmoid(x_z + h_z), sigmoid(x_r + h_r)
            candidate = xp.tanh(x_h + xp.matmul(r * h, recurrent_kernel[:, 2 * units:]))
        h = z * h + (1 - z) * candidate
        return h, [h]

    sequence = inputs if in_loop else project(inputs)
    return _fused(step, sequence, [h0], mask, go_backwards, zero_output_for_mask, return_sequences)
