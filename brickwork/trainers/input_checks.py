"""Checks of ``fit``/``evaluate``/``predict`` arguments and host data, once per call, before any step.

Each error names the method, the argument (``x``, ``y``, ``batch_size``, …) and, where one is to blame,
the layer; nothing here runs per step, and data that is not a NumPy array (datasets, generators,
backend tensors) is left to the data adapters.
"""

from __future__ import annotations

import numbers

import numpy as np
import optree


_MAY_BE_ZERO = ("epochs", "initial_epoch")


def check_loop_arguments(method: str, validation_split=None, validation_freq=None, **counts) -> None:
    """Refuse counts (``batch_size``, ``epochs``, ``steps``, …) that are not positive integers (``epochs`` and
    ``initial_epoch`` may be 0) and a ``validation_split`` outside ``[0, 1)``."""
    for name, value in counts.items():
        if value is None:
            continue
        smallest = 0 if name in _MAY_BE_ZERO else 1
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < smallest:
            expected = "a positive integer" if smallest else "a non-negative integer"
            raise ValueError(f"{method}: `{name}` must be {expected} or None, received {name}={value!r}.")
    if validation_split is not None and not (isinstance(validation_split, numbers.Real)
                                             and 0 <= validation_split < 1):
        raise ValueError(f"{method}: `validation_split` must be a number in [0, 1), received {validation_split!r}.")
    if validation_freq is not None and (isinstance(validation_freq, bool) or (
            isinstance(validation_freq, numbers.Integral) and validation_freq < 1)):
        raise ValueError(f"{method}: `validation_freq` must be a positive integer or a list of epochs, "
                         f"received {validation_freq!r}.")


def _host_arrays(data) -> list:
    return [leaf for leaf in optree.tree_leaves(data, none_is_leaf=False) if isinstance(leaf, np.ndarray)]


def _takes_strings(model) -> bool:
    from brickwork.layers.preprocessing.index_lookup import StringInputLayer

    inputs = getattr(model, "inputs", None) or []
    if any(getattr(tensor, "dtype", None) == "string" for tensor in inputs):
        return True
    return any(isinstance(layer, StringInputLayer) for layer in model._flatten_layers(include_self=False))


def _first_layer_name(model) -> str:
    layers = [layer for layer in getattr(model, "layers", []) if type(layer).__name__ != "InputLayer"]
    return f"layer {layers[0].name!r} ({type(layers[0]).__name__})" if layers else f"model {model.name!r}"


def check_data(model, method: str, x=None, y=None, sample_weight=None) -> None:
    """Refuse empty NumPy data, strings for a model that takes numbers, and ranks its inputs cannot take."""
    if x is None:
        raise ValueError(f"{method}: `x` is None; pass the input data (arrays, a dataset or a generator).")
    for argument, data in (("x", x), ("y", y), ("sample_weight", sample_weight)):
        for array in _host_arrays(data):
            if array.ndim == 0 or array.shape[0] == 0:
                raise ValueError(
                    f"{method}: `{argument}` has no samples (shape {array.shape}); pass at least one sample, "
                    "with the batch dimension first.")
            if array.dtype.kind in "USO" and (argument != "x" or not _takes_strings(model)):
                kind = "objects" if array.dtype.kind == "O" else "strings"
                owner = _first_layer_name(model) if argument == "x" else f"the loss of model {model.name!r}"
                raise TypeError(
                    f"{method}: `{argument}` is an array of {kind} (dtype {array.dtype}, shape {array.shape}), but "
                    f"{owner} takes numbers. Convert it (e.g. with a StringLookup or TextVectorization layer, or "
                    f"`np.asarray({argument}, 'float32')`).")
    _check_input_rank(model, method, x)


def _check_input_rank(model, method: str, x) -> None:
    inputs = getattr(model, "inputs", None)
    if not isinstance(x, np.ndarray) or not inputs or len(inputs) != 1:
        return
    expected = tuple(inputs[0].shape)
    rank, wanted = x.ndim, len(expected)
    # Keras's Functional takes one rank more or less when the odd dimension is 1.
    if rank == wanted or (rank == wanted - 1 and expected[-1] == 1) or (rank == wanted + 1 and x.shape[-1] == 1):
        return
    raise ValueError(
        f"{method}: `x` has shape {x.shape} (rank {rank}), but {_first_layer_name(model)} of model "
        f"{model.name!r} expects inputs of shape {expected} (rank {wanted}); the batch dimension comes first "
        f"(for one sample of shape {expected[1:]}, pass x[None]).")


def _sparse_loss(model):
    loss = getattr(model, "_compile_config", {}).get("loss")
    if isinstance(loss, (list, tuple, dict)):
        return None
    name = loss if isinstance(loss, str) else getattr(loss, "name", None) or getattr(loss, "__name__", "")
    return loss if isinstance(name, str) and "sparse_categorical_crossentropy" in name else None


def check_sparse_labels(model, method: str, y) -> None:
    """Sparse categorical labels given as a NumPy array must be integers in ``[0, classes)`` (once, on the host)."""
    loss = _sparse_loss(model)
    outputs = getattr(model, "outputs", None)
    if loss is None or not isinstance(y, np.ndarray) or y.dtype.kind not in "biuf" or not outputs \
            or len(outputs) != 1 or y.size == 0:
        return
    classes = outputs[0].shape[-1]
    if not isinstance(classes, int):
        return
    labels = y
    ignore_class = getattr(loss, "ignore_class", None)
    if ignore_class is not None:
        labels = y[y != ignore_class]
    if labels.size == 0:
        return
    if y.dtype.kind == "f" and not np.all(np.isfinite(labels) & (labels == np.floor(labels))):
        bad = float(labels[~(np.isfinite(labels) & (labels == np.floor(labels)))].reshape(-1)[0])
        raise ValueError(
            f"{method}: `y` holds {bad!r}, but sparse categorical labels are class indices (integers); "
            "one-hot or fractional targets need `categorical_crossentropy`.")
    low, high = labels.min().item(), labels.max().item()
    if low < 0 or high >= classes:
        raise ValueError(
            f"{method}: `y` holds the label {high if high >= classes else low!r}, but the output layer of model "
            f"{model.name!r} has {classes} classes, so sparse categorical labels must be in [0, {classes - 1}].")
