"""``KerasFileEditor``: inspect and edit the weights in a ``.keras`` or ``.weights.h5`` file without its model.

The file's weights become one nested dict, ``weights_dict``, keyed by object path as the weights file lays
them out (see ``weights_store``): ``{"layers": {"dense": {"0": kernel, "1": bias}}, "optimizer": {...}}``.
An object's own weights (the datasets under ``<path>/vars``) and its sub-objects share its dict, as in the
spec of a model that ``compare`` builds, so a nested object (an LSTM's ``cell``, a Bidirectional's
``forward_layer``) keeps its weights; objects without any weights are left out. Edits change the dict;
``save`` writes it back as a ``.weights.h5`` file, in the layout both brickwork and Keras 3 load.

Reading is as safe as loading a model: the archive's member names are checked, HDF5 links to other
files or paths, external and virtual datasets are refused, and nothing in the file is executed.
"""

from __future__ import annotations

import collections
import json
import os
from collections.abc import Mapping

import numpy as np

from brickwork import backend
from brickwork.saving import saving_lib
from brickwork.saving.atomic import atomic_write
from brickwork.saving.weights_store import H5Store, WeightsFileError, own_variables, walk
from brickwork.utils.module_utils import LazyModule

h5py = LazyModule("h5py")  # imported when a file is first read or written, not by `import brickwork`

WeightsTree = collections.OrderedDict  # {name: np.ndarray | WeightsTree}

# Deeper nesting than this is no model's layout; refusing it keeps a crafted file from exhausting the stack.
_MAX_DEPTH = 64


def _print(message: str) -> None:
    from brickwork.utils import io_utils  # brickwork.config imports brickwork.saving: not at import time

    io_utils.print_msg(message)


