"""``DTypePolicy``: the dtype a layer stores its variables in and the dtype it computes in.

``"mixed_float16"`` and ``"mixed_bfloat16"`` keep variables in float32 and compute in the
lower precision; any plain dtype name uses it for both.

Example:
>>> policy = DTypePolicy("mixed_bfloat16")
>>> policy.variable_dtype, policy.compute_dtype
('float32', 'bfloat16')
"""

from __future__ import annotations

from brickwork.backend import config
from brickwork.backend.common import dtypes, global_state

_GLOBAL_POLICY = None
QUANTIZATION_MODES = ("int8", "float8", "int4", "gptq", "awq")


class DTypePolicy:
    """The dtypes a layer computes in and stores its variables in.

    Args:
        name: ``"float32"`` (or another float dtype name) for one dtype for both, ``"mixed_float16"`` or
            ``"mixed_bfloat16"`` to compute in 16 bits on float32 variables; ``None`` takes the global policy.

    Example:
        >>> policy = DTypePolicy("mixed_bfloat16")
        >>> policy.compute_dtype, policy.variable_dtype
        ('bfloat16', 'float32')
        >>> keras.layers.Dense(2, dtype=policy).compute_dtype
        'bfloat16'
    """

    _keras_module = "keras"  # Keras's first public name for it is keras.DTypePolicy, as layer configs write it

    def __init__(self, name: str | None = None):
        name = dtype_policy().name if name is None else name
        self._compute_dtype, self._variable_dtype = self._parse_name(name)
        self._name = name if name.startswith("mixed_") else self._compute_dtype

    @staticmethod
    def _parse_name(name) -> tuple[str, str]:
        """``(compute_dtype, variable_dtype)`` of a float policy name."""
        if not isinstance(name, str):
            raise TypeError(f"DTypePolicy: 'name' must be a string, such as 'mixed_float16'. Received: name={name!r} "
                            f"(of type {type(name).__name__})")
        if name in ("mixed_float16", "mixed_bfloat16"):
            return name[len("mixed_"):], "float32"
        try:
            dtype = dtypes.standardize_dtype(name)
        except (ValueError, TypeError):
            dtype = None
        if dtype is None or name.startswith("mixed_"):
            raise ValueError(f"DTypePolicy: Cannot convert {name!r} to a dtype policy; expected 'mixed_float16', "
                             "'mixed_bfloat16' or a dtype name such as 'float32'.")
        return dtype, dtype

    name = property(lambda self: self._name)
    compute_dtype = property(lambda self: self._compute_dtype)
    variable_dtype = property(lambda self: self._variable_dtype)

    quantization_mode = property(lambda self: None)  # quantized policies: quantized_dtype_policy.py

    @property
    def is_mixed(self) -> bool:
        return self._compute_dtype != self._variable_dtype

    def get_config(self) -> dict:
        return {"name": self._name}

    @classmethod
    def from_config(cls, config: dict) -> "DTypePolicy":
        return cls(**config)

    def __eq__(self, other):
        return type(other) is DTypePolicy and other._name == self._name

    def __hash__(self):
        return hash(self._name)

    def __repr__(self):
        return f'<{type(self).__name__} "{self._name}">'


def set_dtype_policy(policy) -> None:
    """Set the policy that layers created from now on use when given no ``dtype``.

    ``keras.backend.clear_session()`` goes back to the default, which follows ``floatx``.

    Args:
        policy: a policy name (``"mixed_float16"``, ``"bfloat16"``, …) or a ``DTypePolicy``.

    Returns:
        ``None``.

    Example:
        >>> keras.config.set_dtype_policy("mixed_float16")
    """
    global _GLOBAL_POLICY
    if not isinstance(policy, (str, DTypePolicy)):
        raise ValueError("set_dtype_policy: Invalid `policy` argument: expected a policy name (such as "
                         f"'mixed_float16') or a DTypePolicy, received {policy!r} (of type {type(policy).__name__}).")
    _GLOBAL_POLICY = get(policy)


def _reset_dtype_policy() -> None:
    """Back to the default policy, which follows ``floatx`` (what ``clear_session`` does)."""
    global _GLOBAL_POLICY
    _GLOBAL_POLICY = None


global_state.STATE.callbacks_on_clear.append(_reset_dtype_policy)


def dtype_policy() -> DTypePolicy:
    """The global policy (floatx unless set).

        Returns:
            The ``DTypePolicy`` layers created without a ``dtype`` use: the one ``set_dtype_policy`` set, else
                a policy named after ``keras.config.floatx()``.

        Example:
        >>> keras.config.dtype_policy().name   # 'float32'
    """
    return _GLOBAL_POLICY or DTypePolicy(config.floatx())


def get(identifier) -> DTypePolicy:
    """A policy from ``None`` (the global one), a name (``"mixed_bfloat16"``, ``"int8_from_float32"``), a
        serialized policy dict or a policy.

        Args:
            identifier: ``None``, a policy name, a dtype, a dict written by ``serialize``, or a ``DTypePolicy``
                (returned as it is).

        Returns:
            A ``DTypePolicy`` (a quantized subclass for names such as ``"int8_from_float32"``).

        Example:
        >>> keras.dtype_policies.get("mixed_float16").compute_dtype   # 'float16'
    """
    if identifier is None:
        return dtype_policy()
    if isinstance(identifier, DTypePolicy):
        return identifier
    if isinstance(identifier, dict):
        return _from_dict(identifier)
    if isinstance(identifier, str):
        if identifier.startswith(QUANTIZATION_MODES):
            return get_quantized_policy(identifier)
        return DTypePolicy(identifier)
    try:
        return DTypePolicy(dtypes.standardize_dtype(identifier))
    except (ValueError, TypeError):
        raise ValueError(f"dtype_policies.get: Cannot interpret `dtype` argument {identifier!r}: expected a "
                         "policy name or a DTypePolicy.") from None


def _from_dict(identifier: dict) -> DTypePolicy:
    config_ = identifier.get("config", identifier)
    class_name = identifier.get("class_name", "DTypePolicy")
    if class_name == "DTypePolicyMap":
        from brickwork.dtype_policies.dtype_policy_map import DTypePolicyMap

        return DTypePolicyMap.from_config(config_)
    classes = {cls.__name__: cls for cls in (QuantizedDTypePolicy, QuantizedFloat8DTypePolicy, Int4DTypePolicy,
                                             GPTQDTypePolicy, AWQDTypePolicy)}
    if class_name in classes:
        return classes[class_name](**config_)
    return DTypePolicy(config_.get("name"))


# Keras's module of this name holds the quantized policies too (its own tests import them from here); they live
# in their own file and are bound here once DTypePolicy exists.
from brickwork.dtype_policies.quantized_dtype_policy import (  # noqa: E402
    AWQDTypePolicy,
    GPTQDTypePolicy,
    Int4DTypePolicy,
    QuantizedDTypePolicy,
    QuantizedFloat8DTypePolicy,
    _get_quantized_dtype_policy_by_str,  # noqa: F401
    get_quantized_policy,
)

FloatDTypePolicy = DTypePolicy
