"""``RepeatVector``: repeat a vector ``n`` times, making a sequence."""

from __future__ import annotations

from brickwork import ops
from brickwork.layers.convolutional.conv_utils import is_int
from brickwork.layers.input_spec import InputSpec
from brickwork.layers.layer import Layer


class RepeatVector(Layer):
    """Turn ``(batch, features)`` inputs into ``(batch, n, features)`` by repetition.

    Args:
        n: how many times to repeat each input vector, the length of the new axis 1.
        **kwargs: ``Layer`` arguments (``name``, ``dtype``, ``trainable``, …).

    Example:
    >>> RepeatVector(3)(np.zeros((2, 32))).shape   # (2, 3, 32)
    """

    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        if not is_int(n):
            raise TypeError(f"RepeatVector: Expected an integer value for `n`. Received: n={n!r}")
        if n < 1:
            raise ValueError(f"RepeatVector: `n` should be a positive integer. Received: n={n}")
        self.n = int(n)
        self.input_spec = InputSpec(ndim=2)

    def call(self, inputs):
        return ops.repeat(ops.expand_dims(inputs, 1), self.n, axis=1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.n, input_shape[1])

    def get_config(self) -> dict:
        return {**super().get_config(), "n": self.n}
