"""Loading the pickled parts of datasets (CIFAR's batches, IMDB's and Reuters' ragged arrays) safely.

These files are pickles by their format, and a pickle can run any code when loaded. The unpickler
here refuses every global except the three NumPy needs to rebuild an array, so a tampered file
fails to load instead of running code; dicts, lists, str, bytes and numbers need no global and load
as usual. Numeric ``.npy`` members are read with pickling disabled altogether. (Downloads are also
checked against SHA-256 checksums first: this is the second line of defence.)
"""

from __future__ import annotations

import io
import pickle
import zipfile

import numpy as np

_ALLOWED_GLOBALS = frozenset({
    ("numpy", "ndarray"),
    ("numpy", "dtype"),
    ("numpy.core.multiarray", "_reconstruct"),   # files written with NumPy < 2
    ("numpy._core.multiarray", "_reconstruct"),  # files written with NumPy >= 2
    ("_codecs", "encode"),  # how protocol-2 pickles written by Python 3 spell bytes: str -> bytes, nothing more
})


class RestrictedUnpickler(pickle.Unpickler):
    """An unpickler that only rebuilds NumPy arrays and plain containers."""

    def find_class(self, module: str, name: str):
        if (module, name) in _ALLOWED_GLOBALS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(
            f"Refusing to load `{module}.{name}` from a dataset file: only NumPy arrays, dicts, lists, str "
            "and bytes are allowed. The file may be corrupted or malicious."
        )


def load_pickle(path: str, encoding: str = "bytes"):
    """A pickled object (a CIFAR batch: a dict of arrays, lists and bytes), restricted as above."""
    with open(path, "rb") as file:
        return RestrictedUnpickler(file, encoding=encoding).load()


def _read_npy(stream: io.BytesIO) -> np.ndarray:
    try:
        return np.lib.format.read_array(stream, allow_pickle=False)
    except ValueError:  # an object array: its data is a pickle stream after the header
        stream.seek(0)
        version = np.lib.format.read_magic(stream)
        if version == (1, 0):
            np.lib.format.read_array_header_1_0(stream)
        elif version[0] in (2, 3):
            np.lib.format.read_array_header_2_0(stream)  # 3.0 differs only in the header's text encoding
        else:
            raise ValueError(f"Unsupported .npy format version {version}.") from None
        array = RestrictedUnpickler(stream).load()
        if not isinstance(array, np.ndarray):
            raise ValueError(f"Expected a NumPy array in the .npy member, found {type(array).__name__}.") from None
        return array


def load_npz(path: str) -> dict:
    """The arrays of an ``.npz`` file, as a dict; object arrays are unpickled with the restricted unpickler."""
    arrays = {}
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            if member.endswith(".npy"):
                arrays[member[:-len(".npy")]] = _read_npy(io.BytesIO(archive.read(member)))
    return arrays
