"""The legacy HDF5 whole-model format (``model.save("m.h5")``), as Keras 2, ``tf.keras`` and Keras 3 write it.

One HDF5 file holds

- attributes ``keras_version``, ``backend``, ``model_config`` (the architecture, JSON, layers in the legacy
  ``{"class_name", "config"}`` form) and, for a compiled model, ``training_config`` (the compile arguments);
- ``model_weights/``: attribute ``layer_names``; one group per layer with attribute ``weight_names`` and a
  dataset per name (trainable weights first, then non-trainable); ``top_level_model_weights`` for the model's
  own variables. Weights load by *order*: the n-th layer that has weights gets the n-th saved layer that has;
- ``optimizer_weights/``: the optimizer's variables (iteration, learning rate, slots), restored when they
  match the rebuilt optimizer's, else skipped with a warning.

Loading is safe as the ``.keras`` loader is: classes come only from brickwork and registered or passed custom
objects; a Lambda's marshalled bytecode is refused unless ``safe_mode=False``; links (soft, external) and
datasets stored outside the file are refused; every declared size is checked before anything is allocated.

Example:
    model.save("model.h5")                      # warns that the format is legacy, as Keras does
    restored = brickwork.models.load_model("model.h5")
    model.load_weights("tf_keras_weights.h5")   # weights saved by tf.keras's save_weights
"""

from __future__ import annotations

import os
import warnings

import numpy as np

from brickwork import backend
from brickwork.legacy.saving import saving_utils
from brickwork.saving import serialization_lib
from brickwork.saving.atomic import atomic_write
from brickwork.saving.weights_store import WeightsFileError, check_plain_storage, own_variables
from brickwork.utils.module_utils import LazyModule

h5py = LazyModule("h5py")  # imported when a file is first read or written, not by `import brickwork`

# An HDF5 attribute lives in its object's header, which holds at most this many bytes: longer name lists are
# split into ``name0``, ``name1``, ... (Keras's layout).
HDF5_OBJECT_HEADER_LIMIT = 64512
# Attributes larger than this are not a model description; refuse them rather than read them.
MAX_ATTRIBUTE_BYTES = 256 * 1024 * 1024
MAX_ATTRIBUTE_ITEMS = 10_000_000


def _require_h5py() -> None:
    if not h5py.available:  # pragma: no cover
        raise ImportError("The legacy .h5 format needs h5py: pip install h5py")


# --------------------------------------------------------------------------- saving
def save_model_to_hdf5(model, filepath, overwrite: bool = True, include_optimizer: bool = True) -> None:
    """Write ``model`` (architecture, weights and, with ``include_optimizer``, compile configuration and
    optimizer state) to a legacy ``.h5`` file that Keras 3 and ``tf.keras`` read.

    Args:
        model: a Sequential or Functional model (a subclassed model needs ``get_config``).
        filepath: a path (written atomically, parent folders created) or an open, writable ``h5py.File``.
        overwrite: replace an existing file; ``False`` raises ``FileExistsError`` if it exists.
        include_optimizer: save the compile configuration and the optimizer's variables too.

    Example:
        from brickwork.legacy.saving import legacy_h5_format
        legacy_h5_format.save_model_to_hdf5(model, "model.h5")
    """
    _require_h5py()
    # Everything that may fail (configs, reading variables) happens before the file is touched.
    metadata = saving_utils.model_metadata(model, include_optimizer)
    if isinstance(filepath, h5py.File):
        _write_model(filepath, model, metadata, include_optimizer)
        return
    filepath = os.fspath(filepath)
    if not overwrite and os.path.exists(filepath):
        raise FileExistsError(f"{filepath!r} exists and `overwrite=False`: refusing to replace it.")
    folder = os.path.dirname(filepath)
    if folder:
        os.makedirs(folder, exist_ok=True)
    with atomic_write(filepath) as temporary:
        with h5py.File(temporary, mode="w") as file:
            _write_model(file, model, metadata, include_optimizer)


