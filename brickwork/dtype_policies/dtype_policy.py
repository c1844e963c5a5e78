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
from brickwork.backend.common import dtypes

_GLOBAL_POLICY = None


class DTypePolicy:
    _keras_module = "keras"  # Keras's first public name for it is keras.DTypePolicy, as layer configs write it

    def __init__(self, name: str | None = None):
        name = config.floatx() if name is None else str(name)
        if name.startswith("mixed_"):
            compute = name[len("mixed_"):]
            if compute not in ("float16", "bfloat16"):
                raise ValueError(
                    f"DTypePolicy: unknown policy {name!r}; expected 'mixed_float16', 'mixed_bfloat16' "
                    "or a dtype name such as 'float32'."
                )
            self._compute_dtype, self._variable_dtype = compute, "float32"
        else:
            try:
                self._compute_dtype = self._variable_dtype = dtypes.standardize_dtype(name)
            except ValueError:
                raise ValueError(
                    f"DTypePolicy: unknown policy {name!r}; expected 'mixed_float16', 'mixed_bfloat16' "
                    "or a dtype name such as 'float32'."
                ) from None
            name = self._compute_dtype
        self._name = name

    name = property(lambda self: self._name)
    compute_dtype = property(lambda self: self._compute_dtype)
    variable_dtype = property(lambda self: self._variable_dtype)

    # Quantized policies (Keras's int8, float8, …) are not written yet: every policy here computes in floats.
    quantization_mode = property(lambda self: None)

    @property
    def is_mixed(self) -> bool:
        return self._compute_dtype != self._variable_dtype

    def get_config(self) -> dict:
        return {"name": self._name}

    @classmethod
    def from_config(cls, config: dict) -> "DTypePolicy":
        return cls(**config)

    def __eq__(self, other):
        return isinstance(other, DTypePolicy) and other._name == self._name

    def __hash__(self):
        return hash(self._name)

    def __repr__(self):
        return f'<DTypePolicy "{self._name}">'


def set_dtype_policy(policy) -> None:
    """Set the policy that layers created from now on use when given no ``dtype``."""
    global _GLOBAL_POLICY
    _GLOBAL_POLICY = None if policy is None else get(policy)


def dtype_policy() -> DTypePolicy:
    """The global policy (floatx unless set)."""
    return _GLOBAL_POLICY or DTypePolicy(config.floatx())


def get(identifier) -> DTypePolicy:
    """A ``DTypePolicy`` from ``None`` (the global one), a name, a dict config or a policy."""
    if identifier is None:
        return dtype_policy()
    if isinstance(identifier, DTypePolicy):
        return identifier
    if isinstance(identifier, dict):
        config_ = identifier.get("config", identifier)
        if identifier.get("class_name") == "DTypePolicyMap":
            from brickwork.dtype_policies.dtype_policy_map import DTypePolicyMap

            return DTypePolicyMap.from_config(config_)
        return DTypePolicy(config_.get("name"))
    if isinstance(identifier, str):
        return DTypePolicy(identifier)
    return DTypePolicy(dtypes.standardize_dtype(identifier))
