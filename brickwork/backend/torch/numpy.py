"""torch backend: the NumPy-like ops. Each function takes tensors, arrays, Variables or scalars."""

from __future__ import annotations

import torch

from brickwork.backend import config
from brickwork.backend.common import dtypes
from brickwork.backend.torch.core import convert_to_tensor, standardize_dtype, to_torch_dtype

_SCALARS = (int, float, bool, complex)


def _promote(x1, x2):
    """Both operands as tensors of Keras's result dtype; Python scalars stay weak."""
    if isinstance(x1, _SCALARS):
        x2 = convert_to_tensor(x2)
        return convert_to_tensor(x1, dtypes.result_type(standardize_dtype(x2.dtype), x1)), x2
    if isinstance(x2, _SCALARS):
        x1 = convert_to_tensor(x1)
        return x1, convert_to_tensor(x2, dtypes.result_type(standardize_dtype(x1.dtype), x2))
    x1 = convert_to_tensor(x1)
    x2 = convert_to_tensor(x2)
    if x1.dtype != x2.dtype:
        target = to_torch_dtype(dtypes.result_type(standardize_dtype(x1.dtype), standardize_dtype(x2.dtype)))
        x1, x2 = x1.to(target), x2.to(target)
    return x1, x2


def add(x1, x2):
    x1, x2 = _promote(x1, x2)
    return torch.add(x1, x2)


def mean(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    if not (x.is_floating_point() or x.is_complex()):
        x = x.to(to_torch_dtype(config.floatx()))
    if axis is None:
        axis = tuple(range(x.ndim))
    return torch.mean(x, dim=axis, keepdim=keepdims)
