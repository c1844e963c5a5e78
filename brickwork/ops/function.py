"""``Function``: a graph of operations from symbolic inputs to outputs, callable like a function.

Calling operations (ops or layers) on ``KerasTensor``s records ``Node``s; a ``Function`` takes the inputs
and outputs of such a graph and replays the operations between them, on concrete tensors (the result) or
on symbolic ones (shapes and dtypes). ``Functional`` models are built on the same graph walk.

Example:
    >>> import numpy as np
    >>> from brickwork import ops
    >>> from brickwork.backend import KerasTensor
    >>> from brickwork.ops.function import Function
    >>> x = KerasTensor((None, 3))
    >>> square = Function(x, ops.square(x) + 1)
    >>> square(np.ones((2, 3)))  # [[2., 2., 2.], [2., 2., 2.]]
"""

from __future__ import annotations

import optree

from brickwork.backend.common.keras_tensor import KerasTensor, any_symbolic_tensors
from brickwork.ops.operation import Operation


def _is_keras_tensor(x) -> bool:
    return isinstance(x, KerasTensor)


def _leaves(structure) -> list:
    return optree.tree_leaves(structure, is_leaf=_is_keras_tensor, none_is_leaf=True)


class Function(Operation):
    """The operations between ``inputs`` and ``outputs`` (each a KerasTensor, or a list or dict of them).

    Args:
        inputs: the symbolic tensors the function takes; intermediate tensors of a graph are allowed (the
            operations that made them are left out).
        outputs: the symbolic tensors it returns, in the structure it returns them.
        name: the function's name.

    Example:
    >>> x = keras.Input((8,))
    >>> y = keras.layers.Dense(2)(keras.layers.Dense(4)(x))
    >>> fn = keras.Function(x, y)
    >>> fn(np.ones((3, 8))).shape   # (3, 2)
    """

    def __init__(self, inputs, outputs, name: str | None = None):
        super().__init__(name=name)
        self._inputs_struct, self._outputs_struct = inputs, outputs
        self._input_tensors, self._output_tensors = _leaves(inputs), _leaves(outputs)
        if not self._input_tensors:
            raise ValueError(f"Function: the `inputs` argument cannot be empty. Received: inputs={inputs!r}")
        if not self._output_tensors:
            raise ValueError(f"Function: the `outputs` argument cannot be empty. Received: outputs={outputs!r}")
        for tensor in self._input_tensors + self._output_tensors:
            if not isinstance(tensor, KerasTensor):
                raise TypeError(f"Function: inputs and outputs must be symbolic tensors (KerasTensor); "
                                f"received {tensor!r}.")
        graph = map_graph(self._input_tensors, self._output_tensors, owner="Function")
        self._nodes, self._operations = graph.nodes, graph.operations

    @property
    def operations(self) -> list:
        """The operations the function runs, in Keras's order (deepest first)."""
        return list(self._operations)

    @property
    def inputs(self) -> list:
        return list(self._input_tensors)

    @property
    def outputs(self) -> list:
        return list(self._output_tensors)

    def call(self, inputs):
        """The outputs for ``inputs`` (the structure the function was built with)."""
        return self._run(inputs, lambda operation, args, kwargs: operation(*args, **kwargs))

    def compute_output_spec(self, inputs):
        """The outputs' shapes and dtypes for symbolic ``inputs``, without running any engine code."""
        return self._run(inputs, lambda operation, args, kwargs: operation.compute_output_spec(*args, **kwargs))

    def compute_output_shape(self, input_shape):
        """The output shape(s) for ``input_shape`` (a shape, or the inputs' structure of shapes)."""
        def is_shape(x):
            return isinstance(x, (tuple, list)) and all(d is None or isinstance(d, int) for d in x)

        specs = optree.tree_map(lambda shape, t: KerasTensor(tuple(shape), dtype=t.dtype), input_shape,
                                self._inputs_struct, is_leaf=is_shape, none_is_leaf=True) \
            if not is_shape(input_shape) else KerasTensor(tuple(input_shape), dtype=self._input_tensors[0].dtype)
        return optree.tree_map(lambda t: tuple(t.shape), self.compute_output_spec(specs), is_leaf=_is_keras_tensor)

    def _run(self, inputs, apply):
        flat = self._check_inputs(inputs)
        values = {id(t): v for t, v in zip(self._input_tensors, flat)}

        def lookup(x):
            return values.get(id(x), x) if isinstance(x, KerasTensor) else x

        for node in self._nodes:
            if node.is_input:  # a ``keras.Input``'s InputLayer: its tensor's value is the one given
                continue
            args = optree.tree_map(lookup, node.arguments_args, is_leaf=_is_keras_tensor, none_is_leaf=True)
            kwargs = optree.tree_map(lookup, node.arguments_kwargs, is_leaf=_is_keras_tensor, none_is_leaf=True)
            for tensor, value in zip(node.output_tensors, flat_outputs(apply(node.operation, args, kwargs))):
                values[id(tensor)] = value
        return optree.tree_map(lookup, self._outputs_struct, is_leaf=_is_keras_tensor, none_is_leaf=True)

    def _check_inputs(self, inputs) -> list:
        """``inputs`` flattened in the function's order, after checking their structure and shapes."""
        try:
            structure = optree.tree_structure(self._inputs_struct, is_leaf=_is_keras_tensor, none_is_leaf=True)
            flat = structure.flatten_up_to(inputs)
        except (ValueError, TypeError) as error:
            raise ValueError(f"Function {self.name!r}: invalid input structure. Expected inputs shaped like "
                             f"{self._inputs_struct!r}; received {inputs!r}.") from error
        for expected, value in zip(self._input_tensors, flat):
            shape = tuple(getattr(value, "shape", ()))
            if len(shape) != len(expected.shape) or any(
                    e is not None and d is not None and e != d for e, d in zip(expected.shape, shape)):
                raise ValueError(f"Function {self.name!r}: incompatible inputs: expected shape {expected.shape}, "
                                 f"received shape {shape}.")
        if not any_symbolic_tensors(flat):
            from brickwork import backend

            flat = [backend.convert_to_tensor(v) if not backend.is_tensor(v) else v for v in flat]
        return flat


