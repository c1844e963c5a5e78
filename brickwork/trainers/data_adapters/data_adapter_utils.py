"""Helpers shared by the data adapters: (x, y, sample_weight) packing, class weights,
validation split, and turning user arrays into backend tensors once."""

from __future__ import annotations

import math

import numpy as np
import optree

from brickwork import backend


def unpack_x_y_sample_weight(data) -> tuple:
    """Unpack ``x``, ``(x,)``, ``(x, y)`` or ``(x, y, sample_weight)`` into a 3-tuple.

    Args:
        data: what a data batch holds: ``x`` alone, or a tuple or list ``(x,)``, ``(x, y)`` or ``(x, y,
            sample_weight)``.

    Returns:
        A tuple ``(x, y, sample_weight)``, with ``None`` for the parts ``data`` lacks.

    Example:
        features, labels = np.zeros((4, 2)), np.zeros((4,))
        x, y, sample_weight = unpack_x_y_sample_weight((features, labels))  # sample_weight is None
    """
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return (data, None, None)
    if len(data) == 1:
        return (data[0], None, None)
    if len(data) == 2:
        return (data[0], data[1], None)
    if len(data) == 3:
        return data
    raise ValueError(
        "Data is expected to be in format `x`, `(x,)`, `(x, y)`, or `(x, y, sample_weight)`; "
        f"received a tuple of length {len(data)}."
    )


def pack_x_y_sample_weight(x, y=None, sample_weight=None):
    """The tuple ``fit`` expects: ``x`` alone (or ``(x,)`` for a list/tuple ``x``), ``(x, y)``,
    or ``(x, y, sample_weight)``.

    Args:
        x: the model inputs.
        y: the targets, or ``None``.
        sample_weight: the per-sample weights, or ``None``.

    Returns:
        ``x`` itself (``(x,)`` when ``x`` is a list or tuple, so it is not read as ``(x, y)``) when ``y`` is
            ``None``, else ``(x, y)`` or ``(x, y, sample_weight)``.

    Example:
        pack_x_y_sample_weight(np.zeros((2, 3)))   # the array alone: no y, no weights
        len(pack_x_y_sample_weight(np.zeros((2, 3)), np.zeros((2,))))   # 2: (x, y)
    """
    if y is None:
        return (x,) if isinstance(x, (list, tuple)) else x
    if sample_weight is None:
        return (x, y)
    return (x, y, sample_weight)


def list_to_tuple(maybe_list):
    """A list becomes a tuple; anything else is returned unchanged."""
    return tuple(maybe_list) if isinstance(maybe_list, list) else maybe_list


# ---------------------------------------------------------------- type checks (no engine imports)
def _has_base(value, name: str, module_part: str) -> bool:
    return any(
        base.__name__ == name and module_part in (base.__module__ or "") for base in type(value).__mro__
    )


def is_torch_tensor(value) -> bool:
    return _has_base(value, "Tensor", "torch")


def is_jax_array(value) -> bool:
    return _has_base(value, "Array", "jax")


def is_backend_sparse(value) -> bool:
    """Whether ``value`` is the active engine's sparse tensor (a BCOO on jax, a ``tf.SparseTensor`` on tensorflow)."""
    return backend.SUPPORTS_SPARSE_TENSORS and backend.active.sparse.is_sparse(value)


def is_scipy_sparse(value) -> bool:
    """Whether ``value`` is a SciPy sparse matrix or array."""
    return type(value).__module__.startswith("scipy.sparse") and hasattr(value, "tocoo")


def is_torch_dataloader(value) -> bool:
    return _has_base(value, "DataLoader", "torch.utils.data")


def is_grain_dataset(value) -> bool:
    return any(_has_base(value, name, "grain") for name in ("MapDataset", "IterDataset", "DataLoader"))


def is_tf_dataset(value) -> bool:
    """Whether ``value`` is a ``tf.data.Dataset`` (checked by class, without importing TensorFlow)."""
    return _has_base(value, "DatasetV2", "tensorflow")


def can_slice_array(x) -> bool:
    """Whether ``x`` is an array the array adapter can batch (None counts: it is absent data)."""
    return (
        x is None
        or isinstance(x, np.ndarray)
        or backend.is_tensor(x)
        or is_torch_tensor(x)
        or is_jax_array(x)
        or hasattr(x, "__array__")
        or is_scipy_sparse(x)
    )


# ---------------------------------------------------------------- conversion
def _needs_floatx(dtype) -> bool:
    try:
        name = backend.standardize_dtype(dtype)
    except ValueError:
        return False
    return backend.is_float(name) and name != backend.floatx()


def to_backend_tensor(x):
    """``x`` as a backend tensor; floats other than floatx are cast to floatx (as Keras does).

    A SciPy sparse matrix becomes the backend's sparse tensor (a BCOO on jax, a ``tf.SparseTensor`` on
    tensorflow), or its dense values on a backend without sparse tensors, as Keras's adapters convert it.
    """
    if is_scipy_sparse(x) and not backend.SUPPORTS_SPARSE_TENSORS:
        x = x.toarray()
    elif not (isinstance(x, np.ndarray) or backend.is_tensor(x) or is_torch_tensor(x) or is_jax_array(x)
              or is_scipy_sparse(x)):
        x = np.asarray(x)
    if isinstance(x, np.ndarray) and x.dtype.kind in "USO":
        return x  # strings stay NumPy arrays, for the string preprocessing layers
    dtype = backend.floatx() if _needs_floatx(x.dtype) else None
    return backend.convert_to_tensor(x, dtype=dtype)


