"""TensorFlow backend: the NumPy-like element-wise math, reductions, comparisons and logic.

Written once in ``common/numpy_ops.py`` against ``xp`` and included here with
``xp = tf.experimental.numpy`` (see ``common/binding.py``); what follows the include is what
TensorFlow does differently. Each function returns a ``tf.Tensor`` of Keras's dtype.
"""

from __future__ import annotations

import tensorflow as tf
import tensorflow.experimental.numpy as tnp

from brickwork.backend.common.binding import include
from brickwork.backend.tensorflow.core import convert_to_tensor, standardize_dtype  # noqa: F401 - bound for the include

# ruff: noqa: F821 - the functions include() defines are unknown to linters
xp = tnp  # the array namespace common/numpy_ops.py runs on
include("numpy_ops", globals())


def _bincount(x, weights, length):
    return tf.math.bincount(x, weights=weights, minlength=length, maxlength=length,
                            dtype=tf.int32 if weights is None else weights.dtype)


def _is_inexact(x) -> bool:
    return x.dtype.is_floating or x.dtype.is_complex
