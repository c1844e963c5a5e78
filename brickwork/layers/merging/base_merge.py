"""``Merge``: the base of the layers that combine a list of tensors (``Add``, ``Concatenate``, ``Dot``, …)."""

from __future__ import annotations

from brickwork import backend, ops
from brickwork.backend.common.dtypes import promote_types
from brickwork.backend.common.keras_tensor import KerasTensor
from brickwork.layers import masking
from brickwork.layers.layer import Layer


class Merge(Layer):
    """Combine a list of tensors element-wise, with broadcasting.

    Inputs of different ranks are first given size-1 axes after the batch axis (``(batch, 3)`` with
    ``(batch, 4, 3)`` becomes ``(batch, 1, 3)``), then broadcast. The output's mask is the OR of the
    inputs' masks when every input has one. Subclasses define ``_merge_function(inputs, masks)``.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self._reshape_required = False

    def _merge_function(self, inputs, masks):
        raise NotImplementedError

    def _describe(self) -> str:
        return f"{type(self).__name__} layer {self.name!r}"

    def _check_shapes(self, input_shape, count: int | None = None) -> None:
        """The input must be a list of tensors (here: their shapes), ``count`` of them if given."""
        if not (isinstance(input_shape, (list, tuple)) and input_shape
                and all(isinstance(shape, (list, tuple)) for shape in input_shape)):
            raise ValueError(
                f"{self._describe()} must be called on a list of tensors, received an input of shape {input_shape}."
            )
        if count is not None and len(input_shape) != count:
            raise ValueError(
                f"{self._describe()}: this layer should be called on exactly {count} inputs, received "
                f"{len(input_shape)} (shapes {list(map(tuple, input_shape))})."
            )

    def build(self, input_shape):
        self.compute_output_shape(input_shape)
        self._reshape_required = len({len(shape) for shape in input_shape}) > 1
        self.built = True

    def call(self, inputs):
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(
                f"{self._describe()} must be called on a list of tensors, received {type(inputs).__name__}."
            )
        masks = [masking.get_mask(x) for x in inputs]
        if self._reshape_required:
            ndim = max(len(x.shape) for x in inputs)
            expanded = []
            for x in inputs:
                for _ in range(ndim - len(x.shape)):
                    x = ops.expand_dims(x, 1)
                expanded.append(x)
            inputs = expanded
        return self._merge_function(list(inputs), masks)

    def compute_output_shape(self, input_shape):
        self._check_shapes(input_shape)
        batch_sizes = {shape[0] for shape in input_shape} - {None}
        if len(batch_sizes) > 1:
            raise ValueError(
                f"{self._describe()}: the inputs have different batch sizes, shapes {list(map(tuple, input_shape))}."
            )
        output = tuple(input_shape[0][1:])
        for shape in input_shape[1:]:
            output = self._broadcast(output, tuple(shape[1:]), input_shape)
        return (batch_sizes.pop() if batch_sizes else None,) + output

    def _broadcast(self, shape1: tuple, shape2: tuple, all_shapes) -> tuple:
        """Right-aligned broadcasting of two per-sample shapes (``None`` stays unknown)."""
        if len(shape1) < len(shape2):
            shape1, shape2 = shape2, shape1
        lead = len(shape1) - len(shape2)
        output = list(shape1[:lead])
        for a, b in zip(shape1[lead:], shape2):
            if a is None or b is None:
                output.append(None)
            elif a == b or 1 in (a, b):
                output.append(b if a == 1 else a)
            else:
                raise ValueError(
                    f"{self._describe()}: the inputs have incompatible shapes {list(map(tuple, all_shapes))} "
                    f"(after the batch axis, {shape1} and {shape2} do not broadcast)."
                )
        return tuple(output)

    def compute_output_spec(self, inputs, **kwargs):
        shape = self.compute_output_shape([x.shape for x in inputs])
        # Sparse inputs merge into a sparse output only when all of them are sparse (Keras's rule).
        sparse = all(getattr(x, "sparse", False) for x in inputs)
        return KerasTensor(shape, dtype=self._output_dtype([x.dtype for x in inputs]), sparse=sparse)

    def _output_dtype(self, dtypes) -> str:
        """Float results take the compute dtype (as Keras); integer and bool results keep theirs."""
        dtype = promote_types(*dtypes)
        return self.compute_dtype if backend.is_float(dtype) else dtype

    def compute_mask(self, inputs, mask=None):
        masks = _input_masks(self, inputs, mask)
        if masks is None or any(m is None for m in masks):
            return None
        output = masks[0]
        for mask in masks[1:]:
            output = ops.logical_or(output, mask)
        return output


def _input_masks(layer: Merge, inputs, mask):
    """The list of the inputs' masks (``None`` where an input has none), or ``None`` when none has one."""
    if mask is not None and not isinstance(mask, (list, tuple)):
        raise ValueError(f"{layer._describe()}: `mask` should be a list, one mask (or None) per input. "
                         f"Received: mask of type {type(mask).__name__}")
    if not isinstance(inputs, (list, tuple)):
        raise ValueError(f"{layer._describe()}: `inputs` should be a list of tensors. "
                         f"Received: inputs of type {type(inputs).__name__}")
    if mask is None:
        masks = [masking.get_mask(x) for x in inputs]
    elif len(mask) != len(inputs):
        raise ValueError(f"{layer._describe()}: The lists `inputs` and `mask` should have the same length. "
                         f"Received: {len(inputs)} inputs and {len(mask)} masks")
    else:
        masks = list(mask)
    return None if all(m is None for m in masks) else masks


def mask_like(mask, x):
    """``mask`` (e.g. ``(batch, steps)``) broadcast to the shape of ``x`` (e.g. ``(batch, steps, features)``)."""
    if len(mask.shape) < len(x.shape):
        mask = ops.expand_dims(mask, -1)
    if all(d is None or m == d for m, d in zip(mask.shape, x.shape)):
        return mask
    if None in tuple(x.shape):
        # A symbolic ``x`` of unknown size: broadcast against ``x`` itself, so that a Functional model
        # replaying this op sees the real size rather than a recorded ``None``.
        return ops.logical_or(mask, ops.zeros_like(x, dtype="bool"))
    return ops.broadcast_to(mask, tuple(x.shape))


def merge_with_masks(op, inputs, masks):
    """Fold ``op`` over ``inputs`` where masked-out elements of one input take the other's value, so
    that a masked step never wins (used by ``Maximum`` and ``Minimum``, which have no neutral element)."""
    output, output_mask = inputs[0], None if masks[0] is None else mask_like(masks[0], inputs[0])
    for x, mask in zip(inputs[1:], masks[1:]):
        if mask is not None:
            mask = mask_like(mask, x)
            x = ops.where(mask, x, output)
        if output_mask is not None:
            output = ops.where(output_mask, output, x)
        output_mask = None if mask is None or output_mask is None else ops.logical_or(output_mask, mask)
        output = op(output, x)
    return output
