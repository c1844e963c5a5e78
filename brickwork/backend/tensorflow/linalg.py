"""TensorFlow backend: linear algebra. Matrices are the last two axes; leading axes are a batch.

Written once where shared in ``common/linalg_ops.py`` against ``xp`` and included here with
``xp = tf.experimental.numpy`` (see ``common/binding.py``); the rest is TensorFlow's own.
"""

from __future__ import annotations

import tensorflow.experimental.numpy as tnp

from brickwork.backend.common.binding import include
from brickwork.backend.tensorflow.math import _float  # noqa: F401 - bound for the include

# ruff: noqa: F821 - the functions include() defines are unknown to linters
xp = tnp  # the array namespace common/linalg_ops.py runs on
include("linalg_ops", globals())


from brickwork.backend.tensorflow._pending import fill  # noqa: E402 - ops still to write (issue 22)

fill(globals(), "cholesky det eig eigh inv lu_factor norm solve_triangular jvp")
