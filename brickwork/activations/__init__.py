"""``brickwork.activations``: Keras 3's activation functions, and lookup by name.

Example:
    layers.Dense(3, activation="relu")
    activations.get("gelu")(x)
"""

from __future__ import annotations

import difflib
import types

from brickwork.activations.activations import (
    celu,
    elu,
    exponential,
    gelu,
    glu,
    hard_shrink,
    hard_sigmoid,
    hard_silu,
    hard_swish,
    hard_tanh,
    leaky_relu,
    linear,
    log_sigmoid,
    log_softmax,
    mish,
    relu,
    relu6,
    selu,
    sigmoid,
    silu,
    soft_shrink,
    softmax,
    softplus,
    softsign,
    sparse_plus,
    sparse_sigmoid,
    sparsemax,
    squareplus,
    swish,
    tanh,
    tanh_shrink,
    threshold,
)

ALL_OBJECTS = (
    relu, leaky_relu, relu6, softmax, celu, elu, selu, softplus, softsign, squareplus, soft_shrink,
    sparse_plus, silu, gelu, glu, tanh, tanh_shrink, threshold, sigmoid, sparse_sigmoid, exponential,
    hard_sigmoid, hard_silu, hard_tanh, hard_shrink, linear, mish, log_softmax, log_sigmoid, sparsemax,
)
ALL_OBJECTS_DICT = {fn.__name__: fn for fn in ALL_OBJECTS}
ALL_OBJECTS_DICT["swish"] = silu
ALL_OBJECTS_DICT["hard_swish"] = hard_silu


def serialize(activation):
    """A built-in activation's name (``"relu"``), or the Keras config of a custom one.

    Args:
        activation: an activation function.

    Returns:
        Its name, or a config dict for a function registered as a custom object.

    Example:
        serialize(relu)   # "relu"
    """
    if isinstance(activation, types.FunctionType) and ALL_OBJECTS_DICT.get(activation.__name__) is activation:
        return activation.__name__
    from brickwork.saving import serialization_lib

    if isinstance(activation, types.FunctionType) or hasattr(activation, "get_config"):
        return serialization_lib.serialize_keras_object(activation)
    raise ValueError(
        f"activations.serialize: cannot serialize {activation!r}; expected a built-in activation, a "
        "function, or an object with get_config(). Register custom functions with "
        "`brickwork.saving.register_keras_serializable()`."
    )


def _from_name(name: str, custom_objects: dict | None = None):
    from brickwork.saving import object_registration

    found = object_registration.get_registered_object(name, custom_objects, ALL_OBJECTS_DICT)
    if found is None:
        close = difflib.get_close_matches(name, list(ALL_OBJECTS_DICT), n=3)
        hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        raise ValueError(
            f"Unknown activation function {name!r}.{hint} Known activations: {', '.join(sorted(ALL_OBJECTS_DICT))}."
        )
    return found


def deserialize(config, custom_objects: dict | None = None):
    """The activation named by ``config``: a name, or a config made by ``serialize``.

    Args:
        config: a name or a config dict made by ``serialize``.
        custom_objects: extra ``{name: function}`` to look names up in.

    Returns:
        The activation function.

    Example:
        deserialize("relu") is relu   # True
    """
    if isinstance(config, str):
        return _from_name(config, custom_objects)
    if isinstance(config, dict):
        from brickwork.saving import serialization_lib

        return serialization_lib.deserialize_keras_object(config, custom_objects=custom_objects)
    raise ValueError(f"activations.deserialize: expected a name or a config dict, received {config!r}.")


def get(identifier):
    """An activation from ``None`` (``linear``), a name, a config dict, or a callable (returned as is).

    Args:
        identifier: a name, a function, a config dict, or ``None`` (gives ``linear``).

    Returns:
        The activation function.

    Example:
        get("relu") is relu   # True
        get(None)   # linear
    """
    if identifier is None:
        return linear
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise ValueError(
        f"Could not interpret activation function identifier {identifier!r}: expected None, a name, "
        "a config dict or a callable."
    )


__all__ = [
    "celu", "elu", "exponential", "gelu", "glu", "hard_shrink", "hard_sigmoid", "hard_silu", "hard_swish",
    "hard_tanh", "leaky_relu", "linear", "log_sigmoid", "log_softmax", "mish", "relu", "relu6", "selu",
    "sigmoid", "silu", "soft_shrink", "softmax", "softplus", "softsign", "sparse_plus", "sparse_sigmoid",
    "sparsemax", "squareplus", "swish", "tanh", "tanh_shrink", "threshold", "serialize", "deserialize",
    "get",
]
