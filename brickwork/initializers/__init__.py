"""``brickwork.initializers``: how new variables are filled, and lookup by name or config.

Example:
    layers.Dense(3, kernel_initializer="he_normal")
    layers.Dense(3, kernel_initializer=initializers.RandomNormal(stddev=0.01, seed=1))
"""

from __future__ import annotations

import inspect

import numpy as np

from brickwork import config, ops
from brickwork.backend.common.global_state import to_snake_case
from brickwork.initializers.constant_initializers import STFT, Constant, Identity, Ones, Zeros
from brickwork.initializers.initializer import Initializer
from brickwork.initializers.random_initializers import (
    GlorotNormal,
    GlorotUniform,
    HeNormal,
    HeUniform,
    LecunNormal,
    LecunUniform,
    Orthogonal,
    RandomInitializer,
    RandomNormal,
    RandomUniform,
    TruncatedNormal,
    VarianceScaling,
    compute_fans,
)

# Keras's other public names for the same classes.
IdentityInitializer = Identity
OrthogonalInitializer = Orthogonal
STFTInitializer = STFT
constant = Constant
zeros = Zeros
ones = Ones
identity = Identity
random_normal = RandomNormal
random_uniform = RandomUniform
truncated_normal = TruncatedNormal
variance_scaling = VarianceScaling
glorot_normal = GlorotNormal
glorot_uniform = GlorotUniform
he_normal = HeNormal
he_uniform = HeUniform
lecun_normal = LecunNormal
lecun_uniform = LecunUniform
orthogonal = Orthogonal
stft = STFT

ALL_OBJECTS = (
    Initializer, Constant, Zeros, Ones, Identity, STFT, RandomNormal, RandomUniform, TruncatedNormal,
    VarianceScaling, GlorotNormal, GlorotUniform, HeNormal, HeUniform, LecunNormal, LecunUniform, Orthogonal,
)
ALL_OBJECTS_DICT = {cls.__name__: cls for cls in ALL_OBJECTS}
ALL_OBJECTS_DICT.update({to_snake_case(cls.__name__): cls for cls in ALL_OBJECTS})
ALL_OBJECTS_DICT.update({
    "IdentityInitializer": Identity, "identity_initializer": Identity,
    "OrthogonalInitializer": Orthogonal, "orthogonal_initializer": Orthogonal,
    "STFTInitializer": STFT, "stft": STFT, "stft_initializer": STFT,
    "uniform": RandomUniform, "normal": RandomNormal, "one": Ones, "zero": Zeros,
})


def serialize(initializer) -> dict:
    """The Keras 3 config of ``initializer``: ``{"module", "class_name", "config", "registered_name"}``.

    Args:
        initializer: an initializer.

    Returns:
        A config dict that ``deserialize`` reads back.

    Example:
        config = serialize(Ones())   # {'module': 'keras.initializers', 'class_name': 'Ones', ...}
        deserialize(config)   # Ones()
    """
    from brickwork.saving import serialization_lib

    return serialization_lib.serialize_keras_object(initializer)


def deserialize(config, custom_objects: dict | None = None) -> Initializer:
    """An initializer from a config made by ``serialize``, or from a name such as ``"he_normal"``.

    Args:
        config: a name or a config dict made by ``serialize``.
        custom_objects: extra ``{name: object}`` to look names up in.

    Returns:
        The object the config describes.

    Example:
        deserialize({"class_name": "Constant", "config": {"value": 2.0}})(shape=(2,))   # [2, 2]
    """
    if isinstance(config, str):
        return _from_name(config, custom_objects)
    if isinstance(config, dict) and config.get("class_name") in ALL_OBJECTS_DICT and not config.get("registered_name"):
        # Also the older {"class_name": ..., "config": ...} shape, and snake_case class names.
        return ALL_OBJECTS_DICT[config["class_name"]].from_config(config.get("config") or {})
    from brickwork.saving import serialization_lib

    return serialization_lib.deserialize_keras_object(config, custom_objects=custom_objects)


def _from_name(name: str, custom_objects: dict | None = None):
    found = (custom_objects or {}).get(name) or ALL_OBJECTS_DICT.get(name)
    if found is None:
        from brickwork.saving import object_registration

        found = object_registration.get_registered_object(name)
    if found is None:
        raise ValueError(
            f"Unknown initializer {name!r}. Expected one of {sorted(ALL_OBJECTS_DICT)}, "
            "an Initializer, a callable, a config dict or None."
        )
    return found() if inspect.isclass(found) else found


def get(identifier):
    """An initializer from ``None``, a name (``"glorot_uniform"``, ``"zeros"``, …), a config dict,
    a class (instantiated), a callable (returned as is) or a tensor or NumPy array (its value, for that shape).

    Args:
        identifier: a name, a config dict, an instance, a callable, or ``None``.

    Returns:
        The object the identifier names, or ``None``.

    Example:
        get("he_normal")   # HeNormal()
        get(None)   # None
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
    if isinstance(identifier, (np.ndarray, np.generic)) or ops.is_tensor(identifier):
        return _value_initializer(identifier)
    raise ValueError(
        f"Could not interpret initializer identifier {identifier!r}: expected None, a name, a config dict, "
        "a callable or a tensor."
    )


def _value_initializer(value):
    """An initializer giving ``value`` cast to the requested dtype; the requested shape must be its shape."""

    def initialize_fn(shape, dtype=None):
        if tuple(shape) != tuple(value.shape):
            raise ValueError(f"Initializer from a tensor: Expected `shape` to be {tuple(value.shape)} for direct "
                             f"tensor as initializer. Received shape={tuple(shape)}")
        return ops.cast(value, dtype or config.floatx())

    return initialize_fn


__all__ = [
    "Initializer", "Constant", "Zeros", "Ones", "Identity", "IdentityInitializer", "STFT", "STFTInitializer",
    "RandomNormal", "RandomUniform", "TruncatedNormal", "VarianceScaling", "GlorotNormal", "GlorotUniform",
    "HeNormal", "HeUniform", "LecunNormal", "LecunUniform", "Orthogonal", "OrthogonalInitializer",
    "constant", "zeros", "ones", "identity", "random_normal", "random_uniform", "truncated_normal",
    "variance_scaling", "glorot_normal", "glorot_uniform", "he_normal", "he_uniform", "lecun_normal",
    "lecun_uniform", "orthogonal", "stft", "serialize", "deserialize", "get", "compute_fans",
]
