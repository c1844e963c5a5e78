"""TensorFlow nn ops inside a ``tf.function`` whose inputs have unknown sizes (batch, length): the
graph gives what the eager call gives (which the op tests check against references)."""

import numpy as np
import pytest

from brickwork import backend, ops

pytestmark = pytest.mark.skipif(backend.backend() != "tensorflow", reason="TensorFlow's graph mode")

rng = np.random.default_rng(0)


def _graph_equals_eager(fn, *arrays, unknown=(0, 1)):
    import tensorflow as tf

    signature = [tf.TensorSpec([None if i in unknown else d for i, d in enumerate(a.shape)], tf.float32)
                 for a in arrays]
    graph = tf.function(fn, input_signature=signature)
    np.testing.assert_allclose(graph(*arrays).numpy(), fn(*[tf.constant(a) for a in arrays]).numpy(),
                               rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("padding, output_padding", [("same", None), ("same", 1), ("valid", 1)])
def test_conv_transpose_with_unknown_batch_and_length(padding, output_padding):
    kernel = rng.normal(size=(3, 2, 4)).astype("float32")
    x = rng.normal(size=(2, 7, 4)).astype("float32")
    _graph_equals_eager(lambda x: ops.conv_transpose(x, kernel, strides=2, padding=padding,
                                                     output_padding=output_padding), x)


def test_causal_attention_with_unknown_batch_and_length():
    q, k, v = (rng.normal(size=(2, 5, 4, 8)).astype("float32") for _ in range(3))
    _graph_equals_eager(lambda q, k, v: ops.dot_product_attention(q, k, v, is_causal=True), q, k, v)


def test_strided_depthwise_conv_with_unknown_batch():
    kernel = rng.normal(size=(3, 3, 4, 2)).astype("float32")
    x = rng.normal(size=(2, 9, 8, 4)).astype("float32")
    _graph_equals_eager(lambda x: ops.depthwise_conv(x, kernel, strides=(2, 1), padding="same"), x, unknown=(0,))
