"""NumPy recurrence (inference): a Python loop over the time axis.

``rnn`` loops any cell. ``lstm``/``gru`` run the Keras default cells (tanh/sigmoid) with the
input projections of every step computed in one matmul before the loop.

Shared with the other NumPy-like engines: ``common/rnn_ops.py``, included here (see
``common/binding.py``).
"""

from __future__ import annotations

import numpy as np
import optree

from brickwork.backend.common.binding import include
from brickwork.backend.numpy.core import convert_to_tensor
from brickwork.backend.numpy.nn import sigmoid

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
        unroll: ignored (the loop runs in Python).
        return_all_outputs: stack every step's output; else only the last.

    Returns:
        ``(last_output, outputs, final_states)``; ``outputs`` is ``(batch, time, ...)`` in the
        order the steps ran (reversed with ``go_backwards``), or ``(batch, 1, ...)``.
    """
    treedef = optree.tree_structure(initial_states)

    def step(step_input, states):
        output, new_states = step_function(step_input, states)
        return output, optree.tree_unflatten(treedef, optree.tree_leaves(new_states))

    return _loop(step, convert_to_tensor(inputs), initial_states, mask, go_backwards, zero_output_for_mask,
                 return_all_outputs)


def _loop(step, inputs, states, mask, go_backwards, zero_output_for_mask, return_all_outputs):
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
            fill = output if output is not None and not zero_output_for_mask else np.zeros_like(new_output)
            new_output = np.where(_expand(keep, new_output), new_output, fill)
            new_states = optree.tree_map(lambda new, old, keep=keep: np.where(_expand(keep, new), new, old),
                                         new_states, states)
        output, states = new_output, new_states
        if return_all_outputs:
            outputs.append(output)
    stacked = np.stack(outputs, axis=1) if return_all_outputs else output[:, None]
    return output, stacked, states


def lstm(inputs, initial_state_h, initial_state_c, kernel, recurrent_kernel, bias=None, mask=None,
         go_backwards=False, return_sequences=False, zero_output_for_mask=False):
    """A Keras ``LSTMCell`` (tanh, sigmoid; gates i, f, c, o) over ``(batch, time, features)``.

    Returns:
        ``(last_output, outputs, [h, c])`` as ``rnn`` does.
    """
    kernel = convert_to_tensor(kernel)
    recurrent_kernel = convert_to_tensor(recurrent_kernel)
    projected = np.matmul(convert_to_tensor(inputs, kernel.dtype), kernel)
    if bias is not None:
        projected = projected + convert_to_tensor(bias)

    def step(z, states):
        h, c = states
        i, f, g, o = np.split(z + np.matmul(h, recurrent_kernel), 4, axis=-1)
        c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
        h = sigmoid(o) * np.tanh(c)
        return h, [h, c]

    initial = [convert_to_tensor(initial_state_h, kernel.dtype), convert_to_tensor(initial_state_c, kernel.dtype)]
    return _loop(step, projected, initial, mask, go_backwards, zero_output_for_mask, return_sequences)


def gru(inputs, initial_state, kernel, recurrent_kernel, bias=None, mask=None, go_backwards=False,
        return_sequences=False, zero_output_for_mask=False, reset_after=True):
    """A Keras ``GRUCell`` (tanh, sigmoid; gates z, r, h) over ``(batch, time, features)``.

    ``bias`` is ``(2, 3 * units)`` (input, recurrent) with ``reset_after``, else ``(3 * units,)``.

    Returns:
        ``(last_output, outputs, [h])`` as ``rnn`` does.
    """
    kernel = convert_to_tensor(kernel)
    recurrent_kernel = convert_to_tensor(recurrent_kernel)
    units = recurrent_kernel.shape[0]
    input_bias = recurrent_bias = None
    if bias is not None:
        bias = convert_to_tensor(bias)
        input_bias, recurrent_bias = (bias[0], bias[1]) if reset_after else (bias, None)
    projected = np.matmul(convert_to_tensor(inputs, kernel.dtype), kernel)
    if input_bias is not None:
        projected = projected + input_bias

    def step(x, states):
        h = states[0]
        x_z, x_r, x_h = np.split(x, 3, axis=-1)
        if reset_after:
            inner = np.matmul(h, recurrent_kernel)
            if recurrent_bias is not None:
                inner = inner + recurrent_bias
            h_z, h_r, h_h = np.split(inner, 3, axis=-1)
            z, r = sigmoid(x_z + h_z), sigmoid(x_r + h_r)
            candidate = np.tanh(x_h + r * h_h)
        else:
            h_z, h_r = np.split(np.matmul(h, recurrent_kernel[:, :2 * units]), 2, axis=-1)
            z, r = sigmoid(x_z + h_z), sigmoid(x_r + h_r)
            candidate = np.tanh(x_h + np.matmul(r * h, recurrent_kernel[:, 2 * units:]))
        h = z * h + (1 - z) * candidate
        return h, [h]

    initial = [convert_to_tensor(initial_state, kernel.dtype)]
    return _loop(step, projected, initial, mask, go_backwards, zero_output_for_mask, return_sequences)
