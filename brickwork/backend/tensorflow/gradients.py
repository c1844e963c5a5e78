"""``value_and_grad`` on TensorFlow: the gradient of a stateful function of brickwork variables,
through ``tf.GradientTape`` (the variables are real ``tf.Variable``s, watched by the tape)."""

from __future__ import annotations

import tensorflow as tf


def value_and_grad(fn, variables, has_aux=False):
    variables = list(variables)
    with tf.GradientTape() as tape:
        for variable in variables:
            tape.watch(variable.value)
        out = fn()
    loss, aux = out if has_aux else (out, None)
    grads = tape.gradient(loss, [v.value for v in variables],
                          unconnected_gradients=tf.UnconnectedGradients.ZERO)
    return ((loss, aux) if has_aux else loss), list(grads)
