"""``clone_model`` and ``to_json``: new models with the same architecture, and the architecture as JSON.

Example:
    twin = clone_model(model)                       # fresh weights, same graph
    twin.set_weights(model.get_weights())
"""

from __future__ import annotations

import json

from brickwork.backend.common.keras_tensor import KerasTensor
from brickwork.layers.core.input_layer import InputLayer
from brickwork.saving.serialization_lib import serialize_keras_object


def _default_clone(layer):
    return type(layer).from_config(layer.get_config())


def clone_model(model, input_tensors=None, clone_function=None, call_function=None, recursive=False,
                **kwargs):
    """A new model with ``model``'s architecture and newly initialized weights.

    Args:
        model: a Sequential or Functional model (a subclassed model is rebuilt from its config).
        input_tensors: optional symbolic inputs for the clone.
        clone_function: ``layer -> new layer``, called for every layer (default: from its config).
        call_function: ``(layer, *args, **kwargs) -> outputs``, to change how layers are called
            in a Functional clone.
    """
    from brickwork.models.functional import Functional
    from brickwork.models.sequential import Sequential

    clone_function = clone_function or _default_clone
    if isinstance(model, Sequential):
        layers = [clone_function(layer) for layer in model.layers]
        if input_tensors is not None:
            layers = [input_tensors] + layers
        elif model._input_layer is not None:
            layers = [InputLayer(batch_shape=model._input_layer.batch_shape, dtype=model._input_layer.dtype)] + layers
        return Sequential(layers, name=model.name, trainable=model.trainable)
    if isinstance(model, Functional):
        return _clone_functional(model, input_tensors, clone_function, call_function)
    return type(model).from_config(model.get_config())


def _clone_functional(model, input_tensors, clone_function, call_function):
    from brickwork.models.functional import Functional, _flat_outputs

    if input_tensors is None:
        new_inputs = [
            InputLayer(batch_shape=t.shape, dtype=t.dtype, name=t._history[0].name).output
            for t in model._input_tensors
        ]
    else:
        new_inputs = list(input_tensors) if isinstance(input_tensors, (list, tuple)) else [input_tensors]
    values = {id(old): new for old, new in zip(model._input_tensors, new_inputs)}
    clones = {}

    def lookup(x):
        return values[id(x)] if isinstance(x, KerasTensor) else x

    import optree

    for node in model._nodes:
        operation = node.operation
        if id(operation) not in clones:
            clones[id(operation)] = clone_function(operation) if hasattr(operation, "get_config") else operation
        new_operation = clones[id(operation)]
        args = optree.tree_map(lookup, node.arguments_args, is_leaf=lambda x: isinstance(x, KerasTensor),
                               none_is_leaf=True)
        kwargs = optree.tree_map(lookup, node.arguments_kwargs, is_leaf=lambda x: isinstance(x, KerasTensor),
                                 none_is_leaf=True)
        outputs = call_function(new_operation, *args, **kwargs) if call_function else new_operation(*args, **kwargs)
        for old, new in zip(node.output_tensors, _flat_outputs(outputs)):
            values[id(old)] = new
    inputs = model._inputs_struct
    if isinstance(inputs, dict):
        new_struct = {k: values[id(v)] for k, v in inputs.items()}
    elif isinstance(inputs, (list, tuple)):
        new_struct = [values[id(v)] for v in model._input_tensors]
    else:
        new_struct = new_inputs[0]
    outputs = optree.tree_map(lookup, model._outputs_struct, is_leaf=lambda x: isinstance(x, KerasTensor))
    return Functional(new_struct, outputs, name=model.name)


def to_json(model, **kwargs) -> str:
    """``model``'s architecture as JSON in Keras 3's config format."""
    return json.dumps(serialize_keras_object(model), **kwargs)
