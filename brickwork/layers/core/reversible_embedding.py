"""``ReversibleEmbedding``: an ``Embedding`` that can also project vectors back to vocabulary logits."""

from __future__ import annotations

from brickwork import backend, ops
from brickwork.backend import KerasTensor
from brickwork.layers.core.embedding import Embedding
from brickwork.quantizers.quantized_embedding import ReversibleEmbeddingQuantization


class ReversibleEmbedding(ReversibleEmbeddingQuantization, Embedding):
    """Embed token ids; called with ``reverse=True``, map ``output_dim`` vectors to ``input_dim`` logits.

    The reverse projection multiplies by the transposed ``embeddings`` (tied weights, the default) or by a
    separate ``(output_dim, input_dim)`` weight named ``reverse_embeddings``. There is no bias.

    Args:
        input_dim: the vocabulary size (largest id + 1).
        output_dim: the size of each vector.
        tie_weights: whether the reverse projection reuses ``embeddings``.
        embeddings_initializer, embeddings_regularizer, embeddings_constraint: for ``embeddings``
            (the initializer also fills ``reverse_embeddings``).
        mask_zero: whether id 0 is padding (forward calls then carry the mask ``ids != 0``).
        reverse_dtype: the dtype of the reverse matmul; default the layer's compute dtype.
        logit_soft_cap: if set, reverse logits become ``tanh(logits / cap) * cap``.

    Call arguments:
        inputs: ids (forward) or vectors whose last axis is ``output_dim`` (reverse).
        reverse: whether to project back to logits.

    Example:
    >>> embedding = ReversibleEmbedding(input_dim=100, output_dim=32)
    >>> hidden = embedding(np.array([[1, 2, 3]]))   # (1, 3, 32)
    >>> embedding(hidden, reverse=True).shape        # (1, 3, 100)
    """

    def __init__(self, input_dim: int, output_dim: int, tie_weights: bool = True, embeddings_initializer="uniform",
                 embeddings_regularizer=None, embeddings_constraint=None, mask_zero: bool = False,
                 reverse_dtype: str | None = None, logit_soft_cap: float | None = None, **kwargs):
        weights = kwargs.pop("weights", None)  # set once the reverse options below exist (build reads them)
        super().__init__(input_dim, output_dim, embeddings_initializer=embeddings_initializer,
                         embeddings_regularizer=embeddings_regularizer, embeddings_constraint=embeddings_constraint,
                         mask_zero=mask_zero, **kwargs)
        self.tie_weights = tie_weights
        self.reverse_dtype = reverse_dtype
        self.logit_soft_cap = logit_soft_cap
        if weights is not None:
            self.build()
            self.set_weights(weights)

    def build(self, input_shape=None):
        if self.built:
            return
        super().build(input_shape)
        if not self.tie_weights and self.quantization_mode not in ("int8", "int4"):
            self.reverse_embeddings = self.add_weight(shape=(self.output_dim, self.input_dim),
                                                      initializer=self.embeddings_initializer,
                                                      name="reverse_embeddings", trainable=True)

    def call(self, inputs, reverse: bool = False):
        if self._is_quantized:
            return self.quantized_call(inputs, reverse=reverse)
        if not reverse:
            return super().call(inputs)
        kernel = ops.transpose(self.embeddings) if self.tie_weights else self.reverse_embeddings
        dtype = self.reverse_dtype or self.compute_dtype
        logits = ops.matmul(ops.cast(inputs, dtype), ops.cast(kernel, dtype))
        if self.logit_soft_cap is not None:
            logits = ops.multiply(ops.tanh(ops.divide(logits, self.logit_soft_cap)), self.logit_soft_cap)
        return logits

    def compute_mask(self, inputs, mask=None):
        # Reverse calls take floating vectors, not ids: they carry no padding mask.
        if inputs is not None and backend.is_float_dtype(inputs.dtype):
            return None
        return super().compute_mask(inputs, mask)

    def compute_output_shape(self, input_shape, reverse: bool = False):
        if reverse:
            return (*input_shape[:-1], self.input_dim)
        return (*input_shape, self.output_dim)

    def compute_output_spec(self, inputs, reverse: bool = False):
        dtype = (self.reverse_dtype or self.compute_dtype) if reverse else self.compute_dtype
        return KerasTensor(self.compute_output_shape(tuple(inputs.shape), reverse=reverse), dtype=dtype)

    def get_config(self) -> dict:
        return {**super().get_config(), "tie_weights": self.tie_weights, "reverse_dtype": self.reverse_dtype,
                "logit_soft_cap": self.logit_soft_cap}
