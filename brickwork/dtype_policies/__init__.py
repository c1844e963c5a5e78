"""``brickwork.dtype_policies``: per-layer compute and variable dtypes."""

from brickwork.dtype_policies.dtype_policy import DTypePolicy, dtype_policy, get, set_dtype_policy  # noqa: F401

FloatDTypePolicy = DTypePolicy