def _write_model(file, model, metadata: dict, include_optimizer: bool) -> None:
    for key, value in metadata.items():
        file.attrs[key] = saving_utils.encode(value) if isinstance(value, (dict, list, tuple)) else value
    save_weights_to_hdf5_group(file.create_group("model_weights"), model)
    optimizer = getattr(model, "optimizer", None)
    if include_optimizer and optimizer is not None:
        save_optimizer_weights_to_hdf5_group(file, optimizer)
    file.flush()


def _legacy_weights(layer) -> list:
    """A layer's variables in the legacy order: trainable, then non-trainable (nested layers' included)."""
    return list(layer.trainable_weights) + list(layer.non_trainable_weights)


def _numpy(variable) -> np.ndarray:
    value = backend.convert_to_numpy(variable.value if hasattr(variable, "value") else variable)
    if backend.standardize_dtype(value.dtype) == "bfloat16":
        value = value.astype("float32")  # HDF5 has no bfloat16; assigning it back casts to the variable's dtype
    return value


def save_subset_weights_to_hdf5_group(group, weights: list) -> None:
    """Write ``weights`` into ``group``: attribute ``weight_names`` (their paths) and one dataset each."""
    names, used = [], set()
    for variable in weights:
        name = str(getattr(variable, "path", None) or getattr(variable, "name", "weight"))
        unique, suffix = name, 0
        while unique in used:  # two variables with one path (possible in custom layers) still get a dataset each
            suffix += 1
            unique = f"{name}_{suffix}"
        used.add(unique)
        names.append(unique.encode("utf8"))
    save_attributes_to_hdf5_group(group, "weight_names", names)
    for name, variable in zip(names, weights):
        value = _numpy(variable)
        dataset = group.create_dataset(name.decode("utf8"), value.shape, dtype=value.dtype)
        dataset[()] = value


def save_weights_to_hdf5_group(group, model) -> None:
    """Write each layer's weights of ``model`` into ``group`` (the ``model_weights`` layout)."""
    from brickwork.saving.saving_lib import KERAS_FORMAT_VERSION

    layers = list(model.layers)
    save_attributes_to_hdf5_group(group, "layer_names", [layer.name.encode("utf8") for layer in layers])
    group.attrs["backend"] = backend.backend().encode("utf8")
    group.attrs["keras_version"] = KERAS_FORMAT_VERSION.encode("utf8")
    for layer in sorted(layers, key=lambda layer: layer.name):
        save_subset_weights_to_hdf5_group(group.create_group(layer.name), _legacy_weights(layer))
    save_subset_weights_to_hdf5_group(group.create_group("top_level_model_weights"), own_variables(model))


def save_optimizer_weights_to_hdf5_group(group, optimizer) -> None:
    """Write the optimizer's variables into ``group/optimizer_weights`` (nothing for an optimizer without any)."""
    variables = list(optimizer.variables)
    if variables:
        save_subset_weights_to_hdf5_group(group.create_group("optimizer_weights"), variables)


def save_attributes_to_hdf5_group(group, name: str, data: list) -> None:
    """Store the list ``data`` as attribute ``name``, split into ``name0``, ``name1``, … when it would not fit
    in an object header."""
    too_long = [item for item in data if len(item) > HDF5_OBJECT_HEADER_LIMIT]
    if too_long:
        raise RuntimeError(
            f"Cannot save attribute {name!r}: these entries are longer than {HDF5_OBJECT_HEADER_LIMIT} bytes, the "
            f"most an HDF5 object header holds: {[item[:80] for item in too_long]}"
        )
    array = np.asarray(data)
    chunks = 1
    pieces = [array]
    while any(piece.nbytes > HDF5_OBJECT_HEADER_LIMIT for piece in pieces):
        chunks += 1
        pieces = np.array_split(array, chunks)
    if chunks > 1:
        for index, piece in enumerate(pieces):
            group.attrs[f"{name}{index}"] = piece
    else:
        group.attrs[name] = data


# --------------------------------------------------------------------------- reading, safely
def _describe(node) -> str:
    filename = getattr(getattr(node, "file", None), "filename", None)
    return repr(filename) if filename else "the HDF5 file"


