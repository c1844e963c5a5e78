"""Configs in the legacy (Keras 2 / ``tf.keras``) format, as the ``.h5`` model file holds them.

A legacy layer config is ``{"class_name": ..., "config": ...}`` without ``"module"``; the class is looked up
among brickwork's layers and models and the registered or passed custom objects only (through
``brickwork.utils.legacy``, the Keras 2 deserializer), never imported. This module also turns a model into the
file's metadata (``model_config``, ``training_config``) and back into ``compile`` arguments, and refuses
Python bytecode (a Lambda layer's marshalled function) before anything is built.

Example:
    from brickwork.legacy.saving import saving_utils
    layer = saving_utils.model_from_config({"class_name": "Dense", "config": {"units": 2, "name": "d"}})
"""

from __future__ import annotations

import inspect
import json
import warnings

import numpy as np

from brickwork.saving import object_registration
from brickwork.utils import legacy as legacy_serialization

# Keras 2 arguments of Lambda that Keras 3 (and brickwork) no longer take.
_LAMBDA_LEGACY_ARGUMENTS = ("module", "function_type", "output_shape_type", "output_shape_module")
# Keras 2 optimizer arguments that have no Keras 3 meaning (``decay`` is warned about by the optimizer).
_OPTIMIZER_LEGACY_ARGUMENTS = ("is_legacy_optimizer", "jit_compile")
# Metric names that ``compile`` resolves from the loss and output shape; they stay names.
_METRIC_NAMES = ("accuracy", "acc", "crossentropy", "ce")


class LegacyCodeError(ValueError):
    """A legacy config holds Python bytecode and loading is in safe mode."""


def _layer_classes() -> dict:
    """What a legacy config may name as a layer or model: brickwork's public layer and model classes."""
    from brickwork import layers, models
    from brickwork.layers.layer import Layer
    from brickwork.models.functional import Functional

    values = {name: getattr(layers, name) for name in dir(layers) if not name.startswith("_")}  # loads them all
    found = {name: value for name, value in values.items() if inspect.isclass(value) and issubclass(value, Layer)}
    found.update({"Functional": Functional, "Model": models.Model, "Sequential": models.Sequential})
    return found


# --------------------------------------------------------------------------- JSON
def _decode_special(value: dict):
    class_name = value.get("class_name")
    if class_name == "__tuple__" and "items" in value:
        return tuple(value["items"])
    if class_name == "__ellipsis__":
        return Ellipsis
    if class_name == "__bytes__" and isinstance(value.get("value"), str):
        return value["value"].encode("utf-8")
    return value


def decode(text: str):
    """Parse the JSON of a legacy file's attribute (``__tuple__``, ``__ellipsis__``, ``__bytes__`` become values)."""
    return json.loads(text, object_hook=_decode_special)


def _json_default(value):
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (np.generic,)):
        return value.item()
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if hasattr(value, "get_config"):
        serialized = legacy_serialization.serialize_keras_object(value)
        serialized["__passive_serialization__"] = True
        return serialized
    raise TypeError(f"the config holds {value!r} ({type(value).__name__}), which is not JSON")


def encode(value) -> bytes:
    """``value`` as the UTF-8 JSON a legacy file's attribute holds."""
    return json.dumps(value, default=_json_default).encode("utf-8")


# --------------------------------------------------------------------------- safety
def _is_code(node) -> bool:
    return isinstance(node, dict) and node.get("class_name") == "__lambda__"


def _keras2_code_keys(lambda_config: dict) -> list:
    """The keys of a Keras 2 Lambda config that hold a marshalled lambda (``[code, defaults, closure]``)."""
    keys = []
    if isinstance(lambda_config.get("function"), list):
        keys.append("function")  # a named function is a string; a list is always bytecode
    if lambda_config.get("output_shape_type") == "lambda" and isinstance(lambda_config.get("output_shape"), list):
        keys.append("output_shape")
    return keys


def refuse_code(config, source: str) -> None:
    """Raise ``LegacyCodeError`` when ``config`` holds Python bytecode: a ``__lambda__`` entry (Keras 3) or a
    Keras 2 Lambda layer whose ``function`` (or ``output_shape``) is a marshalled lambda ``[code, defaults,
    closure]``."""
    stack = [(config, "")]
    while stack:
        node, where = stack.pop()
        if isinstance(node, list):
            stack.extend((value, where) for value in node)
            continue
        if not isinstance(node, dict):
            continue
        inner = node.get("config")
        name = inner.get("name") if isinstance(inner, dict) else None
        here = f"{where}/{name}" if isinstance(name, str) else where
        keras2_lambda = node.get("class_name") == "Lambda" and isinstance(inner, dict) and _keras2_code_keys(inner)
        if _is_code(node) or keras2_lambda:
            raise LegacyCodeError(
                f"Refused to load {source}: layer {here or 'at the top level'!r} holds a Python lambda as marshalled "
                "bytecode, and running it would allow arbitrary code execution. Load it with `safe_mode=False` "
                "(e.g. `load_model(path, safe_mode=False)`) only if you trust the file's source; or rebuild the "
                "model from code and load its weights."
            )
        stack.extend((value, here) for value in node.values())