class KerasFileEditor:
    """Inspect, edit and resave the weights of a ``.keras`` or ``.weights.h5`` file, without building its model.

    Useful to adapt a saved file after a change to the model's architecture: rename, delete or add the
    weights of whole objects (layers, the optimizer) or of single weights, then write a ``.weights.h5`` file
    that the new model loads with ``model.load_weights``.

    Args:
        filepath: a ``.keras`` archive or a ``.weights.h5`` file.

    Attributes:
        weights_dict: the file's weights, a nested dict by object path whose leaves map a weight's index
            (``"0"``, ``"1"``, ...) to a NumPy array.
        object_metadata: ``{"/<object path>": {attribute: value}}``, the attributes saved with each object
            (its ``name``).
        config: the model's config (a ``.keras`` archive; ``None`` for a weights file).
        metadata: ``metadata.json`` of the archive (Keras version, date saved), or ``None``.

    Example:
        model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(8, name="dense"),
                                  keras.layers.Dense(8, name="dense_1")])
        model.compile(optimizer="adam", loss="mse")
        model.save("model.keras")
        editor = keras.saving.KerasFileEditor("model.keras")
        editor.summary()
        editor.delete_object("optimizer")
        editor.rename_object("layers/dense_1", "dense_2")
        editor.add_object("layers/dense_1", weights={"0": np.eye(8), "1": np.zeros(8)})
        editor.save("edited.weights.h5")
    """

    def __init__(self, filepath: str | os.PathLike):
        filepath = os.fspath(filepath)
        self.filepath = filepath
        self.config = None
        self.metadata = None
        self.model = None  # Keras's editor has this attribute too; it never builds the model
        if filepath.endswith(".keras"):
            store = self._open_archive(filepath)
        elif filepath.endswith(".weights.h5"):
            if not os.path.exists(filepath):
                raise FileNotFoundError(f"KerasFileEditor: no such file: {filepath!r}.")
            store = H5Store(filepath, mode="r", description=repr(filepath))
        else:
            raise ValueError(f"KerasFileEditor: expected a `.keras` or `.weights.h5` file, received "
                             f"filepath={filepath!r}.")
        try:
            self.weights_dict, self.object_metadata = _read_weights(store)
        finally:
            store.close()
        _print(f"Keras model file {filepath!r}")
        if self.metadata is not None:
            _print(self._saved_with())

    def _open_archive(self, filepath: str) -> H5Store:
        """Read the archive's config and metadata, and return its weights as an open store (in memory)."""
        with saving_lib.open_archive(filepath) as archive:
            self.config = saving_lib.read_config(archive, filepath)
            if saving_lib.METADATA_FILENAME in archive.namelist():
                raw = saving_lib._read_member(archive, saving_lib.METADATA_FILENAME, filepath)
                try:
                    self.metadata = json.loads(raw.decode("utf-8"))
                except (UnicodeDecodeError, json.JSONDecodeError) as error:
                    raise saving_lib.ArchiveError(
                        f"{saving_lib.METADATA_FILENAME} in {filepath!r} is not valid JSON ({error})."
                    ) from None
            weights = saving_lib._read_member(archive, saving_lib.WEIGHTS_FILENAME, filepath)
        return H5Store(weights, mode="r", description=f"{saving_lib.WEIGHTS_FILENAME} in {filepath!r}")

    def _saved_with(self) -> str:
        metadata = self.metadata if isinstance(self.metadata, dict) else {}
        version = metadata.get("keras_version", "an unknown version")
        brickwork_version = metadata.get("brickwork_version")
        written_by = f" (brickwork {brickwork_version})" if brickwork_version else ""
        return f"Saved with Keras {version}{written_by} - date: {metadata.get('date_saved', 'unknown')}"

    # ------------------------------------------------------------------ inspecting
    def summary(self) -> None:
        """Print the file's weights as a tree: each object (with its saved name) and each weight's shape and dtype.

        Example:
            keras.saving.KerasFileEditor("model.keras").summary()
        """
        _print("Weights structure")
        for line in _tree_lines(self.weights_dict, "", self.object_metadata):
            _print("  " + line)

    def compare(self, reference_model) -> dict:
        """Compare the file's weights with those of ``reference_model``, printing every difference.

        An object or weight present on one side only, or a weight whose shape differs, is one error.

        Args:
            reference_model: a built model (or any layer) whose weights the file should fit.

        Returns:
            ``{"status": "success" or "error", "error_count": int, "match_count": int}``, where
                ``match_count`` counts the weights present on both sides with the same shape.

        Example:
            result = editor.compare(new_model)
            assert result["status"] == "success", result
        """
        _print("Running comparison")
        problems: list[str] = []
        match_count = _compare(self.weights_dict, _weights_spec(reference_model), "", problems)
        for problem in problems:
            _print(problem)
        _print("─" * 21)
        error_count = len(problems)
        if error_count == 0:
            _print("Comparison successful: saved file is compatible with the reference model")
            _print(f"    Found {match_count} matching weight{'' if match_count == 1 else 's'}")
        else:
            _print(f"Found {error_count} error{'' if error_count == 1 else 's'}: saved file is not "
                   "compatible with the reference model")
        return {"status": "success" if error_count == 0 else "error", "error_count": error_count,
                "match_count": match_count}

    # ------------------------------------------------------------------ editing
    def rename_object(self, object_name: str, new_name: str) -> None:
        """Rename an object (a layer, the optimizer) or a weight.

        Args:
            object_name: the object's full path (``"layers/dense_2"``), or a name that occurs once in the file
                (``"dense_2"``).
            new_name: its new name, the last part of a path only (``"dense_3"``). An entry that already has
                that name is replaced, as in Keras.

        Example:
            editor.rename_object("layers/dense_2", "dense_3")
        """
        _check_leaf_name(new_name, "new_name")
        parent, key, path = self._find(object_name)
        if key == new_name:
            return
        parent[new_name] = parent.pop(key)
        prefix = path.rsplit("/", 1)[0] + "/" if "/" in path else ""
        self._move_metadata(path, prefix + new_name)

    def delete_object(self, object_name: str) -> None:
        """Remove an object (a layer, the optimizer) and all its weights.

        Args:
            object_name: the object's full path (``"layers/dense_2"``), or a name that occurs once in the file.

        Example:
            editor.delete_object("optimizer")
        """
        parent, key, path = self._find(object_name)
        del parent[key]
        self._move_metadata(path, None)

    def add_object(self, object_path: str, weights: Mapping) -> None:
        """Add an object with its weights; its parent path must exist already.

        Args:
            object_path: the new object's full path (``"layers/dense_2"``). An object already there is replaced,
                as in Keras.
            weights: ``{weight name: array}``, the names usually ``"0"``, ``"1"``, ... in the order the
                layer creates its variables (a nested dict adds sub-objects).

        Example:
            editor.add_object("layers/dense_2", weights={"0": np.zeros((8, 4)), "1": np.zeros(4)})
        """
        weights = _as_weights(weights, "weights", object_path)
        elements = _path_elements(object_path)
        if not elements:
            raise ValueError(f"KerasFileEditor.add_object: `object_path` must name the object, received "
                             f"object_path={object_path!r}.")
        parent = self.weights_dict
        for depth, element in enumerate(elements[:-1]):
            child = parent.get(element)
            if not isinstance(child, dict):
                partial = "/".join(elements[:depth + 1])
                raise ValueError(
                    f"KerasFileEditor.add_object: path {partial!r} (the parent of {object_path!r}) is not an object "
                    f"in the file; at {('/'.join(elements[:depth]) or 'the top level')!r} it holds {list(parent)}."
                )
            parent = child
        parent[elements[-1]] = weights
        self._move_metadata("/".join(elements), None)  # what it replaces, if anything

    def delete_weight(self, object_name: str, weight_name: str) -> None:
        """Remove one weight from an object.

        Args:
            object_name: the object's full path (``"layers/dense_2"``), or a name that occurs once in the file.
            weight_name: the weight's name (``"1"``).

        Example:
            editor.delete_weight("layers/dense_2", "1")  # the bias
        """
        parent, key, path = self._find(object_name)
        node = parent[key]
        weight_name = str(weight_name)
        if not isinstance(node, dict) or weight_name not in node:
            held = list(node) if isinstance(node, dict) else f"none (it is a weight of shape {np.shape(node)})"
            raise ValueError(f"KerasFileEditor.delete_weight: weight {weight_name!r} not found in object {path!r}. "
                             f"Weights found: {held}.")
        del node[weight_name]

    def add_weights(self, object_name: str, weights: Mapping) -> None:
        """Add weights to an existing object (a weight with the same name is replaced).

        Args:
            object_name: the object's full path (``"layers/dense_2"``), or a name that occurs once in the file.
            weights: ``{weight name: array}``, e.g. ``{"1": bias}``.

        Example:
            editor.add_weights("layers/dense_2", {"1": np.zeros(4)})
        """
        weights = _as_weights(weights, "weights", object_name)
        parent, key, path = self._find(object_name)
        node = parent[key]
        if not isinstance(node, dict):
            raise ValueError(f"KerasFileEditor.add_weights: {path!r} is a weight, not an object; pass the path of "
                             "the object that holds it.")
        node.update(weights)

    # ------------------------------------------------------------------ saving
    def save(self, filepath: str | os.PathLike) -> None:
        """Write the (edited) weights to a ``.weights.h5`` file, atomically: a failed save leaves no partial file.

        Args:
            filepath: a path ending in ``.weights.h5``.

        Example:
            editor.save("edited.weights.h5")
            model.load_weights("edited.weights.h5")
        """
        filepath = os.fspath(filepath)
        if not filepath.endswith(".weights.h5"):
            raise ValueError(f"KerasFileEditor.save: expected a `.weights.h5` file, received filepath={filepath!r}.")
        # Every value is checked before the file is touched.
        arrays = [(path, name, _as_array(value, f"{path}/{name}" if path else name))
                  for path, name, value in _own_weights(self.weights_dict, "")]
        with atomic_write(filepath) as temporary:
            store = H5Store(temporary, mode="w", description=repr(filepath))
            try:
                groups: dict = {}
                for path, name, value in arrays:
                    if path not in groups:
                        groups[path] = store.make(path)
                    _write_weight(groups[path], name, value)
            finally:
                store.close()

    def resave_weights(self, filepath: str | os.PathLike) -> None:
        """Write the (edited) weights to a ``.weights.h5`` file (the same as ``save``).

        Args:
            filepath: a path ending in ``.weights.h5``.

        Example:
            editor.resave_weights("edited.weights.h5")
        """
        self.save(filepath)

    # ------------------------------------------------------------------ helpers
    def _find(self, object_name: str) -> tuple[dict, str, str]:
        """``(parent dict, key, full path)`` of the entry a path or a unique name designates."""
        elements = _path_elements(object_name)
        if not elements:
            raise ValueError(f"KerasFileEditor: expected the name or path of an object, received {object_name!r}.")
        name = "/".join(elements)
        if len(elements) > 1:
            parent = self.weights_dict
            for depth, element in enumerate(elements):
                if not isinstance(parent, dict) or element not in parent:
                    where = "/".join(elements[:depth]) or "the top level"
                    held = list(parent) if isinstance(parent, dict) else "a weight, not an object"
                    raise ValueError(f"KerasFileEditor: path {name!r} not found in the file: {where!r} holds {held}. "
                                     "Call `editor.summary()` to list the objects.")
                if depth < len(elements) - 1:
                    parent = parent[element]
            return parent, elements[-1], name
        found = list(_occurrences(self.weights_dict, name, ""))
        if not found:
            raise ValueError(f"KerasFileEditor: name {name!r} does not appear in the file. Call `editor.summary()` "
                             "to list the objects.")
        if len(found) > 1:
            raise ValueError(f"KerasFileEditor: name {name!r} occurs more than once in the file, at "
                             f"{[path for _, path in found]}; pass the full path of the one you mean.")
        (parent, path), = found
        return parent, name, path

    def _move_metadata(self, path: str, new_path: str | None) -> None:
        """Follow a rename (``new_path``) or a deletion (``None``) of ``path`` in ``object_metadata``."""
        old = "/" + path
        for key in [key for key in self.object_metadata if key == old or key.startswith(old + "/")]:
            value = self.object_metadata.pop(key)
            if new_path is not None:
                self.object_metadata["/" + new_path + key[len(old):]] = value