def _child(group, name: str):
    """``group[name]`` through hard links only: a soft or external link is refused."""
    link = group.get(name, getlink=True)
    if link is None:
        raise WeightsFileError(f"{_describe(group)} has no {name!r} in {group.name!r}: the file is not a complete "
                               "Keras .h5 model or weights file.")
    if not isinstance(link, h5py.HardLink):
        target = getattr(link, "filename", None) or getattr(link, "path", None)
        raise WeightsFileError(
            f"Refused to read {_describe(group)}: {group.name.rstrip('/')}/{name} is an h5py.{type(link).__name__}"
            + (f" to {target!r}" if target else "")
            + ", not data stored in the file itself. Keras and brickwork only write plain groups and datasets; a "
            "link could make loading read another file on this machine."
        )
    return group[name]


def _follow(group, path: str):
    """The object at ``path`` (``a/b/c``) below ``group``, through hard links only."""
    node = group
    for part in path.split("/"):
        if part:
            if not isinstance(node, h5py.Group):
                raise WeightsFileError(f"{_describe(group)}: {node.name!r} is not a group, cannot read {path!r}.")
            node = _child(node, part)
    return node


def safe_get_group(group, name: str):
    """The subgroup ``name`` of ``group`` (hard links only), checked to be a group."""
    node = _follow(group, name)
    if not isinstance(node, h5py.Group):
        raise WeightsFileError(f"{_describe(group)}: {node.name!r} should be a group, it is a {type(node).__name__}.")
    return node


def _attribute(node, name: str):
    """Attribute ``name`` of ``node`` (``None`` when absent), its declared size checked before it is read.

    A fixed-size attribute must fit the limits and the bytes the file stores for it; a variable-length string
    (Keras's names and configs) keeps its lengths in the file's heap, so only its item count is checked here."""
    if name not in node.attrs:
        return None
    handle = h5py.h5a.open(node.id, name.encode("utf-8"))
    shape = handle.shape or ()
    count = int(np.prod(shape)) if shape else 1
    dtype = handle.dtype
    variable_length = h5py.check_string_dtype(dtype) is not None and h5py.check_string_dtype(dtype).length is None
    variable_length = variable_length or h5py.check_vlen_dtype(dtype) is not None
    declared = count * dtype.itemsize
    if declared == 0:
        return node.attrs[name]
    try:
        stored = handle.get_storage_size()
    except RuntimeError:  # HDF5 reports an error for storage it cannot size
        stored = 0
    if count > MAX_ATTRIBUTE_ITEMS or declared > MAX_ATTRIBUTE_BYTES or (not variable_length and declared > stored):
        raise WeightsFileError(
            f"Refused to read {_describe(node)}: attribute {name!r} of {node.name!r} declares {count} item(s) of "
            f"{dtype.itemsize} bytes but the file stores {stored} bytes (limits: {MAX_ATTRIBUTE_ITEMS} items, "
            f"{MAX_ATTRIBUTE_BYTES} bytes); the file is corrupt or crafted to exhaust memory."
        )
    return node.attrs[name]


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, np.ndarray) and value.shape == ():
        value = value[()]
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def load_attributes_from_hdf5_group(group, name: str) -> list:
    """The list stored as attribute ``name`` (or split into ``name0``, ``name1``, …), as strings."""
    def strings(values) -> list:
        values = np.atleast_1d(values)
        return [value.decode("utf8") if isinstance(value, bytes) else str(value) for value in values.tolist()]

    value = _attribute(group, name)
    if value is not None:
        return strings(value) if np.size(value) else []
    data, index = [], 0
    while f"{name}{index}" in group.attrs:
        data.extend(strings(_attribute(group, f"{name}{index}")))
        index += 1
    return data


