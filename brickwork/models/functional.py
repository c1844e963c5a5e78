"""``Functional``: a model defined by a graph of layer calls, from ``Input`` tensors to outputs.

Example:
    inputs = Input(shape=(16,))
    hidden = Dense(32, activation="relu")(inputs)
    model = Model(inputs, Dense(1)(hidden))

Running the model replays the recorded ``Node``s in topological order, feeding each layer
the tensors its node consumed when the graph was built.
"""

from __future__ import annotations

import warnings
import weakref

import optree

from brickwork.backend.common.keras_tensor import KerasTensor
from brickwork.layers.core.input_layer import InputLayer
from brickwork.layers.layer import Layer
from brickwork.models import functional_inputs
from brickwork.models.model import Model
from brickwork.ops.function import flat_outputs as _flat_outputs
from brickwork.ops.function import map_graph as _map_graph
from brickwork.ops.node import SymbolicOp
from brickwork.ops.operation import node_as_operation


def _is_keras_tensor(x) -> bool:
    return isinstance(x, KerasTensor)


def _leaves(structure) -> list:
    return [x for x in optree.tree_leaves(structure, is_leaf=_is_keras_tensor, none_is_leaf=True)]


class Functional(Model):
    """A model built from symbolic inputs and outputs (a single tensor, a list or a dict of them).

    ``keras.Model(inputs, outputs)`` returns one; its layers form a graph that can be inspected, cloned
    and saved.

    Args:
        inputs: the ``Input`` tensors.
        outputs: the tensors computed from them.
        name: the model's name.

    Example:
        a, b = keras.Input((2,), name="a"), keras.Input((3,), name="b")
        merged = keras.layers.Concatenate()([a, b])
        model = keras.Model({"a": a, "b": b}, keras.layers.Dense(1)(merged))
        isinstance(model, keras.Functional)   # True
        model({"a": np.zeros((4, 2)), "b": np.zeros((4, 3))}).shape   # (4, 1)
    """

    # Inputs reach each inner layer as given; every layer casts for its own dtype policy.
    _convert_input_args = False

    # How Keras 3 names this class in a config, so that files move both ways.
    _keras_module = "keras.src.models.functional"
    _keras_registered_name = "Functional"

    def __new__(cls, *args, **kwargs):
        return Model.__new__(cls)

    def __init__(self, inputs, outputs, name=None, trainable=True, **kwargs):
        # Keras's Functional drops keyword arguments it does not know instead of refusing them; KerasHub
        # relies on it (a backbone forwards its whole **kwargs, new options included, to Functional).
        kwargs = {key: value for key, value in kwargs.items() if key in _LAYER_KWARGS}
        Model.__init__(self, name=name, trainable=trainable, **kwargs)
        self._check_tensors(inputs, outputs)
        inputs, outputs = _from_input_layers(inputs, outputs)
        self._inputs_struct = inputs
        self._outputs_struct = outputs
        self._input_tensors = _leaves(inputs)
        self._output_tensors = _leaves(outputs)
        output_paths = [".".join(map(str, p)) for p in
                        optree.tree_paths(outputs, is_leaf=_is_keras_tensor, none_is_leaf=True)]
        self._graph = _map_graph(self._input_tensors, self._output_tensors, output_paths=output_paths)
        self._nodes = self._topological_nodes()
        self._operations = self._collect_operations()
        self.built = True
        self._build_shapes = optree.tree_map(lambda t: t.shape, inputs, is_leaf=_is_keras_tensor)

    # --------------------------------------------------------------- graph
    @staticmethod
    def _check_tensors(inputs, outputs) -> None:
        for kind, structure in (("inputs", inputs), ("outputs", outputs)):
            for tensor in _leaves(structure):
                if not isinstance(tensor, KerasTensor):
                    raise ValueError(f"All `{kind}` values must be KerasTensors. Received: {kind}={structure!r} "
                                     f"including invalid value {tensor!r} of type {type(tensor).__name__}.")

    def _topological_nodes(self) -> list:
        """The nodes between the inputs and the outputs, each after the nodes it depends on."""
        return [node for node in self._graph.nodes if not node.is_input]

    def _collect_operations(self) -> list:
        return self._graph.operations

    @property
    def layers(self) -> list:
        from brickwork.layers.layer import Layer

        return [op for op in self._operations if isinstance(op, Layer)]

    @layers.setter
    def layers(self, _):
        raise AttributeError(
            "`Model.layers` attribute is reserved and should not be used. Please use another name: a Functional "
            "model's layers are those of its graph."
        )

    def _sublayers(self) -> list:
        # The graph's layers, then any a subclass holds in attributes outside the graph (a backbone's decoder
        # that a task model calls), as Keras tracks them: their variables are the model's too.
        graph = self.layers
        in_graph = {id(layer) for layer in graph}
        return graph + [layer for layer in super()._sublayers() if id(layer) not in in_graph]

    @property
    def operations(self) -> list:
        """The graph's operations (input layers, layers and ops such as ``a + b``), in Keras's order."""
        return list(self._operations)

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
        """The names of the layers (or ops) producing the flat outputs, in flat order, as Keras names them;
        a dict-returning model's keys are read from its outputs' structure instead."""
        return [t._history[0].name if t._history else f"output_{i}" for i, t in enumerate(self._output_tensors)]

    # --------------------------------------------------------------- running
    def call(self, inputs, training=None, mask=None):
        """Run the graph on ``inputs``. A ``training`` value given here (or inherited from an enclosing call)
        reaches every layer of the graph, replacing one fixed when the graph was built, as in Keras 3:
        ``Dropout(0.5)(x, training=True)`` drops out in ``fit`` but not in ``predict``."""
        flat = functional_inputs.standardize(self, inputs)
        values = {id(t): v for t, v in zip(self._input_tensors, flat)}

        def lookup(x):
            return values[id(x)] if isinstance(x, KerasTensor) else x

        for operation, treedef, leaves, slots, is_layer, output_ids in self._execution_plan():
            filled = leaves.copy()
            for index, key in slots:
                filled[index] = values[key]
            args, kwargs = treedef.unflatten(filled)  # new containers: the node's own stay as recorded
            if training is not None and is_layer:
                kwargs["training"] = training
            outputs = operation(*args, **kwargs)
            for key, value in zip(output_ids, _flat_outputs(outputs)):
                values[key] = value
        outputs = optree.tree_map(lookup, self._outputs_struct, is_leaf=_is_keras_tensor, none_is_leaf=True)
        # Keras returns the tensor itself for outputs=[x] on concrete data (its symbolic output stays a list).
        return outputs[0] if isinstance(outputs, (list, tuple)) and len(outputs) == 1 else outputs

    def _execution_plan(self) -> list:
        """Per node, in order, what running it needs, worked out once: ``(operation, treedef of (args, kwargs),
        their flat leaves, [(leaf index, id of the graph tensor whose value goes there)], whether the operation
        is a Layer (it takes ``training``), ids of the node's output tensors)``."""
        plan = _EXECUTION_PLANS.get(self)
        if plan is not None and plan[0] is self._nodes and plan[1] == len(self._nodes):
            return plan[2]
        steps = []
        for node in self._nodes:
            leaves, treedef = optree.tree_flatten((node.arguments_args, node.arguments_kwargs),
                                                  is_leaf=_is_keras_tensor, none_is_leaf=True)
            slots = [(index, id(leaf)) for index, leaf in enumerate(leaves) if isinstance(leaf, KerasTensor)]
            steps.append((node.operation, treedef, leaves, slots, isinstance(node.operation, Layer),
                          [id(t) for t in node.output_tensors]))
        _EXECUTION_PLANS[self] = (self._nodes, len(self._nodes), steps)
        return steps

    def compute_output_spec(self, inputs, training=None, mask=None):
        with warnings.catch_warnings():  # a structure mismatch is reported once, by the call on data
            warnings.simplefilter("ignore")
            given = functional_inputs.match(self, inputs)
            if len(given) != len(self._input_tensors) or any(
                    getattr(x, "shape", None) != t.shape for x, t in zip(given, self._input_tensors)):
                # Other sizes than the graph was built with (a fixed batch size, say): trace the graph with them.
                return Model.compute_output_spec(self, inputs, training=training, mask=mask)
        return optree.tree_map(lambda t: KerasTensor(t.shape, dtype=t.dtype), self._outputs_struct,
                               is_leaf=_is_keras_tensor)

    def _maybe_build(self, args, kwargs) -> None:
        return None

    # --------------------------------------------------------------- config
    def get_config(self) -> dict:
        """The graph in Keras 3's format: layers with their inbound nodes, input and output layers.

        A subclass with its own ``__init__`` (not ``(inputs, outputs, name)``) cannot be rebuilt from a
        graph: it gets ``Model``'s config unless it writes ``get_config``, as in Keras."""
        from brickwork.models.model import _takes_functional_arguments
        from brickwork.saving.serialization_lib import serialize_keras_object

        if not _takes_functional_arguments(type(self)):
            return Model.get_config(self)

        node_ids = {id(node) for node in self._nodes}
        node_index = {}  # id(node) -> index among the layer's nodes that belong to this model
        for operation in self._operations:
            own = [n for n in operation._inbound_nodes if id(n) in node_ids or n.is_input]
            for index, node in enumerate(own):
                node_index[id(node)] = index

        def history(tensor):
            operation, node_position, tensor_index = tensor._history
            node = operation._inbound_nodes[node_position]
            return [operation.name, node_index.get(id(node), node_position), tensor_index]

        def tensor_config(x):
            if isinstance(x, KerasTensor):
                return {"class_name": "__keras_tensor__",
                        "config": {"shape": list(x.shape), "dtype": x.dtype, "keras_history": history(x)}}
            return serialize_keras_object(x)

        def node_config(args, kwargs):
            return {"args": optree.tree_map(tensor_config, list(args), is_leaf=_is_keras_tensor, none_is_leaf=True),
                    "kwargs": optree.tree_map(tensor_config, dict(kwargs), is_leaf=_is_keras_tensor,
                                              none_is_leaf=True)}

        layers = []
        for operation in self._operations:  # layers, and plain ops (`a + b`) as Keras writes them
            nodes = [node for node in operation._inbound_nodes if id(node) in node_ids]
            if isinstance(operation, SymbolicOp):  # one call of an op: its static arguments go to its config
                (node,) = nodes
                entry, args, kwargs = node_as_operation(operation.op, node.arguments_args, node.arguments_kwargs)
                entry["config"] = serialize_keras_object({"name": operation.name, **entry["config"]})
                calls = [node_config(args, kwargs)]
            else:
                entry = serialize_keras_object(operation)
                calls = [node_config(node.arguments_args, node.arguments_kwargs) for node in nodes]
            entry["name"] = operation.name
            entry["inbound_nodes"] = calls
            layers.append(entry)
        return {
            "name": self.name,
            "trainable": self.trainable,
            "layers": layers,
            "input_layers": _map_structure(lambda t: history(t), self._inputs_struct),
            "output_layers": _map_structure(lambda t: history(t), self._outputs_struct),
        }

    def _build_from_data(self, x) -> None:
        return None