# --------------------------------------------------------------------------- reading
def _read_weights(store: H5Store) -> tuple[WeightsTree, dict]:
    """The store's weights as a tree, and ``{"/<path>": attributes}`` of the objects in it."""
    metadata: dict = {}
    seen: set = set()

    def read(path: str, group, depth: int) -> WeightsTree:
        if depth > _MAX_DEPTH:
            raise WeightsFileError(f"Refused to read {store.description}: objects nest deeper than {_MAX_DEPTH} "
                                   f"levels at {path!r}; no model's weights file does.")
        own = store.get(path)  # refuses links and data stored outside the file
        node = WeightsTree((index, own[index]) for index in own)
        for key in group:
            if key == "vars":
                continue
            child_path = f"{path}/{key}" if path else key
            child = store._follow_link(group, key, child_path)
            if not isinstance(child, h5py.Group):
                continue  # loaders read only <path>/vars, so neither does the editor
            if child.id in seen:
                raise WeightsFileError(f"Refused to read {store.description}: the group {child_path!r} is reached "
                                       "twice (a hard link); Keras and brickwork never write one.")
            seen.add(child.id)
            attributes = _object_attributes(store, child_path)
            if attributes:
                metadata["/" + child_path] = attributes  # before its children's, as Keras lists them
            subtree = read(child_path, child, depth + 1)
            if subtree:
                node[key] = subtree
            else:  # an object without weights (an input layer, a dropout) is left out, with its attributes
                metadata.pop("/" + child_path, None)
        return node

    seen.add(store.file.id)
    return read("", store.file, 0), metadata


