"""``Reshape``: give each sample a new shape."""

from __future__ import annotations

import math

from brickwork import ops
from brickwork.backend import KerasTensor
from brickwork.layers.layer import Layer


class Reshape(Layer):
    """Reshape each sample to ``target_shape`` (without the batch axis; one entry may be ``-1``).

    Args:
        target_shape: the shape of each sample, a tuple of ints without the batch axis; one entry may be -1,
            inferred from the number of elements.
        **kwargs: ``Layer`` arguments (``name``, ``dtype``, ``trainable``, …).

    Example:
    >>> Reshape((3, 4))(np.zeros((2, 12))).shape   # (2, 3, 4)
    """

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        self.target_shape = tuple(target_shape)
        if any(d is not None and d < -1 for d in self.target_shape):
            raise ValueError(f"Reshape: each entry of `target_shape` must be a non-negative integer or -1 (one size "
                             f"left to infer). Received: target_shape={self.target_shape}")
        if sum(1 for d in self.target_shape if d == -1) > 1:
            raise ValueError(f"Reshape: `target_shape` may have at most one unknown dimension (-1). Received: "
                             f"target_shape={self.target_shape}")

    def _resolve(self, input_shape):
        known = [d for d in self.target_shape if d != -1]
        if -1 not in self.target_shape:
            size_in = None if any(d is None for d in input_shape[1:]) else math.prod(input_shape[1:])
            if size_in is not None and size_in != math.prod(known):
                raise ValueError(
                    f"Reshape {self.name!r}: cannot reshape a sample of shape {tuple(input_shape[1:])} "
                    f"({size_in} values) to {self.target_shape} ({math.prod(known)} values)."
                )
            return self.target_shape
        if any(d is None for d in input_shape[1:]):
            return tuple(None if d == -1 else d for d in self.target_shape)
        total = math.prod(input_shape[1:])
        if total % math.prod(known):
            raise ValueError(
                f"Reshape {self.name!r}: cannot reshape a sample of shape {tuple(input_shape[1:])} to {self.target_shape}."
            )
        return tuple(total // math.prod(known) if d == -1 else d for d in self.target_shape)

    def call(self, inputs):
        dims = tuple(-1 if d is None else d for d in self._resolve(tuple(inputs.shape)))
        if -1 not in dims:
            return ops.reshape(inputs, (-1,) + dims)
        # The target's -1 is not known here (a traced graph of varying sizes): the batch must be, at run time.
        batch = inputs.shape[0] if inputs.shape[0] is not None else ops.shape(inputs)[0]
        return ops.reshape(inputs, (batch,) + dims)

    def compute_output_shape(self, input_shape):
        return (input_shape[0],) + self._resolve(tuple(input_shape))

    def compute_output_spec(self, inputs):
        # A sparse input gives a sparse output (the op keeps it sparse); the dtype is the input's, as Keras.
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=inputs.dtype, sparse=inputs.sparse)

    def get_config(self) -> dict:
        config = super().get_config()
        config["target_shape"] = self.target_shape
        return config
