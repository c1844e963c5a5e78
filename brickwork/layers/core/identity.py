"""``Identity``: return the input unchanged (a placeholder layer)."""

from __future__ import annotations

import optree

from brickwork import backend
from brickwork.layers.layer import Layer


class Identity(Layer):
    """Return ``inputs`` unchanged; masks pass through.

    Args:
        kwargs: ``Layer`` arguments (``name``, ``dtype``, ...).

    Example:
    >>> Identity()(np.ones((2, 3))).shape   # (2, 3)
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self._build_at_init()

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def compute_output_spec(self, inputs):
        # Keeps each input's own dtype (the default spec would use the layer's compute dtype).
        return optree.tree_map(lambda x: backend.KerasTensor(x.shape, dtype=x.dtype, sparse=x.sparse), inputs,
                               is_leaf=lambda x: isinstance(x, backend.KerasTensor))
