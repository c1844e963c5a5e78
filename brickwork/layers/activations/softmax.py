"""``Softmax``: the softmax activation as a layer, honouring a mask."""

from __future__ import annotations

from brickwork import backend, ops
from brickwork.layers.layer import Layer


class Softmax(Layer):
    """``exp(x) / sum(exp(x))`` along ``axis``; masked entries (mask ``False``) get probability 0.

    Args:
        axis: the axis, or a tuple of axes, to normalize over.

    Call arguments:
        inputs: the logits.
        mask: optional boolean tensor broadcastable to ``inputs``, ``True`` for entries to keep.

    Example:
    >>> Softmax()(np.array([[1.0, 1.0, 5.0]]), mask=np.array([[True, True, False]]))   # [[0.5, 0.5, 0.]]
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis
        self.supports_masking = True
        self._build_at_init()

    def call(self, inputs, mask=None):
        if mask is not None:
            _check_mask_shape(tuple(inputs.shape), tuple(mask.shape))
            # A large negative logit rather than -inf: an all-masked row stays finite.
            keep = ops.cast(mask, inputs.dtype)
            inputs = ops.add(inputs, ops.multiply(ops.subtract(1.0, keep), _large_negative(inputs.dtype)))
        if isinstance(self.axis, (tuple, list)) and len(self.axis) > 1:
            outputs = ops.exp(ops.subtract(inputs, ops.logsumexp(inputs, axis=tuple(self.axis), keepdims=True)))
        else:
            axis = self.axis[0] if isinstance(self.axis, (tuple, list)) else self.axis
            outputs = ops.softmax(inputs, axis=axis)
        if mask is not None:
            outputs = ops.multiply(outputs, ops.cast(mask, outputs.dtype))
        return outputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis}


def _check_mask_shape(input_shape: tuple, mask_shape: tuple) -> None:
    """A mask may only broadcast up to the inputs: no extra axes, each axis 1 or the inputs' size."""
    if len(mask_shape) > len(input_shape):
        raise ValueError(f"Softmax: the `mask` must be broadcastable to `inputs` and must not have more dimensions "
                         f"than them. Received: inputs.shape={input_shape}, mask.shape={mask_shape}")
    for mask_dim, input_dim in zip(reversed(mask_shape), reversed(input_shape)):
        if mask_dim is not None and input_dim is not None and mask_dim not in (1, input_dim):
            raise ValueError(f"Softmax: the `mask` must be broadcastable to `inputs`: each of its dimensions must "
                             f"be 1 or the inputs' size there. Received: inputs.shape={input_shape}, "
                             f"mask.shape={mask_shape}")


def _large_negative(dtype) -> float:
    return -3e4 if backend.standardize_dtype(dtype) == "float16" else -1e9