# Functional model -> its execution plan (kept outside the model, so that copying or pickling it never meets one).
_EXECUTION_PLANS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

_GRAPH_CONFIG_KEYS = ("name", "trainable", "layers", "input_layers", "output_layers")


def is_functional_config(config) -> bool:
    """Whether ``config`` describes a graph (Functional.get_config's keys)."""
    return all(key in config for key in ("name", "layers", "input_layers", "output_layers"))


def functional_from_config(cls, config, custom_objects=None):
    """Rebuild the graph: create each layer, replay its nodes once their inputs exist, then
    ``cls(inputs, outputs, name=...)``."""
    from brickwork.legacy.saving import saving_utils
    from brickwork.saving.serialization_lib import deserialize_keras_object

    created = {}  # layer name -> layer
    outputs_of = {}  # (layer name, node index) -> list of output tensors
    pending = []
    for layer_config in config["layers"]:
        if saving_utils.is_legacy_layer_config(layer_config):  # Keras 2 / .h5: {"class_name", "config"} only
            layer = saving_utils.model_from_config(layer_config, custom_objects=custom_objects)
        else:
            layer = deserialize_keras_object(layer_config, custom_objects=custom_objects)
        created[layer_config["name"]] = layer
        if isinstance(layer, InputLayer):
            outputs_of[(layer.name, 0)] = [layer.output]
        for node_config in layer_config.get("inbound_nodes", []):
            pending.append((layer_config["name"], saving_utils.modern_node(node_config)))
    for name, node_config in pending:
        for history in _node_histories(node_config):
            if history[0] not in created:
                raise ValueError(f"Invalid Functional model configuration. Missing node: {history[0]} "
                                 f"(an input of {name!r}).")
    counters: dict = {}
    while pending:
        progressed = False
        waiting = set()  # a shared layer's nodes replay in their order: node i before node i + 1
        for item in list(pending):
            name, node_config = item
            if name in waiting:
                continue
            waiting.add(name)
            try:
                args, kwargs = _resolve_node(node_config, outputs_of)
            except KeyError:
                continue
            result = created[name](*args, **kwargs)
            index = counters.get(name, 0)
            counters[name] = index + 1
            outputs_of[(name, index)] = _flat_outputs(result)
            pending.remove(item)
            progressed = True
        if not progressed:
            names = sorted({name for name, _ in pending})
            raise ValueError("Invalid Functional model configuration. The graph of the Functional model either has "
                             f"loops or disconnected nodes. The following nodes failed to be resolved: {names}")

    def lookup(history):
        name, node_index, tensor_index = history
        return outputs_of[(name, node_index)][tensor_index]

    inputs = _map_histories(lookup, config["input_layers"])
    outputs = _map_histories(lookup, config["output_layers"])
    # Keys a subclass added to the graph's config (its own __init__ arguments) go back to it, as in Keras.
    extra = {key: value for key, value in config.items() if key not in _GRAPH_CONFIG_KEYS}
    model = cls(inputs, outputs, name=config.get("name"), **extra)
    if not config.get("trainable", True):
        # As Keras passes trainable=False to the constructor: the model is frozen, its layers keep their flag.
        model._trainable = False
    return model


