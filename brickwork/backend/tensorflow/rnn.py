"""TensorFlow backend: the recurrent loop (``rnn``) and the fused LSTM/GRU entry points.

Shared with the other NumPy-like engines: ``common/rnn_ops.py``, included here with
``xp = tf.experimental.numpy`` (see ``common/binding.py``).
"""

from __future__ import annotations

import tensorflow.experimental.numpy as tnp

from brickwork.backend.common.binding import include
from brickwork.backend.tensorflow.core import convert_to_tensor  # noqa: F401 - bound for the include
from brickwork.backend.tensorflow.nn import sigmoid  # noqa: F401 - bound for the include

# ruff: noqa: F821 - the functions include() defines are unknown to linters
xp = tnp  # the array namespace common/rnn_ops.py runs on
include("rnn_ops", globals())
