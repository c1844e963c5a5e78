"""``brickwork.regularizers``: weight penalties, and lookup by name or config.

Example:
    layers.Dense(3, kernel_regularizer="l2")            # L2(0.01)
    layers.Dense(3, kernel_regularizer=regularizers.L1L2(l1=1e-5, l2=1e-4))
"""

from __future__ import annotations

import inspect

from brickwork.regularizers.regularizers import L1, L1L2, L2, OrthogonalRegularizer, Regularizer

l1 = L1
l2 = L2
l1_l2 = L1L2
orthogonal_regularizer = OrthogonalRegularizer

ALL_OBJECTS = (Regularizer, L1, L2, L1L2, OrthogonalRegularizer)
ALL_OBJECTS_DICT = {cls.__name__: cls for cls in ALL_OBJECTS}
ALL_OBJECTS_DICT.update(
    {"regularizer": Regularizer, "l1": L1, "l2": L2, "l1l2": L1L2, "orthogonal_regularizer": OrthogonalRegularizer}
)
# Named as a string, "l1_l2" means both penalties at their usual 0.01 (as Keras documents).
_NAMED_INSTANCES = {"l1_l2": lambda: L1L2(l1=0.01, l2=0.01)}


def serialize(regularizer) -> dict:
    """The Keras 3 config of ``regularizer``: ``{"module", "class_name", "config", "registered_name"}``.

    Args:
        regularizer: a regularizer.

    Returns:
        A config dict that ``deserialize`` reads back.

    Example:
        serialize(L2(0.01))   # {'module': 'keras.regularizers', 'class_name': 'L2', 'config': {'l2': 0.01}, ...}
    """
    from brickwork.saving import serialization_lib

    return serialization_lib.serialize_keras_object(regularizer)


def deserialize(config, custom_objects: dict | None = None) -> Regularizer:
    """A regularizer from a config made by ``serialize`` (or a name such as ``"l2"``).

    Args:
        config: a name or a config dict made by ``serialize``.
        custom_objects: extra ``{name: object}`` to look names up in.

    Returns:
        The object the config describes.

    Example:
        deserialize({"class_name": "L1", "config": {"l1": 0.5}})   # L1(l1=0.5)
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
    elif name in _NAMED_INSTANCES:
        return _NAMED_INSTANCES[name]()
    else:
        found = ALL_OBJECTS_DICT.get(name)
        if found is None:
            from brickwork.saving import object_registration

            found = object_registration.get_registered_object(name)
    if found is None:
        raise ValueError(
            f"Unknown regularizer {name!r}. Expected one of {sorted(ALL_OBJECTS_DICT) + sorted(_NAMED_INSTANCES)}, "
            "a Regularizer, a callable, a config dict or None."
        )
    return found() if inspect.isclass(found) else found


def get(identifier):
    """A regularizer from ``None``, a name (``"l1"``, ``"l2"``, ``"l1_l2"``, ``"orthogonal_regularizer"``),
    a config dict, a class or a callable (returned as is).

    Args:
        identifier: a name, a config dict, an instance, a callable, or ``None``.

    Returns:
        The object the identifier names, or ``None``.

    Example:
        get("l2")   # L2(l2=0.01)
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
        f"Could not interpret regularizer identifier {identifier!r}: expected None, a name, a config dict or a callable."
    )


__all__ = [
    "Regularizer", "L1", "L2", "L1L2", "OrthogonalRegularizer",
    "l1", "l2", "l1_l2", "orthogonal_regularizer", "serialize", "deserialize", "get",
]
