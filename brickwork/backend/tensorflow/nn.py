"""TensorFlow backend: activations, convolutions, pooling, normalization, losses, attention.

Shared with the other NumPy-like engines: ``common/nn_ops.py``, included here with
``xp = tf.experimental.numpy`` (see ``common/binding.py``); the rest is TensorFlow's own.
"""

from __future__ import annotations

import tensorflow as tf
import tensorflow.experimental.numpy as tnp

from brickwork.backend.common.binding import include
from brickwork.backend.tensorflow.core import convert_to_tensor, stop_gradient  # noqa: F401 - bound for the include

# ruff: noqa: F821 - the functions include() defines are unknown to linters
xp = tnp  # the array namespace common/nn_ops.py runs on
include("nn_ops", globals())


def sigmoid(x):
    return tf.sigmoid(convert_to_tensor(x))


from brickwork.backend.tensorflow._pending import fill  # noqa: E402 - ops still to write (issue 22)

fill(globals(), "relu relu6 sparse_sigmoid softplus softsign sparse_plus silu squareplus log_sigmoid leaky_relu hard_sigmoid hard_silu hard_tanh elu selu celu gelu glu softmax log_softmax conv depthwise_conv separable_conv conv_transpose max_pool average_pool normalize rms_normalization one_hot binary_crossentropy ctc_loss psnr dot_product_attention")