def _weight_datasets(group) -> list:
    """The datasets ``weight_names`` lists in ``group``, checked (stored in the file, numeric) but not read."""
    datasets = []
    for name in load_attributes_from_hdf5_group(group, "weight_names"):
        dataset = _follow(group, name)
        if not isinstance(dataset, h5py.Dataset):
            raise WeightsFileError(f"{_describe(group)}: {dataset.name!r} should be a dataset.")
        check_plain_storage(dataset, _describe(group), dataset.name)
        if dataset.dtype.kind not in "biufc":
            raise WeightsFileError(
                f"{_describe(group)}: dataset {dataset.name!r} has non-numeric dtype {dataset.dtype}.")
        datasets.append(dataset)
    return datasets


def _read(dataset) -> np.ndarray:
    try:
        return np.asarray(dataset[()])
    except (OSError, ValueError, TypeError) as error:
        raise WeightsFileError(f"{_describe(dataset)}: could not read {dataset.name!r}: {error}") from None


def load_subset_weights_from_hdf5_group(group) -> list:
    """The arrays listed by ``group``'s ``weight_names``, read."""
    return [_read(dataset) for dataset in _weight_datasets(group)]


def _set_weights(variables: list, datasets: list, what: str, skip_mismatch: bool) -> None:
    """Assign ``datasets`` to ``variables`` in order; every shape is checked before any data is read."""
    mismatched = [(variable, dataset) for variable, dataset in zip(variables, datasets)
                  if tuple(dataset.shape) != tuple(variable.shape)]
    if mismatched:
        listing = ", ".join(f"{variable.path!r} has shape {tuple(variable.shape)}, the file holds "
                            f"{tuple(dataset.shape)}" for variable, dataset in mismatched)
        if not skip_mismatch:
            raise ValueError(f"Shape mismatch in {what}: {listing}. Pass skip_mismatch=True to load the rest.")
        warnings.warn(f"Skipping {what}: {listing} (skip_mismatch=True).", stacklevel=4)
        skipped = {id(variable) for variable, _ in mismatched}
        pairs = [(v, d) for v, d in zip(variables, datasets) if id(v) not in skipped]
    else:
        pairs = list(zip(variables, datasets))
    for variable, dataset in pairs:
        variable.assign(_read(dataset))


def _file_info(group) -> str:
    version = _text(_attribute(group, "keras_version")) or "1"
    engine = _text(_attribute(group, "backend"))
    return f"saved by Keras {version}" + (f" on {engine}" if engine else "")


def load_weights_from_hdf5_group(group, model, skip_mismatch: bool = False) -> None:
    """Load a ``model_weights`` group (or a ``tf.keras`` ``save_weights`` file) into ``model``, by order: the
    n-th layer of ``model`` that has weights gets the n-th saved layer that has.

    Args:
        group: the ``h5py`` group (or file) with attribute ``layer_names``.
        model: a built model of the same architecture.
        skip_mismatch: warn about weights whose shapes differ and leave them as they are, instead of raising.
    """
    layers = [layer for layer in model.layers if _legacy_weights(layer)]
    saved = []
    for name in load_attributes_from_hdf5_group(group, "layer_names"):
        layer_group = safe_get_group(group, name)
        if load_attributes_from_hdf5_group(layer_group, "weight_names"):
            saved.append((name, layer_group))
    if len(saved) != len(layers):
        raise ValueError(
            f"Layer count mismatch when loading weights from {_describe(group)} ({_file_info(group)}): the model "
            f"{model.name!r} has {len(layers)} layers with weights {[layer.name for layer in layers]}, the file "
            f"holds {len(saved)} {[name for name, _ in saved]}."
        )
    plan = []  # every count is checked before anything is assigned
    for index, ((name, layer_group), layer) in enumerate(zip(saved, layers)):
        variables, datasets = _legacy_weights(layer), _weight_datasets(layer_group)
        if len(variables) != len(datasets):
            raise ValueError(
                f"Weight count mismatch for layer #{index} (named {layer.name!r} in the model, {name!r} in the file): "
                f"the layer has {len(variables)} weight(s), the file holds {len(datasets)}."
            )
        plan.append((variables, datasets, f"layer #{index} (named {layer.name!r})"))
    if "top_level_model_weights" in group:
        variables = own_variables(model)
        datasets = _weight_datasets(safe_get_group(group, "top_level_model_weights"))
        if len(variables) != len(datasets):
            raise ValueError(
                f"Weight count mismatch for the top-level weights of {model.name!r}: the model has {len(variables)}, "
                f"the file holds {len(datasets)}."
            )
        plan.append((variables, datasets, "the top-level model"))
    if not skip_mismatch:
        for variables, datasets, what in plan:
            for variable, dataset in zip(variables, datasets):
                if tuple(dataset.shape) != tuple(variable.shape):
                    raise ValueError(
                        f"Shape mismatch in {what} for weight {variable.path!r}: the weight has shape "
                        f"{tuple(variable.shape)}, the file holds {tuple(dataset.shape)}. Pass skip_mismatch=True "
                        "to load the rest."
                    )
    for variables, datasets, what in plan:
        _set_weights(variables, datasets, what, skip_mismatch)


