"""``brickwork.constraints``: weight constraints, and lookup by name or config.

Example:
    layers.Dense(3, kernel_constraint="non_neg")
    layers.Dense(3, kernel_constraint=constraints.MaxNorm(3.0, axis=0))
"""

from __future__ import annotations

import inspect

from brickwork.constraints.constraints import Constraint, MaxNorm, MinMaxNorm, NonNeg, UnitNorm

max_norm = MaxNorm
min_max_norm = MinMaxNorm
non_neg = NonNeg
unit_norm = UnitNorm

ALL_OBJECTS = (Constraint, MaxNorm, MinMaxNorm, NonNeg, UnitNorm)
ALL_OBJECTS_DICT = {cls.__name__: cls for cls in ALL_OBJECTS}
ALL_OBJECTS_DICT.update(
    {"constraint": Constraint, "max_norm": MaxNorm, "min_max_norm": MinMaxNorm, "non_neg": NonNeg,
     "unit_norm": UnitNorm}
)


def serialize(constraint) -> dict:
    """The Keras 3 config of ``constraint``: ``{"module", "class_name", "config", "registered_name"}``.

    Args:
        constraint: a constraint.

    Returns:
        A config dict that ``deserialize`` reads back.

    Example:
        deserialize(serialize(MaxNorm(2.0))).max_value   # 2.0
    """
    from brickwork.saving import serialization_lib

    return serialization_lib.serialize_keras_object(constraint)


def deserialize(config, custom_objects: dict | None = None) -> Constraint:
    """A constraint from a config made by ``serialize`` (or a name such as ``"non_neg"``).

    Args:
        config: a name or a config dict made by ``serialize``.
        custom_objects: extra ``{name: object}`` to look names up in.

    Returns:
        The object the config describes.

    Example:
        deserialize({"class_name": "NonNeg", "config": {}})   # NonNeg()
    """
    if isinstance(config, str):
        return _from_name(config, custom_objects)
    if isinstance(config, dict) and "module" not in config and config.get("class_name") in ALL_OBJECTS_DICT:
        # The older {"class_name": ..., "config": ...} shape.
        return ALL_OBJECTS_DICT[config["class_name"]].from_config(config.get("config") or {})
    from brickwork.saving import serialization_lib

    return serialization_lib.deserialize_keras_object(config, custom_objects=custom_objects)


def _from_name(name: str, custom_objects: dict | None = None):
    if custom_objects and name in custom_objects:
        found = custom_objects[name]
    else:
        found = ALL_OBJECTS_DICT.get(name)
        if found is None:
            from brickwork.saving import object_registration

            found = object_registration.get_registered_object(name)
    if found is None:
        raise ValueError(
            f"Unknown constraint {name!r}. Expected one of {sorted(ALL_OBJECTS_DICT)}, "
            "a Constraint, a callable, a config dict or None."
        )
    return found() if inspect.isclass(found) else found


def get(identifier):
    """A constraint from ``None``, a name (``"max_norm"``, ``"non_neg"``, …), a config dict, a class or a callable.

    Args:
        identifier: a name, a config dict, an instance, a callable, or ``None``.

    Returns:
        The object the identifier names, or ``None``.

    Example:
        get("non_neg")   # NonNeg()
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        return _from_name(identifier)
    if inspect.isclass(identifier):
        return identifier()
    if callable(identifier):
        return identifier
    raise ValueError(
        f"Could not interpret constraint identifier {identifier!r}: expected None, a name, a config dict or a callable."
    )


__all__ = [
    "Constraint", "MaxNorm", "MinMaxNorm", "NonNeg", "UnitNorm",
    "max_norm", "min_max_norm", "non_neg", "unit_norm", "serialize", "deserialize", "get",
]
