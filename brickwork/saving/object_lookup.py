"""Look-up by name or config for a namespace of objects (``losses.get``, ``metrics.get``, ...).

One ``ObjectLookup`` per namespace holds what differs between them (the objects, the words of
the errors); ``get``, ``serialize`` and ``deserialize`` are written once here.

Example:
    _lookup = ObjectLookup("loss", "Loss", ALL_OBJECTS_DICT, examples="'mse' or 'categorical_crossentropy'")
    _lookup.get("mse")   # the mean_squared_error function
"""

from __future__ import annotations

import difflib
import inspect


class ObjectLookup:
    """``get``/``serialize``/``deserialize`` over one namespace's objects.

    Args:
        kind: what an object is called in errors (``"loss"``).
        base: the namespace's base class name, for errors (``"Loss"``).
        objects: every name (class names, function names, aliases) -> class or function.
        examples: names quoted in the unknown-name error (``"'mse' or 'categorical_crossentropy'"``).
        functions: the names a ``{"class_name": "function"}`` config may give (default: ``objects``).
    """

    def __init__(self, kind: str, base: str, objects: dict, examples: str, functions: dict | None = None):
        self.kind = kind
        self.base = base
        self.objects = objects
        self.examples = examples
        self.functions = objects if functions is None else functions

    def serialize(self, obj) -> dict:
        from brickwork.saving import serialization_lib

        return serialization_lib.serialize_keras_object(obj)

    def deserialize(self, config, custom_objects: dict | None = None):
        if isinstance(config, str):
            return self.from_name(config, custom_objects)
        if isinstance(config, dict) and config.get("class_name") == "function":
            name = config.get("config")
            if name in self.functions and config.get("registered_name") in (None, name):
                return self.functions[name]
        if isinstance(config, dict) and config.get("class_name") in self.objects and not config.get("module"):
            # The older {"class_name": ..., "config": ...} shape.
            return self.objects[config["class_name"]].from_config(config.get("config") or {})
        from brickwork.saving import serialization_lib

        return serialization_lib.deserialize_keras_object(config, custom_objects=custom_objects)

    def from_name(self, name: str, custom_objects: dict | None = None):
        found = (custom_objects or {}).get(name) or self.objects.get(name)
        if found is None:
            from brickwork.saving import object_registration

            found = object_registration.get_registered_object(name)
        if found is None:
            close = difflib.get_close_matches(name, self.objects, n=3)
            hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
            raise ValueError(
                f"Unknown {self.kind} {name!r}.{hint} Expected a {self.kind} name such as {self.examples}, "
                f"a {self.base} class name, a {self.base} instance, a callable or a config dict."
            )
        return found

    def get(self, identifier):
        if identifier is None:
            return None
        if isinstance(identifier, dict):
            obj = self.deserialize(identifier)
        elif isinstance(identifier, str):
            obj = self.from_name(identifier)
        else:
            obj = identifier
        if inspect.isclass(obj):
            return obj()
        if callable(obj):
            return obj
        raise ValueError(
            f"Could not interpret {self.kind} identifier {identifier!r}: expected None, a name, a config dict, "
            f"a {self.base} or a callable."
        )
