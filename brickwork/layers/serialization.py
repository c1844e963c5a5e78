"""``layers.serialize`` / ``layers.deserialize``: a layer to and from its Keras 3 config.

Example:
    config = layers.serialize(layers.Dense(3))
    dense = layers.deserialize(config)
"""

from __future__ import annotations

from brickwork.layers.layer import Layer


def serialize(layer: Layer) -> dict:
    """The layer's config in Keras 3's format (``{"module", "class_name", "config", ...}``).

    Args:
        layer: a layer.

    Returns:
        A config dict that ``deserialize`` reads back.

    Example:
        config = serialize(Dense(2))   # {'module': 'keras.layers', 'class_name': 'Dense', ...}
        deserialize(config).units   # 2
    """
    from brickwork.saving.serialization_lib import serialize_keras_object

    return serialize_keras_object(layer)


def deserialize(config: dict, custom_objects: dict | None = None) -> Layer:
    """The layer a config describes (as ``serialize`` or Keras writes it).

    Args:
        config: the layer's config.
        custom_objects: ``{name: class or function}`` for the custom objects it names.

    Returns:
        A new layer built from ``config`` (its weights are not restored).

    Example:
        deserialize({"class_name": "Dense", "config": {"units": 3}}).units   # 3
    """
    from brickwork.saving.serialization_lib import deserialize_keras_object

    layer = deserialize_keras_object(config, custom_objects=custom_objects)
    if not isinstance(layer, Layer):
        raise ValueError(f"layers.deserialize: the config does not describe a layer; received {config!r}.")
    return layer
