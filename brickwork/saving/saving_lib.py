"""The ``.keras`` archive, in Keras 3's layout: a zip holding

- ``metadata.json``: versions and the date saved,
- ``config.json``: the model's config (``serialize_keras_object``), with its compile config,
- ``model.weights.h5``: every layer's and the optimizer's variables (see ``weights_store``),
- ``assets/<path>/…``: files an object writes with ``save_assets(folder)`` (a tokenizer's vocabulary), read
  back with ``load_assets(folder)``; they pass through a temporary folder, as in Keras.

Loading is safe by default: the config may only name brickwork classes, Keras-public classes
brickwork implements, and registered or passed custom objects; Lambda bytecode is refused unless
``safe_mode=False``; an archive member with an absolute path or ``..`` is refused; and a
truncated or corrupt file gives one clear error. Nothing is unpickled; only ``assets/`` reach disk.
"""

from __future__ import annotations

import contextlib
import datetime
import io
import json
import os
import pathlib
import posixpath
import tempfile
import warnings
import zipfile

import numpy as np

from brickwork import backend
from brickwork.saving import serialization_lib
from brickwork.saving.atomic import atomic_write
from brickwork.saving.folder_archive import FolderArchive, atomic_folder
from brickwork.saving.sharded_weights import ShardedReader, ShardedWriter, is_sharded_index
from brickwork.saving.weights_store import H5Store, WeightsFileError, load_state, save_state, walk

ASSETS_FOLDER = "assets"
CONFIG_FILENAME = "config.json"
METADATA_FILENAME = "metadata.json"
WEIGHTS_FILENAME = "model.weights.h5"
# The Keras release whose format brickwork writes (the interop samples were saved by it).
KERAS_FORMAT_VERSION = "3.15.1"
# A config larger than this is not a model description; refuse it rather than parse it.
_MAX_CONFIG_BYTES = 256 * 1024 * 1024
# Weights larger than this share of the memory available pass through a temporary file instead of memory,
# saving and loading (Keras's name; 0 sends every model through the disk).
_MEMORY_UPPER_BOUND = 0.5


class ArchiveError(ValueError):
    """A ``.keras`` file that cannot be read: not a zip, truncated, corrupt, or unsafe."""


# --------------------------------------------------------------------------- saving
def model_config_json(model) -> str:
    """The model's config (with its compile config) as Keras 3's JSON."""
    with serialization_lib.ObjectSharingScope():  # an object held twice (a shared layer) is written once
        config = serialization_lib.serialize_keras_object(model)
    try:
        return json.dumps(config)
    except TypeError as error:
        raise TypeError(
            f"Cannot save model {model.name!r}: its config holds a value that is not JSON ({error}). "
            "Make get_config() return plain Python values (numbers, strings, lists, dicts)."
        ) from None


def is_file_object(filepath) -> bool:
    """Whether ``filepath`` is an open binary file (``io.BytesIO``, say) rather than a path."""
    return hasattr(filepath, "write") or hasattr(filepath, "read")


def _describe(filepath) -> str:
    return repr(os.fspath(filepath)) if not is_file_object(filepath) else f"the file object {filepath!r}"


def save_model(model, filepath, zipped: bool = True) -> None:
    """Write ``model`` to a ``.keras`` archive at ``filepath`` (a path, written atomically, or an open binary
    file, written in one piece once the archive is complete); with ``zipped=False``, to a folder of the same
    members (see ``folder_archive``)."""
    if not getattr(model, "built", True):
        warnings.warn(
            f"Saving model {model.name!r}, which is not built yet: the archive will hold no weights. "
            "Call the model on data (or build it) first.", stacklevel=3)
    # Everything that may fail (configs, reading variables) happens before the file is touched.
    config_json = model_config_json(model)
    metadata = {
        "keras_version": KERAS_FORMAT_VERSION,
        "brickwork_version": _brickwork_version(),
        "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S"),
    }
    with tempfile.TemporaryDirectory() as folder:
        weights = _save_weights_bytes_or_file(model, folder)

        def write(target) -> None:
            with (zipfile.ZipFile(target, "w") if zipped else FolderArchive(target, "w")) as archive:
                archive.writestr(METADATA_FILENAME, json.dumps(metadata))
                archive.writestr(CONFIG_FILENAME, config_json)
                if isinstance(weights, bytes):
                    archive.writestr(WEIGHTS_FILENAME, weights)
                else:
                    archive.write(weights, WEIGHTS_FILENAME)
                _write_assets(model, archive)

        if is_file_object(filepath):
            buffer = io.BytesIO()
            write(buffer)
            filepath.write(buffer.getvalue())
            return
        with (atomic_write(filepath) if zipped else atomic_folder(filepath)) as temporary:
            write(temporary)


