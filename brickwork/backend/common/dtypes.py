"""Dtype names and Keras 3's type-promotion lattice (the one JAX uses).

``promote_types`` is the single source of truth for what dtype a mixed operation
returns: ``int32 + Python int -> int32``, ``float32 + Python float -> float32``,
``int32 + float16 -> float16``, ``uint8 + int8 -> int16``. ``result_type``, the public
``keras.backend.result_type``, reports it narrowed to 32 bits, as Keras does.
"""

from __future__ import annotations

import functools

import numpy as np

from brickwork.backend import config

BOOL_TYPES = ("bool",)
INT_TYPES = ("uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64")
FLOAT_TYPES = ("bfloat16", "float16", "float32", "float64")
COMPLEX_TYPES = ("complex64", "complex128")
WEAK_TYPES = ("int", "float")  # Python scalars, which take the other operand's dtype
# Keras names the float8 types; no engine here computes in them yet, so they are not allowed dtypes.
FLOAT8_TYPES = ("float8_e4m3fn", "float8_e5m2")
# Keras's order, which its tests' parametrized ids (``test_add_('float16', 'bool')``) are built from.
ALLOWED_DTYPES = (("float16", "float32", "float64") + INT_TYPES + ("bfloat16",) + BOOL_TYPES + ("string",)
                  + COMPLEX_TYPES)

# Python scalars are "weak": they adopt the dtype of the tensor they meet.
_WEAK_INT, _WEAK_FLOAT, _WEAK_COMPLEX = "int", "float", "complex"

_ALIASES = {
    "float": "float32",
    "double": "float64",
    "half": "float16",
    "int": "int32",  # Python's int, as Keras 3 maps it outside TensorFlow
    "long": "int64",
    "short": "int16",
    "uint": "uint32",
    "complex": "complex128",
    "str": "string",
    "bytes": "string",
    "object": "string",
    "<u1": "string",
}

# Each dtype and the dtypes it may be promoted to directly (JAX's lattice).
_LATTICE = {
    "bool": (_WEAK_INT,),
    _WEAK_INT: ("uint8", "int8"),
    "uint8": ("int16", "uint16"),
    "uint16": ("int32", "uint32"),
    "uint32": ("int64", "uint64"),
    "uint64": (_WEAK_FLOAT,),
    "int8": ("int16",),
    "int16": ("int32",),
    "int32": ("int64",),
    "int64": (_WEAK_FLOAT,),
    _WEAK_FLOAT: ("bfloat16", "float16", _WEAK_COMPLEX),
    "bfloat16": ("float32",),
    "float16": ("float32",),
    "float32": ("float64", "complex64"),
    "float64": ("complex128",),
    _WEAK_COMPLEX: ("complex64",),
    "complex64": ("complex128",),
    "complex128": (),
}


def _upper_bounds(dtype: str) -> frozenset:
    seen, todo = set(), [dtype]
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(_LATTICE[node])
    return frozenset(seen)


_UPPER = {dtype: _upper_bounds(dtype) for dtype in _LATTICE}


_STANDARD_CACHE: dict = {}


def standardize_dtype(dtype) -> str:
    """Return the canonical string name of ``dtype`` (``None`` means floatx).

    Accepts strings, NumPy / PyTorch / JAX dtypes and Python types.

    Args:
        dtype: a dtype name (``"float"`` and ``"int"`` included), a NumPy, torch or jax dtype, a Python
            type (``int``, ``float``, ``bool``), or ``None``.

    Returns:
        The dtype's name as a string, such as ``"float32"`` or ``"int32"``.

    Example:
    >>> keras.utils.standardize_dtype(np.float16)   # 'float16'
    >>> keras.utils.standardize_dtype(int)   # 'int32'
    """
    if dtype is None:
        return config.floatx()
    try:
        return _STANDARD_CACHE[dtype]
    except (KeyError, TypeError):
        pass
    name = _standardize(dtype)
    try:
        _STANDARD_CACHE[dtype] = name
    except TypeError:
        pass
    return name


def _standardize(dtype) -> str:
    if isinstance(dtype, str):
        name = dtype
    elif dtype is bool:
        return "bool"
    elif dtype is int:
        return "int32"  # as Keras 3 maps it outside TensorFlow
    elif dtype is float:
        return "float32"
    elif isinstance(dtype, np.dtype) and dtype.kind in "USO":
        return "string"
    elif isinstance(dtype, type) and issubclass(dtype, np.generic):
        name = np.dtype(dtype).name
    elif hasattr(dtype, "name") and isinstance(dtype.name, str):
        name = dtype.name
    elif hasattr(dtype, "dtype"):
        return standardize_dtype(dtype.dtype)
    else:
        name = str(dtype)
    name = name.replace("torch.", "")
    name = _ALIASES.get(name, name)
    if name.startswith("<U") or name.startswith("|S") or name.startswith("<S"):
        return "string"
    if name not in ALLOWED_DTYPES:
        raise ValueError(f"Invalid dtype: {dtype!r}. Expected one of {ALLOWED_DTYPES}.")
    return name


def is_float(dtype) -> bool:
    """Whether ``dtype`` is a floating-point dtype (``float16``, ``bfloat16``, ``float32``, …).

    Args:
        dtype: a dtype name, a NumPy or engine dtype, or a Python type (``float``).

    Returns:
        ``True`` for a floating-point dtype, else ``False``.

    Example:
    >>> keras.backend.is_float("bfloat16")   # True
    >>> keras.backend.is_float("int32")   # False
    """
    return standardize_dtype(dtype) in FLOAT_TYPES