def _object_attributes(store: H5Store, path: str) -> dict:
    group = store._follow(f"{path}/vars")
    if not isinstance(group, h5py.Group):
        return {}
    return {key: value.decode() if isinstance(value, bytes) else value for key, value in group.attrs.items()}


# --------------------------------------------------------------------------- editing and writing
def _path_elements(path) -> list[str]:
    """The parts of an object path (slashes around it ignored); none for anything but a non-empty string."""
    return path.strip("/").split("/") if isinstance(path, str) and path.strip("/") else []


def _check_leaf_name(name, argument: str) -> None:
    if not isinstance(name, str) or not name or "/" in name:
        raise ValueError(f"KerasFileEditor: `{argument}` must be a name without '/' (the last part of a path), "
                         f"received {argument}={name!r}.")


def _occurrences(tree: dict, name: str, path: str):
    """``(parent, full path)`` of every entry called ``name`` in ``tree``."""
    for key, value in tree.items():
        child_path = f"{path}/{key}" if path else key
        if key == name:
            yield tree, child_path
        if isinstance(value, dict):
            yield from _occurrences(value, name, child_path)


def _as_weights(weights, argument: str, where: str) -> WeightsTree:
    """``weights`` checked and converted: string names, NumPy arrays (nested dicts for sub-objects)."""
    if not isinstance(weights, Mapping):
        raise ValueError(f"KerasFileEditor: `{argument}` must be a dict mapping weight names (usually '0', '1', ...) "
                         f"to arrays, received type({argument})={type(weights).__name__}.")
    converted = WeightsTree()
    for name, value in weights.items():
        if isinstance(name, (int, np.integer)) and not isinstance(name, bool):
            name = str(name)
        _check_leaf_name(name, "weight name")
        label = "/".join(_path_elements(where) + [name])
        converted[name] = (_as_weights(value, argument, label) if isinstance(value, Mapping)
                           else _as_array(value, label))
    return converted


