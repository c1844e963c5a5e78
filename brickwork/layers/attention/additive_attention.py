"""``AdditiveAttention``: Bahdanau-style attention, scores ``sum(scale * tanh(query + key))``."""

from __future__ import annotations

from brickwork import ops
from brickwork.layers.attention.attention import Attention


class AdditiveAttention(Attention):
    """Additive attention: ``scores[b, i, j] = sum_d scale[d] * tanh(query[b, i, d] + key[b, j, d])``.

    Args:
        use_scale: learn a ``scale`` vector over the feature axis (else 1).
        dropout: the dropout rate on the attention probabilities, while training.
        seed: an integer seed for the dropout.

    Call arguments: as ``Attention``.

    Example:
    >>> AdditiveAttention()([np.zeros((2, 3, 4)), np.zeros((2, 5, 4))]).shape   # (2, 3, 4)
    """

    def __init__(self, use_scale: bool = True, dropout: float = 0.0, **kwargs):
        super().__init__(use_scale=use_scale, dropout=dropout, **kwargs)

    def build(self, input_shape):
        self._validate_inputs(input_shape)
        self.scale = None
        if self.use_scale:
            self.scale = self.add_weight(name="scale", shape=(input_shape[0][-1],), initializer="glorot_uniform")
        self.built = True

    def _calculate_scores(self, query, key):
        summed = ops.tanh(ops.add(ops.expand_dims(query, -2), ops.expand_dims(key, -3)))
        if self.scale is not None:
            summed = ops.multiply(self.scale, summed)
        return ops.sum(summed, axis=-1)

    def get_config(self) -> dict:
        config = super().get_config()
        del config["score_mode"]
        return config