# --------------------------------------------------------------------------- layers from configs
def _modernize_layer_config(config: dict) -> dict:
    """Keras 2 spellings Keras 3 still reads: ``axis=[3]``, a Lambda's list-form function."""
    config = {**config, "config": dict(config["config"])}
    inner = config["config"]
    axis = inner.get("axis")
    if isinstance(axis, list) and len(axis) == 1:
        inner["axis"] = int(axis[0])
    if config["class_name"] == "Lambda":
        for key in _keras2_code_keys(inner):
            code, defaults, closure = (list(inner[key]) + [None, None])[:3]
            inner[key] = {"class_name": "__lambda__",
                          "config": {"code": code, "defaults": defaults, "closure": closure}}
        for key in _LAMBDA_LEGACY_ARGUMENTS:
            inner.pop(key, None)
    return config


def model_from_config(config: dict, custom_objects: dict | None = None):
    """The layer or model a legacy config describes.

    Args:
        config: ``{"class_name": ..., "config": {...}}`` (a Keras 2 / ``.h5`` layer or model config).
        custom_objects: ``{name: class or function}`` for custom layers and functions it names.

    Returns:
        The layer or model (a model is uncompiled and has fresh weights).

    Example:
        >>> from brickwork.legacy.saving.saving_utils import model_from_config
        >>> model_from_config({"class_name": "Dense", "config": {"units": 2, "name": "d"}}).units
        2
    """
    if isinstance(config, list):
        raise TypeError(
            f"model_from_config: expected a dict, received a list ({config!r:.80}). A list of layer configs is "
            "`Sequential.from_config({'layers': ...})`."
        )
    if not isinstance(config, dict) or "class_name" not in config or "config" not in config:
        raise ValueError(
            "model_from_config: expected a dict with keys 'class_name' and 'config' (a Keras 2 layer or model "
            f"config), received {config!r:.200}."
        )
    if isinstance(config["config"], list) and config["class_name"] == "Sequential":
        config = {**config, "config": {"layers": config["config"]}}  # Keras 2.0's Sequential config
    if isinstance(config["config"], dict):
        config = _modernize_layer_config(config)
    return legacy_serialization.deserialize_keras_object(
        config, module_objects=_layer_classes(), custom_objects=custom_objects, printable_module_name="layer")


def is_legacy_layer_config(config) -> bool:
    """Whether a layer entry of a model config is in the legacy form (no ``"module"`` key)."""
    return isinstance(config, dict) and "class_name" in config and "module" not in config


def modern_node(node_data):
    """A Functional config's inbound node in Keras 3's ``{"args", "kwargs"}`` form.

    Keras 2 writes a node as ``[[layer_name, node_index, tensor_index, kwargs], ...]``: the call's input is
    that tensor, or the list of them."""
    if not isinstance(node_data, list):
        return node_data
    tensors, kwargs = [], {}
    for entry in node_data:
        if not isinstance(entry, list) or len(entry) not in (3, 4):
            raise ValueError(
                f"Cannot read the inbound node {node_data!r:.200}: expected [layer, node, tensor, kwargs].")
        tensors.append({"class_name": "__keras_tensor__", "config": {"keras_history": list(entry[:3])}})
        if len(entry) == 4 and entry[3]:
            kwargs = dict(entry[3])
    return {"args": [tensors[0] if len(tensors) == 1 else tensors], "kwargs": kwargs}


# --------------------------------------------------------------------------- the file's metadata
def _legacy_layer_entry(entry: dict, layers_by_name: dict) -> dict:
    """A Keras 3 layer entry of a model config in the legacy form: no ``module``, registered class name."""
    if not isinstance(entry, dict) or "module" not in entry:
        return entry
    layer = layers_by_name.get(entry.get("name") or (entry.get("config") or {}).get("name"))
    if layer is not None and entry.get("class_name") != "InputLayer":
        legacy = legacy_serialization.serialize_keras_object(layer)
    else:
        legacy = {"class_name": entry.get("registered_name") or entry["class_name"], "config": entry["config"]}
    for key in ("name", "inbound_nodes"):
        if key in entry:
            legacy[key] = entry[key]
    return legacy


def legacy_model_config(model) -> dict:
    """``{"class_name", "config"}`` of ``model`` with its layers in the legacy form, as ``.h5`` files hold it."""
    config = model.get_config()
    if isinstance(config, dict) and isinstance(config.get("layers"), list):
        layers_by_name = {layer.name: layer for layer in getattr(model, "layers", [])}
        config = {**config, "layers": [_legacy_layer_entry(entry, layers_by_name) for entry in config["layers"]]}
    return {"class_name": type(model).__name__, "config": config}