def _fits_in_memory(size_bytes: int) -> bool:
    """Whether ``size_bytes`` stay under ``_MEMORY_UPPER_BOUND`` of the memory available now."""
    available = _available_memory_bytes()
    return available is not None and size_bytes < available * _MEMORY_UPPER_BOUND


def _save_weights_bytes_or_file(model, folder: str):
    """The weights file of ``model``: its bytes when they fit in memory, else the path of a file in ``folder``."""
    size = sum(int(np.prod(v.shape)) * np.dtype(backend.standardize_dtype(v.dtype)).itemsize
               for v in _all_variables(model))
    in_memory = _fits_in_memory(size)
    target = None if in_memory else os.path.join(folder, WEIGHTS_FILENAME)
    store = H5Store(target, mode="w", description="the weights being saved")
    try:
        save_state(model, store)
    finally:
        store.close()
    return store.getvalue() if in_memory else target


def _all_variables(model) -> list:
    variables = list(getattr(model, "variables", []))
    optimizer = getattr(model, "optimizer", None)
    return variables + list(getattr(optimizer, "variables", []) if optimizer is not None else [])


def _assets_path(path: str) -> str:
    # Keras names an object reached through a property by the property (KerasHub's task.preprocessor holds
    # self._preprocessor): assets/preprocessor/tokenizer/, where the walk says _preprocessor/_tokenizer.
    return "/".join(part.lstrip("_") or part for part in path.split("/")) if path else path


def _write_assets(model, archive: zipfile.ZipFile) -> None:
    for path, saveable in walk(model):
        if not hasattr(saveable, "save_assets"):
            continue
        with tempfile.TemporaryDirectory() as folder:
            saveable.save_assets(folder)
            for file in sorted(pathlib.Path(folder).rglob("*")):
                if file.is_file():
                    member = posixpath.join(ASSETS_FOLDER, _assets_path(path), file.relative_to(folder).as_posix())
                    archive.write(file, member)


def _read_assets(model, archive: zipfile.ZipFile) -> None:
    members = [name for name in archive.namelist() if name.startswith(ASSETS_FOLDER + "/")]
    if not members:
        return
    for path, saveable in walk(model):
        prefix = posixpath.join(ASSETS_FOLDER, _assets_path(path), "")
        own = [name for name in members if name.startswith(prefix)]
        if not own:  # written under the walk's own path
            prefix = posixpath.join(ASSETS_FOLDER, path, "")
            own = [name for name in members if name.startswith(prefix)]
        if not own or not hasattr(saveable, "load_assets"):
            continue
        with tempfile.TemporaryDirectory() as folder:
            for name in own:  # member names were checked (no absolute paths, no "..") on opening
                target = pathlib.Path(folder, name[len(prefix):])
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(_read_member(archive, name, archive.filename))
            saveable.load_assets(folder)


def _brickwork_version() -> str:
    import brickwork

    return brickwork.__version__


# --------------------------------------------------------------------------- loading
def load_model(filepath, custom_objects=None, compile: bool = True, safe_mode: bool = True):
    """Rebuild the model saved at ``filepath`` (config, weights, and compiled optimizer state)."""
    with open_archive(filepath) as archive:
        model = model_from_config(read_config(archive, filepath), filepath, custom_objects=custom_objects,
                                  compile=compile, safe_mode=safe_mode)
        with tempfile.TemporaryDirectory() as folder:
            store = _open_weights_member(archive, filepath, folder)
            try:
                _build_optimizer(model, store)
                load_state(model, store)
            finally:
                store.close()
        _read_assets(model, archive)
    return model


def model_from_config(config: dict, filepath, custom_objects=None, compile: bool = True, safe_mode: bool = True):
    """Build the (unweighted) model a saved config describes; ``filepath`` names the file in errors."""
    if not compile:
        config.pop("compile_config", None)
    if safe_mode:
        refuse_code(config, filepath)
    with serialization_lib.SafeModeScope(safe_mode), serialization_lib.ObjectSharingScope():
        return serialization_lib.deserialize_keras_object(config, custom_objects=custom_objects, safe_mode=safe_mode)


def _open_weights_member(archive, filepath, folder: str) -> H5Store:
    """The archive's weights as a store: read into memory when they fit, else extracted to ``folder``."""
    description = f"{WEIGHTS_FILENAME} in {_describe(filepath)}"
    try:
        size = archive.getinfo(WEIGHTS_FILENAME).file_size
    except KeyError:
        size = 0  # _read_member names the missing member
    if _fits_in_memory(size):
        return H5Store(_read_member(archive, WEIGHTS_FILENAME, filepath), mode="r", description=description)
    target = os.path.join(folder, WEIGHTS_FILENAME)
    _extract_member(archive, WEIGHTS_FILENAME, filepath, target)
    return H5Store(target, mode="r", description=description)


