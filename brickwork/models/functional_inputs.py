"""How a ``Functional`` model takes what it is called with, as Keras 3 does.

The value is matched to the model's ``Input``s by structure (dicts by key, at any depth; a dict given
to a model of positional inputs by the inputs' names), converted to each input's dtype, and checked
for rank and sizes. A mismatch Keras tolerates (extra dict keys, a list for a dict whose keys are in
sorted order) gives Keras's warning; the others raise a ``ValueError`` naming the model and the input.

Example:
    a, b = Input((3,), name="a"), Input((3,), name="b")
    model = Model({"a": a, "b": b}, a + b)
    model({"a": np.ones((2, 3)), "b": np.ones((2, 3))})   # -> shape (2, 3)
    model(np.ones((2, 3)))                                  # ValueError: expects 2 named input(s) with keys ...
"""

from __future__ import annotations

import warnings

import numpy as np
import optree

from brickwork import backend, ops
from brickwork.backend.common.keras_tensor import KerasTensor
from brickwork.layers import masking

STRUCTURE_MISMATCH = "The structure of `inputs` doesn't match the expected structure"


def _is_keras_tensor(x) -> bool:
    return isinstance(x, KerasTensor)


def _is_value(x) -> bool:
    return x is None or hasattr(x, "shape") or not isinstance(x, (dict, list, tuple))


def standardize(model, inputs) -> list:
    """``inputs`` as one value per model input (flat, in ``model.inputs`` order), converted and checked."""
    flat = match(model, inputs)
    tensors = model._input_tensors
    if len(flat) != len(tensors):
        raise ValueError(f"Model {model.name!r} expects {len(tensors)} input(s), received {len(flat)}.")
    return [_prepare(model, index, value, tensor) for index, (value, tensor) in enumerate(zip(flat, tensors))]


def _mismatch_message(model, inputs) -> str:
    expected = optree.tree_map(lambda t: t.name, model._inputs_struct, is_leaf=_is_keras_tensor, none_is_leaf=True)
    received = optree.tree_map(lambda x: "None" if x is None else f"Tensor(shape={tuple(getattr(x, 'shape', ()))})",
                               inputs, is_leaf=_is_value, none_is_leaf=True)
    return f"{STRUCTURE_MISMATCH}.\nExpected: {expected}\nReceived: inputs={received}"


def match(model, inputs) -> list:
    """The values of ``inputs`` in the order of the model's flat inputs."""
    struct = model._inputs_struct
    if isinstance(inputs, dict) and not isinstance(struct, dict):
        names = [t.name for t in model._input_tensors]
        if not set(names) <= set(inputs):
            raise ValueError(_mismatch_message(model, inputs))
        return [inputs[name] for name in names]
    if isinstance(struct, dict) and not isinstance(inputs, dict):
        if _is_value(inputs) and len(model._input_tensors) > 1:
            names = [t.name for t in model._input_tensors]
            raise ValueError(f"Model {model.name!r} expects {len(names)} named input(s) with keys {names}, but it "
                             f"received a single input of shape {tuple(getattr(inputs, 'shape', ()))}. Pass inputs "
                             "as a dict, e.g. `model({" + ", ".join(f"'{n}': ..." for n in names) + "})`.")
        if list(struct) != sorted(struct):  # a flat sequence could not say which value is which key
            raise ValueError(_mismatch_message(model, inputs))
        _warn_once(model, inputs)
        return optree.tree_leaves(inputs, is_leaf=_is_value, none_is_leaf=True)
    if not isinstance(struct, (dict, list, tuple)) or not isinstance(inputs, (dict, list, tuple)):
        return [inputs] if _is_value(inputs) else optree.tree_leaves(inputs, is_leaf=_is_value, none_is_leaf=True)
    restricted, extra = _restrict(struct, inputs)
    if extra:
        _warn_once(model, inputs)
    # Flattened whole, as Keras does: ``([a], b)`` for inputs ``[a, b]`` is two values.
    return optree.tree_leaves(restricted, is_leaf=_is_value, none_is_leaf=True)


def _warn_once(model, inputs) -> None:
    """Keras's structure warning, once per model and layout of inputs (a traced step runs the call more than once)."""
    layout = str(optree.tree_structure(inputs, is_leaf=_is_value, none_is_leaf=True))
    warned = model.__dict__.setdefault("_warned_input_layouts", set())
    if layout not in warned:
        warned.add(layout)
        warnings.warn(_mismatch_message(model, inputs), stacklevel=5)


