"""TensorFlow backend: NumPy's less common numerical functions (``fmax``, ``gcd``, ``nextafter``, …).

Written once in ``common/numerics_ops.py`` against ``xp`` and included here with
``xp`` = ``tf.experimental.numpy`` completed (``_tnp.py``).
"""

from __future__ import annotations

from brickwork.backend.common.binding import include
from brickwork.backend.tensorflow import _tnp as xp  # noqa: F401 - the array namespace common/numerics_ops.py runs on
from brickwork.backend.tensorflow.core import convert_to_tensor, standardize_dtype  # noqa: F401
from brickwork.backend.tensorflow.numpy import (  # noqa: F401
    _axis,
    _promote,
    _promote_float,
    _to_float,
)

include("numerics_ops", globals())
