"""numpy backend: the NumPy-like ops, with Keras's dtype rules on top of NumPy's."""

from __future__ import annotations

import numpy as np

from brickwork.backend import config
from brickwork.backend.common import dtypes
from brickwork.backend.numpy.core import convert_to_tensor

_SCALARS = (int, float, bool, complex)


def _promote(x1, x2):
    """Both operands as arrays of Keras's result dtype; Python scalars stay weak."""
    if isinstance(x1, _SCALARS):
        x2 = convert_to_tensor(x2)
        return convert_to_tensor(x1, dtypes.result_type(x2.dtype, x1)), x2
    if isinstance(x2, _SCALARS):
        x1 = convert_to_tensor(x1)
        return x1, convert_to_tensor(x2, dtypes.result_type(x1.dtype, x2))
    x1 = convert_to_tensor(x1)
    x2 = convert_to_tensor(x2)
    if x1.dtype != x2.dtype:
        target = dtypes.result_type(x1.dtype, x2.dtype)
        x1, x2 = convert_to_tensor(x1, target), convert_to_tensor(x2, target)
    return x1, x2


def add(x1, x2):
    x1, x2 = _promote(x1, x2)
    return np.add(x1, x2)


def mean(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    if x.dtype.kind not in "fc":
        x = x.astype(config.floatx())
    return np.mean(x, axis=axis, keepdims=keepdims)
