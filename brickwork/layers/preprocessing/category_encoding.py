"""``CategoryEncoding``: one-hot, multi-hot or count encoding of integer features."""

from __future__ import annotations

from brickwork import ops
from brickwork.layers.layer import Layer
from brickwork.layers.preprocessing.index_lookup import encoded_shape


class CategoryEncoding(Layer):
    """Encode integer ids in ``[0, num_tokens)`` as dense one-hot, multi-hot or count vectors.

    Rank-1 input is one sample for ``"multi_hot"``/``"count"`` and a batch of ids for ``"one_hot"``
    (Keras's rule); inputs of rank > 2 are refused outside ``"one_hot"``.

    Args:
        num_tokens: the number of categories.
        output_mode: ``"multi_hot"`` (default), ``"one_hot"`` or ``"count"``.
        sparse: not supported (dense outputs only).

    Example:
    >>> CategoryEncoding(4, output_mode="one_hot")(np.array([3, 2, 0, 1]))   # the 4x4 identity, permuted
    """

    def __init__(self, num_tokens=None, output_mode="multi_hot", sparse=False, **kwargs):
        super().__init__(**kwargs)
        if output_mode == "binary":
            output_mode = "multi_hot"  # Keras's older name
        if output_mode not in ("count", "one_hot", "multi_hot"):
            raise ValueError(f"CategoryEncoding: `output_mode` must be 'count', 'one_hot' or 'multi_hot', "
                             f"received {output_mode!r}.")
        if num_tokens is None or num_tokens < 1:
            raise ValueError(f"CategoryEncoding: `num_tokens` must be a positive int, received {num_tokens!r}.")
        if sparse:
            raise ValueError("CategoryEncoding: `sparse=True` is not supported; outputs are dense.")
        self.num_tokens = int(num_tokens)
        self.output_mode = output_mode
        self.sparse = sparse

    def call(self, inputs, count_weights=None):
        if count_weights is not None and self.output_mode != "count":
            raise ValueError(f"CategoryEncoding: `count_weights` need output_mode='count', "
                             f"received output_mode={self.output_mode!r}.")
        inputs = ops.cast(inputs, "int32")
        rank = len(inputs.shape)
        if rank == 0:
            inputs = ops.expand_dims(inputs, -1)
            rank = 1
        if rank > 2 and self.output_mode != "one_hot":
            raise ValueError(f"CategoryEncoding: output_mode={self.output_mode!r} supports inputs of rank "
                             f"<= 2, received shape {tuple(inputs.shape)}.")
        if self.output_mode == "one_hot":
            if rank > 1 and inputs.shape[-1] == 1:
                inputs = ops.squeeze(inputs, -1)
            return ops.one_hot(inputs, self.num_tokens, dtype=self.compute_dtype)
        if self.output_mode == "multi_hot":
            return ops.multi_hot(inputs, self.num_tokens, dtype=self.compute_dtype)
        hot = ops.one_hot(inputs, self.num_tokens, dtype=self.compute_dtype)
        if count_weights is not None:
            weights = ops.cast(count_weights, self.compute_dtype)
            hot = ops.multiply(hot, ops.expand_dims(weights, -1))
        return ops.sum(hot, axis=-2)

    def compute_output_shape(self, input_shape):
        return encoded_shape(tuple(input_shape), self.output_mode, self.num_tokens)

    def get_config(self) -> dict:
        return {**super().get_config(), "num_tokens": self.num_tokens, "output_mode": self.output_mode,
                "sparse": self.sparse}
