"""``LeakyReLU``: ``x`` above zero, ``negative_slope * x`` below."""

from __future__ import annotations

import warnings

from brickwork import activations
from brickwork.layers.layer import Layer


class LeakyReLU(Layer):
    """Leaky rectified linear unit.

    Args:
        negative_slope: the slope below zero (non-negative, default 0.3). The Keras 2 name
            ``alpha`` is accepted with a warning.

    Example:
    >>> LeakyReLU(negative_slope=0.5)(np.array([-2.0, 2.0]))   # [-1., 2.]
    """

    def __init__(self, negative_slope=0.3, **kwargs):
        if "alpha" in kwargs:
            negative_slope = kwargs.pop("alpha")
            warnings.warn("LeakyReLU: argument `alpha` is deprecated; use `negative_slope` instead.",
                          stacklevel=2)
        super().__init__(**kwargs)
        if negative_slope is None or negative_slope < 0:
            raise ValueError(f"LeakyReLU: The negative_slope value of a Leaky ReLU layer cannot be None or "
                             f"negative value. Expected a float. Received: negative_slope={negative_slope!r}")
        self.negative_slope = negative_slope
        self.supports_masking = True
        self._build_at_init()

    def call(self, inputs):
        return activations.leaky_relu(inputs, negative_slope=self.negative_slope)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "negative_slope": self.negative_slope}