def load_weights_from_hdf5_group_by_name(group, model, skip_mismatch: bool = False) -> None:
    """Load a ``model_weights`` group into the layers of ``model`` that have the same *names*; layers the file
    does not name keep their weights.

    Args:
        group: the ``h5py`` group (or file) with attribute ``layer_names``.
        model: a built model.
        skip_mismatch: warn about layers whose weight count or shapes differ, instead of raising.
    """
    by_name: dict = {}
    for layer in model.layers:
        by_name.setdefault(layer.name, []).append(layer)
    for index, name in enumerate(load_attributes_from_hdf5_group(group, "layer_names")):
        if name not in by_name:
            continue
        datasets = _weight_datasets(safe_get_group(group, name))
        for layer in by_name[name]:
            variables = _legacy_weights(layer)
            what = f"layer #{index} (named {layer.name!r})"
            if len(variables) != len(datasets):
                message = (f"Weight count mismatch for {what}: the layer has {len(variables)} weight(s), the file "
                           f"holds {len(datasets)}.")
                if not skip_mismatch:
                    raise ValueError(message)
                warnings.warn(message + " Skipped (skip_mismatch=True).", stacklevel=2)
                continue
            _set_weights(variables, datasets, what, skip_mismatch)
    if "top_level_model_weights" in group:
        variables = own_variables(model)
        datasets = _weight_datasets(safe_get_group(group, "top_level_model_weights"))
        if len(variables) == len(datasets):
            _set_weights(variables, datasets, "the top-level model", skip_mismatch)
        elif not skip_mismatch:
            raise ValueError(f"Weight count mismatch for the top-level weights of {model.name!r}: the model has "
                             f"{len(variables)}, the file holds {len(datasets)}.")


def load_optimizer_weights_from_hdf5_group(group) -> list:
    """The optimizer's saved variables (``optimizer_weights``), read."""
    return load_subset_weights_from_hdf5_group(safe_get_group(group, "optimizer_weights"))


def _restore_optimizer(model, file, source: str) -> None:
    optimizer = model.optimizer
    datasets = _weight_datasets(safe_get_group(file, "optimizer_weights"))
    if not getattr(optimizer, "built", True) and len(datasets) != len(optimizer.variables):
        optimizer.build(model.trainable_variables)  # the file holds a built optimizer's slots
    variables = list(optimizer.variables)
    if len(variables) != len(datasets) or any(tuple(v.shape) != tuple(d.shape) for v, d in zip(variables, datasets)):
        warnings.warn(
            f"Skipping the optimizer state saved in {source}: it holds {len(datasets)} variable(s) "
            f"{[tuple(d.shape) for d in datasets]}, the rebuilt {type(optimizer).__name__} has {len(variables)} "
            f"{[tuple(v.shape) for v in variables]} (a file from another Keras version or optimizer). The model "
            "starts with a fresh optimizer.", stacklevel=3)
        return
    for variable, dataset in zip(variables, datasets):
        variable.assign(_read(dataset))


