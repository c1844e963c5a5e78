"""Objects to and from Keras 3's JSON config shape, safely.

``{"module": "keras.layers", "class_name": "Dense", "config": {...}, "registered_name": None,
"build_config": {...}}``. Deserialization looks classes up only among brickwork's public
namespaces and registered or passed custom objects: a config never makes the loader import a
module or call a function it names.
"""

from __future__ import annotations

import importlib
import inspect

import numpy as np

from brickwork.saving import object_registration

# Config module -> the brickwork namespace holding its public classes.
_NAMESPACES = {
    "keras": "brickwork",
    "keras.models": "brickwork.models",
    "keras.layers": "brickwork.layers",
    "keras.initializers": "brickwork.initializers",
    "keras.regularizers": "brickwork.regularizers",
    "keras.constraints": "brickwork.constraints",
    "keras.losses": "brickwork.losses",
    "keras.metrics": "brickwork.metrics",
    "keras.optimizers": "brickwork.optimizers",
    "keras.optimizers.schedules": "brickwork.optimizers.schedules",
    "keras.activations": "brickwork.activations",
    "keras.dtype_policies": "brickwork.dtype_policies",
    "keras.random": "brickwork.random",
}
_PUBLIC_MODULE_OF = {v: k for k, v in _NAMESPACES.items()}


def _public_module(obj) -> str:
    """The Keras-style public module of ``obj``'s class (``keras.layers`` for a layer)."""
    module = type(obj).__module__
    if not module.startswith("brickwork"):
        return module
    parts = module.split(".")
    for length in range(len(parts), 0, -1):
        candidate = ".".join(parts[:length])
        if candidate in _PUBLIC_MODULE_OF and candidate != "brickwork":
            return _PUBLIC_MODULE_OF[candidate]
    if parts[:2] == ["brickwork", "optimizers"] and "schedules" in parts:
        return "keras.optimizers.schedules"
    if parts[:2] in (["brickwork", "models"], ["brickwork", "dtype_policies"]):
        return "keras"
    return "keras"


def serialize_keras_object(obj):
    """A JSON-ready description of ``obj`` in Keras 3's format."""
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    if isinstance(obj, (np.integer, np.floating, np.bool_)):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, (list, tuple)):
        return [serialize_keras_object(x) for x in obj]
    if isinstance(obj, dict):
        return {k: serialize_keras_object(v) for k, v in obj.items()}
    if inspect.isfunction(obj) or inspect.isbuiltin(obj):
        name = object_registration.get_registered_name(obj)
        return {"module": getattr(obj, "__module__", None), "class_name": "function", "config": name,
                "registered_name": name}
    if not hasattr(obj, "get_config"):
        raise TypeError(f"Cannot serialize {obj!r}: it has no get_config().")
    cls = type(obj)
    registered = object_registration._GLOBAL_CUSTOM_NAMES.get(cls) or cls.__dict__.get("_keras_registered_name")
    module = cls.__dict__.get("_keras_module") or (_public_module(obj) if registered is None else None)
    config = {
        "module": module,
        "class_name": cls.__name__,
        "config": serialize_keras_object(obj.get_config()),
        "registered_name": registered,
    }
    build_config = getattr(obj, "get_build_config", lambda: None)()
    if build_config is not None:
        config["build_config"] = serialize_keras_object(build_config)
    compile_config = getattr(obj, "get_compile_config", lambda: None)()
    if compile_config is not None:
        config["compile_config"] = serialize_keras_object(compile_config)
    return config


def _lookup_class(module, class_name, registered_name, custom_objects):
    for name in (registered_name, class_name):
        if name:
            found = object_registration.get_registered_object(name, custom_objects)
            if found is not None:
                return found
    namespace = _NAMESPACES.get(module)
    candidates = [namespace] if namespace else []
    if module is None or not namespace:
        # Keras-internal module paths ("keras.src.models.functional") name public classes too.
        if module is None or module.startswith("keras") or module.startswith("brickwork"):
            candidates = list(dict.fromkeys(_NAMESPACES.values()))
    for candidate in candidates:
        try:
            found = getattr(importlib.import_module(candidate), class_name, None)
        except ImportError:
            found = None
        if found is not None and inspect.isclass(found):
            return found
    return None


def deserialize_keras_object(config, custom_objects=None, safe_mode=True, **kwargs):
    """Rebuild an object from its config; unknown classes are refused, never imported."""
    if config is None or isinstance(config, (bool, int, float)):
        return config
    if isinstance(config, str):
        return config
    if isinstance(config, (list, tuple)):
        return [deserialize_keras_object(c, custom_objects, safe_mode) for c in config]
    if not isinstance(config, dict) or "class_name" not in config:
        return config
    class_name = config["class_name"]
    module = config.get("module")
    registered_name = config.get("registered_name")
    if class_name == "function":
        name = config.get("config")
        found = object_registration.get_registered_object(registered_name or name, custom_objects)
        if found is None:
            from brickwork import activations

            found = activations.get(name)
        return found
    cls = _lookup_class(module, class_name, registered_name, custom_objects)
    if cls is None:
        raise TypeError(
            f"Could not locate class {class_name!r} (module {module!r}). It is neither a brickwork class nor a "
            "registered custom object. Register it with `brickwork.saving.register_keras_serializable()` or "
            "pass it in `custom_objects={...}`; brickwork never imports code named by a config."
        )
    inner = config.get("config", {})
    with object_registration.custom_object_scope(custom_objects or {}):
        if hasattr(cls, "from_config"):
            params = inspect.signature(cls.from_config).parameters
            if "custom_objects" in params:
                obj = cls.from_config(inner, custom_objects=custom_objects)
            else:
                obj = cls.from_config(inner)
        else:
            obj = cls(**inner)
    build_config = config.get("build_config")
    if build_config and hasattr(obj, "build_from_config") and not getattr(obj, "built", True):
        obj.build_from_config(build_config)
    compile_config = config.get("compile_config")
    if compile_config and hasattr(obj, "compile_from_config"):
        obj.compile_from_config(deserialize_keras_object(compile_config, custom_objects, safe_mode))
    return obj
