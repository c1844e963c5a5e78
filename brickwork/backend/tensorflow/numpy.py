"""TensorFlow backend: the NumPy-like element-wise math, reductions, comparisons and logic.

Written once in ``common/numpy_ops.py`` against ``xp`` and included here with
``xp`` = ``tf.experimental.numpy`` completed (``_tnp.py``; see ``common/binding.py``); what follows the include is what
TensorFlow does differently. Each function returns a ``tf.Tensor`` of Keras's dtype; a ``tf.SparseTensor`` input
follows the rules ``common/sparse_numpy_ops.py`` puts on the functions (see ``sparse.py``).
"""

from __future__ import annotations

import tensorflow as tf

from brickwork.backend.common.binding import include
from brickwork.backend.tensorflow import _tnp
from brickwork.backend.tensorflow import sparse as sparse_ops  # noqa: F401 - bound for the include
from brickwork.backend.tensorflow.core import convert_to_tensor, standardize_dtype  # noqa: F401 - bound for the include

xp = _tnp  # the array namespace common/numpy_ops.py runs on: tnp, completed
include("numpy_ops", globals())


def _bincount(x, weights, length):
    return tf.math.bincount(x, weights=weights, minlength=length, maxlength=length,
                            dtype=tf.int32 if weights is None else weights.dtype)


def _is_inexact(x) -> bool:
    return x.dtype.is_floating or x.dtype.is_complex


include("sparse_numpy_ops", globals())
