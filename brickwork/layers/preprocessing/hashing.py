"""``Hashing``: hash values into a fixed number of bins, as Keras does, without TensorFlow.

Strings are hashed with FarmHash Fingerprint64 (TensorFlow's ``to_hash_bucket_fast``), or with
SipHash-2-4 keyed by ``salt`` (``to_hash_bucket_strong``); numbers are hashed as their decimal text,
as Keras does. Both hashes are written here in plain Python on NumPy arrays.
"""

from __future__ import annotations

import struct

import numpy as np

from brickwork import backend
from brickwork.layers.preprocessing.index_lookup import StringInputLayer, encode, encoded_shape, to_numpy_strings

_MASK64 = (1 << 64) - 1
_K0, _K1, _K2 = 0xC3A5C85C97CB3127, 0xB492B66FBE98F273, 0x9AE16A3B2F90404F


def _ror(value: int, shift: int) -> int:
    return value if shift == 0 else ((value >> shift) | (value << (64 - shift))) & _MASK64


def _fetch64(data: bytes, at: int) -> int:
    return struct.unpack_from("<Q", data, at)[0]


def _fetch32(data: bytes, at: int) -> int:
    return struct.unpack_from("<I", data, at)[0]


def _smix(value: int) -> int:
    return value ^ (value >> 47)


def _len16(u: int, v: int, mul: int) -> int:
    a = ((u ^ v) * mul) & _MASK64
    a ^= a >> 47
    b = ((v ^ a) * mul) & _MASK64
    b ^= b >> 47
    return (b * mul) & _MASK64


def _len0to16(s: bytes) -> int:
    n = len(s)
    if n >= 8:
        mul = _K2 + n * 2
        a = (_fetch64(s, 0) + _K2) & _MASK64
        b = _fetch64(s, n - 8)
        c = (_ror(b, 37) * mul + a) & _MASK64
        d = ((_ror(a, 25) + b) * mul) & _MASK64
        return _len16(c, d, mul)
    if n >= 4:
        mul = _K2 + n * 2
        return _len16((n + (_fetch32(s, 0) << 3)) & _MASK64, _fetch32(s, n - 4), mul)
    if n > 0:
        y = s[0] + (s[n >> 1] << 8)
        z = n + (s[n - 1] << 2)
        return (_smix(((y * _K2) ^ (z * _K0)) & _MASK64) * _K2) & _MASK64
    return _K2


def _len17to32(s: bytes) -> int:
    n = len(s)
    mul = _K2 + n * 2
    a = (_fetch64(s, 0) * _K1) & _MASK64
    b = _fetch64(s, 8)
    c = (_fetch64(s, n - 8) * mul) & _MASK64
    d = (_fetch64(s, n - 16) * _K2) & _MASK64
    return _len16((_ror((a + b) & _MASK64, 43) + _ror(c, 30) + d) & _MASK64,
                  (a + _ror((b + _K2) & _MASK64, 18) + c) & _MASK64, mul)


def _len33to64(s: bytes) -> int:
    n = len(s)
    mul = _K2 + n * 2
    a = (_fetch64(s, 0) * _K2) & _MASK64
    b = _fetch64(s, 8)
    c = (_fetch64(s, n - 8) * mul) & _MASK64
    d = (_fetch64(s, n - 16) * _K2) & _MASK64
    y = (_ror((a + b) & _MASK64, 43) + _ror(c, 30) + d) & _MASK64
    z = _len16(y, (a + _ror((b + _K2) & _MASK64, 18) + c) & _MASK64, mul)
    e = (_fetch64(s, 16) * mul) & _MASK64
    f = _fetch64(s, 24)
    g = ((y + _fetch64(s, n - 32)) * mul) & _MASK64
    h = ((z + _fetch64(s, n - 24)) * mul) & _MASK64
    return _len16((_ror((e + f) & _MASK64, 43) + _ror(g, 30) + h) & _MASK64,
                  (e + _ror((f + a) & _MASK64, 18) + g) & _MASK64, mul)


def _weak32(s: bytes, at: int, a: int, b: int) -> tuple:
    w, x, y, z = (_fetch64(s, at + 8 * i) for i in range(4))
    a = (a + w) & _MASK64
    b = _ror((b + a + z) & _MASK64, 21)
    c = a
    a = (a + x + y) & _MASK64
    b = (b + _ror(a, 44)) & _MASK64
    return (a + z) & _MASK64, (b + c) & _MASK64


