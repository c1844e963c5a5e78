"""``StringLookup``: map strings to integer indices from a vocabulary (NumPy strings in, tensors out)."""

from __future__ import annotations

import numpy as np

from brickwork.layers.preprocessing.hashing import hash_strings
from brickwork.layers.preprocessing.index_lookup import IndexLookup, to_numpy_strings


class StringLookup(IndexLookup):
    """Map strings to indices; OOV strings hash (FarmHash64) into ``num_oov_indices`` slots.

    Args:
        max_tokens: the largest vocabulary size, special tokens included (``None``: no limit).
        num_oov_indices: how many indices OOV tokens share.
        mask_token: a token mapped to index 0 in ``"int"`` mode (``None``: no mask).
        oov_token: the token returned for OOV indices when ``invert=True``.
        vocabulary: a list/array of strings or a text file path, one token a line.
        idf_weights: tf-idf weights of the vocabulary (``output_mode="tf_idf"``).
        invert: map indices back to strings.
        output_mode: ``"int"``, ``"one_hot"``, ``"multi_hot"``, ``"count"`` or ``"tf_idf"``.
        pad_to_max_tokens: encode to ``max_tokens`` wide outputs.
        encoding: the text encoding of bytes inputs.

    Example:
    >>> StringLookup(vocabulary=["a", "b", "c"])(np.array([["a", "c"], ["d", "b"]]))   # [[1, 3], [0, 2]]
    """

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token="[UNK]", vocabulary=None,
                 idf_weights=None, invert=False, output_mode="int", pad_to_max_tokens=False, sparse=False,
                 encoding="utf-8", **kwargs):
        kwargs.pop("vocabulary_dtype", None)
        self.encoding = encoding
        super().__init__(max_tokens=max_tokens, num_oov_indices=num_oov_indices, mask_token=mask_token,
                         oov_token=oov_token, vocabulary_dtype="string", vocabulary=vocabulary,
                         idf_weights=idf_weights, invert=invert, output_mode=output_mode, sparse=sparse,
                         pad_to_max_tokens=pad_to_max_tokens, **kwargs)

    def _normalize_tokens(self, tokens) -> np.ndarray:
        if isinstance(tokens, np.ndarray) and tokens.dtype.kind == "S" and self.encoding != "utf-8":
            tokens = np.char.decode(tokens, self.encoding)
        return to_numpy_strings(tokens)

    def _oov_bucket(self, tokens: np.ndarray) -> np.ndarray:
        if self.num_oov_indices == 1:
            return np.zeros(tokens.shape, dtype="int64")
        return hash_strings(tokens, self.num_oov_indices)

    @property
    def output_dtype(self) -> str:
        return "string" if self.invert else self.compute_dtype

    def get_config(self) -> dict:
        config = super().get_config()
        del config["vocabulary_dtype"]
        return {**config, "encoding": self.encoding}
