"""``InputLayer`` and ``Input``: where a Functional or Sequential model starts."""

from __future__ import annotations

from brickwork import backend
from brickwork.backend.common.keras_tensor import KerasTensor
from brickwork.layers.layer import Layer
from brickwork.ops.node import Node


class InputLayer(Layer):
    """The layer behind ``Input``: it holds the symbolic input tensor and does no computation."""

    def __init__(self, shape=None, batch_size=None, dtype=None, sparse=None, batch_shape=None,
                 input_tensor=None, optional=False, name=None, **kwargs):
        kwargs.pop("ragged", None)
        if "input_shape" in kwargs:
            shape = kwargs.pop("input_shape")
        if "batch_input_shape" in kwargs:
            batch_shape = kwargs.pop("batch_input_shape")
        super().__init__(name=name, **kwargs)
        if shape is not None and batch_shape is not None:
            raise ValueError("InputLayer: pass `shape` or `batch_shape`, not both.")
        if input_tensor is not None:
            batch_shape = input_tensor.shape
        elif batch_shape is None:
            if shape is None:
                raise ValueError("InputLayer: `shape` (or `batch_shape`) is required, e.g. Input(shape=(784,)).")
            shape = (shape,) if isinstance(shape, int) else tuple(shape)
            batch_shape = (batch_size,) + shape
        self._batch_shape = tuple(None if d is None else int(d) for d in batch_shape)
        self._dtype = backend.standardize_dtype(dtype)
        self.sparse = bool(sparse)
        self.optional = optional
        if input_tensor is None:
            input_tensor = KerasTensor(self._batch_shape, dtype=self._dtype, name=self.name)
        self._input_tensor = input_tensor
        Node(self, call_args=(), call_kwargs={}, outputs=input_tensor)
        self.built = True

    batch_shape = property(lambda self: self._batch_shape)
    dtype = property(lambda self: self._dtype)

    def call(self, inputs):
        return inputs

    @property
    def output(self):
        return self._input_tensor

    def get_config(self) -> dict:
        return {"batch_shape": self._batch_shape, "dtype": self._dtype, "sparse": self.sparse,
                "optional": self.optional, "name": self.name}


def Input(shape=None, batch_size=None, dtype=None, sparse=None, batch_shape=None, name=None,
          tensor=None, optional=False) -> KerasTensor:
    """A symbolic input tensor: the start of a Functional model.

    Args:
        shape: the shape of one sample, without the batch dimension, e.g. ``(784,)``.
        batch_size: an optional fixed batch size.
        dtype: default floatx; ``"int32"`` for token ids.
        batch_shape: the full shape including the batch dimension (instead of ``shape``).
        name: the input's name (a model's inputs are matched to dict keys by it).

    Example:
    >>> inputs = Input(shape=(784,))
    >>> inputs.shape
    (None, 784)
    """
    layer = InputLayer(shape=shape, batch_size=batch_size, dtype=dtype, sparse=sparse,
                       batch_shape=batch_shape, input_tensor=tensor, optional=optional, name=name)
    return layer.output
