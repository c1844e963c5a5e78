"""Weights in HDF5, in Keras 3's layout, and the walk that gives every layer its path.

A model's state is stored by *attribute path*, as Keras 3 does: the layers of a Sequential or
Functional model under ``layers/<snake_case class name>`` (``dense``, ``dense_1``, … in order),
other sublayers under the attribute that holds them (``layers/bidirectional/forward_layer``,
``layers/gru/cell``), the optimizer under ``optimizer``. Each saveable writes its own variables
as ``<path>/vars/0``, ``<path>/vars/1``, … (a layer: trainable then non-trainable, in creation
order; an optimizer: ``iterations``, ``learning_rate``, then its slots). Layer *names* never
appear in a path, so two models of the same architecture share a layout however their layers
were named.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Mapping

import numpy as np

from brickwork import backend
from brickwork.utils.module_utils import LazyModule

h5py = LazyModule("h5py")  # imported when a file is first read or written, not by `import brickwork`

# Attributes whose values are bookkeeping, not state: following them would visit a parent model,
# the graph, or the Input layer that Keras leaves out of a Sequential's layers.
_SKIPPED_ATTRIBUTES = frozenset({
    "_inbound_nodes", "_outbound_nodes", "_parent_model", "_functional_graph", "_operations", "_nodes",
    "_stack", "_input_layer", "_symbolic_outputs", "_inputs_struct", "_outputs_struct", "_input_tensors",
    "_output_tensors", "_compile_loss", "_compile_metrics", "_loss_tracker", "history", "_step_trainable",
    "_metrics_cache", "_regularized_cache", "train_function", "test_function", "predict_function",
    "_trainable_variables", "_non_trainable_variables", "_variables", "_layers",
})


class WeightsFileError(ValueError):
    """A weights file that is not a readable HDF5 file (truncated, corrupt, or something else)."""


# --------------------------------------------------------------------------- the store
class H5Store:
    """An HDF5 file of ``<path>/vars/<i>`` datasets, read or written.

    Args:
        source: a file path, or ``bytes`` (reading) / ``None`` (writing into memory, see ``getvalue``).
        mode: ``"r"`` or ``"w"``.
        description: how errors name the file.
    """

    def __init__(self, source=None, mode: str = "r", description: str | None = None):
        if not h5py.available:  # pragma: no cover
            raise ImportError("Saving and loading weights needs h5py: pip install h5py")
        self.mode = mode
        self.description = description or (repr(source) if isinstance(source, str) else "the weights file")
        self._buffer = None
        target = source
        if source is None or isinstance(source, (bytes, bytearray)):
            self._buffer = io.BytesIO(bytes(source or b""))
            target = self._buffer
        try:
            self.file = h5py.File(target, mode=mode)
        except (OSError, ValueError) as error:
            raise WeightsFileError(
                f"Could not read {self.description} as HDF5 weights: the file is truncated, corrupt or not an "
                f"HDF5 file ({type(error).__name__}: {error})."
            ) from None

    def make(self, path: str, name: str | None = None):
        """Create and return the ``vars`` group of ``path`` (``""`` is the root)."""
        group = self.file.create_group(f"{path}/vars" if path else "vars")
        if name is not None:
            group.attrs["name"] = name
        return group

    def get(self, path: str) -> "StoredValues":
        """``path``'s variables as ``{index: array}``, read on access (empty when the file has none there)."""
        key = f"{path}/vars" if path else "vars"
        try:
            group = self._follow(key)
        except WeightsFileError:
            raise
        except (OSError, KeyError, ValueError) as error:
            raise WeightsFileError(f"{self.description} is corrupt at {key!r}: {error}") from None
        if group is None or not isinstance(group, h5py.Group):
            return StoredValues({}, self.description, key)
        datasets = {}
        for index in group:
            entry = self._follow_link(group, index, f"{key}/{index}")
            if isinstance(entry, h5py.Dataset):
                check_plain_storage(entry, self.description, f"{key}/{index}")
                datasets[index] = entry
        return StoredValues(datasets, self.description, key)

    def _follow(self, key: str):
        """The object at ``key``, reached through hard links only (``None`` when absent)."""
        node = self.file
        walked = []
        for part in key.split("/"):
            walked.append(part)
            if not isinstance(node, h5py.Group) or node.get(part, getlink=True) is None:
                return None
            node = self._follow_link(node, part, "/".join(walked))
        return node

    def _follow_link(self, group, name: str, where: str):
        link = group.get(name, getlink=True)
        if not isinstance(link, h5py.HardLink):
            kind = {"SoftLink": "a soft link", "ExternalLink": "an external link"}.get(type(link).__name__, "a link")
            target = getattr(link, "filename", None) or getattr(link, "path", None)
            raise WeightsFileError(
                f"Refused to read {self.description}: {where!r} is {kind} ({type(link).__name__})"
                + (f" to {target!r}" if target else "")
                + ", not data stored in the file itself. Keras and brickwork only write plain datasets; a link "
                "could make loading read another file on this machine."
            )
        return group[name]

    def has(self, path: str) -> bool:
        return (f"{path}/vars" if path else "vars") in self.file

    def getvalue(self) -> bytes:
        """The written file's bytes (for a store written into memory; call after ``close``)."""
        return self._buffer.getvalue()

    def close(self) -> None:
        self.file.close()


