"""Objects to and from Keras 3's JSON config shape, safely.

``{"module": "keras.layers", "class_name": "Dense", "config": {...}, "registered_name": None,
"build_config": {...}}``. Deserialization looks classes up only among brickwork's public
namespaces and registered or passed custom objects: a config never makes the loader import a
module or call a function it names.
"""

from __future__ import annotations

import importlib
import inspect
import warnings

import numpy as np

from brickwork import backend
from brickwork.saving import object_registration
from brickwork.utils import python_utils

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
    "keras.distillation": "brickwork.distillation",
    "keras.quantizers": "brickwork.quantizers",
    "keras.random": "brickwork.random",
    "keras.utils": "brickwork.utils",
    # a Functional graph's plain ops (``a + b``) are written as op classes of these modules, as Keras does
    **{f"keras.src.ops.{family}": f"brickwork.ops.{family}"
       for family in ("core", "einops", "image", "linalg", "math", "nn", "numpy")},
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


def _function_module(fn) -> str | None:
    """``keras.losses`` for a brickwork loss function (and so on), as Keras 3 writes it."""
    module = getattr(fn, "__module__", None) or ""
    for namespace in ("losses", "metrics", "activations"):
        if module.startswith(f"brickwork.{namespace}"):
            return f"keras.{namespace}"
    return module or None


def _is_backend_tensor(obj) -> bool:
    """A concrete engine tensor (a torch/jax array), not a variable or a symbolic tensor."""
    from brickwork.backend.common.keras_tensor import KerasTensor

    return (not isinstance(obj, (np.ndarray, np.generic, KerasTensor)) and not hasattr(obj, "get_config")
            and backend.is_tensor(obj))


def serialize_keras_object(obj):
    """A JSON-ready description of ``obj`` in Keras 3's format.

    Args:
        obj: a brickwork object (layer, model, loss, optimizer, initializer, …), a registered function, or a
            plain Python value.

    Returns:
        A dict ``{"module", "class_name", "config", "registered_name"}`` (plain values are returned as they are).

    Example:
        config = serialize_keras_object(keras.layers.Dense(2))
        config["class_name"]   # 'Dense'
        deserialize_keras_object(config).units   # 2
    """
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    if isinstance(obj, (np.integer, np.floating, np.bool_)):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, bytes):
        return {"class_name": "__bytes__", "config": {"value": obj.decode("utf-8")}}
    if _is_backend_tensor(obj):
        value = backend.convert_to_numpy(obj)
        return {"class_name": "__tensor__", "config": {"value": value.tolist(),
                                                       "dtype": backend.standardize_dtype(value.dtype)}}
    if obj is Ellipsis:
        return {"class_name": "__ellipsis__", "config": {}}
    if isinstance(obj, slice):
        return {"class_name": "__slice__", "config": {
            "start": serialize_keras_object(obj.start), "stop": serialize_keras_object(obj.stop),
            "step": serialize_keras_object(obj.step)}}
    if isinstance(obj, (list, tuple)):
        return [serialize_keras_object(x) for x in obj]
    if isinstance(obj, dict):
        return {k: serialize_keras_object(v) for k, v in obj.items()}
    if inspect.isfunction(obj) and obj.__name__ == "<lambda>":
        # A lambda has no name to look up: it is written as bytecode, which loads only with safe_mode=False.
        return {"class_name": "__lambda__", "config": {"value": list(python_utils.func_dump(obj))}}
    if inspect.isfunction(obj) or inspect.isbuiltin(obj):
        name = object_registration.get_registered_name(obj)
        return {"module": _function_module(obj), "class_name": "function", "config": name,
                "registered_name": name}
    if not hasattr(obj, "get_config"):
        raise TypeError(f"Cannot serialize {obj!r}: it has no get_config().")
    cls = type(obj)
    registered = object_registration.GLOBAL_CUSTOM_NAMES.get(cls) or cls.__dict__.get("_keras_registered_name")
    module = cls.__dict__.get("_keras_module") or (_public_module(obj) if registered is None else None)
    config = {
        "module": module,
        # Keras names a class by its public name where that differs from the Python one (GroupQueryAttention).
        "class_name": cls.__dict__.get("_keras_class_name", cls.__name__),
        "config": serialize_keras_object(obj.get_config()),
        "registered_name": registered,
    }
    build_config = getattr(obj, "get_build_config", lambda: None)()
    if build_config is not None:
        config["build_config"] = serialize_keras_object(build_config)
    compile_config = getattr(obj, "get_compile_config", lambda: None)()
    if compile_config is not None:
        config["compile_config"] = serialize_keras_object(compile_config)
    _record_serialized(obj, config)
    return config


