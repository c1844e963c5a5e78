"""The restricted unpickler: NumPy arrays and plain containers load, anything else is refused unrun."""

import io
import os
import pickle

import numpy as np
import pytest

from brickwork.datasets._safe_load import load_npz, load_pickle
from tests.datasets.dataset_files import object_array


def test_ragged_object_arrays_and_numeric_arrays(tmp_path):
    path = tmp_path / "data.npz"
    np.savez(path, x=object_array([[1, 2], [3]]), y=np.arange(3, dtype="int32"))
    loaded = load_npz(str(path))
    assert [list(s) for s in loaded["x"]] == [[1, 2], [3]]
    assert loaded["y"].dtype == np.int32 and list(loaded["y"]) == [0, 1, 2]


def test_pickle_of_dict_with_arrays_lists_and_bytes(tmp_path):
    path = tmp_path / "batch"
    path.write_bytes(pickle.dumps({b"data": np.ones((2, 3), np.uint8), b"labels": [1, 2], b"name": b"x"}, protocol=2))
    loaded = load_pickle(str(path))
    assert loaded[b"labels"] == [1, 2] and loaded[b"name"] == b"x" and loaded[b"data"].shape == (2, 3)


class _Exploit:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_code_in_a_pickle_is_refused_without_running(tmp_path):
    marker = tmp_path / "ran"
    path = tmp_path / "batch"
    path.write_bytes(pickle.dumps({b"data": _Exploit(marker)}, protocol=2))
    with pytest.raises(pickle.UnpicklingError, match="Refusing to load `posix.system`|Refusing to load `os.system`"):
        load_pickle(str(path))
    assert not marker.exists()


def test_code_in_an_npz_object_array_is_refused_without_running(tmp_path):
    marker = tmp_path / "ran"
    payload = np.empty(1, dtype=object)
    payload[0] = _Exploit(marker)
    buffer = io.BytesIO()
    np.savez(buffer, x=payload)
    path = tmp_path / "evil.npz"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(pickle.UnpicklingError, match="Refusing"):
        load_npz(str(path))
    assert not marker.exists()
