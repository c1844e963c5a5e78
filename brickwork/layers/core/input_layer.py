"""``InputLayer`` and ``Input``: where a Functional or Sequential model starts."""

from __future__ import annotations

import warnings

from brickwork import backend
from brickwork.backend.common.keras_tensor import KerasTensor
from brickwork.layers.layer import Layer
from brickwork.ops.node import Node


class InputLayer(Layer):
    """The layer behind ``Input``: it holds the symbolic input tensor and does no computation.

    Args:
        shape: the shape of one sample, without the batch axis.
        batch_size: a fixed batch size, if any.
        dtype: the input's dtype.
        sparse: whether the input is a sparse tensor (where the backend supports them).
        batch_shape: the full shape, batch axis included (instead of ``shape``).
        input_tensor: an existing symbolic tensor to use as the input.
        optional: whether the input may be given as ``None``.
        name: the layer's name.
        ragged: whether the input is ragged (where the backend supports ragged tensors).

    Example:
        model = keras.Sequential([InputLayer(shape=(3,)), Dense(2)])
        model.output_shape   # (None, 2)
    """

    def __init__(self, shape=None, batch_size=None, dtype=None, sparse=None, batch_shape=None,
                 input_tensor=None, optional=False, name=None, ragged=None, **kwargs):
        if "input_shape" in kwargs:
            warnings.warn("InputLayer: Argument `input_shape` is deprecated. Use `shape` instead.", stacklevel=2)
            shape = kwargs.pop("input_shape")
        if "batch_input_shape" in kwargs:
            batch_shape = kwargs.pop("batch_input_shape")
        super().__init__(name=name, **kwargs)
        if input_tensor is not None:
            _check_input_tensor(input_tensor, shape, batch_size, batch_shape, dtype, sparse)
            batch_shape, dtype, sparse = input_tensor.shape, input_tensor.dtype, input_tensor.sparse
        else:
            if shape is not None and batch_shape is not None:
                raise ValueError(f"InputLayer: You cannot pass both `shape` and `batch_shape` at the same time. "
                                 f"Received: shape={shape}, batch_shape={batch_shape}")
            if batch_size is not None and batch_shape is not None:
                raise ValueError(f"InputLayer: You cannot pass both `batch_size` and `batch_shape` at the same "
                                 f"time. Received: batch_size={batch_size}, batch_shape={batch_shape}")
            if shape is None and batch_shape is None:
                raise ValueError("InputLayer: You must pass a `shape` argument (or `batch_shape`), "
                                 "e.g. Input(shape=(784,)).")
            if batch_shape is None:
                shape = (shape,) if isinstance(shape, int) else tuple(shape)
                batch_shape = (batch_size,) + shape
        self._batch_shape = tuple(None if d is None else int(d) for d in batch_shape)
        self._dtype = backend.standardize_dtype(dtype)
        self.sparse = bool(sparse)
        self.ragged = bool(ragged)
        for flag, supported in (("sparse", backend.SUPPORTS_SPARSE_TENSORS), ("ragged", backend.SUPPORTS_RAGGED_TENSORS)):
            if getattr(self, flag) and not supported:
                raise ValueError(f"InputLayer: `{flag}=True` is not supported with the {backend.backend()} backend; "
                                 f"pass dense tensors instead.")
        self.optional = optional
        if input_tensor is None:
            input_tensor = KerasTensor(self._batch_shape, dtype=self._dtype, sparse=self.sparse, name=self.name)
        self._input_tensor = input_tensor
        Node(self, call_args=(), call_kwargs={}, outputs=input_tensor)
        self.built = True

    batch_shape = property(lambda self: self._batch_shape)
    dtype = property(lambda self: self._dtype)

    def call(self, inputs=None):
        return inputs

    @property
    def output(self):
        return self._input_tensor

    def get_config(self) -> dict:
        return {"batch_shape": self._batch_shape, "dtype": self._dtype, "sparse": self.sparse,
                "ragged": self.ragged, "optional": self.optional, "name": self.name}


def _check_input_tensor(input_tensor, shape, batch_size, batch_shape, dtype, sparse) -> None:
    """Each of ``shape``, ``batch_size``, ``batch_shape``, ``dtype``, ``sparse`` given beside ``input_tensor``
    must agree with it."""
    if not isinstance(input_tensor, KerasTensor):
        raise ValueError(f"InputLayer: Argument `input_tensor` must be a KerasTensor. Received: "
                         f"input_tensor of type {type(input_tensor).__name__}")
    tensor_shape = tuple(input_tensor.shape)
    received = {"batch_size": batch_size, "shape": shape, "batch_shape": batch_shape, "dtype": dtype, "sparse": sparse}
    incompatible = {
        "batch_size": lambda: not tensor_shape or tensor_shape[0] != batch_size,
        "shape": lambda: tuple(shape) != tensor_shape[1:],
        "batch_shape": lambda: tuple(batch_shape) != tensor_shape,
        "dtype": lambda: backend.standardize_dtype(dtype) != input_tensor.dtype,
        "sparse": lambda: bool(sparse) != input_tensor.sparse,
    }
    for argument, value in received.items():
        if value is not None and incompatible[argument]():
            raise ValueError(f"InputLayer: When providing the `input_tensor` argument, you cannot provide an "
                             f"incompatible `{argument}` argument. Received: {argument}={value!r}, "
                             f"input_tensor.shape={tensor_shape}, input_tensor.dtype={input_tensor.dtype}")


def Input(shape=None, batch_size=None, dtype=None, sparse=None, batch_shape=None, name=None,
          tensor=None, optional=False, ragged=None) -> KerasTensor:
    """A symbolic input tensor: the start of a Functional model.

    Args:
        shape: the shape of one sample, without the batch dimension, e.g. ``(784,)``.
        batch_size: an optional fixed batch size.
        dtype: default floatx; ``"int32"`` for token ids.
        batch_shape: the full shape including the batch dimension (instead of ``shape``).
        name: the input's name (a model's inputs are matched to dict keys by it).
        sparse: whether the input is a sparse tensor (on engines that support them: jax, tensorflow).
        tensor: an existing symbolic tensor to use as the input instead of making a new one.
        optional: whether the input may be given as ``None`` when the model is called.
        ragged: whether the input is ragged; no brickwork engine supports ragged tensors, so ``True``
            raises.

    Returns:
        A ``KerasTensor`` of shape ``(batch_size, *shape)`` (``None`` for an unknown batch size) and
            dtype ``dtype``, to call layers on.

    Example:
    >>> inputs = Input(shape=(784,))
    >>> inputs.shape
    (None, 784)
    """
    layer = InputLayer(shape=shape, batch_size=batch_size, dtype=dtype, sparse=sparse,
                       batch_shape=batch_shape, input_tensor=tensor, optional=optional, name=name, ragged=ragged)
    return layer.output