class _NotLoadable(TypeError):
    """A config the loader cannot turn into an object; raised once, where it happens, and passed up unchanged."""


class RefusedToLoad(ValueError):
    """Loading refused something a file names (a function or module not registered, a path, Lambda bytecode).

    A ``from_config`` that meets it lets it through as it is, so that the refusal reaches the caller unwrapped.
    """


# ------------------------------------------------------------------ shared objects
# While an ObjectSharingScope is open: id -> (object, its first config) when writing,
# shared_object_id -> object when reading.
_SHARING: list = []


class ObjectSharingScope:
    """Within the scope, an object met twice is written once more with a ``shared_object_id`` tag, and
    configs carrying the same tag are read back as one object (a layer used inside two others stays one).

    Example:
        >>> with ObjectSharingScope():
        ...     config = serialize_keras_object([layer, Wrapper(layer)])
        ...     first, wrapper = deserialize_keras_object(config)   # wrapper.layer is first
    """

    def __enter__(self):
        _SHARING.append({"written": {}, "read": {}})
        return self

    def __exit__(self, *exc_info):
        _SHARING.pop()


def _record_serialized(obj, config: dict) -> None:
    if not _SHARING:
        return
    written = _SHARING[-1]["written"]
    # The object is kept alive with its config, so its id cannot be reused by another object meanwhile.
    first = written.setdefault(id(obj), (obj, config))[1]
    if first is not config:
        first["shared_object_id"] = config["shared_object_id"] = id(obj)


def _shared_object(config: dict):
    """The object already read for ``config``'s ``shared_object_id``, else ``None``."""
    if not _SHARING or "shared_object_id" not in config:
        return None
    return _SHARING[-1]["read"].get(config["shared_object_id"])


def _record_deserialized(obj, config: dict) -> None:
    if _SHARING and "shared_object_id" in config:
        _SHARING[-1]["read"][config["shared_object_id"]] = obj


def _lookup_class(module, class_name, registered_name, custom_objects):
    for name in (registered_name, class_name):
        if name:
            found = object_registration.get_registered_object(name, custom_objects)
            if found is not None:
                return found
    if not isinstance(class_name, str) or class_name.startswith("_"):
        return None
    for candidate in _candidate_namespaces(module):
        found = getattr(importlib.import_module(candidate), class_name, None)
        # Only brickwork's own classes: a name imported into a namespace module is never reachable.
        if inspect.isclass(found) and found.__module__.startswith("brickwork"):
            _refuse_registered_name_for_builtin(registered_name, (class_name,), f"{candidate}.{class_name}")
            return found
    return None


def _refuse_registered_name_for_builtin(registered_name, own_names, resolved: str) -> None:
    """A built-in is found by its own name; a config that also gives it another ``registered_name``
    (``"subprocess.Popen"``) says something the loader will not honour, so it is refused rather than ignored."""
    if registered_name and registered_name not in own_names:
        raise ValueError(
            f"The config gives `registered_name={registered_name!r}`, but {resolved!r} resolved to a Keras "
            "built-in, which is found by its own name and has no registered name. Remove `registered_name` from "
            "the config (a custom object must be registered or passed in `custom_objects` under that name)."
        )


def _candidate_namespaces(module) -> list:
    """The brickwork namespaces a config's ``module`` may name (none for a foreign module)."""
    if module is not None and not isinstance(module, str):
        return []
    namespace = _NAMESPACES.get(module)
    if namespace:
        return [namespace]
    # Keras-internal module paths ("keras.src.models.functional") name public classes too.
    if module is None or module.split(".")[0] in ("keras", "brickwork"):
        return list(dict.fromkeys(_NAMESPACES.values()))
    return []


