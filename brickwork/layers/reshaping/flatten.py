"""``Flatten``: collapse every axis but the batch axis."""

from __future__ import annotations

import math

from brickwork import backend, ops
from brickwork.backend import KerasTensor
from brickwork.layers.layer import Layer


class Flatten(Layer):
    """Flatten the input to ``(batch, features)``.

    Args:
        data_format: ``"channels_first"`` moves channels last before flattening, as Keras does.

    Example:
        Flatten()(np.zeros((2, 3, 4))).shape   # (2, 12)
    """

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = backend.standardize_data_format(data_format)

    def call(self, inputs):
        if self.data_format == "channels_first" and len(inputs.shape) > 2:
            inputs = ops.moveaxis(inputs, 1, -1)
        batch, rest = inputs.shape[0], tuple(inputs.shape[1:])
        if batch is not None:
            return ops.reshape(inputs, (batch, -1))
        if all(d is not None for d in rest):
            return ops.reshape(inputs, (-1, math.prod(rest)))
        return ops.reshape(inputs, (ops.shape(inputs)[0], -1))  # a traced graph knows neither: the batch at run time

    def compute_output_shape(self, input_shape):
        rest = input_shape[1:]
        size = None if any(d is None for d in rest) else math.prod(rest)
        return (input_shape[0], size)

    def compute_output_spec(self, inputs):
        # A sparse input gives a sparse output (the op keeps it sparse); the dtype is the input's, as Keras.
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=inputs.dtype, sparse=inputs.sparse)

    def get_config(self) -> dict:
        config = super().get_config()
        config["data_format"] = self.data_format
        return config
