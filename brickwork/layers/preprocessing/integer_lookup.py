"""``IntegerLookup``: map integers to contiguous indices from a vocabulary."""

from __future__ import annotations

import numpy as np

from brickwork import backend
from brickwork.layers.preprocessing.index_lookup import IndexLookup


class IntegerLookup(IndexLookup):
    """Map integer tokens to indices; OOV tokens go to slot ``token % num_oov_indices``.

    Args:
        max_tokens: the largest vocabulary size, special tokens included (``None``: no limit).
        num_oov_indices: how many indices OOV tokens share.
        mask_token: a token mapped to index 0 in ``"int"`` mode (``None``: no mask).
        oov_token: the token returned for OOV indices when ``invert=True`` (default -1).
        vocabulary: a list/array of integers or a text file path, one token a line.
        vocabulary_dtype: ``"int64"`` or ``"int32"``.
        idf_weights: tf-idf weights of the vocabulary (``output_mode="tf_idf"``).
        invert: map indices back to tokens.
        output_mode: ``"int"``, ``"one_hot"``, ``"multi_hot"``, ``"count"`` or ``"tf_idf"``.
        pad_to_max_tokens: encode to ``max_tokens`` wide outputs.

    Example:
    >>> IntegerLookup(vocabulary=[12, 36, 1138, 42])(np.array([[12, 1138, 42], [42, 1000, 36]]))
    ... # [[1, 3, 4], [4, 0, 2]]
    """

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token=-1, output_mode="int",
                 pad_to_max_tokens=False, sparse=False, vocabulary=None, vocabulary_dtype="int64",
                 idf_weights=None, invert=False, **kwargs):
        if vocabulary_dtype not in ("int32", "int64"):
            raise ValueError(f"IntegerLookup: `vocabulary_dtype` must be 'int32' or 'int64', "
                             f"received {vocabulary_dtype!r}.")
        super().__init__(max_tokens=max_tokens, num_oov_indices=num_oov_indices, mask_token=mask_token,
                         oov_token=oov_token, vocabulary_dtype=vocabulary_dtype, vocabulary=vocabulary,
                         idf_weights=idf_weights, invert=invert, output_mode=output_mode, sparse=sparse,
                         pad_to_max_tokens=pad_to_max_tokens, **kwargs)

    def _normalize_tokens(self, tokens) -> np.ndarray:
        tokens = np.asarray(tokens)
        try:
            return tokens.astype("int64")
        except ValueError:
            raise TypeError(f"IntegerLookup: expected integer tokens, received dtype {tokens.dtype}.") from None

    def _oov_bucket(self, tokens: np.ndarray) -> np.ndarray:
        return np.mod(tokens, self.num_oov_indices)

    def _invert_result(self, tokens: np.ndarray):
        return backend.convert_to_tensor(tokens.astype(self.vocabulary_dtype), dtype=self.vocabulary_dtype)

    @property
    def output_dtype(self) -> str:
        return self.vocabulary_dtype if self.invert else self.compute_dtype
