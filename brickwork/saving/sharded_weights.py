"""Sharded weights: a ``.weights.json`` index beside ``<base>_00000.weights.h5``, ``<base>_00001.weights.h5``, …

``save_weights(path, max_shard_size=GB)`` splits a large model's variables over several HDF5 files of at most
``max_shard_size`` gigabytes each, in Keras 3's format, so either library reads what the other wrote (KerasHub
presets of large models are stored this way). Each shard has the layout of a ``.weights.h5`` file
(``<path>/vars/<i>``), holding the variables that fell into it; the index maps each ``vars`` group to the
shard(s) holding it::

    {"metadata": {"total_size": 1234.0},
     "weight_map": {"/layers/dense/vars": "model_00000.weights.h5", ...}}

Shards fill greedily in the walk's order (a variable that would overflow the current shard opens the next),
as Keras does, so both write the same number of files. Loading reads only the shards named in the index,
and only plain file names beside it: an index cannot make brickwork read any other file.

Example:
    model.save_weights("model.weights.json", max_shard_size=2)   # shards of at most 2 GB
    model.load_weights("model.weights.json")
"""

from __future__ import annotations

import contextlib
import json
import os
import warnings

from brickwork.saving.atomic import atomic_write
from brickwork.saving.weights_store import H5Store, StoredValues, WeightsFileError

INDEX_SUFFIX = ".weights.json"
SHARD_SUFFIX = ".weights.h5"


def index_path(filepath: str, mode: str) -> str:
    """``filepath`` with Keras's ``.json`` extension (a ``.weights.h5`` name is renamed, with a warning)."""
    root, extension = os.path.splitext(filepath)
    if extension == ".json":
        return filepath
    renamed = root + ".json"
    warnings.warn(f"{'Saving' if mode == 'w' else 'Loading'} sharded weights requires `*.json` as the extension. "
                  f"The original path: {filepath} will be renamed to {renamed}.", stacklevel=3)
    return renamed


def shard_name(index_file: str, number: int) -> str:
    """``model.weights.json`` -> ``model_00003.weights.h5`` (for ``number=3``)."""
    stem = os.path.splitext(os.path.basename(index_file))[0]
    return f"{stem.replace('.weights', '')}_{number:05d}{SHARD_SUFFIX}"


def _size_in_bytes(data) -> float:
    bits = 1 if data.dtype.kind == "b" else data.dtype.itemsize * 8  # Keras counts a bool as one bit
    return data.size * bits / 8


class ShardedWriter:
    """The store ``save_state`` writes into: ``make(path)`` gives a group whose datasets go to the open shard.

    Shards and index are written through ``atomic_write``; ``close`` writes the index last, and the files
    are renamed into place only when every one of them is complete.
    """

    def __init__(self, filepath: str, max_shard_size, files: contextlib.ExitStack):
        self.index_file = index_path(os.fspath(filepath), "w")
        self.description = repr(self.index_file)
        self.max_bytes = float(max_shard_size) * 1024**3
        if not self.max_bytes > 0:
            raise ValueError(f"save_weights: `max_shard_size` must be a positive number of GB, received "
                             f"{max_shard_size!r}.")
        self._files = files
        self._index_temporary = files.enter_context(atomic_write(self.index_file))
        self._shard = None
        self._shard_name = None
        self._count = 0
        self._current_bytes = 0.0
        self._total_bytes = 0.0
        self.weight_map: dict = {}
        self._open_next_shard()

    def _open_next_shard(self) -> None:
        if self._shard is not None:
            self._shard.close()
        self._shard_name = shard_name(self.index_file, self._count)
        self._count += 1
        target = os.path.join(os.path.dirname(self.index_file), self._shard_name)
        temporary = self._files.enter_context(atomic_write(target))
        self._shard = H5Store(temporary, mode="w", description=repr(target))
        self._current_bytes = 0.0

    def make(self, path: str, name: str | None = None) -> "_ShardedGroup":
        return _ShardedGroup(self, f"{path}/vars" if path else "vars", name)

    def write(self, group_key: str, name, data, group_name: str | None):
        """Create dataset ``name`` of ``group_key`` in the shard it falls into; return the h5py dataset."""
        size = _size_in_bytes(data)
        if size > self.max_bytes:
            raise ValueError(f"save_weights: the variable {group_key}/{name} takes {size:.0f} bytes, more than "
                             f"`max_shard_size` ({self.max_bytes:.0f} bytes); increase `max_shard_size`.")
        self._total_bytes += size
        self._current_bytes += size
        if self._current_bytes > self.max_bytes:
            self._open_next_shard()
            self._current_bytes = size
        group = self._shard.file.require_group(group_key)
        if group_name is not None:
            group.attrs["name"] = group_name
        dataset = group.create_dataset(str(name), data=data)
        shards = self.weight_map.setdefault(f"/{group_key}", [])
        if self._shard_name not in shards:
            shards.append(self._shard_name)
        return dataset

    def abort(self) -> None:
        """Close the open shard after a failed save, writing no index."""
        self._shard.close()

    def close(self) -> None:
        self._shard.close()
        weight_map = {key: names[0] if len(names) == 1 else names for key, names in self.weight_map.items()}
        with open(self._index_temporary, "w") as index:
            json.dump({"metadata": {"total_size": self._total_bytes}, "weight_map": weight_map}, index, indent=4)


