"""The TensorFlow recurrence inside a ``tf.function``: one ``tf.while_loop`` (the time axis may be unknown
until the graph runs) that gives what the eager Python loop gives, against a NumPy loop as reference."""

import numpy as np
import pytest

from brickwork import backend, ops

pytestmark = pytest.mark.skipif(backend.backend() != "tensorflow", reason="TensorFlow's graph mode")

rng = np.random.default_rng(0)


def _numpy_rnn(x, h0, w, u, mask, go_backwards, zero_output_for_mask):
    """A tanh cell stepped in NumPy, with Keras's masking rules: a masked step keeps the state and repeats the
    previous output (zeros with ``zero_output_for_mask``)."""
    h, output, outputs = h0, np.zeros_like(h0), []
    order = range(x.shape[1] - 1, -1, -1) if go_backwards else range(x.shape[1])
    for t in order:
        new = np.tanh(x[:, t] @ w + h @ u)
        keep = np.ones((x.shape[0], 1), bool) if mask is None else mask[:, t, None]
        output = np.where(keep, new, 0.0 if zero_output_for_mask else output)
        h = np.where(keep, new, h)
        outputs.append(output)
    return output, np.stack(outputs, 1), h


@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("masked", [False, True])
@pytest.mark.parametrize("zero_output_for_mask", [False, True])
def test_rnn_in_a_graph_with_unknown_time_matches_numpy_and_eager(go_backwards, masked, zero_output_for_mask):
    import tensorflow as tf

    x = rng.normal(size=(3, 5, 4)).astype("float32")
    h0 = rng.normal(size=(3, 2)).astype("float32")
    w, u = rng.normal(size=(4, 2)).astype("float32"), rng.normal(size=(2, 2)).astype("float32")
    mask = np.array([[1, 1, 0, 1, 0], [1, 1, 1, 1, 1], [0, 1, 1, 0, 0]], bool) if masked else None

    def step(inputs, states):
        h = ops.tanh(ops.matmul(inputs, w) + ops.matmul(states[0], u))
        return h, [h]

    def run(x, mask):
        return backend.rnn.rnn(step, x, [h0], go_backwards=go_backwards, mask=mask,
                               zero_output_for_mask=zero_output_for_mask)

    signature = [tf.TensorSpec((3, None, 4), tf.float32)]
    if masked:
        signature.append(tf.TensorSpec((3, None), tf.bool))
        graph = tf.function(run, input_signature=signature)
    else:
        graph = tf.function(lambda x: run(x, None), input_signature=signature)
    last, outputs, states = graph(x, mask) if masked else graph(x)
    expected = _numpy_rnn(x, h0, w, u, mask, go_backwards, zero_output_for_mask)
    for got, want in zip((last, outputs, states[0]), expected):
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-5, atol=1e-6)
    eager = run(tf.constant(x), mask)
    np.testing.assert_allclose(eager[1].numpy(), outputs.numpy(), rtol=1e-6, atol=1e-7)
    # The graph holds the step once: a while loop, not one copy per time step.
    graph_def = graph.get_concrete_function().graph.as_graph_def()
    assert any(node.op in ("While", "StatelessWhile") for node in graph_def.node)


def test_lstm_layer_trains_through_the_graph_loop():
    """Gradients flow through the while loop: they equal the eager loop's."""
    import tensorflow as tf

    from brickwork import layers

    layer = layers.LSTM(3, return_sequences=True)
    x = rng.normal(size=(2, 6, 4)).astype("float32")
    layer(x)

    def loss(x):
        with tf.GradientTape() as tape:
            out = ops.sum(ops.square(layer(x)))
        return out, tape.gradient(out, [v.value for v in layer.trainable_variables])

    # The time axis unknown (ops.shape gives no dynamic batch size yet: the batch is fixed).
    graph = tf.function(loss, input_signature=[tf.TensorSpec((2, None, 4), tf.float32)])
    graph_loss, graph_grads = graph(x)
    eager_loss, eager_grads = loss(tf.constant(x))
    np.testing.assert_allclose(graph_loss.numpy(), eager_loss.numpy(), rtol=1e-5)
    for g, e in zip(graph_grads, eager_grads):
        np.testing.assert_allclose(g.numpy(), e.numpy(), rtol=1e-4, atol=1e-6)