_LAYER_KWARGS = frozenset({"dtype", "autocast", "activity_regularizer"})


def _from_input_layers(inputs, outputs):
    """A graph cut at intermediate tensors, made to start at input layers as Keras does: each such model
    input gets an ``InputLayer`` of its own and the operations after it are called again from there.

    Example: ``Model(hidden, outputs).layers`` is ``[InputLayer, <the layers after hidden>]``."""
    from brickwork.layers.core.input_layer import Input

    def is_input_layer_output(tensor) -> bool:
        return tensor._history is None or tensor._history[0]._inbound_nodes[tensor._history[1]].is_input

    flat_inputs = _leaves(inputs)
    if all(is_input_layer_output(t) for t in flat_inputs):
        return inputs, outputs
    graph = _map_graph(flat_inputs, _leaves(outputs))
    values = {id(t): t if is_input_layer_output(t) else Input(batch_shape=t.shape, dtype=t.dtype)
              for t in flat_inputs}

    def lookup(x):
        return values.get(id(x), x) if isinstance(x, KerasTensor) else x

    for node in graph.nodes:
        if node.is_input:
            continue
        args = optree.tree_map(lookup, node.arguments_args, is_leaf=_is_keras_tensor, none_is_leaf=True)
        kwargs = optree.tree_map(lookup, node.arguments_kwargs, is_leaf=_is_keras_tensor, none_is_leaf=True)
        for tensor, value in zip(node.output_tensors, _flat_outputs(node.operation(*args, **kwargs))):
            values[id(tensor)] = value
    return (optree.tree_map(lookup, inputs, is_leaf=_is_keras_tensor, none_is_leaf=True),
            optree.tree_map(lookup, outputs, is_leaf=_is_keras_tensor, none_is_leaf=True))