class _ShardedGroup:
    """One saveable's ``vars`` group, created in a shard only when a variable is written into it."""

    def __init__(self, writer: ShardedWriter, key: str, name: str | None):
        self._writer, self._key, self._name = writer, key, name

    def create_dataset(self, name, data):
        return self._writer.write(self._key, name, data, self._name)


class ShardedReader:
    """The store ``load_state`` reads from: each ``vars`` group from the shard(s) the index names for it."""

    def __init__(self, filepath: str):
        self.index_file = index_path(os.fspath(filepath), "r")
        self.description = repr(self.index_file)
        if not os.path.exists(self.index_file):
            raise FileNotFoundError(f"No such file: {self.index_file!r}.")
        try:
            with open(self.index_file) as index:
                config = json.load(index)
            self._weight_map = dict(config["weight_map"])
        except (ValueError, KeyError, TypeError) as error:
            raise WeightsFileError(f"{self.description} is not a sharded-weights index ({error}).") from None
        self._folder = os.path.dirname(os.path.abspath(self.index_file))
        self._open: dict = {}

    def _shard(self, name) -> H5Store:
        if (not isinstance(name, str) or os.path.basename(name) != name or name in ("", ".", "..")
                or not name.endswith(SHARD_SUFFIX)):
            raise WeightsFileError(f"Refused to read {self.description}: it names the shard {name!r}, which is not "
                                   f"a `*{SHARD_SUFFIX}` file beside it.")
        if name not in self._open:
            path = os.path.join(self._folder, name)
            if not os.path.isfile(path):
                raise FileNotFoundError(f"{self.description} names the shard {name!r}, which is missing from "
                                        f"{self._folder!r}.")
            self._open[name] = H5Store(path, mode="r", description=repr(path))
        return self._open[name]

    def _shards_of(self, path: str) -> list:
        names = self._weight_map.get(f"/{path}/vars" if path else "/vars", [])
        return names if isinstance(names, list) else [names]

    def get(self, path: str) -> StoredValues:
        datasets = {}
        for name in self._shards_of(path):
            datasets.update(self._shard(name).get(path)._datasets)
        return StoredValues(datasets, self.description, f"{path}/vars" if path else "vars")

    def has(self, path: str) -> bool:
        """Whether any shard holds variables at or under ``path``."""
        if not path:
            return bool(self._weight_map)
        return any(key == f"/{path}" or key.startswith(f"/{path}/") for key in self._weight_map)

    def close(self) -> None:
        for store in self._open.values():
            store.close()
        self._open.clear()


def is_sharded_index(filepath) -> bool:
    return os.fspath(filepath).endswith(INDEX_SUFFIX)
