"""The registry of custom objects: what a config may name besides brickwork's own classes.

Example:
    @register_keras_serializable(package="my_package")
    class MyLayer(layers.Layer):
        ...
"""

from __future__ import annotations

import contextlib
import inspect

# The two halves of the one registry, public under the names Keras gives them:
# ``"package>name" -> object`` and ``object -> "package>name"``.
GLOBAL_CUSTOM_OBJECTS: dict = {}
GLOBAL_CUSTOM_NAMES: dict = {}
_SCOPE_STACK: list = []


def register_keras_serializable(package: str = "Custom", name: str | None = None):
    """Register a class or function under ``"package>name"`` so configs can name it.

    Args:
        package: the prefix of the registered name (default ``"Custom"``).
        name: the name after the prefix; ``None`` (default) uses the object's ``__name__``.

    Returns:
        A decorator that registers the class or function it wraps and returns it unchanged.

    Example:
        @register_keras_serializable(package="my_package")
        class Doubling(keras.layers.Layer):
            def call(self, x):
                return 2.0 * x
        
        get_registered_name(Doubling)   # 'my_package>Doubling'
    """
    if "/" in package or ">" in package:
        raise ValueError(f"register_keras_serializable: `package` cannot contain '>' or '/', received {package!r}.")

    def decorator(obj):
        registered_name = f"{package}>{name or obj.__name__}"
        if inspect.isclass(obj) and not hasattr(obj, "get_config"):
            raise ValueError(f"Cannot register a class that does not have a get_config() method: {obj.__name__} "
                             "(register_keras_serializable needs it to write the object's config).")
        GLOBAL_CUSTOM_OBJECTS[registered_name] = obj
        GLOBAL_CUSTOM_NAMES[obj] = registered_name
        return obj

    return decorator


@contextlib.contextmanager
def custom_object_scope(custom_objects: dict):
    """Within the scope, ``custom_objects`` may be named by configs being loaded.

    Args:
        custom_objects: ``{name: class or function}``: the names configs may use inside the scope.

    Returns:
        A context manager; the names are forgotten when it exits.

    Example:
    >>> with keras.saving.custom_object_scope({"swish3": ops.silu}):
    ...     found = keras.saving.get_registered_object("swish3")   # ops.silu
    >>> keras.saving.get_registered_object("swish3")   # None
    """
    _SCOPE_STACK.append(dict(custom_objects or {}))
    try:
        yield
    finally:
        _SCOPE_STACK.pop()


CustomObjectScope = custom_object_scope


def get_custom_objects() -> dict:
    """The global registry (a live dict; adding to it registers).

    Returns:
        The registry dict, ``{name: class or function}``; changes to it take effect at once.

    Example:
        def swish2(x):
            return x * ops.sigmoid(2.0 * x)
        
        get_custom_objects()["swish2"] = swish2   # configs may now name "swish2"
    """
    return GLOBAL_CUSTOM_OBJECTS


def get_registered_name(obj) -> str:
    """The name ``obj`` is saved under in configs: its registered ``"package>Name"``, else its ``__name__``.

    Args:
        obj: a class or function, registered with ``register_keras_serializable`` or not.

    Returns:
        The registered name, or the object's own name when it is not registered.

    Example:
        >>> @brickwork.saving.register_keras_serializable(package="docs")
        ... def scaled_relu(x):
        ...     return 2.0 * ops.relu(x)
        >>> get_registered_name(scaled_relu)
        'docs>scaled_relu'
        >>> get_registered_name(len)
        'len'
    """
    return GLOBAL_CUSTOM_NAMES.get(obj, getattr(obj, "__name__", type(obj).__name__))


def get_registered_object(name: str, custom_objects: dict | None = None, module_objects: dict | None = None):
    """The object registered (or in scope, or passed) under ``name``, or ``None``.

    Args:
        name: the name a config gives (``"package>Name"`` for registered objects).
        custom_objects: an optional ``{name: object}``, looked in after any open ``custom_object_scope``.
        module_objects: an optional ``{name: object}``, looked in last (after the global registry).

    Returns:
        The object found under ``name``, or ``None``.

    Example:
        get_registered_object("swish3", custom_objects={"swish3": ops.silu}) is ops.silu   # True
    """
    for scope in reversed(_SCOPE_STACK):
        if name in scope:
            return scope[name]
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    if name in GLOBAL_CUSTOM_OBJECTS:
        return GLOBAL_CUSTOM_OBJECTS[name]
    if module_objects and name in module_objects:
        return module_objects[name]
    return None