# Where a function named by a config may come from, besides registered and passed objects.
_FUNCTION_NAMESPACES = ("brickwork.activations", "brickwork.losses", "brickwork.metrics")

_HOW_TO_OPT_IN = (
    "Register it with `@brickwork.saving.register_keras_serializable()` or pass it in "
    "`custom_objects={...}`; brickwork never imports a module or calls a function because a file names it."
)


def _registered_by_short_name(name):
    """The one registered function ``"package>name"`` for a bare ``name`` (Keras 3.6 wrote registered functions
    without their package); ``None`` when none or several match."""
    if not isinstance(name, str) or ">" in name:
        return None
    matches = [obj for key, obj in object_registration.get_custom_objects().items()
               if key.rpartition(">")[2] == name and inspect.isfunction(obj)]
    return matches[0] if len(matches) == 1 else None


def _lookup_function(config, custom_objects):
    name = config.get("config")
    module = config.get("module")
    registered_name = config.get("registered_name")
    for key in (registered_name, name):
        if isinstance(key, str):
            found = object_registration.get_registered_object(key, custom_objects)
            if found is not None:
                return found
    found = _registered_by_short_name(name)
    if found is not None:
        return found
    # Keras 3 writes its own functions in a compile config with module "builtins".
    if isinstance(name, str) and not name.startswith("_") and (
            module is None or (isinstance(module, str) and module.split(".")[0] in ("keras", "brickwork", "builtins"))):
        for namespace in _FUNCTION_NAMESPACES:
            found = getattr(importlib.import_module(namespace), name, None)
            if callable(found) and getattr(found, "__module__", "").startswith("brickwork"):
                _refuse_registered_name_for_builtin(registered_name, (name, "function"), f"{namespace}.{name}")
                return found
    raise RefusedToLoad(
        f"Refused to load the function {name!r} (module {module!r}): it is neither a brickwork function nor a "
        f"registered custom object. {_HOW_TO_OPT_IN}"
    )


# ------------------------------------------------------------------ safe mode
_SAFE_MODE_STACK: list = []


class SafeModeScope:
    """Within the scope, ``deserialize_keras_object`` uses ``safe_mode`` unless told otherwise."""

    def __init__(self, safe_mode: bool = True):
        self.safe_mode = bool(safe_mode)

    def __enter__(self):
        _SAFE_MODE_STACK.append(self.safe_mode)
        return self

    def __exit__(self, *exc_info):
        _SAFE_MODE_STACK.pop()


_UNSAFE_GLOBALLY = [False]


def enable_unsafe_deserialization() -> None:
    """Turn safe mode off for the whole process (lets Lambda bytecode load). Only for files you trust.

    Returns:
        ``None``; later loads (``load_model``, ``deserialize_keras_object``) accept Lambda bytecode
            without ``safe_mode=False``.
    """
    _UNSAFE_GLOBALLY[0] = True


def in_safe_mode() -> bool | None:
    """Whether loading refuses code (Lambda bytecode) right now: the innermost ``SafeModeScope``'s setting,
    ``False`` after ``enable_unsafe_deserialization()``, else ``None`` (no loading in progress; Keras's rule)."""
    if _SAFE_MODE_STACK:
        return _SAFE_MODE_STACK[-1]
    return False if _UNSAFE_GLOBALLY[0] else None


def refuse_path_in_safe_mode(path, what: str) -> None:
    """While loading in safe mode, refuse to read a file a config names (a lookup layer's ``vocabulary``).

    A path in a config could name any file on this machine (``/etc/passwd``); a saved model's data comes only
    from the archive itself. Outside loading (``in_safe_mode()`` is ``None``) paths are read as usual.
    """
    if in_safe_mode():
        raise RefusedToLoad(
            f"Refused to read {what} from the file {path!r} while loading in safe mode: a path in a config could "
            "name any file on this machine, and a saved model's data comes only from the archive itself. If you "
            "trust the file and the path, load it with `safe_mode=False` (e.g. `load_model(path, safe_mode=False)`)."
        )


def _refused_lambda_message(where: str = "") -> str:
    return (
        f"Refused to load a Python lambda{where}: the file holds bytecode, and running it would allow arbitrary "
        "code execution. Loading it is only allowed with `safe_mode=False` (e.g. `load_model(path, safe_mode=False)`), "
        "and only for a file whose source you trust; or rebuild the model from code and load its weights."
    )


