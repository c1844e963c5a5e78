"""TensorFlow backend: image ops (resize, affine transforms, coordinate maps).

Written once where shared in ``common/image_ops.py`` against ``xp`` and included here with
``xp = tf.experimental.numpy`` (see ``common/binding.py``); the rest is TensorFlow's own.
"""

from __future__ import annotations

import tensorflow.experimental.numpy as tnp

from brickwork.backend.common.binding import include
from brickwork.backend.tensorflow.core import convert_to_tensor  # noqa: F401 - bound for the include

# ruff: noqa: F821 - the functions include() defines are unknown to linters
xp = tnp  # the array namespace common/image_ops.py runs on
include("image_ops", globals())


from brickwork.backend.tensorflow._pending import fill  # noqa: E402 - ops still to write (issue 22)

fill(globals(), "resize")
