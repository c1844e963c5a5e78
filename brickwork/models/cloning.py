"""``clone_model`` and ``to_json``: new models with the same architecture, and the architecture as JSON.

Example:
    twin = clone_model(model)                       # fresh weights, same graph
    twin.set_weights(model.get_weights())
"""

from __future__ import annotations

import json

import optree

from brickwork.backend.common.keras_tensor import KerasTensor
from brickwork.layers.core.input_layer import InputLayer
from brickwork.saving.serialization_lib import serialize_keras_object


def _default_clone(layer):
    return type(layer).from_config(layer.get_config())


def _is_keras_tensor(x) -> bool:
    return isinstance(x, KerasTensor)


def clone_model(model, input_tensors=None, clone_function=None, call_function=None, recursive=False,
                **kwargs):
    """A new model with ``model``'s architecture and newly initialized weights (compiled alike if it was).

    Args:
        model: a Sequential or Functional model (a subclassed model is rebuilt from its config).
        input_tensors: optional symbolic inputs for the clone, in the structure of ``model.input``.
        clone_function: ``layer -> new layer``, called for every layer (default: from its config); a layer
            used twice is cloned once.
        call_function: ``(layer, *args, **kwargs) -> outputs``, to change how layers are called
            in a Functional clone.
        recursive: clone the Sequential and Functional models nested in ``model`` the same way, rather
            than passing them to ``clone_function`` whole.

    Returns:
        A new model of the class of ``model`` (a Sequential clone stays Sequential), with its own weights.

    Example:
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
        clone = clone_model(model)
        clone.output_shape   # (None, 2); its weights are new, not model's
    """
    from brickwork.models.functional import Functional
    from brickwork.models.sequential import Sequential

    clone = _layer_cloner(clone_function, call_function, recursive, kwargs.pop("cache", None))
    if isinstance(model, Sequential):
        layers = [clone(layer) for layer in model.layers]
        if input_tensors is not None:
            layers = [input_tensors] + layers
        elif model._input_layer is not None:
            layers = [InputLayer(batch_shape=model._input_layer.batch_shape, dtype=model._input_layer.dtype)] + layers
        new_model = Sequential(layers, name=model.name, trainable=model.trainable)
    elif isinstance(model, Functional):
        new_model = _clone_functional(model, input_tensors, clone, call_function)
    else:
        new_model = type(model).from_config(model.get_config())
    if getattr(model, "compiled", False):
        new_model.compile_from_config(model.get_compile_config())
    return new_model


def _layer_cloner(clone_function, call_function, recursive, cache):
    """``clone_function`` made to clone a shared layer once and, when ``recursive``, nested models whole."""
    from brickwork.models.functional import Functional
    from brickwork.models.sequential import Sequential

    clone_function = clone_function or _default_clone
    cache = {} if cache is None else cache

    def clone(layer):
        if id(layer) not in cache:
            if recursive and isinstance(layer, (Sequential, Functional)):
                cache[id(layer)] = clone_model(layer, clone_function=clone_function, recursive=True, cache=cache,
                                               call_function=None if isinstance(layer, Sequential) else call_function)
            else:
                cache[id(layer)] = clone_function(layer)
        return cache[id(layer)]

    return clone


def _new_inputs(model, input_tensors):
    """The clone's inputs: ``input_tensors`` checked against ``model.input``'s structure, or new ``Input``s."""
    if input_tensors is None:
        return optree.tree_map(lambda t: InputLayer(batch_shape=t.shape, dtype=t.dtype, name=t._history[0].name).output,
                               model._inputs_struct, is_leaf=_is_keras_tensor)
    if not all(_is_keras_tensor(t) for t in optree.tree_leaves(input_tensors, is_leaf=_is_keras_tensor)):
        raise ValueError(f"clone_model: all entries in `input_tensors` must be KerasTensors. Received invalid values: "
                         f"input_tensors={input_tensors!r}")
    reference = optree.tree_structure(model._inputs_struct, is_leaf=_is_keras_tensor)
    received = optree.tree_structure(input_tensors, is_leaf=_is_keras_tensor)
    single = isinstance(model._inputs_struct, (list, tuple)) and len(model._input_tensors) == 1 \
        and _is_keras_tensor(input_tensors)
    if received != reference and not single:
        raise ValueError("`input_tensors` must have the same structure as model.input"
                         f"\nReference structure: {model._inputs_struct}\nReceived structure: {input_tensors}")
    return input_tensors


def _clone_functional(model, input_tensors, clone, call_function):
    from brickwork.models.functional import Functional, _flat_outputs

    new_struct = _new_inputs(model, input_tensors)
    new_inputs = optree.tree_leaves(new_struct, is_leaf=_is_keras_tensor)
    values = {id(old): new for old, new in zip(model._input_tensors, new_inputs)}

    def lookup(x):
        return values[id(x)] if isinstance(x, KerasTensor) else x

    for node in model._nodes:
        operation = node.operation
        new_operation = clone(operation) if hasattr(operation, "get_config") else operation
        args = optree.tree_map(lookup, node.arguments_args, is_leaf=_is_keras_tensor, none_is_leaf=True)
        kwargs = optree.tree_map(lookup, node.arguments_kwargs, is_leaf=_is_keras_tensor, none_is_leaf=True)
        outputs = call_function(new_operation, *args, **kwargs) if call_function else new_operation(*args, **kwargs)
        for old, new in zip(node.output_tensors, _flat_outputs(outputs)):
            values[id(old)] = new
    outputs = optree.tree_map(lookup, model._outputs_struct, is_leaf=_is_keras_tensor)
    return Functional(new_struct, outputs, name=model.name)


def to_json(model, **kwargs) -> str:
    """``model``'s architecture as JSON in Keras 3's config format."""
    return json.dumps(serialize_keras_object(model), **kwargs)
