"""``Permute``: reorder the axes of each sample."""

from __future__ import annotations

from brickwork import ops
from brickwork.layers.input_spec import InputSpec
from brickwork.backend import KerasTensor
from brickwork.layers.layer import Layer


class Permute(Layer):
    """Permute the non-batch axes of the input.

    Args:
        dims: a permutation of ``1 … rank - 1`` (the batch axis 0 stays first): output axis ``i + 1``
            is input axis ``dims[i]``.

    Example:
    >>> Permute((2, 1))(np.zeros((4, 10, 64))).shape   # (4, 64, 10)
    """

    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        self.dims = tuple(dims)
        if sorted(self.dims) != list(range(1, len(self.dims) + 1)):
            raise ValueError(
                f"Permute: Invalid permutation argument `dims`: it must be a permutation of 1 … {len(self.dims)} "
                f"(the batch axis 0 is not permuted). Received: dims={dims!r}"
            )
        self.input_spec = InputSpec(ndim=len(self.dims) + 1)
        self._axes = (0,) + self.dims

    def call(self, inputs):
        return ops.transpose(inputs, self._axes)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[axis] for axis in self._axes)

    def compute_output_spec(self, inputs):
        # A sparse input gives a sparse output (the op keeps it sparse); the dtype is the input's, as Keras.
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=inputs.dtype, sparse=inputs.sparse)

    def get_config(self) -> dict:
        return {**super().get_config(), "dims": self.dims}
