"""``HashedCrossing``: cross categorical features with the hashing trick, as Keras does, without TensorFlow.

The bins are TensorFlow's ``sparse.cross_hashed``: starting from a fixed key, each feature's 64-bit value
(FarmHash Fingerprint64 of a string, an integer as it is) is folded in with ``FingerprintCat64``; the
result modulo ``num_bins`` is the bin. Written in plain Python on NumPy arrays, like ``Hashing``.
"""

from __future__ import annotations

import numpy as np

from brickwork import backend
from brickwork.backend.common.keras_tensor import KerasTensor
from brickwork.layers.preprocessing.hashing import fingerprint64
from brickwork.layers.preprocessing.index_lookup import (
    StringInputLayer,
    encode,
    encoded_shape,
    is_string_array,
    to_numpy_strings,
)

_MASK64 = (1 << 64) - 1
_HASH_KEY = 0xDECAFCAFFE  # TensorFlow's default key for cross_hashed
_MUL = 0xC6A4A7935BD1E995


def _shift_mix(value: int) -> int:
    return value ^ (value >> 47)


def _fingerprint_cat64(first: int, second: int) -> int:
    result = first ^ _MUL
    result ^= (_shift_mix((second * _MUL) & _MASK64) * _MUL) & _MASK64
    result = (result * _MUL) & _MASK64
    return _shift_mix((_shift_mix(result) * _MUL) & _MASK64)


def _feature_values(values: np.ndarray) -> list[int]:
    """Each element's 64-bit feature value: Fingerprint64 of a string, an integer's two's complement bits."""
    flat = values.reshape(-1).tolist()
    if values.dtype.kind == "U":
        return [fingerprint64(value.encode("utf-8")) for value in flat]
    return [int(value) & _MASK64 for value in flat]


def cross_hash(features: list[np.ndarray], num_bins: int) -> np.ndarray:
    """The bin in ``[0, num_bins)`` (int64) of each position's cross of ``features`` (arrays of one shape)."""
    columns = [_feature_values(feature) for feature in features]
    bins = []
    for row in zip(*columns):
        hashed = _HASH_KEY
        for value in row:
            hashed = _fingerprint_cat64(hashed, value)
        bins.append(hashed % num_bins)
    return np.asarray(bins, dtype="int64").reshape(features[0].shape)


class HashedCrossing(StringInputLayer):
    """Cross two or more categorical features into ``num_bins`` bins: ``hash(features) % num_bins``.

    Each input is a string or integer feature of shape ``()``, ``(batch,)`` or ``(batch, 1)``, all of one
    shape; the bins are those of Keras (TensorFlow's ``cross_hashed``). The work is done in NumPy, so
    the layer belongs in input pipelines (it runs eagerly inside a model, not under ``jit``).

    Args:
        num_bins: the number of hash bins.
        output_mode: ``"int"`` (the bin indices, int64 by default) or ``"one_hot"``.
        sparse: not supported without TensorFlow.

    Example:
    >>> layer = HashedCrossing(num_bins=5)
    >>> layer((np.array(["A", "B", "A", "B", "A"]), np.array([101, 101, 101, 102, 102])))   # [1, 4, 1, 1, 3]
    """

    def __init__(self, num_bins: int, output_mode: str = "int", sparse: bool = False, **kwargs):
        if isinstance(num_bins, bool) or not isinstance(num_bins, (int, np.integer)) or num_bins <= 0:
            raise ValueError(f"HashedCrossing: `num_bins` must be a positive int, received num_bins={num_bins!r}.")
        if output_mode not in ("int", "one_hot"):
            raise ValueError(f"HashedCrossing: `output_mode` must be 'int' or 'one_hot', received {output_mode!r}.")
        if sparse:
            raise ValueError("HashedCrossing: `sparse=True` is not supported without TensorFlow.")
        if kwargs.get("dtype") is None:
            kwargs["dtype"] = "int64" if output_mode == "int" else backend.floatx()
        super().__init__(**kwargs)
        self.num_bins = int(num_bins)
        self.output_mode = output_mode
        self.sparse = sparse

    @property
    def output_dtype(self) -> str:
        return self.compute_dtype

    def _convert_inputs(self, args):
        if args and isinstance(args[0], (list, tuple)):
            features = tuple(to_numpy_strings(x) if is_string_array(x) else x for x in args[0])
            return (features,) + tuple(args[1:])
        return super()._convert_inputs(args)

    def _check_inputs(self, shapes: list[tuple]) -> None:
        if len(shapes) < 2:
            raise ValueError(f"HashedCrossing: expected a list or tuple of at least two features, "
                             f"received {len(shapes)}.")
        first = shapes[0]
        if len(first) > 2 or (len(first) == 2 and first[-1] != 1):
            raise ValueError(f"HashedCrossing: each feature must have shape (), (batch,) or (batch, 1), "
                             f"received {first}.")
        if any(shape != first for shape in shapes[1:]):
            raise ValueError(f"HashedCrossing: all features must have the same shape, received {shapes}.")

    def call(self, inputs):
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(  # noqa: TRY004 (Keras raises ValueError here)
                f"HashedCrossing: expected a list or tuple of features, received {type(inputs)}.")
        features = [backend.convert_to_numpy(x) if backend.is_tensor(x) else np.asarray(x) for x in inputs]
        self._check_inputs([f.shape for f in features])
        for feature in features:
            if feature.dtype.kind not in "iuUSO":
                raise ValueError(f"HashedCrossing: features must be integers or strings, received dtype "
                                 f"{feature.dtype}.")
        features = [to_numpy_strings(f) if f.dtype.kind in "SO" else f for f in features]
        indices = cross_hash(features, self.num_bins)
        if self.output_mode == "int":
            return backend.convert_to_tensor(indices, dtype=self.output_dtype)
        return encode(indices, "one_hot", self.num_bins, self.output_dtype, owner="HashedCrossing")

    def compute_output_shape(self, input_shape):
        shapes = [tuple(shape) for shape in input_shape]
        self._check_inputs(shapes)
        if self.output_mode == "int":
            return shapes[0]
        return encoded_shape(shapes[0], "one_hot", self.num_bins)

    def compute_output_spec(self, inputs, *args, **kwargs):
        return KerasTensor(self.compute_output_shape([tuple(x.shape) for x in inputs]), dtype=self.output_dtype)

    def get_config(self) -> dict:
        return {**super().get_config(), "num_bins": self.num_bins, "output_mode": self.output_mode,
                "sparse": self.sparse}
