"""``Attention``: dot-product (Luong-style) attention of a query sequence over a value sequence."""

from __future__ import annotations

from brickwork import backend, ops, random
from brickwork.layers import masking
from brickwork.layers.attention.multi_head_attention import causal_mask
from brickwork.layers.layer import Layer

_SCORE_MODES = ("dot", "concat")


class Attention(Layer):
    """``softmax(scores(query, key)) @ value``, with ``scores = query @ key^T`` (``"dot"``) or
    ``sum(tanh(query + key))`` (``"concat"``).

    Args:
        use_scale: learn a scalar ``scale`` multiplying the scores.
        score_mode: ``"dot"`` or ``"concat"`` (the latter learns a scalar ``concat_score_weight``).
        dropout: the dropout rate on the attention probabilities, while training.
        seed: an integer seed for the dropout.

    Call arguments:
        inputs: ``[query, value]`` or ``[query, value, key]``: ``(batch, Tq, dim)``, ``(batch, Tv, dim)``,
            key ``(batch, Tv, dim)`` (default ``value``).
        mask: ``[query_mask, value_mask]``, boolean ``(batch, Tq)`` and ``(batch, Tv)``; default the
            inputs' Keras masks. Masked values get no attention; masked queries give zero outputs.
        return_attention_scores: also return the attention probabilities ``(batch, Tq, Tv)``.
        training: whether dropout applies.
        use_causal_mask: query ``i`` attends only to values ``j <= i``.

    Example:
    >>> Attention()([np.zeros((2, 3, 4)), np.zeros((2, 5, 4))]).shape   # (2, 3, 4)
    """

    def __init__(self, use_scale: bool = False, score_mode: str = "dot", dropout: float = 0.0,
                 seed: int | None = None, **kwargs):
        super().__init__(**kwargs)
        if score_mode not in _SCORE_MODES:
            raise ValueError(f"{type(self).__name__}: Invalid value for argument score_mode. Expected one of "
                             f"{{'dot', 'concat'}}. Received: score_mode={score_mode!r}")
        if not 0 <= dropout < 1:
            raise ValueError(f"{type(self).__name__}: `dropout` must be in [0, 1), received {dropout!r}.")
        self.use_scale = bool(use_scale)
        self.score_mode = score_mode
        self.dropout = dropout
        self.seed = seed
        if dropout > 0:
            self.seed_generator = random.SeedGenerator(seed)
        self.supports_masking = True

    def build(self, input_shape):
        self._validate_inputs(input_shape)
        self.scale = None
        self.concat_score_weight = None
        if self.use_scale:
            self.scale = self.add_weight(name="scale", shape=(), initializer="ones")
        if self.score_mode == "concat":
            self.concat_score_weight = self.add_weight(name="concat_score_weight", shape=(), initializer="ones")
        self.built = True

    def _calculate_scores(self, query, key):
        """Scores ``(batch, Tq, Tv)`` of each query against each key."""
        if self.score_mode == "dot":
            scores = ops.matmul(query, ops.swapaxes(key, -1, -2))
            return scores if self.scale is None else ops.multiply(scores, self.scale)
        # concat: broadcast (batch, Tq, 1, dim) against (batch, 1, Tv, dim)
        summed = ops.add(ops.expand_dims(query, -2), ops.expand_dims(key, -3))
        if self.scale is not None:
            summed = ops.multiply(self.scale, summed)
        return ops.multiply(self.concat_score_weight, ops.sum(ops.tanh(summed), axis=-1))

    def _apply_scores(self, scores, value, scores_mask=None, training=False):
        """``(softmax(masked scores) @ value, probabilities)``; masked scores get a large negative bias."""
        if scores_mask is not None:
            # 65504 is float16's largest value: still finite there.
            max_value = 65504.0 if backend.standardize_dtype(scores.dtype) == "float16" else 1.0e9
            padding = ops.cast(ops.logical_not(scores_mask), scores.dtype)
            scores = ops.subtract(scores, ops.multiply(padding, max_value))
        weights = ops.softmax(scores, axis=-1)
        if training and self.dropout > 0:
            weights = random.dropout(weights, self.dropout, seed=self.seed_generator)
        return ops.matmul(weights, value), weights

    def _calculate_score_mask(self, scores, v_mask, use_causal_mask):
        """The boolean mask of ``scores``: the value mask ``v_mask`` as ``(batch, 1, Tv)``, AND the causal
        ``(1, Tq, Tv)`` (Keras's signature: subclasses override it)."""
        if v_mask is not None:
            v_mask = ops.expand_dims(ops.cast(v_mask, "bool"), -2)
        if not use_causal_mask:
            return v_mask
        mask = causal_mask(ops.shape(scores)[-2], ops.shape(scores)[-1])
        return mask if v_mask is None else ops.logical_and(v_mask, mask)

    def call(self, inputs, mask=None, training=False, return_attention_scores=False, use_causal_mask=False):
        self._validate_inputs(inputs, mask)
        query, value = inputs[0], inputs[1]
        key = inputs[2] if len(inputs) > 2 else value
        if mask is None:
            mask = [masking.get_mask(query), masking.get_mask(value)]
        query_mask, value_mask = mask[0], mask[1]
        scores = self._calculate_scores(query, key)
        scores_mask = self._calculate_score_mask(scores, value_mask, use_causal_mask)
        result, attention_scores = self._apply_scores(scores, value, scores_mask, training=training)
        if query_mask is not None:
            result = ops.multiply(result, ops.cast(ops.expand_dims(query_mask, -1), result.dtype))
        return (result, attention_scores) if return_attention_scores else result

    def compute_mask(self, inputs, mask=None):
        query_mask = mask[0] if mask else masking.get_mask(inputs[0])
        return None if query_mask is None else ops.convert_to_tensor(query_mask)

    def compute_output_shape(self, input_shape):
        return (*input_shape[0][:-1], input_shape[1][-1])

    def compute_output_spec(self, inputs, mask=None, return_attention_scores=False, **kwargs):
        self._validate_inputs(inputs, mask)
        output = backend.KerasTensor(self.compute_output_shape([x.shape for x in inputs]), dtype=self.compute_dtype)
        if not return_attention_scores:
            return output
        scores = (*inputs[0].shape[:-1], inputs[1].shape[-2])
        return output, backend.KerasTensor(scores, dtype=self.compute_dtype)

    def _validate_inputs(self, inputs, mask=None) -> None:
        name = type(self).__name__
        # A shape tuple of ints (``build`` on one tensor's shape) is one input, not a list of them.
        if not isinstance(inputs, (list, tuple)) or any(x is None or isinstance(x, int) for x in inputs):
            raise ValueError(  # noqa: TRY004 - Keras raises ValueError here
                f"{name} layer must be called on a list of inputs, namely [query, value] or [query, value, key]. "
                f"Received: {type(inputs).__name__} {getattr(inputs, 'shape', inputs)}.")
        if not 2 <= len(inputs) <= 3:
            raise ValueError(f"{name} layer accepts inputs list of length 2 or 3, namely [query, value] or "
                             f"[query, value, key]. Received length: {len(inputs)}.")
        if mask is not None and not isinstance(mask, (list, tuple)):
            raise ValueError(f"{name} layer mask must be a list, namely [query_mask, value_mask]. "
                             f"Received: mask of type {type(mask).__name__}.")
        if mask is not None and not 2 <= len(mask) <= 3:
            raise ValueError(f"{name} layer accepts mask list of length 2 or 3, namely [query_mask, value_mask]. "
                             f"Received length: {len(mask)}.")

    def get_config(self) -> dict:
        return {**super().get_config(), "use_scale": self.use_scale, "score_mode": self.score_mode,
                "dropout": self.dropout, "seed": self.seed}
