"""Core helpers the NumPy-like engines share: dtype names, Python-value dtypes, conversions, and
how a variable reads its value.

Included by ``backend/<engine>/core.py`` (see ``common/binding.py``): the engine module runs this
code in its own namespace; ``cast`` and ``_ArrayVariable`` call the engine's ``convert_to_tensor``
and the engine's ``convert_to_tensor`` calls ``_infer_dtype`` (both looked up when called).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from brickwork.backend import config
from brickwork.backend.common import dtypes, global_state
from brickwork.backend.common.variables import Variable as _BaseVariable

REQUIRES = ()
if TYPE_CHECKING:  # defined by the including engine module

    def convert_to_tensor(x, dtype=None, sparse=None, ragged=None): ...


_SYMBOLIC = ("convert_to_tensor: received a symbolic KerasTensor. Symbolic tensors have no data; "
             "use them with brickwork.ops or layers, or call the model on real data.")


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
        return dtypes.promote_types(*flat) if flat else config.floatx()
    return None


def convert_to_numpy(x) -> np.ndarray:
    if isinstance(x, _BaseVariable):
        x = x.value
    if isinstance(x, (list, tuple)):
        return np.array([convert_to_numpy(v) for v in x])
    return np.array(x)  # a writable copy, as on torch: a jax array's own view is read-only


def cast(x, dtype):
    return convert_to_tensor(x, dtype)


class _ArrayVariable(_BaseVariable):
    """A variable holding one engine array in ``_value``; the engine's ``Variable`` says how it stores one."""

    def _convert(self, value):
        return convert_to_tensor(value, dtype=self._dtype)

    def _convert_to_tensor(self, value, dtype=None):
        return convert_to_tensor(value, dtype=dtype)

    @property
    def value(self):
        state = global_state.STATE
        scope = state.stateless_scope
        if scope is None and state.autocast_dtype is None and self._value is not None:
            return self._value
        scoped = None if scope is None else scope.get_current_value(self)
        value = self._stored_value() if scoped is None else scoped
        autocast = self._autocast_dtype()
        return value if autocast is None else convert_to_tensor(value, autocast)