def to_batch_source(x):
    """``x`` in the form batches are sliced from: a backend tensor, or on a backend that slices on the host
    (``backend.SLICES_ON_HOST``, jax) a NumPy array of the dtype the backend would give it, converted once."""
    if not (backend.SLICES_ON_HOST and isinstance(x, (np.ndarray, list, tuple)) and not is_scipy_sparse(x)):
        return to_backend_tensor(x)
    x = np.asarray(x)
    if x.dtype.kind in "USO" or x.ndim == 0:
        return to_backend_tensor(x)
    dtype = np.dtype(backend.standardize_dtype(backend.convert_to_tensor(x[:1]).dtype)) \
        if not _needs_floatx(x.dtype) else np.dtype(backend.floatx())
    return x if x.dtype == dtype else x.astype(dtype)


def tensor_spec(x, shape: tuple):
    """A ``KerasTensor`` of ``shape`` standing for ``x``: its dtype, and sparse when ``x`` is."""
    return backend.KerasTensor(shape, dtype=backend.standardize_dtype(x.dtype), sparse=is_backend_sparse(x))


def batch_spec(x):
    """A ``KerasTensor`` standing for any batch like ``x``: the first (batch) dimension unknown."""
    return tensor_spec(x, (None,) + tuple(x.shape[1:]))


def convert_structure(data):
    """Every array in a nested structure as a backend tensor (None entries stay None)."""
    return optree.tree_map(to_backend_tensor, data)


def num_samples(data) -> int | None:
    """The common first dimension of every array in ``data`` (None when there is none)."""
    sizes = {int(leaf.shape[0]) for leaf in optree.tree_leaves(data)}
    return sizes.pop() if sizes else None


def check_data_cardinality(data) -> None:
    """Raise a ValueError naming each part's sizes when the arrays' lengths differ."""
    sizes = {int(leaf.shape[0]) for leaf in optree.tree_leaves(data)}
    if len(sizes) <= 1:
        return
    parts = []
    for label, part in zip(("x", "y", "sample_weight"), data):
        leaves = optree.tree_leaves(part)
        if leaves:
            parts.append(f"'{label}' sizes: " + ", ".join(str(int(leaf.shape[0])) for leaf in leaves))
    raise ValueError(
        "Data cardinality is ambiguous: make sure all arrays contain the same number of samples. "
        + "; ".join(parts)
    )


def class_weight_to_sample_weights(y, class_weight: dict) -> np.ndarray:
    """Per-sample weights (floatx) from ``{class_index: weight}``; ``y`` is sparse labels or one-hot."""
    if not hasattr(class_weight, "items"):
        raise ValueError(
            "`class_weight` must be a dict mapping class indices to weights. "
            f"Received: class_weight={class_weight!r} of type {type(class_weight).__name__}."
        )
    weights = {}
    for key, value in class_weight.items():
        try:
            weights[int(key)] = float(value)
        except (TypeError, ValueError):
            raise ValueError(
                "`class_weight` must be a dict with integer class indices as keys. "
                f"Received an invalid key: {key!r}."
            ) from None
    labels = backend.convert_to_numpy(y) if not isinstance(y, np.ndarray) else y
    if labels.ndim > 1:
        labels = np.argmax(labels, axis=-1) if labels.shape[-1] != 1 else np.squeeze(labels, axis=-1)
    labels = np.round(labels).astype("int64").reshape(-1)
    classes = np.array(sorted(weights), dtype="int64")
    result = np.ones(labels.shape[0], dtype=backend.floatx())
    if classes.size:
        values = np.array([weights[c] for c in classes.tolist()], dtype=backend.floatx())
        position = np.clip(np.searchsorted(classes, labels), 0, classes.size - 1)
        found = classes[position] == labels
        result[found] = values[position[found]]
    return result


def train_validation_split(arrays, validation_split: float):
    """Split arrays into ``(train, validation)``: the LAST ``validation_split`` fraction validates.

    The split happens before any shuffling, so it is deterministic. Only arrays/tensors can be split.
    """
    leaves = optree.tree_leaves(arrays)
    unsplittable = [type(t).__name__ for t in leaves if not can_slice_array(t)]
    if unsplittable:
        raise ValueError(
            "`validation_split` is only supported for tensors or NumPy arrays (not generators, "
            f"PyDataset or DataLoader); found: {', '.join(sorted(set(unsplittable)))}. "
            "Pass `validation_data=` instead."
        )
    if not leaves:
        return arrays, arrays
    total = int(leaves[0].shape[0])
    split_at = int(math.floor(total * (1.0 - validation_split)))
    if split_at == 0 or split_at == total:
        raise ValueError(
            f"Training data contains {total} samples, which is not sufficient to split it into a "
            f"validation and training set as specified by `validation_split={validation_split}`. "
            "Either provide more data, or a different value for `validation_split`."
        )
    leaves = [t if hasattr(t, "shape") and hasattr(t, "__getitem__") else np.asarray(t) for t in leaves]
    treedef = optree.tree_structure(arrays)
    train = treedef.unflatten([t[:split_at] for t in leaves])
    validation = treedef.unflatten([t[split_at:] for t in leaves])
    return train, validation
