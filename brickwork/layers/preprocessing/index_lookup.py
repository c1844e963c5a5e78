"""``IndexLookup``: the vocabulary machinery shared by ``StringLookup`` and ``IntegerLookup``.

Tokens live in NumPy arrays (strings as ``str``), so no TensorFlow is needed; results are backend
tensors. The index layout is Keras's: in ``"int"`` mode the mask token (if any) is index 0, then
``num_oov_indices`` OOV slots, then the vocabulary; other modes drop the mask slot and ignore mask
tokens in the input.
"""

from __future__ import annotations

import collections
import os

import numpy as np
import optree

from brickwork import backend
from brickwork.backend.common.keras_tensor import KerasTensor
from brickwork.layers.layer import Layer

_OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")


def to_numpy_strings(x) -> np.ndarray:
    """``x`` (str, bytes, list, NumPy array) as a NumPy array of ``str``; bytes are decoded as UTF-8."""
    array = np.asarray(x, dtype=object) if not isinstance(x, np.ndarray) else x
    if array.dtype.kind == "U":
        return array
    if array.dtype.kind in "SO":
        flat = [v.decode("utf-8") if isinstance(v, bytes) else str(v) for v in array.reshape(-1)]
        return np.array(flat, dtype=str).reshape(array.shape) if flat else np.zeros(array.shape, dtype=str)
    raise TypeError(f"Expected strings, received an array of dtype {array.dtype}.")


def is_string_array(x) -> bool:
    """Whether ``x`` holds strings (str/bytes arrays, or lists/scalars of them)."""
    if isinstance(x, (str, bytes)):
        return True
    if isinstance(x, np.ndarray):
        return x.dtype.kind in "USO"
    if isinstance(x, (list, tuple)):
        flat = np.asarray(x, dtype=object).reshape(-1)
        return flat.size > 0 and isinstance(flat[0], (str, bytes))
    return False


def _as_keras_tensors(args):
    """Graph tensors among ``args`` as ``KerasTensor``s of their static shapes and dtypes."""
    def spec(leaf):
        if backend.is_tensor(leaf):
            return KerasTensor(tuple(leaf.shape), dtype=backend.standardize_dtype(leaf.dtype))
        return leaf

    return optree.tree_map(spec, args, none_is_leaf=True)


def iterate_batches(data):
    """``adapt`` data as a sequence of NumPy batches: one array, or an iterable of arrays/(x, y) pairs."""
    if isinstance(data, (np.ndarray, str, bytes)) or backend.is_tensor(data):
        return [data]
    if isinstance(data, (list, tuple)) and (not data or not _is_batch(data[0])):
        return [data]
    return (batch[0] if isinstance(batch, tuple) else batch for batch in data)


def _is_batch(x) -> bool:
    return isinstance(x, (np.ndarray, list, tuple)) or backend.is_tensor(x)


class StringInputLayer(Layer):
    """A layer that takes NumPy string arrays as they are (no conversion to backend tensors).

    Its work is done in NumPy. Where the engine traces graphs of tensors without values (TensorFlow's
    ``tf.function`` steps and ``tf.data`` maps), the call runs on the host inside the graph.
    """

    def _eager_call(self, args, kwargs):
        core = backend.active.core
        if hasattr(core, "run_on_host") and core.in_graph(args):
            spec = self.compute_output_spec(*_as_keras_tensors(args), **kwargs)
            return core.run_on_host(lambda *values: super(StringInputLayer, self)._eager_call(values, dict(kwargs)),
                                    args, spec)
        return super()._eager_call(args, kwargs)

    def _convert_inputs(self, args):
        if args and is_string_array(args[0]):
            return (to_numpy_strings(args[0]),) + tuple(args[1:])
        return super()._convert_inputs(args)

    def compute_output_spec(self, inputs, *args, **kwargs):
        return KerasTensor(self.compute_output_shape(tuple(inputs.shape)), dtype=self.output_dtype)


