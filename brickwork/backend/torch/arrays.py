"""torch backend: NumPy-like shape, indexing, creation and linear-algebra-product ops. Each function takes tensors, arrays, Variables or scalars."""

from __future__ import annotations

import torch

from brickwork.backend import config
from brickwork.backend.common import dtypes
from brickwork.backend.torch.core import convert_to_tensor, standardize_dtype, to_torch_dtype
from brickwork.backend.torch.numpy import _promote  # noqa: F401


def matmul(x1, x2):
    x1, x2 = _promote(x1, x2)
    return torch.matmul(x1, x2)


def reshape(x, newshape):
    x = convert_to_tensor(x)
    if isinstance(newshape, int):
        newshape = (newshape,)
    return torch.reshape(x, tuple(newshape))

