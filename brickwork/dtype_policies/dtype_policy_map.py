"""``DTypePolicyMap``: a policy per layer path, with a default for every other layer.

KerasHub's backbones put one in their config when some layers are quantized; keys are layer paths
or regular expressions matched in full against them.

Example:
>>> policy_map = DTypePolicyMap("float32")
>>> policy_map["encoder/.*"] = "bfloat16"
>>> policy_map["encoder/dense"].name, policy_map["decoder/dense"].name
('bfloat16', 'float32')
"""

from __future__ import annotations

import collections.abc
import re

from brickwork.dtype_policies.dtype_policy import DTypePolicy, get


class DTypePolicyMap(DTypePolicy, collections.abc.MutableMapping):
    """A ``DTypePolicy`` per layer path (exact, else a full regular-expression match), else ``default_policy``.

    Args:
        default_policy: the policy of paths that match no key; ``None`` defers to the global policy.
        policy_map: an initial ``{path or pattern: policy}`` dict.

    Example:
    >>> policies = keras.dtype_policies.DTypePolicyMap(default_policy="float32")
    >>> policies["dense.*"] = "bfloat16"
    >>> policies["dense_1"].name, policies["conv2d"].name   # ('bfloat16', 'float32')
    """

    def __init__(self, default_policy=None, policy_map: dict | None = None):
        if isinstance(default_policy, DTypePolicyMap):
            raise ValueError("DTypePolicyMap: `default_policy` cannot be a DTypePolicyMap.")
        if policy_map is not None and not isinstance(policy_map, dict):
            raise TypeError("DTypePolicyMap: If specified, `policy_map` must be a dict. Received "
                            f"{type(policy_map).__name__}.")
        self._default_policy_arg = default_policy
        self._policy_map = {key: get(policy) for key, policy in (policy_map or {}).items()}

    @property
    def default_policy(self) -> DTypePolicy:
        return get(self._default_policy_arg)

    name = property(lambda self: f"map_{self.default_policy.name}")
    compute_dtype = property(lambda self: self.default_policy.compute_dtype)
    variable_dtype = property(lambda self: self.default_policy.variable_dtype)
    quantization_mode = property(lambda self: self.default_policy.quantization_mode)
    is_mixed = property(lambda self: self.default_policy.is_mixed)

    def __getitem__(self, path: str) -> DTypePolicy:
        if path in self._policy_map:
            return self._policy_map[path]
        matches = [pattern for pattern in self._policy_map if re.fullmatch(pattern, path)]
        if len(matches) > 1:
            raise ValueError(f"DTypePolicyMap: Path {path!r} matches multiple dtype policy keys {matches}; make "
                             "each path match at most one key.")
        return self._policy_map[matches[0]] if matches else self.default_policy

    def __setitem__(self, path: str, policy) -> None:
        if path in self._policy_map:
            raise ValueError(f"DTypePolicyMap: {path} already exist in the DTypePolicyMap with value "
                             f"{self._policy_map[path]}; keys must be unique (delete it first).")
        try:
            policy = get(policy)
        except (TypeError, ValueError) as error:
            raise ValueError(f"DTypePolicyMap: Cannot interpret the assigned value by `keras.dtype_policies.get` for "
                             f"key {path!r}: {error}") from None
        self._policy_map[path] = policy

    def __delitem__(self, path: str) -> None:
        del self._policy_map[path]

    def __contains__(self, path) -> bool:
        return path in self._policy_map

    def __len__(self) -> int:
        return len(self._policy_map)

    def __iter__(self):
        return iter(self._policy_map)

    def __eq__(self, other):
        return (isinstance(other, DTypePolicyMap) and other._default_policy_arg == self._default_policy_arg
                and other._policy_map == self._policy_map)

    __hash__ = None

    def get_config(self) -> dict:
        from brickwork.saving import serialization_lib

        policy_map = {key: serialization_lib.serialize_keras_object(policy) for key, policy in self._policy_map.items()}
        if self._default_policy_arg is None:
            # Without a default, a loaded map follows the global policy then in force: its entries are written
            # without a source dtype (``name``/``source_name`` null), as Keras writes them.
            for entry in policy_map.values():
                inner = entry["config"]
                inner["source_name" if "source_name" in inner else "name"] = None
        return {"default_policy": self._default_policy_arg, "policy_map": policy_map}

    @classmethod
    def from_config(cls, config: dict, custom_objects=None) -> "DTypePolicyMap":
        return cls(config.get("default_policy"), {key: get(policy)
                                                  for key, policy in (config.get("policy_map") or {}).items()})

    def __repr__(self):
        mapping = [(key, policy.name) for key, policy in self._policy_map.items()]
        return f"<DTypePolicyMap default_policy={self.default_policy.name}, mapping={mapping}>"