class IndexLookup(StringInputLayer):
    """Map tokens to indices (or indices back to tokens with ``invert=True``) from a vocabulary."""

    def __init__(self, max_tokens, num_oov_indices, mask_token, oov_token, vocabulary_dtype,
                 vocabulary=None, idf_weights=None, invert=False, output_mode="int", sparse=False,
                 pad_to_max_tokens=False, **kwargs):
        name = type(self).__name__
        if max_tokens is not None and max_tokens <= 1:
            raise ValueError(f"{name}: `max_tokens` must be greater than 1, received max_tokens={max_tokens}.")
        if num_oov_indices < 0:
            raise ValueError(f"{name}: `num_oov_indices` must be >= 0, received {num_oov_indices}.")
        if output_mode not in _OUTPUT_MODES:
            raise ValueError(f"{name}: `output_mode` must be one of {_OUTPUT_MODES}, received {output_mode!r}.")
        if invert and output_mode != "int":
            raise ValueError(f"{name}: `invert=True` needs output_mode='int', received {output_mode!r}.")
        if sparse:
            raise ValueError(f"{name}: `sparse=True` is not supported without TensorFlow.")
        if idf_weights is not None and output_mode != "tf_idf":
            raise ValueError(f"{name}: `idf_weights` need output_mode='tf_idf', received {output_mode!r}.")
        kwargs.pop("ragged", None)
        dtype = kwargs.pop("dtype", None)
        if dtype is None:
            dtype = "int64" if output_mode == "int" and not invert else backend.floatx()
        super().__init__(dtype=dtype, **kwargs)
        self.max_tokens = max_tokens
        self.num_oov_indices = num_oov_indices
        self.mask_token = mask_token
        self.oov_token = oov_token
        self.vocabulary_dtype = vocabulary_dtype
        self.invert = invert
        self.output_mode = output_mode
        self.sparse = sparse
        self.pad_to_max_tokens = pad_to_max_tokens
        self.supports_masking = False
        self._vocabulary = []
        self._idf_weights = None
        self._counts = None
        if vocabulary is not None:
            self.set_vocabulary(vocabulary, idf_weights)

    # ------------------------------------------------------------------ vocabulary
    def _normalize_tokens(self, tokens) -> np.ndarray:
        """Tokens as a NumPy array of the vocabulary dtype."""
        raise NotImplementedError

    def _token_start_index(self) -> int:
        return (1 if self.mask_token is not None and self.output_mode == "int" else 0) + self.num_oov_indices

    def set_vocabulary(self, vocabulary, idf_weights=None) -> None:
        """Set the vocabulary (a list, array or a text file with one token a line) and tf-idf weights."""
        name = type(self).__name__
        if isinstance(vocabulary, str):
            from brickwork.saving.serialization_lib import refuse_path_in_safe_mode

            refuse_path_in_safe_mode(vocabulary, f"the vocabulary of {name} {self.name!r}")
            if not os.path.isfile(vocabulary):
                raise ValueError(f"{name}: a string vocabulary must be a file path, received {vocabulary!r}.")
            with open(vocabulary, encoding="utf-8") as file:
                vocabulary = [line.rstrip("\n") for line in file]
        tokens = list(self._normalize_tokens(np.asarray(vocabulary).reshape(-1)).tolist())
        special = [self.mask_token] if self.mask_token is not None else []
        special += [self.oov_token] * (self.num_oov_indices if self.output_mode == "int" else 0)
        if special and tokens[:len(special)] == special:
            tokens = tokens[len(special):]  # a vocabulary from get_vocabulary() round-trips
        if len(set(tokens)) != len(tokens):
            repeated = [t for t, c in collections.Counter(tokens).items() if c > 1]
            raise ValueError(f"{name}: the vocabulary has repeated tokens: {repeated}.")
        for token, what in ((self.mask_token, "mask_token"), (self.oov_token, "oov_token")):
            if token is not None and token in tokens and (what == "mask_token" or self.num_oov_indices):
                raise ValueError(f"{name}: the vocabulary must not contain {what} {token!r}.")
        if self.max_tokens is not None and len(tokens) + self._token_start_index() > self.max_tokens:
            raise ValueError(
                f"{name}: a vocabulary of {len(tokens)} tokens plus {self._token_start_index()} special "
                f"indices exceeds max_tokens={self.max_tokens}.")
        if self.output_mode == "tf_idf":
            if idf_weights is None:
                raise ValueError(f"{name}: output_mode='tf_idf' needs `idf_weights` with the vocabulary.")
            idf_weights = np.asarray(idf_weights, dtype="float64").reshape(-1)
            if len(idf_weights) == len(tokens) + self._token_start_index():
                idf_weights = idf_weights[self._token_start_index():]
            if len(idf_weights) != len(tokens):
                raise ValueError(f"{name}: {len(idf_weights)} idf_weights for a vocabulary of {len(tokens)}.")
            front = np.full(self._token_start_index(), idf_weights.mean() if len(tokens) else 0.0)
            self._idf_weights = np.concatenate([front, idf_weights])
        self._vocabulary = tokens
        self._table = {token: index + self._token_start_index() for index, token in enumerate(tokens)}
        self._reverse = np.array(self.get_vocabulary(), dtype=object)

    def get_vocabulary(self, include_special_tokens: bool = True) -> list:
        """The vocabulary, by index; special tokens first unless ``include_special_tokens=False``."""
        if not include_special_tokens:
            return list(self._vocabulary)
        special = [self.mask_token] if self.mask_token is not None and self.output_mode == "int" else []
        return special + [self.oov_token] * self.num_oov_indices + list(self._vocabulary)

    def vocabulary_size(self) -> int:
        """The number of indices, special ones included."""
        return len(self._vocabulary) + self._token_start_index()

    def get_idf_weights(self):
        return None if self._idf_weights is None else np.array(self._idf_weights, dtype=backend.floatx())

    # ------------------------------------------------------------------ adapt
    def adapt(self, data, steps=None) -> None:
        """Learn the vocabulary from ``data``: tokens sorted by frequency, ties by token, descending."""
        def documents():
            for step, batch in enumerate(iterate_batches(data)):
                if steps is not None and step >= steps:
                    break
                batch = self._normalize_tokens(self._as_numpy(batch))
                rows = batch.reshape(-1, 1) if batch.ndim < 2 else batch.reshape(batch.shape[0], -1)
                yield from rows.tolist()

        self.adapt_documents(documents())

    def adapt_documents(self, documents) -> None:
        """Learn the vocabulary from an iterable of token lists (one list a document)."""
        counts, document_counts, num_documents = collections.Counter(), collections.Counter(), 0
        for tokens in documents:
            counts.update(tokens)
            if self.output_mode == "tf_idf":
                document_counts.update(set(tokens))
                num_documents += 1
        for special in (self.mask_token, self.oov_token):
            counts.pop(special, None)
        tokens = list(counts)
        order = np.lexsort((np.array(tokens), np.array([counts[t] for t in tokens])))[::-1] if tokens else []
        tokens = [tokens[i] for i in order]
        if self.max_tokens is not None:
            tokens = tokens[:self.max_tokens - self._token_start_index()]
        idf = None
        if self.output_mode == "tf_idf":
            frequencies = np.array([document_counts[t] for t in tokens], dtype="float64")
            idf = np.log(1 + num_documents / (1 + frequencies))
        self._vocabulary = []
        self.set_vocabulary(tokens if tokens else np.array([], dtype=self._empty_dtype()), idf)

    def _empty_dtype(self):
        return str if self.vocabulary_dtype == "string" else self.vocabulary_dtype

    def _as_numpy(self, x) -> np.ndarray:
        return backend.convert_to_numpy(x) if backend.is_tensor(x) else np.asarray(x)

    # ------------------------------------------------------------------ call
    def _depth(self) -> int:
        return self.max_tokens if self.pad_to_max_tokens and self.max_tokens else self.vocabulary_size()

    def _lookup(self, tokens: np.ndarray) -> np.ndarray:
        """Indices of ``tokens`` (int64); OOV tokens hash into the OOV slots, mask tokens go to 0/-1."""
        flat = tokens.reshape(-1).tolist()
        table, start = self._table, self._token_start_index()
        missing = -1
        indices = np.fromiter((table.get(t, missing) for t in flat), dtype="int64", count=len(flat))
        oov = indices == missing
        if self.mask_token is not None:
            is_mask = tokens.reshape(-1) == self.mask_token
            oov &= ~is_mask
            indices[is_mask] = 0 if self.output_mode == "int" else -1
        if oov.any():
            if self.num_oov_indices == 0:
                raise ValueError(f"{type(self).__name__}: out-of-vocabulary tokens with num_oov_indices=0: "
                                 f"{sorted(set(np.array(flat, dtype=object)[oov].tolist()))[:5]}.")
            indices[oov] = (start - self.num_oov_indices) + self._oov_bucket(tokens.reshape(-1)[oov])
        return indices.reshape(tokens.shape)

    def _oov_bucket(self, tokens: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def call(self, inputs):
        if self.invert:
            return self._invert(inputs)
        tokens = self._normalize_tokens(self._as_numpy(inputs))
        indices = self._lookup(tokens)
        if self.output_mode == "int":
            return backend.convert_to_tensor(indices, dtype=self.output_dtype)
        return encode(indices, self.output_mode, self._depth(), self.output_dtype, self._idf_weights, type(self).__name__)

    def _invert(self, inputs):
        indices = self._as_numpy(inputs).astype("int64")
        reverse = self._reverse
        valid = (indices >= 0) & (indices < len(reverse))
        out = np.where(valid, reverse[np.clip(indices, 0, max(len(reverse) - 1, 0))], self.oov_token)
        return self._invert_result(out)

    def _invert_result(self, tokens: np.ndarray):
        return tokens

    @property
    def output_dtype(self) -> str:
        return self.compute_dtype

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if self.output_mode == "int":
            return input_shape
        depth = self._depth()
        return encoded_shape(input_shape, self.output_mode, depth)

    def get_config(self) -> dict:
        config = {**super().get_config(), "max_tokens": self.max_tokens, "num_oov_indices": self.num_oov_indices,
                  "mask_token": self.mask_token, "oov_token": self.oov_token,
                  "vocabulary_dtype": self.vocabulary_dtype, "invert": self.invert,
                  "output_mode": self.output_mode, "sparse": self.sparse,
                  "pad_to_max_tokens": self.pad_to_max_tokens,
                  "vocabulary": self.get_vocabulary(include_special_tokens=False) or None,
                  "idf_weights": None if self._idf_weights is None
                  else self._idf_weights[self._token_start_index():].tolist()}
        return config


def encoded_shape(input_shape: tuple, output_mode: str, depth: int) -> tuple:
    """The shape ``encode`` gives for inputs of ``input_shape`` (Keras's ``CategoryEncoding`` rule)."""
    if not input_shape:
        return (depth,)
    if output_mode == "one_hot" and (input_shape[-1] != 1 or len(input_shape) == 1):
        return input_shape + (depth,)
    return input_shape[:-1] + (depth,)


def encode(indices: np.ndarray, output_mode: str, depth: int, dtype: str, idf_weights=None, owner: str = "layer"):
    """Keras's ``encode_categorical_inputs`` on NumPy indices: one_hot, multi_hot, count, tf_idf.

    Indices of -1 (dropped tokens) contribute nothing; a rank-0 input counts as one token and rank-1
    input is one sample (multi_hot/count/tf_idf) or a batch of single tokens (one_hot).
    """
    indices = np.asarray(indices)
    if indices.ndim == 0:
        indices = indices.reshape(1)
    if output_mode == "one_hot":
        if indices.ndim > 1 and indices.shape[-1] == 1:
            indices = indices[..., 0]
        hot = (indices[..., None] == np.arange(depth)).astype(dtype)
        return backend.convert_to_tensor(hot, dtype=dtype)
    if indices.ndim > 2:
        raise ValueError(f"{owner}: output_mode={output_mode!r} supports inputs of rank <= 2, "
                         f"received shape {indices.shape}.")
    rows = indices.reshape(1, -1) if indices.ndim == 1 else indices
    counts = np.zeros((rows.shape[0], depth), dtype="float64")
    for row, values in enumerate(rows):
        values = values[(values >= 0) & (values < depth)]
        np.add.at(counts[row], values, 1.0)
    if output_mode == "multi_hot":
        counts = np.minimum(counts, 1.0)
    elif output_mode == "tf_idf":
        counts = counts * np.asarray(idf_weights, dtype="float64")[:depth] if len(idf_weights) >= depth \
            else counts * np.pad(idf_weights, (0, depth - len(idf_weights)))
    if indices.ndim == 1:
        counts = counts[0]
    return backend.convert_to_tensor(counts.astype(dtype), dtype=dtype)