def _as_array(value, label: str) -> np.ndarray:
    """``value`` as a NumPy array of numbers, or an error naming the weight."""
    try:
        array = np.asarray(backend.convert_to_numpy(value))
        backend.standardize_dtype(array.dtype)
    except (TypeError, ValueError) as error:
        raise ValueError(f"KerasFileEditor: weight {label!r} is not an array of numbers ({error}).") from None
    if array.dtype.kind not in "biufcV" or array.dtype.names is not None:
        raise ValueError(f"KerasFileEditor: weight {label!r} is not an array of numbers (dtype {array.dtype}).")
    return array


def _own_weights(tree: dict, path: str):
    """``(object path, weight name, value)`` of every weight in ``tree``, parents before children."""
    children = []
    for name, value in tree.items():
        if isinstance(value, dict):
            children.append((name, value))
        else:
            yield path, name, value
    for name, subtree in children:
        yield from _own_weights(subtree, f"{path}/{name}" if path else name)


def _write_weight(group, name: str, value: np.ndarray) -> None:
    if backend.standardize_dtype(value.dtype) == "bfloat16":
        dataset = group.create_dataset(name, data=value.view(np.uint16))
        dataset.attrs["dtype"] = "bfloat16"  # how Keras marks bfloat16, which HDF5 has no type for
    else:
        group.create_dataset(name, data=value)


# --------------------------------------------------------------------------- comparing
class _ShapeStore:
    """The store a ``save_own_variables(store)`` writes into, keeping only each value's shape."""

    def __init__(self):
        self.shapes = WeightsTree()

    def __setitem__(self, key, value):
        shape = value.shape if hasattr(value, "shape") else np.shape(value)
        self.shapes[str(key)] = tuple(int(size) for size in shape)


def _weights_spec(model) -> WeightsTree:
    """The tree of ``model``'s weights as its weights file lays them out (``save_state``), with shapes for arrays."""
    tree = WeightsTree()
    for path, saveable in walk(model):
        store = _ShapeStore()
        if hasattr(saveable, "save_own_variables"):
            saveable.save_own_variables(store)
        else:
            for index, variable in enumerate(own_variables(saveable)):
                store[str(index)] = variable
        if not store.shapes:
            continue
        node = tree
        for element in path.split("/") if path else []:
            node = node.setdefault(element, WeightsTree())
        node.update(store.shapes)
    return tree


def _compare(saved: dict, reference: dict, path: str, problems: list) -> int:
    """Append a message to ``problems`` for each difference between the trees; return the matching weights."""
    matches = 0
    for key, expected in reference.items():
        where = f"{path}/{key}"
        if key not in saved:
            problems.append(_missing(where, expected, "reference model", "saved file"))
        elif isinstance(expected, dict) != isinstance(saved[key], dict):
            kinds = {True: "an object", False: "a weight"}
            problems.append(f"...{where} is {kinds[isinstance(expected, dict)]} in the reference model but "
                            f"{kinds[isinstance(saved[key], dict)]} in the saved file")
        elif isinstance(expected, dict):
            matches += _compare(saved[key], expected, where, problems)
        elif tuple(np.shape(saved[key])) != expected:
            problems.append(f"...Weight shape mismatch for {where}\n    In reference model: shape={expected}\n"
                            f"    In saved file: shape={tuple(np.shape(saved[key]))}")
        else:
            matches += 1
    for key, value in saved.items():
        if key not in reference:
            problems.append(_missing(f"{path}/{key}", value, "saved file", "reference model"))
    return matches


def _missing(where: str, value, present_in: str, missing_from: str) -> str:
    if isinstance(value, dict):
        return (f"...Object {where} present in {present_in}, missing from {missing_from}\n"
                f"    In {present_in}, {where} contains the following keys: {list(value)}")
    return f"...Weight {where} present in {present_in}, missing from {missing_from}"


# --------------------------------------------------------------------------- the summary
def _tree_lines(tree: dict, path: str, metadata: dict):
    """The lines of ``tree`` drawn with box characters, each object followed by its saved name."""
    items = list(tree.items())
    for position, (key, value) in enumerate(items):
        last = position == len(items) - 1
        connector, indent = ("└─ ", "    ") if last else ("├─ ", "│   ")
        child_path = f"{path}/{key}" if path else key
        if isinstance(value, dict):
            name = metadata.get("/" + child_path, {}).get("name")
            yield f"{connector}{key}" + (f" ({name!r})" if name is not None else "")
            for line in _tree_lines(value, child_path, metadata):
                yield indent + line
        else:
            yield f"{connector}{key}: shape={tuple(np.shape(value))}, dtype={value.dtype}"


__all__ = ["KerasFileEditor"]
