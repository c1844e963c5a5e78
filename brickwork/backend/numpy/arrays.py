"""numpy backend: NumPy-like shape, indexing, creation and product ops, NumPy-like shape, indexing, creation and product ops."""

from __future__ import annotations

import numpy as np

from brickwork.backend import config
from brickwork.backend.common import dtypes
from brickwork.backend.numpy.core import convert_to_tensor
from brickwork.backend.numpy.numpy import _promote  # noqa: F401


def matmul(x1, x2):
    x1, x2 = _promote(x1, x2)
    return np.matmul(x1, x2)


def reshape(x, newshape):
    return np.reshape(convert_to_tensor(x), newshape)