def _build_optimizer(model, store) -> None:
    """Create the optimizer's variables when the file holds a built optimizer's state (as Keras does)."""
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None or getattr(optimizer, "built", True) or not getattr(model, "built", False):
        return
    if len(store.get("optimizer")) > len(optimizer.variables):
        optimizer.build(model.trainable_variables)


class open_archive:
    """Open a ``.keras`` zip for reading, checking that it is one and that its member names are safe."""

    def __init__(self, filepath):
        self.filepath = filepath if is_file_object(filepath) else os.fspath(filepath)
        if not is_file_object(filepath) and not os.path.exists(self.filepath):
            raise FileNotFoundError(f"No such file: {self.filepath!r}.")
        if not is_file_object(filepath) and os.path.isdir(self.filepath):  # saved with zipped=False
            self.archive = FolderArchive(self.filepath)
            check_member_names(self.archive.namelist(), self.filepath)
            return
        try:
            self.archive = zipfile.ZipFile(self.filepath, "r")
        except (zipfile.BadZipFile, EOFError, OSError, ValueError) as error:
            raise ArchiveError(
                f"Could not read {self.filepath!r} as a .keras archive: the file is truncated, corrupt or not a "
                f"zip file ({error})."
            ) from None
        try:
            check_member_names(self.archive.namelist(), self.filepath)
        except ArchiveError:
            self.archive.close()
            raise

    def __enter__(self):
        return self.archive

    def __exit__(self, *exc_info):
        self.archive.close()


def check_member_names(names, filepath) -> None:
    """Refuse absolute paths, ``..`` components and drive letters among an archive's members."""
    for name in names:
        normalized = name.replace("\\", "/")
        parts = normalized.split("/")
        if (normalized.startswith("/") or ".." in parts or (len(parts[0]) >= 2 and parts[0][1] == ":")
                or posixpath.isabs(normalized) or "\x00" in name):
            raise ArchiveError(
                f"Refused to load {filepath!r}: the archive member {name!r} has an absolute path or '..', which "
                "could write outside the target folder. A file brickwork or Keras writes never has one."
            )


# A compressed member may expand to at most this many times its stored size. Keras and brickwork store
# members uncompressed, and float weights deflate to barely less than their size; a member declaring more
# than 100:1 is a zip bomb (zeros deflate to ~1000:1), refused before anything is decompressed. A file you
# trust that trips it can be re-packed uncompressed (``zip -0``), or this limit raised.
MAX_EXPANSION_RATIO = 100
# Members this small are read whatever their ratio.
_SMALL_MEMBER_BYTES = 1 << 20
_READ_CHUNK_BYTES = 1 << 22


def _available_memory_bytes() -> int | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_AVPHYS_PAGES")
    except (AttributeError, ValueError, OSError):  # pragma: no cover - not POSIX
        return None


def _physical_memory_bytes() -> int | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):  # pragma: no cover - not POSIX
        return None


def check_member_size(info: zipfile.ZipInfo, filepath) -> None:
    """Refuse a member whose declared uncompressed size is absurd, before decompressing any of it."""
    declared, stored = info.file_size, info.compress_size
    memory = _physical_memory_bytes()
    problem = None
    if info.filename == CONFIG_FILENAME and declared > _MAX_CONFIG_BYTES:
        problem = f"a config of {declared} bytes (the limit is {_MAX_CONFIG_BYTES})"
    elif declared > _SMALL_MEMBER_BYTES and declared > stored * MAX_EXPANSION_RATIO:
        problem = (f"it declares {declared} bytes from {stored} compressed bytes, more than the "
                   f"{MAX_EXPANSION_RATIO}:1 (saving_lib.MAX_EXPANSION_RATIO) a model's data compresses to: a zip "
                   "bomb. If you trust the file, re-pack it uncompressed (`zip -0`)")
    elif memory is not None and declared > memory:
        problem = f"it declares {declared} bytes, more than this machine's memory ({memory} bytes)"
    if problem:
        raise ArchiveError(f"Refused to load {_describe(filepath)}: the archive member {info.filename!r} is unsafe: "
                           f"{problem}.")