def _is_history(x) -> bool:
    return isinstance(x, (list, tuple)) and len(x) == 3 and isinstance(x[0], str) and isinstance(x[1], int)


def _map_structure(fn, structure):
    """``fn`` over the KerasTensors of a model's inputs/outputs, in Keras's config shape."""
    if isinstance(structure, KerasTensor):
        return fn(structure)
    if isinstance(structure, dict):
        return {k: _map_structure(fn, v) for k, v in structure.items()}
    if isinstance(structure, tuple):  # kept in a config in memory; JSON makes it a list, as in Keras
        return tuple(_map_structure(fn, v) for v in structure)
    return [_map_structure(fn, v) for v in structure]


def _map_histories(fn, structure):
    """Inverse of ``_map_structure``: ``[name, node, tensor]`` entries become tensors."""
    if _is_history(structure):
        return fn(structure)
    if isinstance(structure, dict):
        return {k: _map_histories(fn, v) for k, v in structure.items()}
    mapped = [_map_histories(fn, v) for v in structure]
    return tuple(mapped) if isinstance(structure, tuple) else mapped


def _node_histories(node_config) -> list:
    """The ``[layer name, node index, tensor index]`` of every tensor a node config reads."""
    found = []

    def walk(x):
        if isinstance(x, dict) and x.get("class_name") == "__keras_tensor__":
            found.append(x["config"]["keras_history"])
        elif isinstance(x, dict):
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    walk([node_config.get("args", []), node_config.get("kwargs", {})])
    return found


def _resolve_node(node_config, outputs_of):
    """A node's args and kwargs with ``__keras_tensor__`` entries replaced by existing tensors."""
    from brickwork.saving.serialization_lib import deserialize_keras_object

    def resolve(x):
        if isinstance(x, dict) and x.get("class_name") == "__keras_tensor__":
            name, node_index, tensor_index = x["config"]["keras_history"]
            return outputs_of[(name, node_index)][tensor_index]
        if isinstance(x, dict) and "class_name" in x:
            return deserialize_keras_object(x)
        if isinstance(x, dict):
            return {k: resolve(v) for k, v in x.items()}
        if isinstance(x, list):
            return [resolve(v) for v in x]
        return x

    args = [resolve(a) for a in node_config.get("args", [])]
    kwargs = {k: resolve(v) for k, v in node_config.get("kwargs", {}).items()}
    return args, kwargs