def _serialize_compile_value(value):
    if isinstance(value, dict):
        return {key: _serialize_compile_value(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_serialize_compile_value(item) for item in value]
    if callable(value):
        return legacy_serialization.serialize_keras_object(value)
    return value


def _full_loss_names(loss):
    """Short loss names (``"mse"``) as their functions' names (``"mean_squared_error"``): Keras 3's ``.h5``
    loader finds only the latter."""
    from brickwork import losses

    if isinstance(loss, str):
        found = losses.ALL_OBJECTS_DICT.get(loss)
        return found.__name__ if inspect.isfunction(found) else loss
    if isinstance(loss, dict) and "class_name" not in loss:
        return {key: _full_loss_names(value) for key, value in loss.items()}
    if isinstance(loss, list):
        return [_full_loss_names(value) for value in loss]
    return loss


def model_metadata(model, include_optimizer: bool = True) -> dict:
    """The attributes of a legacy ``.h5`` file: versions, ``model_config`` and (compiled) ``training_config``."""
    from brickwork import backend
    from brickwork.saving.saving_lib import KERAS_FORMAT_VERSION

    metadata = {"keras_version": KERAS_FORMAT_VERSION, "backend": backend.backend(),
                "model_config": legacy_model_config(model)}
    optimizer = getattr(model, "optimizer", None)
    compile_config = model.get_compile_config() if hasattr(model, "get_compile_config") else None
    if include_optimizer and optimizer is not None and compile_config:
        training_config = {key: value for key, value in compile_config.items() if key != "optimizer"}
        training_config = _serialize_compile_value(training_config)
        training_config["loss"] = _full_loss_names(training_config.get("loss"))
        training_config["optimizer_config"] = {
            "class_name": object_registration.get_registered_name(type(optimizer)),
            "config": optimizer.get_config(),
        }
        metadata["training_config"] = training_config
    return metadata


# --------------------------------------------------------------------------- compile arguments
def _optimizer_from_config(config: dict, custom_objects):
    from brickwork import optimizers

    config = {"class_name": config["class_name"], "config": dict(config.get("config") or {})}
    inner = config["config"]
    for key in _OPTIMIZER_LEGACY_ARGUMENTS:
        inner.pop(key, None)
    if "lr" in inner:
        inner.setdefault("learning_rate", inner.pop("lr"))
    if not inner.get("decay"):
        inner.pop("decay", None)
    class_name = config["class_name"]
    if (isinstance(class_name, str) and class_name.startswith("Custom>")
            and object_registration.get_registered_object(class_name, custom_objects) is None):
        config["class_name"] = class_name.split(">", 1)[1]  # tf.keras 2.11-2.15 wrote its new optimizers so
    return optimizers.deserialize(config, custom_objects=custom_objects)


def _nested(deserialize, config):
    """``deserialize`` over each object of a loss/metrics structure (names stay names: ``compile`` reads them)."""
    if config is None or isinstance(config, str):
        return config
    if isinstance(config, dict) and "class_name" in config:
        inner = config.get("config")
        if isinstance(inner, dict) and inner.get("reduction") == "auto":  # Keras 2's default reduction
            config = {**config, "config": {**inner, "reduction": "sum_over_batch_size"}}
        return deserialize(config)
    if isinstance(config, dict):
        return {key: _nested(deserialize, value) for key, value in config.items()}
    if isinstance(config, (list, tuple)):
        return [_nested(deserialize, value) for value in config]
    raise ValueError(f"Cannot read the compile configuration {config!r:.200}: expected a name, a dict or a list.")


def compile_args_from_training_config(training_config: dict, custom_objects: dict | None = None) -> dict:
    """``model.compile`` arguments from a legacy file's ``training_config``.

    Example:
        args = compile_args_from_training_config({"optimizer_config": {"class_name": "SGD", "config": {}},
                                                  "loss": "mse"})
        model.compile(**args)
    """
    from brickwork import losses, metrics

    def metric(config):
        return config if config in _METRIC_NAMES else metrics.deserialize(config, custom_objects=custom_objects)

    with object_registration.custom_object_scope(custom_objects or {}):
        return {
            "optimizer": _optimizer_from_config(training_config["optimizer_config"], custom_objects),
            "loss": _nested(lambda c: losses.deserialize(c, custom_objects=custom_objects),
                            training_config.get("loss")),
            "metrics": _nested(metric, training_config.get("metrics")),
            "weighted_metrics": _nested(metric, training_config.get("weighted_metrics")),
            "loss_weights": training_config.get("loss_weights"),
        }


def compile_from_training_config(model, training_config: dict, custom_objects, source: str) -> None:
    """Compile ``model`` as the file says; when that fails (an unknown loss or metric), warn and leave it
    uncompiled, as a ``.keras`` file's loader does."""
    try:
        model.compile(**compile_args_from_training_config(training_config, custom_objects))
    except (TypeError, ValueError, KeyError) as error:
        warnings.warn(
            f"Could not restore the compile configuration saved in {source}, so the model is loaded uncompiled: "
            f"{error} Pass its custom losses and metrics in `custom_objects`, or call compile() yourself.",
            stacklevel=3)
