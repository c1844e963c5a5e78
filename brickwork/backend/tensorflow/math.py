"""TensorFlow backend: math ops (segments, top-k, logsumexp, Fourier transforms, special functions).

Written once where shared in ``common/math_ops.py`` against ``xp`` and included here with
``xp = tf.experimental.numpy`` (see ``common/binding.py``); the rest is TensorFlow's own.
"""

from __future__ import annotations

import tensorflow.experimental.numpy as tnp

from brickwork.backend.common.binding import include
from brickwork.backend.tensorflow.core import convert_to_tensor  # noqa: F401 - bound for the include

# ruff: noqa: F821 - the functions include() defines are unknown to linters
xp = tnp  # the array namespace common/math_ops.py runs on
include("math_ops", globals())


from brickwork.backend.tensorflow._pending import fill  # noqa: E402 - ops still to write (issue 22)

fill(globals(), "segment_sum segment_max segment_min segment_prod top_k in_top_k logsumexp extract_sequences fft fft2 ifft2 rfft irfft rsqrt erf erfc erfinv")