def _load_lambda(config):
    """Rebuild a function from Keras's ``__lambda__`` config (marshalled bytecode) -- unsafe mode only."""
    if in_safe_mode() is not False:
        raise RefusedToLoad(_refused_lambda_message())
    inner = config.get("config", {})
    if "value" in inner:  # a bare lambda: {"value": [code, defaults, closure]}
        return python_utils.func_load(inner["value"])
    return python_utils.func_load(inner["code"], inner.get("defaults"), inner.get("closure"))


def _special(config):
    """Keras's tagged plain values (``__tuple__``, ``__numpy__``, …); ``None`` for a class config."""
    class_name = config["class_name"]
    inner = config.get("config")
    if class_name == "__tuple__":
        return True, tuple(inner["value"])
    if class_name == "__tensor__":
        return True, backend.convert_to_tensor(np.asarray(inner["value"]), dtype=inner.get("dtype"))
    if class_name == "__numpy__":
        return True, np.asarray(inner["value"], dtype=inner.get("dtype"))
    if class_name == "__bytes__":
        return True, inner["value"].encode("utf-8")
    if class_name == "__ellipsis__":
        return True, Ellipsis
    if class_name == "__slice__":
        start, stop, step = (deserialize_keras_object(inner.get(key)) for key in ("start", "stop", "step"))
        return True, slice(start, stop, step)
    return False, None


def deserialize_keras_object(config, custom_objects=None, safe_mode=True, **kwargs):
    """Rebuild an object from its config; unknown classes are refused, never imported.

    Args:
        config: a config as written by ``serialize_keras_object`` (or Keras 3).
        custom_objects: ``{name: class or function}`` a config may name besides brickwork's own.
        safe_mode: refuse Python lambdas (bytecode). Inside a ``SafeModeScope`` (``load_model``)
            the scope's setting applies to every nested config.
        module_objects: ``{name: class or function}`` a caller offers (Keras's legacy ``get``
            helpers): a config naming one of them by class name, or a plain name, finds it there.

    Returns:
        The rebuilt object (a layer, loss, optimizer, function, …).

    Example:
        deserialize_keras_object({"class_name": "Dense", "config": {"units": 3},
                                  "module": "keras.layers"}).units   # 3
    """
    module_objects = kwargs.pop("module_objects", None)
    if module_objects:
        return _deserialize_with_module_objects(config, dict(module_objects), custom_objects, safe_mode)
    if config is None or isinstance(config, (bool, int, float, str)):
        return config
    if isinstance(config, (list, tuple)):
        return [deserialize_keras_object(c, custom_objects, safe_mode) for c in config]
    if isinstance(config, dict) and "class_name" not in config:
        # A plain dict (a compile config, a dict of per-output losses): its values may be configs.
        return {key: deserialize_keras_object(value, custom_objects, safe_mode) for key, value in config.items()}
    if not isinstance(config, dict):
        return config
    if not _SAFE_MODE_STACK:
        with SafeModeScope(safe_mode and not _UNSAFE_GLOBALLY[0]):
            return deserialize_keras_object(config, custom_objects, safe_mode, **kwargs)
    class_name = config["class_name"]
    if class_name == "__lambda__":
        return _load_lambda(config)
    is_special, value = _special(config) if isinstance(class_name, str) else (False, None)
    if is_special:
        return value
    if class_name == "function":
        if not isinstance(config.get("config"), str):
            raise _NotLoadable(f"Expected 'config' to be a non-null str (the function's name) for a function config, "
                            f"received {type(config.get('config')).__name__}. Full config: {config}")
        return _lookup_function(config, custom_objects)
    inner = config.get("config")
    if class_name == "__typespec__":
        if not isinstance(inner, (list, tuple)):
            raise _NotLoadable(f"Expected 'config' to be a list or a tuple for a __typespec__ config, received "
                            f"{type(inner).__name__}. Full config: {config}")
        raise _NotLoadable(f"Cannot load a TensorFlow type spec ({config.get('spec_name')!r}): brickwork has no "
                        "TensorFlow engine.")
    inner = {} if inner is None else inner
    if not isinstance(inner, dict):
        raise _NotLoadable(f"Expected 'config' to be a dict for {class_name!r}, received {type(inner).__name__}. "
                        f"Full config: {config}")
    shared = _shared_object(config)
    if shared is not None:
        return shared
    module = config.get("module")
    registered_name = config.get("registered_name")
    cls = _lookup_class(module, class_name, registered_name, custom_objects)
    if cls is None:
        if _candidate_namespaces(module) and isinstance(class_name, str) and not class_name.startswith("_"):
            raise _NotLoadable(
                f"Could not load class {class_name!r} (module {module!r}): brickwork does not implement it (yet), "
                f"and it is not a registered custom object. {_HOW_TO_OPT_IN}"
            )
        raise _NotLoadable(
            f"Refused to load class {class_name!r} (module {module!r}): it is neither a brickwork class nor a "
            f"registered custom object. {_HOW_TO_OPT_IN}"
        )
    if inspect.isfunction(cls):  # a registered function named as a class
        return cls
    if not hasattr(cls, "from_config"):
        raise _NotLoadable(f"Unable to reconstruct an instance of {class_name!r} because the class is missing a "
                           "`from_config()` method. Give it a `from_config(cls, config)` classmethod (commonly "
                           f"`return cls(**config)`). Full config: {config}")
    with object_registration.custom_object_scope(custom_objects or {}):
        params = inspect.signature(cls.from_config).parameters
        try:
            if "custom_objects" in params:
                obj = cls.from_config(inner, custom_objects=custom_objects)
            else:
                obj = cls.from_config(inner)
        except _NotLoadable:
            raise  # already says what could not be loaded, at the innermost config
        except TypeError as error:
            raise _NotLoadable(
                f"{cls.__name__} could not be rebuilt from its config: {error}\nIf its `get_config()` returns "
                "objects (layers, models, …), make sure they are explicitly deserialized in its `from_config()` "
                "(or `__init__`), e.g. with `keras.saving.deserialize_keras_object(config['layer'])`."
            ) from error
    build_config = config.get("build_config")
    if build_config and hasattr(obj, "build_from_config") and not getattr(obj, "built", True):
        obj.build_from_config(build_config)
    compile_config = config.get("compile_config")
    if compile_config and hasattr(obj, "compile_from_config"):
        _restore_compile_config(obj, compile_config, custom_objects, safe_mode)
    _record_deserialized(obj, config)
    return obj