def _restrict(struct, value):
    """``value`` cut to the keys of ``struct`` (raising on a missing one), and whether keys were dropped."""
    if isinstance(struct, dict) and isinstance(value, dict):
        missing = [key for key in struct if key not in value]
        if missing:
            raise ValueError(f"Missing data for input {missing[0]!r}. You passed a data dictionary with keys "
                             f"{list(value)}. Expected the following keys: {list(struct)}")
        extra = len(value) > len(struct)
        restricted = {}
        for key in struct:
            restricted[key], dropped = _restrict(struct[key], value[key])
            extra = extra or dropped
        return restricted, extra
    if isinstance(struct, (list, tuple)) and isinstance(value, (list, tuple)) and len(struct) == len(value):
        pairs = [_restrict(s, v) for s, v in zip(struct, value)]
        return [p[0] for p in pairs], any(p[1] for p in pairs)
    return value, False


def _prepare(model, index: int, value, tensor: KerasTensor):
    """One input: None only where the input is optional, converted to its dtype, its rank and sizes checked."""
    if value is None:
        layer = tensor._history[0] if tensor._history else None
        if getattr(layer, "optional", True) is False:
            raise ValueError(f"The input '{tensor.name}' is not optional, but None was passed. "
                             "Please provide a valid tensor.")
        return None
    value = _convert(value, tensor.dtype)
    value = adjust_rank(model, index, value, tensor)
    _check_sizes(model, index, value, tensor)
    return value


def _convert(value, dtype):
    """``value`` as a tensor of the input's dtype (strings and other non-numeric data stay as they are)."""
    if backend.is_tensor(value):
        if dtype is None or backend.standardize_dtype(value.dtype) == dtype:
            return value
        converted = ops.cast(value, dtype)
    else:
        array = value if isinstance(value, np.ndarray) else None
        if array is None and not isinstance(value, (list, tuple, int, float, bool, np.generic)):
            return value  # e.g. a sparse or ragged structure a layer reads itself
        if array is None:
            array = np.asarray(value)
        if array.dtype.kind in "USOV" or dtype in (None, "string"):
            return value
        converted = ops.convert_to_tensor(array, dtype=dtype)
    mask = masking.get_mask(value)
    if mask is not None:
        masking.set_mask(converted, mask)
    return converted


def _path(model, index: int) -> str:
    if not hasattr(model, "_inputs_struct"):  # a Sequential model: one input
        return ""
    paths = optree.tree_paths(model._inputs_struct, is_leaf=_is_keras_tensor, none_is_leaf=True)
    return ".".join(str(p) for p in paths[index])


def adjust_rank(model, index: int, value, tensor: KerasTensor):
    """An input one axis short of an input whose last axis is 1 gets it (``(N, 28, 28)`` for
    ``Input((28, 28, 1))``); one with an extra last axis of 1 loses it, as in Keras."""
    if not hasattr(value, "shape"):
        return value
    rank, expected = len(value.shape), len(tensor.shape)
    if rank == expected:
        return value
    if rank == expected + 1 and value.shape[-1] == 1:
        reshaped = ops.squeeze(value, axis=-1)
    elif rank == expected - 1 and tensor.shape[-1] == 1:
        reshaped = ops.expand_dims(value, axis=-1)
    else:
        raise ValueError(
            f"Model {model.name!r}: invalid input shape for the input with name '{tensor.name}' and path "
            f"'{_path(model, index)}'. Expected shape {tensor.shape}, but the input has incompatible shape "
            f"{tuple(value.shape)}."
        )
    mask = masking.get_mask(value)
    if mask is not None:
        masking.set_mask(reshaped, mask)
    return reshaped


def _check_sizes(model, index: int, value, tensor: KerasTensor) -> None:
    shape = tuple(getattr(value, "shape", ()))
    for expected, received in zip(tensor.shape[1:], shape[1:]):  # the batch size is free, as in Keras
        if expected is not None and received is not None and expected != received:
            raise ValueError(
                f"Input {index} with name '{tensor.name}' of layer '{model.name}' is incompatible with the layer: "
                f"expected shape={tensor.shape}, found shape={shape}"
            )
