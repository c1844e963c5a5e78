"""How the NumPy-like engines share one copy of their code: ``include`` a common module.

``jax.numpy`` and NumPy (and later TensorFlow's NumPy API) take the same calls, so the ops they
share are written once, in ``brickwork/backend/common/*_ops.py``, against an array namespace
called ``xp``. An engine module binds ``xp`` (and the few other names the common module lists in
its ``REQUIRES``), then runs the common module's code in its own namespace::

    import jax.numpy as xp
    from brickwork.backend.common.binding import include
    from brickwork.backend.jax.core import convert_to_tensor

    include("numpy_ops", globals())

    def divide_no_nan(x1, x2):  # what jax does differently: defined after, it replaces the shared one
        ...

The included functions become the engine module's own functions, exactly as if they were written
there: their globals are the engine module's, so an op costs no extra Python call, and a helper the
engine defines again afterwards (say ``_to_float``) is the one every shared function calls. A common
``*_ops.py`` module is therefore never imported by itself; its ``REQUIRES`` (declared under
``TYPE_CHECKING`` for readers and linters) say what the engine binds before including it.
"""

from __future__ import annotations

import ast
import functools
import importlib.machinery
import re
from pathlib import Path
from types import CodeType

_COMMON = Path(__file__).parent
_REQUIRES = re.compile(r"^REQUIRES = (\(.*?\))$", re.MULTILINE | re.DOTALL)


@functools.cache
def _compiled(module_name: str) -> tuple[CodeType, tuple[str, ...]]:
    """The common module's code, and the names it ``REQUIRES`` of the including module."""
    path = _COMMON / f"{module_name}.py"
    # The import system's loader: the code comes from __pycache__ while the source is unchanged, as an
    # import's would (compiling the shared modules at every start cost more than the rest of the backend).
    loader = importlib.machinery.SourceFileLoader(f"brickwork.backend.common.{module_name}", str(path))
    found = _REQUIRES.search(path.read_text())
    requires = tuple(ast.literal_eval(found.group(1))) if found else ()
    return loader.get_code(loader.name), requires


def include(module_name: str, namespace: dict) -> None:
    """Run ``brickwork/backend/common/<module_name>.py`` in ``namespace`` (an engine module's globals).

    Args:
        module_name: the common module, e.g. ``"numpy_ops"``.
        namespace: the including module's ``globals()``; it must already bind every name in the
            common module's ``REQUIRES``.
    """
    code, requires = _compiled(module_name)
    missing = [name for name in requires if name not in namespace]
    if missing:
        raise ImportError(
            f"{namespace.get('__name__')} includes common/{module_name}.py but does not bind {missing}; "
            f"bind them before include()."
        )
    doc = namespace.get("__doc__")
    exec(code, namespace)
    namespace["__doc__"] = doc  # the engine module keeps its own docstring