def _restore_compile_config(model, compile_config: dict, custom_objects, safe_mode) -> None:
    """Compile ``model`` as it was saved; when that is impossible (a loss or metric function that is
    neither registered nor passed in ``custom_objects``), warn and leave the model uncompiled."""
    try:
        config = deserialize_keras_object(compile_config, custom_objects, safe_mode)
        model.compile_from_config(config)
    except (TypeError, ValueError) as error:
        if "lambda" in str(error).lower() and in_safe_mode() is not False:
            raise  # safe mode refusing bytecode is an answer, not a mishap
        warnings.warn(
            f"Could not restore the compile configuration of {getattr(model, 'name', model)!r}, so it is loaded "
            f"uncompiled: {error} Pass its custom losses and metrics in `custom_objects` (or register them), or "
            "call compile() yourself.", stacklevel=4)


def _deserialize_with_module_objects(config, module_objects, custom_objects, safe_mode):
    """``deserialize_keras_object`` where ``module_objects`` are known too (custom objects take precedence).

    A plain name is looked up (a class gives an instance with its default arguments); a name found
    nowhere comes back as it is, as in Keras.
    """
    known = {**module_objects, **(custom_objects or {})}
    if isinstance(config, str):
        found = object_registration.get_registered_object(config, known)
        if found is None:
            return config
        return found.from_config({}) if inspect.isclass(found) and hasattr(found, "from_config") else found
    if isinstance(config, dict) and "class_name" in config and "module" not in config:
        # Keras 2's form names only the class: it means the one module_objects offers.
        config = {**config, "module": None, "registered_name": config.get("registered_name")}
    return deserialize_keras_object(config, custom_objects=known, safe_mode=safe_mode)
