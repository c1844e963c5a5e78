"""``Activation``: apply an activation function."""

from __future__ import annotations

from brickwork import activations
from brickwork.layers.layer import Layer


class Activation(Layer):
    """Apply ``activation`` (a name such as ``"relu"`` or a callable) to the input.

    Args:
        activation: the activation: a name from ``keras.activations`` (``"relu"``, ``"softmax"``, …) or a callable
            taking and returning a tensor.
        **kwargs: ``Layer`` arguments (``name``, ``dtype``, ``trainable``, …).

    Example:
    >>> Activation("relu")(np.array([-1.0, 2.0]))   # [0., 2.]
    """

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.activation = activations.get(activation)
        self._build_at_init()

    def call(self, inputs):
        return self.activation(inputs)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        config = super().get_config()
        config["activation"] = activations.serialize(self.activation)
        return config