# --------------------------------------------------------------------------- loading
def _open(filepath):
    _require_h5py()
    if isinstance(filepath, h5py.File):
        return filepath, False
    filepath = os.fspath(filepath)
    if not os.path.exists(filepath):
        raise FileNotFoundError(f"No such file: {filepath!r}.")
    try:
        return h5py.File(filepath, mode="r"), True
    except (OSError, ValueError) as error:
        raise WeightsFileError(
            f"Could not read {filepath!r} as an HDF5 model: the file is truncated, corrupt or not an HDF5 file "
            f"({type(error).__name__}: {error})."
        ) from None


def read_model_config(file) -> dict:
    """The ``model_config`` attribute of an open legacy file, parsed."""
    raw = _text(_attribute(file, "model_config"))
    if raw is None:
        raise ValueError(
            f"No model config found in {_describe(file)}: it is not a whole-model .h5 file (a weights-only .h5 file "
            "loads with `model.load_weights(path)` into a model built from code)."
        )
    try:
        config = saving_utils.decode(raw)
    except ValueError as error:
        raise ValueError(f"The model config in {_describe(file)} is not valid JSON ({error}).") from None
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"The model config in {_describe(file)} does not describe a model.")
    return config


def load_model_from_hdf5(filepath, custom_objects: dict | None = None, compile: bool = True,
                         safe_mode: bool = True):
    """Rebuild a model saved in the legacy ``.h5`` format (by ``tf.keras``, Keras 2 or 3, or brickwork).

    Args:
        filepath: the file's path, or an open ``h5py.File``.
        custom_objects: ``{name: class or function}`` for custom layers, losses, … the file names.
        compile: compile the model as saved and restore its optimizer's state (when the file has them).
        safe_mode: refuse a Lambda layer's marshalled bytecode (running it could run any code).

    Returns:
        The model with its weights; compiled when the file holds a training configuration and ``compile``.

    Example:
        from brickwork.legacy.saving import legacy_h5_format
        model = legacy_h5_format.load_model_from_hdf5("model.h5")
    """
    file, opened = _open(filepath)
    source = repr(os.fspath(filepath)) if opened else _describe(file)
    try:
        config = read_model_config(file)
        if safe_mode:
            saving_utils.refuse_code(config, source)
        with serialization_lib.SafeModeScope(safe_mode):
            model = saving_utils.model_from_config(config, custom_objects=custom_objects)
            load_weights_from_hdf5_group(safe_get_group(file, "model_weights"), model)
        if not compile:
            return model
        raw_training = _text(_attribute(file, "training_config"))
        if raw_training is None:
            return model
        training_config = saving_utils.decode(raw_training)
        if safe_mode:
            saving_utils.refuse_code(training_config, source)
        with serialization_lib.SafeModeScope(safe_mode):
            saving_utils.compile_from_training_config(model, training_config, custom_objects, source)
        if getattr(model, "optimizer", None) is not None and "optimizer_weights" in file:
            _restore_optimizer(model, file, source)
        return model
    finally:
        if opened:
            file.close()


def load_weights(model, filepath, skip_mismatch: bool = False, by_name: bool = False) -> None:
    """Load the weights of a legacy ``.h5`` file (a whole model, or ``tf.keras``'s ``save_weights``) into
    ``model``, by layer order or, with ``by_name``, by layer name."""
    file, opened = _open(filepath)
    try:
        group = file
        if "layer_names" not in file.attrs:
            if file.get("model_weights", getlink=True) is None:
                raise ValueError(f"{_describe(file)} holds no Keras weights (no `layer_names`, no `model_weights`).")
            group = safe_get_group(file, "model_weights")  # a link there is refused, naming its kind
        if by_name:
            load_weights_from_hdf5_group_by_name(group, model, skip_mismatch)
        else:
            load_weights_from_hdf5_group(group, model, skip_mismatch)
    finally:
        if opened:
            file.close()


__all__ = [
    "load_model_from_hdf5", "load_weights", "load_weights_from_hdf5_group", "load_weights_from_hdf5_group_by_name",
    "save_model_to_hdf5", "save_weights_to_hdf5_group",
]
