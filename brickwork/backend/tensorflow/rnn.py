"""TensorFlow recurrence: the Python loop over the time axis when eager, ``tf.while_loop`` in a graph.

``rnn`` steps any cell: eagerly (or with ``unroll``) in a Python loop, each step's ops run as they
come; inside a ``tf.function`` in one ``tf.while_loop`` whose outputs go to a ``tf.TensorArray``, so the
graph holds the step once whatever the sequence length (which may be unknown until it runs).
``lstm``/``gru`` run the Keras default cells the same way, with every step's input projection
computed in one matmul before the loop.

Written once in ``common/rnn_ops.py`` against ``xp`` and included here with
``xp = tf.experimental.numpy`` (see ``common/binding.py``); what follows the include is how
TensorFlow runs the steps.
"""

from __future__ import annotations

import optree
import tensorflow as tf
import tensorflow.experimental.numpy as tnp

from brickwork.backend.common.binding import include
from brickwork.backend.tensorflow.core import convert_to_tensor
from brickwork.backend.tensorflow.nn import sigmoid  # noqa: F401 - bound for the include

# ruff: noqa: F821 - the functions include() defines are unknown to linters
xp = tnp  # the array namespace common/rnn_ops.py runs on
include("rnn_ops", globals())


def _rnn(step, inputs, initial_states, mask, go_backwards, zero_output_for_mask, return_all_outputs, unroll=False):
    """``rnn``'s steps: a Python loop when eager or unrolled, else a ``tf.while_loop``."""
    initial_states = optree.tree_map(convert_to_tensor, initial_states)
    if unroll or tf.executing_eagerly():
        return _loop(step, inputs, initial_states, mask, go_backwards, zero_output_for_mask, return_all_outputs)
    return _while(step, inputs, initial_states, mask, go_backwards, zero_output_for_mask, return_all_outputs)


_fused = _rnn


def _while(step, inputs, states, mask, go_backwards, zero_output_for_mask, return_all_outputs):
    if inputs.shape[1] == 0:
        raise ValueError("rnn: the input sequence has no time steps.")
    xs = tf.transpose(inputs, [1, 0, *range(2, inputs.ndim)])  # time-major
    keeps = None if mask is None else tf.transpose(_time_mask(mask), [1, 0])
    steps = tf.shape(xs)[0]

    def run(t, states, previous):
        index = steps - 1 - t if go_backwards else t
        output, new_states = step(tf.gather(xs, index), states)
        if keeps is not None:
            keep = tf.gather(keeps, index)
            fill = tf.zeros_like(output) if zero_output_for_mask or previous is None else previous
            output = tf.where(_expand(keep, output), output, fill)
            new_states = optree.tree_map(lambda new, old: tf.where(_expand(keep, new), new, old), new_states, states)
        return output, new_states

    # The first step runs before the loop: it gives the outputs' shape and dtype.
    output, states = run(0, states, None)
    outputs = tf.TensorArray(output.dtype, size=steps if return_all_outputs else 1, element_shape=output.shape)
    outputs = outputs.write(0, output)

    def body(t, output, states, outputs):
        output, states = run(t, states, output)
        if return_all_outputs:
            outputs = outputs.write(t, output)
        return t + 1, output, states, outputs

    _, output, states, outputs = tf.while_loop(lambda t, *_: t < steps, body, (tf.constant(1), output, states,
                                                                                  outputs))
    if not return_all_outputs:
        return output, output[:, None], states
    stacked = outputs.stack()
    return output, tf.transpose(stacked, [1, 0, *range(2, stacked.ndim)]), states
