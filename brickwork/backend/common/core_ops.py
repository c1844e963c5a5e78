"""Core helpers the NumPy-like engines share: dtype names, Python-value dtypes, conversions.

Included by ``backend/<engine>/core.py`` (see ``common/binding.py``): the engine module runs this
code in its own namespace; ``cast`` calls the engine's ``convert_to_tensor`` and the engine's
``convert_to_tensor`` calls ``_infer_dtype`` (both looked up when called).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from brickwork.backend import config
from brickwork.backend.common import dtypes
from brickwork.backend.common.variables import Variable as _BaseVariable

REQUIRES = ()
if TYPE_CHECKING:  # defined by the including engine module

    def convert_to_tensor(x, dtype=None, sparse=None, ragged=None): ...


def standardize_dtype(dtype) -> str:
    return dtypes.standardize_dtype(dtype)


def _infer_dtype(x):
    if isinstance(x, bool):
        return "bool"
    if isinstance(x, int):
        return "int32"
    if isinstance(x, float):
        return config.floatx()
    if isinstance(x, (list, tuple)):
        flat = np.asarray(x, dtype=object).reshape(-1).tolist() if x else []
        if any(not isinstance(v, (bool, int, float, complex)) for v in flat):
            return None
        return dtypes.result_type(*flat) if flat else config.floatx()
    return None


def convert_to_numpy(x) -> np.ndarray:
    if isinstance(x, _BaseVariable):
        x = x.value
    if isinstance(x, (list, tuple)):
        return np.array([convert_to_numpy(v) for v in x])
    return np.array(x)  # a writable copy, as on torch: a jax array's own view is read-only


def cast(x, dtype):
    return convert_to_tensor(x, dtype)
