"""Small dtype questions: how many bits a dtype takes, whether it is a float, a common float for tensors.

Example:
    >>> from brickwork.utils import dtype_utils
    >>> dtype_utils.dtype_size("bfloat16")
    16
"""

from __future__ import annotations

from brickwork.backend.common import dtypes

_BITS = {"bool": 1, "float8_e4m3fn": 8, "float8_e5m2": 8, "int4": 4, "uint4": 4}


def dtype_size(dtype) -> int:
    """The number of bits one element of ``dtype`` takes (``bool`` counts as 1).

    Example:
        >>> dtype_size("int64")
        64
    """
    name = dtypes.standardize_dtype(dtype) if not isinstance(dtype, str) else dtype
    if name in _BITS:
        return _BITS[name]
    digits = "".join(c for c in name if c.isdigit())
    if not digits or name not in dtypes.ALLOWED_DTYPES:
        raise ValueError(f"dtype_size: unknown dtype {dtype!r}; expected one of {sorted(dtypes.ALLOWED_DTYPES)}.")
    return int(digits)


def is_float(dtype) -> bool:
    """Whether the dtype's name says it is a floating-point type (``"float32"``, ``"bfloat16"``, …).

    Example:
        >>> is_float("float16"), is_float("int32")
        (True, False)
    """
    return "float" in str(dtype)


def cast_to_common_dtype(tensors: list) -> list:
    """``tensors`` cast to the float dtype they promote to together, when any of them is a float.

    Integers and booleans do not take part in choosing the dtype; without floats, nothing changes.
    ``float16`` with ``bfloat16`` promotes to ``float32``.

    Example:
        >>> from brickwork import ops
        >>> a, b = cast_to_common_dtype([ops.ones((2,), "float16"), ops.ones((2,), "float32")])
        >>> a.dtype  # float32
    """
    from brickwork import ops

    float_dtypes = [dtypes.standardize_dtype(t.dtype) for t in tensors if is_float(dtypes.standardize_dtype(t.dtype))]
    if not float_dtypes:
        return list(tensors)
    common = dtypes.promote_types(*float_dtypes)
    return [t if dtypes.standardize_dtype(t.dtype) == common else ops.cast(t, common) for t in tensors]
