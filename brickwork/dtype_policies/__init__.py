"""``brickwork.dtype_policies``: per-layer compute and variable dtypes."""

# `dtype_policy` names the module here (Keras's `dtype_policies.dtype_policy.dtype_policy()`); the global-policy
# getter is `brickwork.config.dtype_policy`.
from brickwork.dtype_policies import dtype_policy  # noqa: F401
from brickwork.dtype_policies.dtype_policy import QUANTIZATION_MODES, DTypePolicy, get, set_dtype_policy  # noqa: F401
from brickwork.dtype_policies.dtype_policy_map import DTypePolicyMap  # noqa: F401
from brickwork.dtype_policies.quantized_dtype_policy import (  # noqa: F401
    AWQDTypePolicy,
    GPTQDTypePolicy,
    Int4DTypePolicy,
    QuantizedDTypePolicy,
    QuantizedFloat8DTypePolicy,
)

FloatDTypePolicy = DTypePolicy
_OBJECTS = {cls.__name__: cls for cls in (DTypePolicy, DTypePolicyMap, QuantizedDTypePolicy,
                                          QuantizedFloat8DTypePolicy, Int4DTypePolicy, GPTQDTypePolicy,
                                          AWQDTypePolicy)}
_OBJECTS["FloatDTypePolicy"] = DTypePolicy


def serialize(policy: DTypePolicy) -> dict:
    """The ``{"module", "class_name", "config", …}`` dict Keras writes for ``policy``.

        Args:
            policy: a ``DTypePolicy``.

        Returns:
            A JSON-ready dict that ``deserialize`` turns back into an equal policy.

        Example:
        >>> keras.dtype_policies.serialize(keras.DTypePolicy("mixed_float16"))["config"]   # {'name': 'mixed_float16'}
    """
    from brickwork.saving import serialization_lib

    return serialization_lib.serialize_keras_object(policy)


def deserialize(config: dict, custom_objects: dict | None = None) -> DTypePolicy:
    """The policy ``serialize`` described.

        Args:
            config: the dict ``serialize`` (or Keras) wrote.
            custom_objects: ``{name: class}`` for policy classes of your own.

        Returns:
            A new ``DTypePolicy`` of the class and name ``config`` gives.

        Example:
        >>> config = keras.dtype_policies.serialize(keras.DTypePolicy("bfloat16"))
        >>> keras.dtype_policies.deserialize(config).name   # 'bfloat16'
    """
    from brickwork.saving import serialization_lib

    return serialization_lib.deserialize_keras_object(
        config, module_objects=_OBJECTS, custom_objects=custom_objects)
