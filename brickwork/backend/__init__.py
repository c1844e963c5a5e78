"""The backend: configuration, dtypes, symbolic tensors, and the active engine.

``active`` is the package of the chosen engine (``brickwork.backend.torch``,
``.jax`` or ``.numpy``); everything outside ``backend/`` reaches the engine through it
or through the names re-exported here, never by importing torch or jax itself.
"""

from __future__ import annotations

import importlib

from brickwork.backend.config import (  # noqa: F401
    backend,
    epsilon,
    floatx,
    image_data_format,
    set_epsilon,
    set_floatx,
    set_image_data_format,
    standardize_data_format,
)
from brickwork.backend.common import dtypes  # noqa: F401
from brickwork.backend.common.dtypes import is_float, is_int, result_type, standardize_dtype  # noqa: F401
from brickwork.backend.common.global_state import clear_session  # noqa: F401
from brickwork.backend.common.keras_tensor import KerasTensor, any_symbolic_tensors, is_keras_tensor  # noqa: F401
from brickwork.backend.common.masking import get_keras_mask, set_keras_mask  # noqa: F401
from brickwork.backend.common.name_scope import name_scope  # noqa: F401
from brickwork.backend.common.remat import RematScope, get_current_remat_mode, remat  # noqa: F401
from brickwork.backend.common.symbolic_scope import SymbolicScope, in_symbolic_scope  # noqa: F401
from brickwork.backend.common.stateless_scope import (  # noqa: F401
    StatelessScope,
    get_stateless_scope,
    in_stateless_scope,
)
from brickwork.backend.common.variables import AutocastScope, standardize_shape  # noqa: F401
from brickwork.backend.common.variables import Variable as _BaseVariable

active = importlib.import_module(f"brickwork.backend.{backend()}")

Variable = active.core.Variable
convert_to_tensor = active.core.convert_to_tensor
convert_to_numpy = active.core.convert_to_numpy
is_tensor = active.core.is_tensor
compute_output_spec = active.core.compute_output_spec
device_scope = active.core.device_scope
get_device = active.core.get_device
SUPPORTS_TRAINING = active.core.SUPPORTS_TRAINING


def random_seed_dtype() -> str:
    """The dtype of seed tensors and ``SeedGenerator`` states on the active engine (``"uint32"`` on jax).

    Returns:
        The dtype name, a string (``"int64"`` on torch, ``"uint32"`` on jax and numpy).

    Example:
    >>> keras.backend.random_seed_dtype()   # 'int64' on torch
    """
    return active.random.random_seed_dtype()


def is_variable(x) -> bool:
    """Whether ``x`` is a ``keras.Variable``.

    Args:
        x: any object.

    Returns:
        ``True`` for a ``Variable``; ``False`` for anything else, a variable's value included.

    Example:
    >>> v = keras.Variable([1.0, 2.0])
    >>> keras.backend.is_variable(v)   # True
    >>> keras.backend.is_variable(ops.ones((2,)))   # False
    """
    return isinstance(x, _BaseVariable)


def device(device_name):
    """Context manager placing new tensors on ``device_name`` (``"cpu"``, ``"gpu:0"``).

    Args:
        device_name: ``"cpu"``, ``"gpu"``, or a numbered device such as ``"gpu:0"``.

    Returns:
        A context manager; tensors and variables created inside it go to that device.

    Example:
    >>> with keras.device("cpu"):
    ...     x = ops.ones((2,))
    """
    return device_scope(device_name)

# Keras's public backend names that are not engine ops.
from brickwork.backend.common.global_state import get_uid  # noqa: E402,F401

SUPPORTS_SPARSE_TENSORS = getattr(active.core, "SUPPORTS_SPARSE_TENSORS", False)  # jax's BCOO; torch and numpy: dense only
SUPPORTS_RAGGED_TENSORS = False
SLICES_ON_HOST = getattr(active.core, "SLICES_ON_HOST", False)  # jax: batches of NumPy data are sliced as NumPy


