"""``resolve_input_signature``: the inputs an exported model accepts, as a structure of ``KerasTensor``.

Every exporter traces the model on example inputs built from this signature; a ``None`` dimension
(the batch, usually) stays dynamic in the exported program.
"""

from __future__ import annotations

import optree

from brickwork import backend
from brickwork.backend import KerasTensor


def _is_spec(value) -> bool:
    return hasattr(value, "shape") and not isinstance(value, (list, tuple, dict))


def _to_keras_tensor(spec, model_name: str, where: str | None = None) -> KerasTensor:
    if isinstance(spec, KerasTensor):
        return spec
    shape = getattr(spec, "shape", None)
    if shape is None:
        raise ValueError(f"{where or f'export: model {model_name!r}'}: each input_signature entry needs a shape "
                         f"(a KerasTensor, an InputSpec with shape, or an array); received {spec!r}.")
    dtype = getattr(spec, "dtype", None) or backend.floatx()
    return KerasTensor(tuple(shape), dtype=backend.standardize_dtype(dtype), name=getattr(spec, "name", None))


def _from_model(model):
    """The model's own input structure: Functional inputs, a Sequential's Input, or the build shapes."""
    structure = getattr(model, "_inputs_struct", None)  # Functional keeps list/dict/single as the user gave it
    if structure is not None:
        return structure
    inputs = getattr(model, "inputs", None)
    if inputs:
        return inputs[0] if len(inputs) == 1 else list(inputs)
    shapes = getattr(model, "_build_shapes", None)
    if shapes is not None:
        # A subclassed model knows only the shapes it was built with: free the batch dimension.
        return optree.tree_map(lambda shape: KerasTensor((None,) + tuple(shape[1:]), dtype=backend.floatx()),
                               shapes, is_leaf=lambda s: isinstance(s, tuple) and all(
                                   d is None or isinstance(d, int) for d in s))
    raise ValueError(f"export: cannot tell the inputs of model {model.name!r}; pass "
                     f"input_signature=[brickwork.layers.InputSpec(shape=(None, ...), dtype=...)].")


def resolve_input_signature(model, input_signature=None):
    """Return the inputs of ``model`` as a (nested) structure of ``KerasTensor``.

    Args:
        model: a built model.
        input_signature: ``None`` (use the model's inputs), or a structure (single, list, tuple,
            dict) of ``KerasTensor``, ``InputSpec`` or arrays; a list of one entry means one input.

    Returns:
        A ``KerasTensor``, or a list, tuple or dict of them, in the structure ``model`` takes.

    Example:
    >>> from brickwork.export import resolve_input_signature
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    >>> resolve_input_signature(model).shape   # (None, 3)
    """
    if input_signature is None:
        structure = _from_model(model)
    elif isinstance(input_signature, (list, tuple)) and len(input_signature) == 1:
        structure = input_signature[0]  # Keras's convention: [spec] is the signature of a single input
    else:
        structure = input_signature
    return optree.tree_map(lambda spec: _to_keras_tensor(spec, model.name), structure, is_leaf=_is_spec,
                           none_is_leaf=False)


def resolve_args_signature(input_signature, where: str) -> tuple:
    """Return ``input_signature`` as a tuple with one structure of ``KerasTensor`` per positional argument.

    Args:
        input_signature: a list (or tuple) with one entry per positional argument of the function, each a
            single spec or a structure (list, tuple, dict) of specs (``KerasTensor``, ``InputSpec`` or arrays);
            a single spec stands for one argument.
        where: names the caller in errors.
    """
    if not isinstance(input_signature, (list, tuple)):
        input_signature = [input_signature]
    return tuple(optree.tree_map(lambda spec: _to_keras_tensor(spec, "", where), structure, is_leaf=_is_spec,
                                 none_is_leaf=False) for structure in input_signature)