def is_int(dtype) -> bool:
    """Whether ``dtype`` is a signed or unsigned integer dtype.

    Args:
        dtype: a dtype name, a NumPy or engine dtype, or a Python type (``int``).

    Returns:
        ``True`` for an integer dtype (``bool`` is not one), else ``False``.

    Example:
    >>> keras.backend.is_int("uint8")   # True
    >>> keras.backend.is_int("float32")   # False
    """
    return standardize_dtype(dtype) in INT_TYPES


def is_complex(dtype) -> bool:
    return standardize_dtype(dtype) in COMPLEX_TYPES


def _dtype_of(x) -> str:
    """The lattice node of ``x``: a weak node for Python scalars and for the types ``int``, ``float``."""
    if x is bool:
        return "bool"
    # The Python type itself is as weak as its values. Compared by identity: a NumPy dtype equals ``float``.
    for python_type, node in ((int, _WEAK_INT), (float, _WEAK_FLOAT), (complex, _WEAK_COMPLEX)):
        if x is python_type:
            return node
    if isinstance(x, bool):
        return "bool"
    if isinstance(x, int):
        return _WEAK_INT
    if isinstance(x, float):
        return _WEAK_FLOAT
    if isinstance(x, complex):
        return _WEAK_COMPLEX
    if isinstance(x, str) and x in (_WEAK_INT, _WEAK_FLOAT, _WEAK_COMPLEX) + FLOAT8_TYPES:
        return x
    return standardize_dtype(x)


@functools.lru_cache(maxsize=512)
def _join(nodes: tuple) -> str:
    common = frozenset.intersection(*(_UPPER[n] for n in nodes))
    # The least upper bound is the common bound that every other common bound lies above.
    for candidate in common:
        if common <= _UPPER[candidate]:
            return candidate
    raise ValueError(f"No common dtype for {nodes}.")


def _resolve_weak(node: str) -> str:
    if node == _WEAK_INT:
        return "int32"
    if node == _WEAK_FLOAT:
        return config.floatx()
    if node == _WEAK_COMPLEX:
        return "complex64"
    return node


def promote_types(*dtypes) -> str:
    """The dtype of an operation over ``dtypes`` under Keras 3's promotion lattice, 64-bit inputs kept.

    What brickwork's ops compute in: a float64 input stays float64 where the engine holds it, while a 64-bit
    type that only the lattice creates is narrowed as Keras narrows it (``uint32 + int8 -> int32``).
    ``result_type`` is the public form, which narrows every 64-bit result to 32 bits as Keras does.

    Each argument is a dtype, or a Python scalar (``1``, ``1.0``), which is weakly
    typed. Without arguments the result is floatx.

    Example:
    >>> promote_types("int32", 1)
    'int32'
    >>> promote_types("uint8", "int8")
    'int16'
    >>> promote_types("uint32", "int8"), promote_types("uint32", "int64")
    ('int32', 'int64')
    """
    if not dtypes:
        return config.floatx()
    nodes = tuple(sorted({_dtype_of(d) for d in dtypes}))
    if any(n in FLOAT8_TYPES for n in nodes):
        if len(nodes) == 1:
            return nodes[0]
        raise ValueError(f"There is no implicit conversions from float8 dtypes to others: received {nodes}. "
                         "Cast the float8 values explicitly first.")
    if "string" in nodes:
        if len(nodes) == 1:
            return "string"
        raise TypeError(f"Cannot promote string with {nodes}.")
    return _narrow_created_64_bits(_resolve_weak(_join(nodes)), nodes)


def _narrow_created_64_bits(promoted: str, nodes: tuple) -> str:
    """A 64-bit result that no input asked for is its 32-bit counterpart (``uint32 + int16 -> int32``).

    That is JAX's default mode and Keras's rule; a 64-bit input (the user's float64 data) keeps its 64 bits.
    """
    if promoted in _BIT64_TO_BIT32 and not any(n in _BIT64_TO_BIT32 for n in nodes):
        return _narrowed(promoted)
    return promoted


_BIT64_TO_BIT32 = {"int64": "int32", "uint64": "uint32", "float64": "float32", "complex128": "complex64"}
# Keras keeps int64 and float64 results on its TensorFlow backend (TensorFlow places int64 variables on the GPU).
_KEPT_ON_TENSORFLOW = ("int64", "float64")


def _narrowed(dtype: str) -> str:
    """``dtype``'s 32-bit counterpart where Keras narrows it (int64 and float64 stay on the tensorflow engine)."""
    if dtype in _KEPT_ON_TENSORFLOW and config.backend() == "tensorflow":
        return dtype
    return _BIT64_TO_BIT32.get(dtype, dtype)


def result_type(*dtypes) -> str:
    """``keras.backend.result_type``: the promoted dtype, narrowed to 32 bits as Keras 3 narrows it.

    Keras aligns this function with JAX's default (32-bit) mode: a result of ``int64``, ``uint64``,
    ``float64`` or ``complex128`` is reported as its 32-bit counterpart, even for ``result_type("float64")``;
    on the tensorflow engine ``int64`` and ``float64`` stay, as in Keras. brickwork's ops promote with ``promote_types``, which keeps 64 bits.

    Args:
        *dtypes: dtypes by name or as NumPy or engine dtypes (Python types stand for weak scalars).

    Returns:
        The promoted dtype's name, a string, 64-bit results narrowed to 32 bits.

    Example:
    >>> result_type("uint32", "int16")
    'int32'
    >>> result_type("float64", 1)
    'float32'
    """
    promoted = promote_types(*dtypes)
    return _narrowed(promoted)


def to_numpy_dtype(dtype) -> np.dtype:
    """The NumPy dtype for ``dtype`` (bfloat16 through ml_dtypes when installed)."""
    name = standardize_dtype(dtype)
    if name == "bfloat16":
        import ml_dtypes

        return np.dtype(ml_dtypes.bfloat16)
    if name == "string":
        return np.dtype(object)
    return np.dtype(name)