def is_float_dtype(dtype) -> bool:
    """Whether ``dtype`` (a name, NumPy or engine dtype) is a floating-point type.

    Args:
        dtype: a dtype name, a NumPy or engine dtype, or a Python type.

    Returns:
        ``True`` for a floating-point dtype, else ``False``.

    Example:
        keras.backend.is_float_dtype("bfloat16")  # True
    """
    return is_float(dtype)


def is_int_dtype(dtype) -> bool:
    """Whether ``dtype`` is a signed or unsigned integer type.

    Args:
        dtype: a dtype name, a NumPy or engine dtype, or a Python type.

    Returns:
        ``True`` for a signed or unsigned integer dtype, else ``False``.

    Example:
        keras.backend.is_int_dtype("uint8")  # True
    """
    return is_int(dtype)


# The active engine under the names Keras's ``backend`` module gives it: its op modules
# (``backend.numpy.ones``, ``backend.nn.conv``) and its core functions (``backend.cast``).
def _engine_numpy_module():
    """Keras's ``backend.numpy`` holds what brickwork splits into ``numpy.py`` (math) and ``arrays.py``."""
    import types

    merged = types.ModuleType(f"{active.__name__}.numpy", "The active engine's NumPy-like ops (math and arrays).")
    merged.__dict__.update({k: v for k, v in vars(active.arrays).items() if not k.startswith("__")})
    merged.__dict__.update({k: v for k, v in vars(active.numpy).items() if not k.startswith("__")})
    return merged


def _engine_random_module():
    """Keras's ``backend.random``: its samplers take a seed as users give it (an int, a ``SeedGenerator``,
    ``None``) and a ``None`` dtype, so they are ``brickwork.random``'s; the engine's own helpers
    (``random_seed_dtype``, …) and ``SeedGenerator`` / ``draw_seed`` (Keras's cells make theirs through
    it) sit beside them."""
    import types

    from brickwork.random import random as public_random
    from brickwork.random import seed_generator

    merged = types.ModuleType(f"{active.__name__}.random", "The active engine's random ops, and SeedGenerator.")
    merged.__dict__.update({k: v for k, v in vars(active.random).items() if not k.startswith("__")})
    for name in ("normal", "uniform", "truncated_normal", "randint", "categorical", "dropout", "shuffle", "gamma",
                 "binomial", "beta"):
        setattr(merged, name, getattr(public_random, name))
    for name in ("SeedGenerator", "draw_seed", "make_default_seed"):
        setattr(merged, name, getattr(seed_generator, name))
    return merged


_ENGINE_MODULES = ("core", "image", "linalg", "math", "nn", "rnn", "distribution_lib")


def __getattr__(name):
    """The engine's op modules load on first use (``distribution_lib`` pulls in ``torch.distributed``)."""
    if name in _ENGINE_MODULES:
        return importlib.import_module(f"{active.__name__}.{name}")
    if name == "numpy":
        globals()["numpy"] = _engine_numpy_module()
        return globals()["numpy"]
    if name == "random":
        globals()["random"] = _engine_random_module()
        return globals()["random"]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


IS_THREAD_SAFE = True
SUPPORTS_COMPLEX_DTYPES = True
for _name in ("shape", "cast", "stop_gradient", "cond", "scatter", "scatter_update", "slice", "slice_update",
              "while_loop", "fori_loop", "scan", "unstack", "vectorized_map", "custom_gradient", "map",
              "associative_scan", "switch", "saturate_cast", "random_seed_dtype"):
    if hasattr(active.core, _name):
        globals()[_name] = getattr(active.core, _name)
# What these functions do is the same on every engine: their docstrings are written once.
from brickwork.backend.common.engine_docs import ENGINE_DOCS as _ENGINE_DOCS  # noqa: E402

for _name, _doc in _ENGINE_DOCS.items():
    if _name in globals():
        globals()[_name].__doc__ = _doc  # the engine's own docstring, for its readers, stays in its source
del _name, _doc, _ENGINE_DOCS