# A filtered (compressed) dataset may declare at most this many times the bytes it stores.
MAX_COMPRESSION_RATIO = 1100


def check_plain_storage(dataset, description: str, where: str) -> None:
    """Refuse external raw storage, virtual datasets, and declared sizes the file does not hold."""
    problem = None
    if dataset.external:
        problem = f"its data lives in external file(s) {[entry[0] for entry in dataset.external]}"
    elif dataset.is_virtual:
        problem = "it is a virtual dataset mapping other files"
    if problem:
        raise WeightsFileError(
            f"Refused to read {description}: dataset {where!r} is not stored in the file ({problem}). Keras and "
            "brickwork only write plain datasets; following it could make loading read another file."
        )
    declared = dataset.size * dataset.dtype.itemsize
    stored = dataset.id.get_storage_size()
    filtered = dataset.id.get_create_plist().get_nfilters() > 0
    limit = stored * MAX_COMPRESSION_RATIO + 4096 if filtered else stored
    if declared > limit and declared > 0:
        raise WeightsFileError(
            f"Refused to read {description}: dataset {where!r} declares shape {dataset.shape} ({declared} bytes) "
            f"but the file stores only {stored} bytes of it; the file is corrupt or crafted to exhaust memory."
        )


class StoredValues(Mapping):
    """``{index: array}`` of one saveable's datasets; a value is read only when asked for, so that its
    declared shape can be checked against the variable it fills before any memory is allocated."""

    def __init__(self, datasets: dict, description: str, key: str):
        self._datasets = datasets
        self._description = description
        self._key = key

    def declared_shape(self, index: str) -> tuple:
        return tuple(self._datasets[index].shape)

    def __getitem__(self, index):
        dataset = self._datasets[str(index)]
        try:
            return _read_dataset(dataset)
        except (OSError, ValueError, TypeError) as error:
            raise WeightsFileError(f"{self._description}: could not read {self._key}/{index}: {error}") from None

    def __iter__(self):
        return iter(self._datasets)

    def __len__(self):
        return len(self._datasets)


def _read_dataset(dataset) -> np.ndarray:
    if dataset.dtype.kind not in "biufc" and dataset.dtype.kind != "V":
        raise TypeError(f"dataset of non-numeric dtype {dataset.dtype}")
    value = np.asarray(dataset[()])
    if dataset.attrs.get("dtype") == "bfloat16":
        import ml_dtypes  # installed with jax; Keras writes bfloat16 this way

        value = value.view(ml_dtypes.bfloat16) if value.dtype.itemsize == 2 else value.astype(ml_dtypes.bfloat16)
    return value


def _write_variable(group, index: int, variable) -> None:
    value = backend.convert_to_numpy(variable.value if hasattr(variable, "value") else variable)
    if backend.standardize_dtype(value.dtype) == "bfloat16":
        dataset = group.create_dataset(str(index), data=value.view(np.uint16))
        dataset.attrs["dtype"] = "bfloat16"
    else:
        group.create_dataset(str(index), data=value)


# --------------------------------------------------------------------------- the walk
def _saveable_types():
    from brickwork.layers.layer import Layer
    from brickwork.optimizers.base_optimizer import Optimizer

    return Layer, Optimizer