class Graph:
    """What ``_map_graph`` finds: ``nodes`` in an order that runs (each after its inputs' producers) and
    ``operations`` in Keras's order."""

    def __init__(self, nodes: list, operations: list):
        self.nodes = nodes
        self.operations = operations


def map_graph(input_tensors: list, output_tensors: list, owner: str = "Model", output_paths=None) -> Graph:
    """The nodes and operations between ``input_tensors`` and ``output_tensors``, in Keras's order.

    Keras orders a model's layers (and so the paths of their weights in a file) by *depth*: the
    longest distance from a node to an output. Deepest first; a shared layer takes the depth of its
    deepest node; ties go to the layer met first by a depth-first walk from the outputs, in output order,
    each node's inputs in argument order. Inputs no output depends on come last, at depth 0.
    """
    input_ids = {id(t) for t in input_tensors}
    ordered, finished, in_progress = [], set(), set()
    first_seen: dict = {}  # id(operation) -> (traversal index, operation)

    def node_of(tensor):
        if tensor._history is None:
            raise ValueError(f"{owner}: the output depends on {tensor!r}, which is not produced by a layer.")
        operation, node_index, _ = tensor._history
        return operation._inbound_nodes[node_index]

    def enter(tensor):
        """Start visiting the node that produced ``tensor``; the node to walk into, or None."""
        if id(tensor) in input_ids and tensor._history is None:  # a bare KerasTensor given as an input
            return None
        node = node_of(tensor)
        if id(node) in finished:
            return None
        if id(tensor) in input_ids and not node.is_input:  # an intermediate tensor given as a model input
            finished.add(id(node))
            return None
        if id(node) in in_progress:
            raise ValueError(f"{owner}: the tensor {tensor!r} of {node.operation.name!r} is part of a cycle.")
        if node.is_input and id(tensor) not in input_ids:
            names = [t.name for t in input_tensors]
            raise ValueError(
                f"{owner}: Output with path `{current[1]}` is not connected to `inputs`: it depends on the input "
                f"{node.operation.name!r} ({tensor.shape}), which is not "
                f"among the model's inputs {names}. Pass it in `inputs=`, or the graph is disconnected."
            )
        first_seen.setdefault(id(node.operation), (len(first_seen), node.operation))
        in_progress.add(id(node))
        return node

    # Depth-first from each output, without recursion (graphs of thousands of layers exist).
    current = [None, None]  # the output being walked from and its path, for the error message
    for index, output in enumerate(output_tensors):
        current[:] = output, output_paths[index] if output_paths else index
        root = enter(output)
        stack = [(root, iter(root.input_tensors))] if root is not None else []
        while stack:
            node, parents = stack[-1]
            child = next(parents, None)
            if child is not None:
                entered = enter(child)
                if entered is not None:
                    stack.append((entered, iter(entered.input_tensors)))
                continue
            stack.pop()
            in_progress.discard(id(node))
            finished.add(id(node))
            ordered.append(node)

    # Depths, from the outputs back: a node is one deeper than its deepest consumer.
    in_graph = {id(node) for node in ordered}
    node_depth, operation_depth = {}, {}
    for node in reversed(ordered):
        depth = max(node_depth.get(id(node), 0), operation_depth.get(id(node.operation), 0))
        node_depth[id(node)] = operation_depth[id(node.operation)] = depth
        for parent in node.parent_nodes:
            if id(parent) in in_graph:
                node_depth[id(parent)] = max(node_depth.get(id(parent), 0), depth + 1)
    for tensor in input_tensors:  # inputs no output needs still belong to the model
        operation = tensor._history[0] if tensor._history else None
        if operation is not None and id(operation) not in operation_depth and node_of(tensor).is_input:
            operation_depth[id(operation)] = 0
            first_seen[id(operation)] = (-1, operation)
    operations = sorted((entry for key, entry in first_seen.items() if key in operation_depth),
                        key=lambda entry: (-operation_depth[id(entry[1])], entry[0]))
    return Graph(ordered, [operation for _, operation in operations])


def flat_outputs(outputs) -> list:
    return optree.tree_leaves(outputs, none_is_leaf=True)


