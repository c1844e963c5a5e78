"""``Functional``: a model defined by a graph of layer calls, from ``Input`` tensors to outputs.

Example:
    inputs = Input(shape=(16,))
    hidden = Dense(32, activation="relu")(inputs)
    model = Model(inputs, Dense(1)(hidden))

Running the model replays the recorded ``Node``s in topological order, feeding each layer
the tensors its node consumed when the graph was built.
"""

from __future__ import annotations

import optree

from brickwork.backend.common.keras_tensor import KerasTensor
from brickwork.layers.core.input_layer import InputLayer
from brickwork.models.model import Model


def _is_keras_tensor(x) -> bool:
    return isinstance(x, KerasTensor)


def _leaves(structure) -> list:
    return [x for x in optree.tree_leaves(structure, is_leaf=_is_keras_tensor, none_is_leaf=True)]


class Functional(Model):
    """A model built from symbolic inputs and outputs (a single tensor, a list or a dict of them)."""

    def __new__(cls, *args, **kwargs):
        return Model.__new__(cls)

    def __init__(self, inputs, outputs, name=None, trainable=True, **kwargs):
        Model.__init__(self, name=name, trainable=trainable, **kwargs)
        self._inputs_struct = inputs
        self._outputs_struct = outputs
        self._input_tensors = _leaves(inputs)
        self._output_tensors = _leaves(outputs)
        for tensor in self._input_tensors + self._output_tensors:
            if not isinstance(tensor, KerasTensor):
                raise TypeError(f"Model: inputs and outputs must be symbolic tensors, received {tensor!r}.")
        self._nodes = self._topological_nodes()
        self._operations = self._collect_operations()
        self.built = True
        self._build_shapes = optree.tree_map(lambda t: t.shape, inputs, is_leaf=_is_keras_tensor)

    # --------------------------------------------------------------- graph
    def _topological_nodes(self) -> list:
        """The nodes between the inputs and the outputs, each after the nodes it depends on."""
        input_ids = {id(t) for t in self._input_tensors}
        ordered, visited = [], set()

        def visit(tensor, path):
            if id(tensor) in input_ids:
                return
            if tensor._history is None:
                raise ValueError(f"Model: the output depends on {tensor!r}, which is not produced by a layer.")
            operation, node_index, _ = tensor._history
            node = operation._inbound_nodes[node_index]
            if id(node) in visited:
                return
            if isinstance(operation, InputLayer):
                names = [t.name for t in self._input_tensors]
                raise ValueError(
                    f"Model: the outputs depend on the input {operation.name!r} ({tensor.shape}), which is not "
                    f"among the model's inputs {names}. Pass it in `inputs=`, or the graph is disconnected."
                )
            for parent in node.input_tensors:
                visit(parent, path)
            visited.add(id(node))
            ordered.append(node)

        for output in self._output_tensors:
            visit(output, [])
        return ordered

    def _collect_operations(self) -> list:
        operations, seen = [], set()
        for tensor in self._input_tensors:
            layer = tensor._history[0] if tensor._history else None
            if layer is not None and id(layer) not in seen:
                seen.add(id(layer))
                operations.append(layer)
        for node in self._nodes:
            if id(node.operation) not in seen:
                seen.add(id(node.operation))
                operations.append(node.operation)
        return operations

    @property
    def layers(self) -> list:
        from brickwork.layers.layer import Layer

        return [op for op in self._operations if isinstance(op, Layer)]

    def _sublayers(self) -> list:
        return self.layers

    @property
    def inputs(self) -> list:
        return list(self._input_tensors)

    @property
    def outputs(self) -> list:
        return list(self._output_tensors)

    @property
    def input(self):
        return self._inputs_struct

    @property
    def output(self):
        return self._outputs_struct

    @property
    def input_shape(self):
        return optree.tree_map(lambda t: t.shape, self._inputs_struct, is_leaf=_is_keras_tensor)

    @property
    def output_shape(self):
        return optree.tree_map(lambda t: t.shape, self._outputs_struct, is_leaf=_is_keras_tensor)

    @property
    def input_names(self) -> list:
        return [t._history[0].name if t._history else t.name for t in self._input_tensors]

    @property
    def output_names(self) -> list:
        if isinstance(self._outputs_struct, dict):
            return list(self._outputs_struct)
        return [t._history[0].name if t._history else f"output_{i}" for i, t in enumerate(self._output_tensors)]

    # --------------------------------------------------------------- running
    def _flatten_inputs(self, inputs) -> list:
        if isinstance(inputs, dict):
            if isinstance(self._inputs_struct, dict):
                missing = [k for k in self._inputs_struct if k not in inputs]
                if missing:
                    raise ValueError(f"Model {self.name!r}: missing inputs {missing}; received keys {list(inputs)}.")
                return [inputs[k] for k in self._inputs_struct]
            names = self.input_names
            missing = [n for n in names if n not in inputs]
            if missing:
                raise ValueError(f"Model {self.name!r}: missing inputs {missing}; received keys {list(inputs)}.")
            return [inputs[n] for n in names]
        flat = optree.tree_leaves(inputs, none_is_leaf=True) if isinstance(inputs, (list, tuple)) else [inputs]
        if len(flat) != len(self._input_tensors):
            raise ValueError(
                f"Model {self.name!r} expects {len(self._input_tensors)} input(s), received {len(flat)}."
            )
        return flat

    def call(self, inputs, training=None, mask=None):
        values = {id(t): v for t, v in zip(self._input_tensors, self._flatten_inputs(inputs))}

        def lookup(x):
            return values[id(x)] if isinstance(x, KerasTensor) else x

        for node in self._nodes:
            args = optree.tree_map(lookup, node.arguments_args, is_leaf=_is_keras_tensor, none_is_leaf=True)
            kwargs = optree.tree_map(lookup, node.arguments_kwargs, is_leaf=_is_keras_tensor, none_is_leaf=True)
            outputs = node.operation(*args, **kwargs)
            for tensor, value in zip(node.output_tensors, _flat_outputs(outputs)):
                values[id(tensor)] = value
        return optree.tree_map(lookup, self._outputs_struct, is_leaf=_is_keras_tensor, none_is_leaf=True)

    def compute_output_spec(self, inputs, training=None, mask=None):
        return optree.tree_map(lambda t: KerasTensor(t.shape, dtype=t.dtype), self._outputs_struct,
                               is_leaf=_is_keras_tensor)

    def _maybe_build(self, args, kwargs) -> None:
        return None

    def _build_from_data(self, x) -> None:
        return None


def _flat_outputs(outputs) -> list:
    return optree.tree_leaves(outputs, none_is_leaf=True)
