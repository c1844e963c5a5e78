"""``brickwork.optimizers``: Keras's optimizers, their lookup by name, and learning-rate schedules."""

from __future__ import annotations

import difflib

from brickwork.optimizers import legacy, schedules  # noqa: F401
from brickwork.optimizers.adadelta import Adadelta
from brickwork.optimizers.adafactor import Adafactor
from brickwork.optimizers.adagrad import Adagrad
from brickwork.optimizers.adam import Adam
from brickwork.optimizers.adamax import Adamax
from brickwork.optimizers.adamw import AdamW
from brickwork.optimizers.base_optimizer import Optimizer
from brickwork.optimizers.ftrl import Ftrl
from brickwork.optimizers.lamb import Lamb
from brickwork.optimizers.lion import Lion
from brickwork.optimizers.loss_scale_optimizer import LossScaleOptimizer
from brickwork.optimizers.multi_optimizer import MultiOptimizer, OptimizerMap
from brickwork.optimizers.muon import Muon
from brickwork.optimizers.nadam import Nadam
from brickwork.optimizers.rmsprop import RMSprop
from brickwork.optimizers.schedule_free_adamw import ScheduleFreeAdamW
from brickwork.optimizers.sgd import SGD

ALL_OBJECTS = (Optimizer, Adam, SGD, RMSprop, Adadelta, AdamW, Adagrad, Adamax, Nadam, Ftrl, Lion, Lamb,
               LossScaleOptimizer,
               Adafactor, Muon, ScheduleFreeAdamW, MultiOptimizer)
ALL_OBJECTS_DICT = {cls.__name__.lower(): cls for cls in ALL_OBJECTS}
_MODULE = "keras.optimizers"


def serialize(optimizer: Optimizer) -> dict:
    """The optimizer as a JSON-compatible dict, in the format Keras writes.

    Args:
        optimizer: an optimizer.

    Returns:
        A config dict that ``deserialize`` reads back.

    Example:
    >>> serialize(Adam())["class_name"]
    'Adam'
    """
    cls = type(optimizer)
    built_in = ALL_OBJECTS_DICT.get(cls.__name__.lower()) is cls
    return {
        "module": _MODULE if built_in else cls.__module__,
        "class_name": cls.__name__,
        "config": optimizer.get_config(),
        "registered_name": None if built_in else cls.__name__,
    }


def _lookup(class_name: str, custom_objects: dict | None):
    custom_objects = custom_objects or {}
    if class_name in custom_objects:
        return custom_objects[class_name]
    cls = ALL_OBJECTS_DICT.get(class_name.lower())
    if cls is None:
        close = difflib.get_close_matches(class_name.lower(), list(ALL_OBJECTS_DICT), n=3, cutoff=0.5)
        hint = f" Did you mean: {', '.join(repr(c) for c in close)}?" if close else ""
        raise ValueError(
            f"Unknown optimizer: {class_name!r}.{hint} Valid names are: "
            f"{', '.join(sorted(ALL_OBJECTS_DICT))}; pass custom optimizers in `custom_objects`."
        )
    return cls


def deserialize(config: dict, custom_objects: dict | None = None) -> Optimizer:
    """The optimizer described by ``config`` (``{"class_name": ..., "config": {...}}``); names are case-insensitive.

    Args:
        config: a name or a config dict made by ``serialize``.
        custom_objects: extra ``{name: object}`` to look names up in.

    Returns:
        The object the config describes.

    Example:
        config = serialize(Adam(learning_rate=0.01))
        float(deserialize(config).learning_rate)   # 0.01
    """
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            f"optimizers.deserialize: expected a dict with keys 'class_name' and 'config', received {config!r}."
        )
    name = config.get("registered_name") or config["class_name"]
    if custom_objects and name in custom_objects:
        cls = custom_objects[name]
    else:
        cls = _lookup(config["class_name"], custom_objects)
    return cls.from_config(dict(config.get("config") or {}), custom_objects=custom_objects)


def get(identifier) -> Optimizer | None:
    """An optimizer from a name (``"adam"``), a config dict, or an ``Optimizer`` (returned as is).

    Args:
        identifier: a name, a config dict, an instance, a callable, or ``None``.

    Returns:
        The object the identifier names, or ``None``.

    Example:
    >>> get("sgd").learning_rate.numpy()
    array(0.01, dtype=float32)
    """
    if identifier is None or isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        return deserialize({"class_name": identifier, "config": {}})
    raise ValueError(
        f"Could not interpret optimizer identifier: {identifier!r}. Expected a name such as 'adam', a config "
        "dict or an Optimizer instance."
    )


__all__ = [
    "Optimizer", "Adam", "SGD", "RMSprop", "Adadelta", "AdamW", "Adagrad", "Adamax", "Nadam", "Ftrl", "Lion",
    "Lamb", "LossScaleOptimizer", "schedules", "serialize", "deserialize", "get",
    "Adafactor", "Muon", "ScheduleFreeAdamW", "legacy", "MultiOptimizer", "OptimizerMap",
]