def own_variables(saveable) -> list:
    """The variables a saveable stores itself (not those of its sublayers), in Keras's order."""
    layer_type, _ = _saveable_types()
    if isinstance(saveable, layer_type):
        return list(saveable._trainable_variables) + list(saveable._non_trainable_variables)
    return list(saveable.variables)


def _path_name(cls) -> str:
    """Keras's snake case of a class name: ``Conv1D`` -> ``conv1d``, ``GlobalMaxPooling1D`` -> ``global_max_pooling1d``."""
    name = re.sub(r"\W+", "", cls.__name__)
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def _name_key(name: str) -> str:
    return "~" + name if name.startswith("_") else name  # private attributes last, as Keras


def _children(saveable):
    """``(attribute, value)`` pairs to visit after ``saveable``'s own variables, in Keras's order."""
    from brickwork.models.functional import Functional
    from brickwork.models.model import Model
    from brickwork.models.sequential import Sequential

    attributes = dict(vars(saveable))
    if isinstance(saveable, (Sequential, Functional)):
        yield "layers", saveable.layers
    elif isinstance(saveable, Model):
        attributes["layers"] = saveable.layers  # Keras's dir() shows the `layers` property here
    engine_attributes = getattr(saveable, "_engine_attributes", ())  # torch.nn.Module's registries (layers)
    for name in sorted(attributes, key=_name_key):
        if not name.startswith("__") and name not in _SKIPPED_ATTRIBUTES and name not in engine_attributes:
            yield name, attributes[name]


def _join(path: str, name: str) -> str:
    return f"{path}/{name}" if path else name


def _container_entries(container, path: str):
    """Saveables held in a list/tuple/dict, named by class (``dense``, ``dense_1``, …) as Keras does."""
    saveable_types = _saveable_types()
    values = container.values() if isinstance(container, dict) else container
    used: dict = {}
    for value in values:
        if isinstance(value, saveable_types):
            name = _path_name(type(value))
            if name in used:
                used[name] += 1
                name = f"{name}_{used[name]}"
            else:
                used[name] = 0
            yield _join(path, name), value


def walk(root, objects_to_skip=()):
    """Yield ``(path, saveable)`` for every layer and optimizer reachable from ``root``, once each; the objects
    in ``objects_to_skip`` (and what only they hold) are left out."""
    saveable_types = _saveable_types()
    visited: set = {id(obj) for obj in objects_to_skip or ()}

    def visit(saveable, path):
        if id(saveable) in visited:
            return
        visited.add(id(saveable))
        yield path, saveable
        for attribute, value in _children(saveable):
            if isinstance(value, saveable_types):
                yield from visit(value, _join(path, attribute))
            elif isinstance(value, (list, tuple, dict)):
                for child_path, child in _container_entries(value, _join(path, attribute)):
                    yield from visit(child, child_path)

    yield from visit(root, "")


# --------------------------------------------------------------------------- save and load
def save_state(root, store: H5Store, objects_to_skip=()) -> None:
    """Write every saveable's variables under its path (except ``objects_to_skip``'s)."""
    for path, saveable in walk(root, objects_to_skip):
        group = store.make(path, name=getattr(saveable, "name", None))
        if hasattr(saveable, "save_own_variables"):
            saveable.save_own_variables(_WriteStore(group))
            continue
        for index, variable in enumerate(own_variables(saveable)):
            _write_variable(group, index, variable)


class _WriteStore:
    """The dict-like store a custom ``save_own_variables(store)`` writes into (``store["0"] = value``)."""

    def __init__(self, group):
        self._group = group

    def __setitem__(self, key, value):
        _write_variable(self._group, key, value)


