"""``keras.utils.legacy``: the Keras 2 config format, ``{"class_name": ..., "config": ...}``
without module paths, as read and written by ``tf.keras``."""

from __future__ import annotations

import inspect

from brickwork.saving.object_registration import (
    custom_object_scope,
    get_registered_name,
    get_registered_object,
)

_PASSIVE = "__passive_serialization__"  # marks a nested object's config inside a config


def serialize_keras_object(instance):
    """``instance`` in the Keras 2 format: ``{"class_name", "config"}`` for an object with
    ``get_config`` (nested objects serialized the same way), its name for a function.

    Example:
        >>> keras.utils.legacy.serialize_keras_object(keras.layers.Dense(2, name="d"))["class_name"]
        'Dense'
    """
    instance = inspect.unwrap(instance) if callable(instance) else instance
    if instance is None:
        return None
    if hasattr(instance, "get_config"):
        config = {}
        for key, item in instance.get_config().items():
            if isinstance(item, str):
                config[key] = item
                continue
            try:
                serialized = serialize_keras_object(item)
            except ValueError:  # a plain value (number, list, ...): kept as it is
                config[key] = item
                continue
            if isinstance(serialized, dict) and not isinstance(item, dict):
                serialized[_PASSIVE] = True
            config[key] = serialized
        return {"class_name": get_registered_name(type(instance)), "config": config}
    if hasattr(instance, "__name__"):
        return get_registered_name(instance)
    raise ValueError(f"Cannot serialize {instance!r}: it has no `get_config()`.")


def _lookup(name: str, module_objects, custom_objects, printable_module_name: str):
    found = get_registered_object(name, custom_objects, module_objects)
    if found is None:
        raise ValueError(
            f"Unknown {printable_module_name}: {name!r}. Pass it in `custom_objects` or `module_objects`, "
            "register it with `keras.saving.register_keras_serializable`, or use `keras.utils.custom_object_scope`."
        )
    return found


def deserialize_keras_object(identifier, module_objects: dict | None = None, custom_objects: dict | None = None,
                             printable_module_name: str = "object"):
    """The object a Keras 2 config (or a registered name) describes.

    Args:
        identifier: a ``{"class_name", "config"}`` dict, a name, or None.
        module_objects: the names a config may use (e.g. ``vars(keras.layers)``).
        custom_objects: more names, for custom classes and functions.
        printable_module_name: what the object is, for error messages.

    Example:
        config = keras.utils.legacy.serialize_keras_object(keras.layers.Dense(2))
        layer = keras.utils.legacy.deserialize_keras_object(config, module_objects=vars(keras.layers))
    """
    if identifier is None:
        return None
    if isinstance(identifier, str):
        found = _lookup(identifier, module_objects, custom_objects, printable_module_name)
        return found() if inspect.isclass(found) else found
    if not isinstance(identifier, dict) or "class_name" not in identifier or "config" not in identifier:
        raise ValueError(f"Expected a dict with `class_name` and `config`; received {identifier!r}.")
    cls = _lookup(identifier["class_name"], module_objects, custom_objects, printable_module_name)
    config = identifier["config"]
    if isinstance(config, dict):
        config = dict(config)
        for key, item in config.items():
            if isinstance(item, dict) and item.get(_PASSIVE):
                nested = {k: v for k, v in item.items() if k != _PASSIVE}
                config[key] = deserialize_keras_object(nested, module_objects, custom_objects, "config_item")
            elif key != "name" and isinstance(item, str):
                function = get_registered_object(item, custom_objects, module_objects)
                if inspect.isfunction(function):
                    config[key] = function
    with custom_object_scope(custom_objects or {}):
        if hasattr(cls, "from_config"):
            return cls.from_config(config)
        return cls(**config)
