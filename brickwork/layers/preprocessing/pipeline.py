"""``Pipeline``: apply a list of layers one after the other, as a plain layer (not a model)."""

from __future__ import annotations

from brickwork.layers.layer import Layer


class Pipeline(Layer):
    """Call ``layers`` in order, each on the previous one's output, passing ``training`` on.

    Unlike ``Sequential`` it is a layer, not a model: meant for preprocessing and augmentation
    (``Pipeline([AutoContrast(), RandomFlip(), RandomRotation(0.1)])``), it has no ``fit`` and no input shape.

    Args:
        layers: the layers to apply, in order.
        name: the layer's name.

    Example:
    >>> augment = Pipeline([RandomFlip(seed=1), RandomContrast(0.2, seed=2)])
    >>> augment(np.random.rand(2, 8, 8, 3) * 255).shape   # (2, 8, 8, 3)
    """

    def __init__(self, layers: list[Layer], name: str | None = None, **kwargs):
        super().__init__(name=name, **kwargs)
        if not isinstance(layers, (list, tuple)) or not all(isinstance(layer, Layer) for layer in layers):
            raise ValueError(f"Pipeline: `layers` must be a list of layers, received {layers!r}.")
        self.pipeline_layers = list(layers)

    @property
    def layers(self) -> list[Layer]:
        return self.pipeline_layers

    def call(self, inputs, training=None):
        outputs = inputs
        for layer in self.pipeline_layers:
            outputs = layer(outputs, training=training)
        return outputs

    def get_config(self) -> dict:
        from brickwork.saving import serialization_lib

        return {"layers": [serialization_lib.serialize_keras_object(layer) for layer in self.pipeline_layers],
                "name": self.name}

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        from brickwork.saving import serialization_lib

        layers = config.get("layers")
        if not isinstance(layers, (list, tuple)):
            raise ValueError(  # noqa: TRY004 (Keras raises ValueError here)
                f"Pipeline: the config needs `layers`, a list of serialized layers, received {layers!r}.")
        layers = [serialization_lib.deserialize_keras_object(layer, custom_objects=custom_objects) for layer in layers]
        return cls(**{**config, "layers": layers})