def load_state(root, store: H5Store, skip_mismatch: bool = False, objects_to_skip=()) -> None:
    """Assign every saveable's variables from its path (except ``objects_to_skip``'s); raise (or warn with
    ``skip_mismatch``) on mismatch."""
    _, optimizer_type = _saveable_types()
    failures = []
    entries = list(walk(root, objects_to_skip))
    by_path = dict(entries)
    for path, saveable in entries:
        values = store.get(_stored_path(path, by_path, store))
        try:
            if hasattr(saveable, "load_own_variables"):
                saveable.load_own_variables(values)
            elif isinstance(saveable, optimizer_type):
                _load_optimizer(saveable, values, path)
            else:
                load_variables(saveable, values)
        except WeightsFileError:
            raise
        except (ValueError, TypeError, KeyError) as error:
            failures.append((path or "<model>", saveable, error))
    if failures:
        listing = "\n".join(f"  {path} ({getattr(obj, 'name', type(obj).__name__)}): {error}"
                            for path, obj, error in failures)
        message = f"{len(failures)} object(s) could not be loaded from {store.description}:\n{listing}"
        if skip_mismatch:
            warnings.warn(message + "\nThey keep their current values (skip_mismatch=True).", stacklevel=3)
        else:
            raise ValueError(message + "\nPass skip_mismatch=True to load the rest anyway.")


def _stored_path(path: str, by_path: dict, store: H5Store) -> str:
    """Where the file holds ``path``'s variables: ``path`` itself, or, when the file has nothing there, the same
    object under a property of its parent (a file written when ``self.dense`` was an attribute, read into a model
    that keeps the layer in ``self.a_dense`` and exposes it as the property ``dense``)."""
    if not path or store.has(path):
        return path
    parent_path, _, name = path.rpartition("/")
    parent_stored = _stored_path(parent_path, by_path, store)
    candidate = _join(parent_stored, name)
    if store.has(candidate):
        return candidate
    parent, child = by_path.get(parent_path), by_path.get(path)
    if parent is not None and child is not None:  # not a container's path (``block/layers``)
        for attribute in _property_names(type(parent)):
            try:
                found = getattr(parent, attribute)
            except Exception:  # a property that cannot answer now (a model's `input` before it is called)
                continue
            if found is child and store.has(_join(parent_stored, attribute)):
                return _join(parent_stored, attribute)
    return candidate  # ``path`` itself, or under its parent's stored path


def _property_names(cls) -> list:
    return sorted({name for klass in cls.__mro__ for name, value in vars(klass).items()
                   if isinstance(value, property) and not name.startswith("__")}, key=_name_key)


def load_variables(saveable, values: dict, variables: list | None = None) -> None:
    """Assign a layer's own variables (or ``variables``, a layer's own file layout) from ``values`` (``"0"``,
    ``"1"``, ...): count and shapes checked first."""
    variables = own_variables(saveable) if variables is None else variables
    if len(values) != len(variables):
        if not variables and not getattr(saveable, "built", True):
            raise ValueError(
                f"layer {saveable.name!r} was never built, so it has no variables, but the file holds "
                f"{len(values)} for it. Build the model (call it on data or pass an input shape) before loading."
            )
        raise ValueError(
            f"expected {len(variables)} variables {[v.name for v in variables]}, received {len(values)} variables "
            "from the file."
        )
    _assign_all(variables, values)


def _load_optimizer(optimizer, values: dict, path: str) -> None:
    variables = own_variables(optimizer)
    if len(values) != len(variables):
        hint = " (it is not built yet: compile the model and build it before loading)" if not optimizer.built else ""
        warnings.warn(
            f"Skipping the optimizer state of {optimizer.name!r}: it has {len(variables)} variables, the file "
            f"holds {len(values)}{hint}.", stacklevel=4)
        return
    _assign_all(variables, values)


def _assign_all(variables: list, values: dict) -> None:
    # Check every shape before assigning any, so that a mismatch leaves the saveable untouched.
    arrays = []
    for index, variable in enumerate(variables):
        if str(index) not in values:
            raise ValueError(f"the file has no value {index} for variable {variable.path!r}.")
        # The declared shape is checked before the data is read: nothing is allocated for a wrong one.
        shape = values.declared_shape(str(index)) if isinstance(values, StoredValues) else np.shape(values[str(index)])
        if tuple(shape) != tuple(variable.shape):
            raise ValueError(
                f"variable {variable.path!r} has shape {tuple(variable.shape)}, the file holds shape "
                f"{tuple(shape)}; the shapes must match."
            )
    for index in range(len(variables)):
        arrays.append(values[str(index)])
    for variable, value in zip(variables, arrays):
        variable.assign(value)  # converts to the variable's dtype (Keras-torch writes `iterations` as int32)