def _member_chunks(archive, name, filepath):
    """The bytes of member ``name``, in chunks, after its declared size was checked."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise ArchiveError(
            f"{_describe(filepath)} is not a complete .keras archive: it has no {name!r} "
            f"(members: {archive.namelist()})."
        ) from None
    check_member_size(info, filepath)
    try:
        # Streamed, never more than the checked declared size (zipfile stops there; the loop makes it explicit).
        remaining = info.file_size
        with archive.open(info) as stream:
            while remaining > 0:
                chunk = stream.read(min(_READ_CHUNK_BYTES, remaining))
                if not chunk:
                    break
                yield chunk
                remaining -= len(chunk)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError) as error:
        raise ArchiveError(
            f"Could not read {name!r} from {_describe(filepath)}: the archive is truncated or corrupt ({error})."
        ) from None


def _read_member(archive, name, filepath) -> bytes:
    return b"".join(_member_chunks(archive, name, filepath))


def _extract_member(archive, name, filepath, target: str) -> None:
    with open(target, "wb") as output:
        for chunk in _member_chunks(archive, name, filepath):
            output.write(chunk)


def read_config(archive, filepath) -> dict:
    """``config.json`` of an open archive, parsed."""
    raw = _read_member(archive, CONFIG_FILENAME, filepath)
    try:
        config = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ArchiveError(f"{CONFIG_FILENAME} in {_describe(filepath)} is not valid JSON ({error}).") from None
    if not isinstance(config, dict) or "class_name" not in config:
        raise ArchiveError(f"{CONFIG_FILENAME} in {_describe(filepath)} does not describe a model.")
    return config


def refuse_code(config, filepath) -> None:
    """Refuse a config holding Python bytecode (a Lambda layer or a lambda activation), before building."""
    stack = [(config, "")]
    while stack:
        node, where = stack.pop()
        if isinstance(node, dict):
            if node.get("class_name") == "__lambda__":
                raise ValueError(
                    f"{_describe(filepath)}: "
                    + serialization_lib._refused_lambda_message(f" (at {where or 'the top level'})")
                )
            inner = node.get("config")
            name = inner.get("name") if isinstance(inner, dict) else None
            label = f"{where}/{name}" if isinstance(name, str) else where
            stack.extend((value, label) for value in node.values())
        elif isinstance(node, list):
            stack.extend((value, where) for value in node)


# Keras's names for the archive members and for the weights-only functions (its tests and tools reach them).
_CONFIG_FILENAME, _METADATA_FILENAME, _VARS_FNAME_H5 = CONFIG_FILENAME, METADATA_FILENAME, WEIGHTS_FILENAME
_ASSETS_DIRNAME = ASSETS_FOLDER


def save_weights_only(model, filepath, max_shard_size=None, objects_to_skip=None) -> None:
    """Keras's name for ``save_weights``."""
    save_weights(model, filepath, objects_to_skip=objects_to_skip or (), max_shard_size=max_shard_size)


def load_weights_only(model, filepath, skip_mismatch: bool = False, objects_to_skip=None) -> None:
    """Keras's name for ``load_weights``."""
    load_weights(model, filepath, skip_mismatch=skip_mismatch, objects_to_skip=objects_to_skip or ())


# --------------------------------------------------------------------------- weights only
def save_weights(model, filepath, objects_to_skip=(), max_shard_size=None) -> None:
    """Write the variables of ``model`` (and of its optimizer) to a ``.weights.h5`` file, atomically; the layers
    in ``objects_to_skip`` are left out. With ``max_shard_size`` (in GB), to a ``.weights.json`` index and its
    shards (see ``sharded_weights``)."""
    if getattr(model, "built", True) is False:
        raise ValueError(f"You are saving a model that has not yet been built. Model {model.name!r} has no variables "
                         "yet: call it on data or build it first.")
    if max_shard_size is not None:
        with contextlib.ExitStack() as files:
            store = ShardedWriter(filepath, max_shard_size, files)
            try:
                save_state(model, store, objects_to_skip)
            except BaseException:
                store.abort()  # the ExitStack then removes every temporary file
                raise
            store.close()
        return
    with atomic_write(filepath) as temporary:
        store = H5Store(temporary, mode="w", description=repr(os.fspath(filepath)))
        try:
            save_state(model, store, objects_to_skip)
        finally:
            store.close()


def load_weights(model, filepath, skip_mismatch: bool = False, objects_to_skip=()) -> None:
    """Assign the variables saved in a ``.weights.h5`` file or a ``.keras`` archive to ``model``; the layers in
    ``objects_to_skip`` keep their values."""
    filepath = os.fspath(filepath)
    with tempfile.TemporaryDirectory() as folder:
        if filepath.endswith(".keras"):
            with open_archive(filepath) as archive:
                store = _open_weights_member(archive, filepath, folder)
        elif is_sharded_index(filepath):
            store = ShardedReader(filepath)
        else:
            if not os.path.exists(filepath):
                raise FileNotFoundError(f"No such file: {filepath!r}.")
            store = H5Store(filepath, mode="r", description=repr(filepath))
        try:
            if getattr(model, "built", True) is False:
                raise ValueError(
                    f"You are loading weights into a model that has not yet been built. Model {model.name!r} has "
                    "no variables yet: call it on data or build it first."
                )
            _build_optimizer(model, store)
            load_state(model, store, skip_mismatch=skip_mismatch, objects_to_skip=objects_to_skip)
        finally:
            store.close()


__all__ = ["ArchiveError", "WeightsFileError", "load_model", "load_weights", "save_model", "save_weights"]
