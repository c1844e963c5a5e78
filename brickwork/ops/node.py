"""``Node``: one call of a layer (or op) on symbolic tensors, the edge list of a Functional graph.

Each output ``KerasTensor`` remembers ``_history = (operation, node_index, tensor_index)``,
so a graph can be walked back from its outputs to its inputs.
"""

from __future__ import annotations

import types

import optree

from brickwork.backend.common.keras_tensor import KerasTensor


def _is_keras_tensor(x) -> bool:
    return isinstance(x, KerasTensor)


class Node:
    """``operation`` called on ``call_args``/``call_kwargs`` (holding KerasTensors) gave ``outputs``."""

    def __init__(self, operation, call_args=(), call_kwargs=None, outputs=None):
        self.operation = operation
        self.arguments_args = tuple(call_args)
        self.arguments_kwargs = dict(call_kwargs or {})
        self.outputs = outputs
        leaves = optree.tree_leaves(outputs, is_leaf=_is_keras_tensor, none_is_leaf=True)
        concrete = [x for x in leaves if not isinstance(x, KerasTensor) and hasattr(x, "shape")]
        if concrete:  # an array where a symbolic call must give KerasTensors: the graph could not replay it
            name = getattr(operation, "name", operation)
            raise ValueError(f"All operation outputs must be tensors. Operation {name!r} returned "
                             f"a concrete {type(concrete[0]).__name__} of shape {tuple(concrete[0].shape)} "
                             "from a symbolic call.")
        self.output_tensors = [x for x in leaves if isinstance(x, KerasTensor)]
        self.input_tensors = [
            x for x in optree.tree_leaves((self.arguments_args, self.arguments_kwargs),
                                          is_leaf=_is_keras_tensor, none_is_leaf=True)
            if isinstance(x, KerasTensor)
        ]
        node_index = len(operation._inbound_nodes)
        operation._inbound_nodes.append(self)
        for tensor_index, tensor in enumerate(self.output_tensors):
            tensor._history = (operation, node_index, tensor_index)
        for tensor in self.input_tensors:
            if tensor._history is not None:
                tensor._history[0]._outbound_nodes.append(self)

    @property
    def arguments(self):
        """The call's arguments as Keras names them: ``.args`` and ``.kwargs``."""
        return types.SimpleNamespace(args=self.arguments_args, kwargs=self.arguments_kwargs)

    @property
    def parent_nodes(self) -> list:
        """The nodes that produced this node's inputs."""
        parents = []
        for tensor in self.input_tensors:
            if tensor._history is not None:
                operation, node_index, _ = tensor._history
                node = operation._inbound_nodes[node_index]
                if node not in parents:
                    parents.append(node)
        return parents

    @property
    def is_input(self) -> bool:
        return not self.input_tensors


class SymbolicOp:
    """An op called on symbolic tensors inside a Functional graph (``x + 1``, ``ops.concatenate``).

    It replays the op with the same non-tensor arguments when the graph runs.
    """

    def __init__(self, op, name: str):
        self.op = op
        self.name = name
        self._inbound_nodes = []
        self._outbound_nodes = []

    def __call__(self, *args, **kwargs):
        kwargs.pop("training", None)
        return self.op(*args, **kwargs)

    def compute_output_spec(self, *args, **kwargs):
        """The op's result on symbolic ``args``: its shape and dtype (the op handles symbolic tensors)."""
        return self(*args, **kwargs)

    def __repr__(self):
        return f"<SymbolicOp {self.name}>"