def fingerprint64(data: bytes) -> int:
    """FarmHash Fingerprint64 (``farmhashna::Hash64``) of ``data``, as an unsigned 64-bit int."""
    n = len(data)
    if n <= 16:
        return _len0to16(data)
    if n <= 32:
        return _len17to32(data)
    if n <= 64:
        return _len33to64(data)
    seed = 81
    y = (seed * _K1 + 113) & _MASK64
    z = (_smix((y * _K2 + 113) & _MASK64) * _K2) & _MASK64
    v, w = (0, 0), (0, 0)
    x = (seed * _K2 + _fetch64(data, 0)) & _MASK64
    end = ((n - 1) // 64) * 64
    last64 = n - 64
    at = 0
    while True:
        x = (_ror((x + y + v[0] + _fetch64(data, at + 8)) & _MASK64, 37) * _K1) & _MASK64
        y = (_ror((y + v[1] + _fetch64(data, at + 48)) & _MASK64, 42) * _K1) & _MASK64
        x ^= w[1]
        y = (y + v[0] + _fetch64(data, at + 40)) & _MASK64
        z = (_ror((z + w[0]) & _MASK64, 33) * _K1) & _MASK64
        v = _weak32(data, at, (v[1] * _K1) & _MASK64, (x + w[0]) & _MASK64)
        w = _weak32(data, at + 32, (z + w[1]) & _MASK64, (y + _fetch64(data, at + 16)) & _MASK64)
        z, x = x, z
        at += 64
        if at == end:
            break
    mul = _K1 + ((z & 0xFF) << 1)
    at = last64
    w0 = (w[0] + ((n - 1) & 63)) & _MASK64
    v0 = (v[0] + w0) & _MASK64
    w0 = (w0 + v0) & _MASK64
    v, w = (v0, v[1]), (w0, w[1])
    x = (_ror((x + y + v[0] + _fetch64(data, at + 8)) & _MASK64, 37) * mul) & _MASK64
    y = (_ror((y + v[1] + _fetch64(data, at + 48)) & _MASK64, 42) * mul) & _MASK64
    x ^= (w[1] * 9) & _MASK64
    y = (y + v[0] * 9 + _fetch64(data, at + 40)) & _MASK64
    z = (_ror((z + w[0]) & _MASK64, 33) * mul) & _MASK64
    v = _weak32(data, at, (v[1] * mul) & _MASK64, (x + w[0]) & _MASK64)
    w = _weak32(data, at + 32, (z + w[1]) & _MASK64, (y + _fetch64(data, at + 16)) & _MASK64)
    z, x = x, z
    return _len16((_len16(v[0], w[0], mul) + _smix(y) * _K0 + z) & _MASK64,
                  (_len16(v[1], w[1], mul) + x) & _MASK64, mul)


def _sipround(v0, v1, v2, v3):
    v0 = (v0 + v1) & _MASK64
    v1 = _ror(v1, 51) ^ v0
    v0 = _ror(v0, 32)
    v2 = (v2 + v3) & _MASK64
    v3 = _ror(v3, 48) ^ v2
    v0 = (v0 + v3) & _MASK64
    v3 = _ror(v3, 43) ^ v0
    v2 = (v2 + v1) & _MASK64
    v1 = _ror(v1, 47) ^ v2
    v2 = _ror(v2, 32)
    return v0, v1, v2, v3


def siphash24(key: tuple, data: bytes) -> int:
    """SipHash-2-4 of ``data`` under the two 64-bit words of ``key`` (TensorFlow's keyed string hash)."""
    k0, k1 = key[0] & _MASK64, key[1] & _MASK64
    v0, v1 = k0 ^ 0x736F6D6570736575, k1 ^ 0x646F72616E646F6D
    v2, v3 = k0 ^ 0x6C7967656E657261, k1 ^ 0x7465646279746573
    n = len(data)
    tail = data[n - n % 8:] + b"\0" * (7 - n % 8) + bytes([n & 0xFF])
    words = [_fetch64(data, i) for i in range(0, n - n % 8, 8)] + [_fetch64(tail, 0)]
    for m in words:
        v3 ^= m
        v0, v1, v2, v3 = _sipround(*_sipround(v0, v1, v2, v3))
        v0 ^= m
    v2 ^= 0xFF
    for _ in range(4):
        v0, v1, v2, v3 = _sipround(v0, v1, v2, v3)
    return v0 ^ v1 ^ v2 ^ v3


def hash_strings(strings: np.ndarray, num_bins: int, salt=None) -> np.ndarray:
    """Bucket of each string of ``strings`` in ``[0, num_bins)`` (int64), unkeyed or keyed by ``salt``."""
    flat = strings.reshape(-1).tolist()
    if salt is None:
        hashed = (fingerprint64(s.encode("utf-8")) % num_bins for s in flat)
    else:
        hashed = (siphash24(salt, s.encode("utf-8")) % num_bins for s in flat)
    return np.fromiter(hashed, dtype="int64", count=len(flat)).reshape(strings.shape)


def _as_text(values: np.ndarray) -> np.ndarray:
    """Numbers as their decimal text, as TensorFlow's ``as_string`` writes integers (floats truncated)."""
    if values.dtype.kind in "USO":
        return to_numpy_strings(values)
    return values.astype("int64").astype(str)


class Hashing(StringInputLayer):
    """Hash strings or integers into ``num_bins`` bins (Keras's ``Hashing``).

    Args:
        num_bins: the number of bins, including the mask bin 0 when ``mask_value`` is set.
        mask_value: a value mapped to bin 0 (other values hash into ``[1, num_bins)``).
        salt: an int or a pair of ints keying a SipHash (``None``: FarmHash Fingerprint64).
        output_mode: ``"int"``, ``"one_hot"``, ``"multi_hot"`` or ``"count"``.
        sparse: not supported without TensorFlow.

    Example:
    >>> Hashing(num_bins=3)(np.array([["A"], ["B"], ["C"], ["D"], ["E"]]))   # [[1], [0], [1], [1], [2]]
    """

    def __init__(self, num_bins, mask_value=None, salt=None, output_mode="int", sparse=False, **kwargs):
        if not isinstance(num_bins, (int, np.integer)) or num_bins <= 0:
            raise ValueError(f"Hashing: `num_bins` must be a positive int, received num_bins={num_bins!r}.")
        if output_mode not in ("int", "one_hot", "multi_hot", "count"):
            raise ValueError(f"Hashing: `output_mode` must be 'int', 'one_hot', 'multi_hot' or 'count', "
                             f"received {output_mode!r}.")
        if sparse:
            raise ValueError("Hashing: `sparse=True` is not supported without TensorFlow.")
        if salt is not None and not (isinstance(salt, (int, np.integer))
                                     or (isinstance(salt, (list, tuple)) and len(salt) == 2)):
            raise ValueError(f"Hashing: `salt` must be an int or a pair of ints, received {salt!r}.")
        dtype = kwargs.pop("dtype", None) or ("int64" if output_mode == "int" else backend.floatx())
        super().__init__(dtype=dtype, **kwargs)
        self.num_bins = int(num_bins)
        self.mask_value = mask_value
        self.salt = salt
        self.strong_hash = salt is not None
        self._salt_key = None if salt is None else ((salt, salt) if isinstance(salt, (int, np.integer))
                                                   else tuple(salt))
        self.output_mode = output_mode
        self.sparse = sparse

    @property
    def output_dtype(self) -> str:
        return self.compute_dtype

    def call(self, inputs):
        values = backend.convert_to_numpy(inputs) if backend.is_tensor(inputs) else np.asarray(inputs)
        text = _as_text(values)
        bins = self.num_bins
        mask = None
        if self.mask_value is not None and bins > 1:
            bins -= 1
            mask = text == _as_text(np.asarray([self.mask_value]))[0]
        indices = hash_strings(text, bins, self._salt_key)
        if mask is not None:
            indices = np.where(mask, 0, indices + 1)
        if self.output_mode == "int":
            return backend.convert_to_tensor(indices, dtype=self.output_dtype)
        return encode(indices, self.output_mode, self.num_bins, self.output_dtype, owner="Hashing")

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if self.output_mode == "int":
            return input_shape
        return encoded_shape(input_shape, self.output_mode, self.num_bins)

    def get_config(self) -> dict:
        return {**super().get_config(), "num_bins": self.num_bins, "salt": self.salt,
                "mask_value": self.mask_value, "output_mode": self.output_mode, "sparse": self.sparse}
