"""``Masking``: mark timesteps whose features all equal ``mask_value`` as padding."""

from __future__ import annotations

from brickwork import ops
from brickwork.layers.layer import Layer


class Masking(Layer):
    """Mask (skip) every timestep whose features all equal ``mask_value``, and zero it.

    Downstream layers that support masking (LSTM, GRU, pooling, …) then ignore those timesteps.
    The mask is ``True`` where a timestep is kept.

    Args:
        mask_value: the padding value.

    Example:
    >>> x = np.array([[[1.0], [0.0], [2.0]]])
    >>> y = Masking(0.0)(x)   # y._keras_mask (torch) is [[True, False, True]]
    """

    def __init__(self, mask_value=0.0, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.mask_value = mask_value
        self._build_at_init()

    def compute_mask(self, inputs, mask=None):
        return ops.any(ops.not_equal(inputs, self.mask_value), axis=-1)

    def call(self, inputs):
        keep = ops.any(ops.not_equal(inputs, self.mask_value), axis=-1, keepdims=True)
        return inputs * ops.cast(keep, inputs.dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "mask_value": self.mask_value}
