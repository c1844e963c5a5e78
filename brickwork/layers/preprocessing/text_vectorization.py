"""``TextVectorization``: text to token ids or bag-of-words vectors, in NumPy (no TensorFlow).

The pipeline is Keras's: standardize (lowercase, strip punctuation) -> split (whitespace or
characters) -> n-grams -> vocabulary lookup (a ``StringLookup`` with mask ``""``) -> pad/encode.
"""

from __future__ import annotations

import re

import numpy as np

from brickwork import backend
from brickwork.layers.preprocessing.index_lookup import (
    StringInputLayer,
    encode,
    iterate_batches,
    to_numpy_strings,
)
from brickwork.layers.preprocessing.string_lookup import StringLookup
from brickwork.saving import serialization_lib

_PUNCTUATION = re.compile(r'[!"#$%&()\*\+,\-\./:;<=>?@\[\\\]^_`{|}~\']')
_STANDARDIZE = ("lower_and_strip_punctuation", "lower", "strip_punctuation")
_SPLIT = ("whitespace", "character")


class TextVectorization(StringInputLayer):
    """Turn strings into token-id sequences or per-document vectors from a learned vocabulary.

    Args:
        max_tokens: the largest vocabulary, including the mask ``""`` and OOV ``"[UNK]"`` tokens.
        standardize: ``"lower_and_strip_punctuation"`` (default), ``"lower"``, ``"strip_punctuation"``,
            ``None``, or a callable on a NumPy array of strings.
        split: ``"whitespace"`` (default), ``"character"``, ``None``, or a callable string -> tokens.
        ngrams: ``None``, an int ``n`` (all 1..n-grams) or a tuple of n-gram sizes.
        output_mode: ``"int"``, ``"multi_hot"``, ``"count"`` or ``"tf_idf"``.
        output_sequence_length: pad/truncate ``"int"`` outputs to this length (default: longest row).
        pad_to_max_tokens: make encoded outputs ``max_tokens`` wide.
        vocabulary, idf_weights: a fixed vocabulary (list or file) and its tf-idf weights.

    Example:
    >>> layer = TextVectorization(output_sequence_length=4); layer.adapt(["the cat", "the dog sat"])
    >>> layer(np.array(["the cat sat"]))   # [[2, 4, 3, 0]]
    """

    def __init__(self, max_tokens=None, standardize="lower_and_strip_punctuation", split="whitespace",
                 ngrams=None, output_mode="int", output_sequence_length=None, pad_to_max_tokens=False,
                 vocabulary=None, idf_weights=None, sparse=False, ragged=False, encoding="utf-8", **kwargs):
        if not (standardize is None or callable(standardize) or standardize in _STANDARDIZE):
            raise ValueError(f"TextVectorization: `standardize` must be one of {_STANDARDIZE}, None or a "
                             f"callable, received {standardize!r}.")
        if not (split is None or callable(split) or split in _SPLIT):
            raise ValueError(f"TextVectorization: `split` must be one of {_SPLIT}, None or a callable, "
                             f"received {split!r}.")
        if output_mode not in ("int", "multi_hot", "count", "tf_idf"):
            raise ValueError(f"TextVectorization: `output_mode` must be 'int', 'multi_hot', 'count' or "
                             f"'tf_idf', received {output_mode!r}.")
        if output_sequence_length is not None and output_mode != "int":
            raise ValueError("TextVectorization: `output_sequence_length` needs output_mode='int'.")
        if ngrams is not None and not isinstance(ngrams, (int, tuple, list)):
            raise ValueError(f"TextVectorization: `ngrams` must be None, an int or a tuple, received {ngrams!r}.")
        if ragged or sparse:
            raise ValueError("TextVectorization: `ragged` and `sparse` outputs need TensorFlow; not supported.")
        standardize, split = (serialization_lib.deserialize_keras_object(f) if isinstance(f, dict) else f
                              for f in (standardize, split))
        dtype = kwargs.pop("dtype", None) or ("int64" if output_mode == "int" else backend.floatx())
        kwargs.pop("vocabulary_size", None)
        super().__init__(dtype=dtype, **kwargs)
        self.max_tokens = max_tokens
        self.standardize = standardize
        self.split = split
        self.ngrams = ngrams
        self._ngram_sizes = () if ngrams is None else (
            tuple(range(1, ngrams + 1)) if isinstance(ngrams, int) else tuple(ngrams))
        self.output_mode = output_mode
        self.output_sequence_length = output_sequence_length
        self.pad_to_max_tokens = pad_to_max_tokens
        self.sparse = sparse
        self.ragged = ragged
        self.encoding = encoding
        self._lookup_layer = StringLookup(max_tokens=max_tokens, mask_token="", output_mode=output_mode,
                                          vocabulary=vocabulary, idf_weights=idf_weights,
                                          pad_to_max_tokens=pad_to_max_tokens, encoding=encoding,
                                          name=f"{self.name}_lookup", dtype=dtype)

    # ------------------------------------------------------------------ text pipeline
    def _standardize(self, texts: np.ndarray) -> np.ndarray:
        if self.standardize is None:
            return texts
        if callable(self.standardize):
            return to_numpy_strings(self.standardize(texts))
        if self.standardize in ("lower", "lower_and_strip_punctuation"):
            texts = np.char.lower(texts)
        if self.standardize in ("strip_punctuation", "lower_and_strip_punctuation"):
            texts = np.array([_PUNCTUATION.sub("", t) for t in texts.reshape(-1).tolist()],
                             dtype=str).reshape(texts.shape)
        return texts

    def _tokens(self, text: str) -> list:
        if self.split is None:
            tokens = [text]
        elif callable(self.split):
            tokens = list(self.split(text))
        elif self.split == "whitespace":
            tokens = text.split()
        else:
            tokens = list(text)
        if self._ngram_sizes:
            tokens = [" ".join(tokens[i:i + n]) for n in self._ngram_sizes for i in range(len(tokens) - n + 1)]
        return tokens

    def _documents(self, inputs) -> list:
        texts = to_numpy_strings(backend.convert_to_numpy(inputs) if backend.is_tensor(inputs) else inputs)
        if texts.ndim == 2 and texts.shape[-1] == 1 and self.split is not None:
            texts = texts[:, 0]
        if texts.ndim > 1 and self.split is not None:
            raise ValueError(f"TextVectorization: inputs must have shape (batch,) or (batch, 1) when "
                             f"splitting, received shape {texts.shape}.")
        texts = self._standardize(texts)
        if self.split is None:
            return [list(row) if texts.ndim > 1 else [row] for row in texts.tolist()]
        return [self._tokens(text) for text in texts.reshape(-1).tolist()]

    # ------------------------------------------------------------------ vocabulary
    def adapt(self, data, batch_size=None, steps=None) -> None:
        """Learn the vocabulary (and idf weights) from strings: an array, a list, or batches of them."""
        def documents():
            for step, batch in enumerate(iterate_batches(data)):
                if steps is not None and step >= steps:
                    break
                yield from self._documents(batch)

        self._lookup_layer.adapt_documents(documents())

    def get_vocabulary(self, include_special_tokens: bool = True) -> list:
        return self._lookup_layer.get_vocabulary(include_special_tokens)

    def vocabulary_size(self) -> int:
        return self._lookup_layer.vocabulary_size()

    def set_vocabulary(self, vocabulary, idf_weights=None) -> None:
        self._lookup_layer.set_vocabulary(vocabulary, idf_weights)

    # ------------------------------------------------------------------ call
    def call(self, inputs):
        documents = self._documents(inputs)
        lookup = self._lookup_layer
        ids = [lookup._lookup(np.array(doc, dtype=str)) if doc else np.zeros(0, "int64") for doc in documents]
        if self.output_mode == "int":
            length = self.output_sequence_length
            if length is None:
                length = max((len(row) for row in ids), default=0)
            out = np.zeros((len(ids), length), dtype="int64")
            for row, values in enumerate(ids):
                values = values[:length]
                out[row, :len(values)] = values
            return backend.convert_to_tensor(out, dtype=self.compute_dtype)
        depth = lookup._depth()
        rows = [encode(values, self.output_mode, depth, "float64", lookup._idf_weights) for values in ids]
        out = np.stack([backend.convert_to_numpy(r) for r in rows]) if rows else np.zeros((0, depth))
        return backend.convert_to_tensor(out.astype(self.compute_dtype), dtype=self.compute_dtype)

    @property
    def output_dtype(self) -> str:
        return self.compute_dtype

    def compute_output_shape(self, input_shape):
        batch = tuple(input_shape)[:1] or (None,)
        if self.output_mode == "int":
            return batch + (self.output_sequence_length,)
        return batch + (self._lookup_layer._depth(),)

    def get_config(self) -> dict:
        serialize = lambda f: serialization_lib.serialize_keras_object(f) if callable(f) else f  # noqa: E731
        lookup = self._lookup_layer
        return {**super().get_config(), "max_tokens": self.max_tokens, "standardize": serialize(self.standardize),
                "split": serialize(self.split), "ngrams": self.ngrams, "output_mode": self.output_mode,
                "output_sequence_length": self.output_sequence_length,
                "pad_to_max_tokens": self.pad_to_max_tokens, "sparse": self.sparse, "ragged": self.ragged,
                "vocabulary": lookup.get_vocabulary(include_special_tokens=False) or None,
                "idf_weights": lookup.get_config()["idf_weights"], "encoding": self.encoding,
                "vocabulary_size": self.vocabulary_size()}
