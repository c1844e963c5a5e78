"""``TimeDistributed``: apply one layer to every time step of a sequence."""

from __future__ import annotations

from brickwork import ops
from brickwork.backend.common.name_scope import name_scope
from brickwork.layers.core.wrapper import Wrapper


class TimeDistributed(Wrapper):
    """Apply ``layer`` to every slice ``inputs[:, t]``, with the same weights at every step.

    The steps run as one call on ``(batch * time, ...)``; the result is reshaped back to
    ``(batch, time, ...)``.

    Args:
        layer: the layer to apply.

    Call arguments:
        inputs: ``(batch, time, ...)``.
        training, mask: passed to ``layer`` when it takes them (the mask ``(batch, time, ...)``
            is split the same way).

    Example:
    >>> TimeDistributed(Dense(8))(np.zeros((32, 10, 16))).shape   # (32, 10, 8)
    """

    def __init__(self, layer, **kwargs):
        super().__init__(layer, **kwargs)
        self.supports_masking = True

    def _child_shape(self, input_shape):
        if not isinstance(input_shape, (tuple, list)) or len(input_shape) < 3:
            raise ValueError(
                f"TimeDistributed {self.name!r}: the input must have at least 3 dimensions (batch, time, ...); "
                f"received shape {input_shape}."
            )
        return (input_shape[0],) + tuple(input_shape[2:])

    def build(self, input_shape):
        with name_scope(self.name, caller=self):
            super().build(self._child_shape(tuple(input_shape)))

    def compute_output_shape(self, input_shape):
        child = self.layer.compute_output_shape(self._child_shape(tuple(input_shape)))
        return (child[0], input_shape[1]) + tuple(child[1:])

    def call(self, inputs, training=None, mask=None):
        shape = ops.shape(inputs)
        batch, steps = shape[0], shape[1]
        if mask is not None and tuple(ops.shape(mask))[:2] != (batch, steps):
            raise ValueError(
                f"TimeDistributed {self.name!r}: The `mask` passed to the `TimeDistributed` layer has a shape "
                f"{tuple(ops.shape(mask))} that is incompatible with the input shape {tuple(shape)}: its first two "
                f"dimensions (batch size and timesteps) must be ({batch}, {steps})."
            )
        kwargs = {}
        signature = self.layer._call_signature
        if signature.has_training:
            kwargs["training"] = training
        if signature.has_mask and mask is not None:
            kwargs["mask"] = ops.reshape(mask, (batch * steps,) + tuple(ops.shape(mask))[2:])
        outputs = self.layer.call(ops.reshape(inputs, (batch * steps,) + tuple(shape[2:])), **kwargs)
        return ops.reshape(outputs, (batch, steps) + tuple(ops.shape(outputs))[1:])
