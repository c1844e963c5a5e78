"""Plain-Python helpers Keras code reaches for: function (de)serialization, axis and sequence checks.

``func_dump`` / ``func_load`` move a function as marshalled bytecode (the Keras 2 way of saving a
``Lambda``). Loading bytecode runs code, so brickwork's file loaders never call ``func_load`` on a file's
contents unless the user turned safe mode off; calling it yourself is trusting the data.

Example:
    >>> from brickwork.utils import python_utils
    >>> python_utils.is_continuous_axis([1, 2, 3])
    True
"""

from __future__ import annotations

import base64
import binascii
import marshal
import types


def is_continuous_axis(axis) -> bool:
    """Whether ``axis`` (an int or a sequence of ints) names neighbouring axes in one direction."""
    if isinstance(axis, int) or len(axis) <= 1:
        return True
    step = axis[1] - axis[0]
    return step in (1, -1) and all(b - a == step for a, b in zip(axis, axis[1:]))


def func_dump(func) -> tuple:
    """``(code, defaults, closure)``: ``func``'s bytecode in base64 text, its defaults, its closure's values."""
    code = base64.b64encode(marshal.dumps(func.__code__)).decode("ascii")
    closure = tuple(cell.cell_contents for cell in func.__closure__) if func.__closure__ else None
    return code, func.__defaults__, closure


def func_load(code, defaults=None, closure=None, globs=None):
    """The function ``func_dump`` described (``code`` may be the whole ``(code, defaults, closure)``).

    This runs the bytecode it is given: use it only on data you trust.
    """
    if isinstance(code, (tuple, list)):
        code, defaults, closure = code
    if isinstance(defaults, list):
        defaults = tuple(defaults)
    try:
        raw = base64.b64decode(code.encode("ascii"), validate=True)
    except (UnicodeEncodeError, binascii.Error):
        raw = code.encode("raw_unicode_escape")
    try:
        loaded = marshal.loads(raw)
    except (ValueError, EOFError, TypeError):
        loaded = None
    if not isinstance(loaded, types.CodeType):
        # AttributeError, as Keras raises for such data, so callers that catch it keep working.
        kind = type(loaded).__name__
        raise AttributeError(f"func_load: the data is not a marshalled Python function (decoded {kind}).")
    cells = tuple(_cell(value) for value in closure) if closure is not None else None
    return types.FunctionType(loaded, globs if globs is not None else globals(), loaded.co_name, defaults, cells)


def _cell(value):
    return value if isinstance(value, types.CellType) else types.CellType(value)


def remove_long_seq(maxlen: int, seq: list, label: list) -> tuple[list, list]:
    """The sequences shorter than ``maxlen``, and their labels."""
    kept = [(x, y) for x, y in zip(seq, label) if len(x) < maxlen]
    return [x for x, _ in kept], [y for _, y in kept]


def removeprefix(x: str, prefix: str) -> str:
    """``x`` without ``prefix`` at its start."""
    return x.removeprefix(prefix)


def removesuffix(x: str, suffix: str) -> str:
    """``x`` without ``suffix`` at its end."""
    return x.removesuffix(suffix)


def to_list(x) -> list:
    """``x`` if it is a list, else ``[x]``."""
    return x if isinstance(x, list) else [x]
