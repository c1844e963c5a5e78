"""``Wrapper``: the base of layers that wrap another layer (``SpectralNormalization``, ``Bidirectional``, …)."""

from __future__ import annotations

from brickwork.layers.layer import Layer


class Wrapper(Layer):
    """Abstract base of layers that augment one inner ``layer``; not usable on its own.

    The inner layer's weights live under the wrapper's path (``wrapper/dense/kernel``), as in Keras.

    Args:
        layer: the wrapped ``Layer`` instance.

    Example:
        class Doubled(Wrapper):
            def call(self, x):
                return 2.0 * self.layer(x)
        
        Doubled(Dense(2))(np.ones((1, 3))).shape   # (1, 2)
    """

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(  # noqa: TRY004 -- Keras raises ValueError here
                f"{type(self).__name__}: Layer {layer!r} supplied to Wrapper isn't a supported layer type. Please "
                f"ensure wrapped layer is a valid Keras layer (a Layer instance)."
            )
        super().__init__(**kwargs)
        self.layer = layer

    def build(self, input_shape=None):
        build_inner_layer(self.layer, input_shape)
        self.built = True

    def get_config(self) -> dict:
        from brickwork.saving import serialization_lib

        config = super().get_config()
        config["layer"] = serialization_lib.serialize_keras_object(self.layer)
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        from brickwork.saving import serialization_lib

        config = dict(config)
        layer = serialization_lib.deserialize_keras_object(config.pop("layer"), custom_objects=custom_objects)
        return cls(layer, **config)


def build_inner_layer(layer: Layer, input_shape) -> None:
    """Build ``layer`` for ``input_shape`` inside its own name scope, unless it is built already."""
    if layer.built:
        return
    # The layer's own scope records the enclosing path as its parent, so that weights it adds later outside
    # any scope (``quantize``) get the same prefix: ``mha/key/kernel``, not ``mha/key/key/kernel``.
    with layer._open_name_scope():
        layer._build_with_shapes(input_shape)
    layer.built = True
