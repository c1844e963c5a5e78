"""What every engine shares, with the names Keras's ``backend.common`` gives them."""

import importlib

from brickwork.backend.common.dtypes import is_float as is_float_dtype  # noqa: F401
from brickwork.backend.common.dtypes import is_int as is_int_dtype  # noqa: F401
from brickwork.backend.common.dtypes import result_type, standardize_dtype  # noqa: F401

_LAZY = {"KerasVariable": ("brickwork.backend.common.variables", "Variable"),
         "AutocastScope": ("brickwork.backend.common.variables", "AutocastScope"),
         "get_autocast_scope": ("brickwork.backend.common.variables", "get_autocast_scope"),
         "standardize_shape": ("brickwork.backend.common.variables", "standardize_shape"),
         "random": ("brickwork.random.random", None)}


def __getattr__(name):
    """Names whose modules import the engine load on first use (``backend.common`` itself must not)."""
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module_name, attribute = _LAZY[name]
    module = importlib.import_module(module_name)
    return module if attribute is None else getattr(module, attribute)
