"""``model.summary()``: the layer table in Keras 3's layout.

    Model: "sequential"
    ┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
    ┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
    ┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
    │ dense (Dense)                   │ (None, 32)             │        25,120 │
    └─────────────────────────────────┴────────────────────────┴───────────────┘
     Total params: 25,120 (98.12 KB)
"""

from __future__ import annotations

import math
import re
import shutil

from brickwork import tree
from brickwork.backend.common import dtypes
from brickwork.config import is_interactive_logging_enabled
from brickwork.layers.layer_call import ShapesByArgument
from brickwork.utils import text_table
from brickwork.utils.io_utils import print_msg


def _format_size(num_bytes: float) -> str:
    for unit, scale in (("GB", 1024 ** 3), ("MB", 1024 ** 2), ("KB", 1024)):
        if num_bytes >= scale:
            return f"{num_bytes / scale:.2f} {unit}"
    return f"{num_bytes:.2f} B"


def _weight_bytes(variables) -> float:
    total = 0.0
    for v in variables:
        bits = 16 if v.dtype in ("float16", "bfloat16") else 8 * dtypes.to_numpy_dtype(v.dtype).itemsize
        total += math.prod(v.shape) * bits / 8
    return total


def _count(variables) -> int:
    return int(sum(math.prod(v.shape) for v in variables))


def _shape_text(layer) -> str:
    """The output shape of ``layer``'s last call in a graph, else the one its recorded build shapes give, else
    ``?`` (a layer never built, or one that cannot compute its output shape)."""
    nodes = getattr(layer, "_inbound_nodes", [])
    if nodes:
        shapes = [t.shape for t in nodes[-1].output_tensors]
        text = ", ".join(_one_shape(s) for s in shapes)
        return text if len(shapes) == 1 else f"[{text}]"
    build_shapes = getattr(layer, "_build_shapes", None)
    if build_shapes is None:
        return "?"
    try:
        if isinstance(build_shapes, ShapesByArgument):  # one shape per call argument, by parameter name
            output_shapes = layer.compute_output_shape(**build_shapes)
        else:
            output_shapes = layer.compute_output_shape(build_shapes)
    except NotImplementedError:
        return "?"
    texts = tree.map_shape_structure(_one_shape, output_shapes)
    leaves = tree.flatten(texts)
    return leaves[0] if len(leaves) == 1 else str(texts).replace("'", "")


def _one_shape(shape) -> str:
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + (",)" if len(shape) == 1 else ")")


def _connected_to(layer, relevant_nodes) -> str:
    """``name[node][tensor]`` of every tensor feeding ``layer`` through the model's own nodes."""
    names = []
    for node in getattr(layer, "_inbound_nodes", []):
        if relevant_nodes is not None and id(node) not in relevant_nodes:
            continue
        for tensor in node.input_tensors:
            if tensor._history is not None:
                op, node_index, tensor_index = tensor._history
                names.append(f"{op.name}[{node_index}][{tensor_index}]")
    return ", ".join(names) if names else "-"


def _layout(model) -> tuple[list, bool, set | None]:
    """``(rows' layers, sequential_like, the graph's node ids)``: a Sequential or subclassed model lists its
    layers; a Functional one its operations (input layers and ops too), with a "Connected to" column unless
    its graph is a single chain."""
    if type(model).__name__ == "Sequential" or not _is_functional(model):
        return list(model.layers), True, None
    graph_nodes = list(getattr(model, "_graph", None).nodes) if getattr(model, "_graph", None) else []
    return list(getattr(model, "_operations", model.layers)), _is_chain(graph_nodes), {id(n) for n in graph_nodes}


def _is_chain(nodes) -> bool:
    """Whether the graph is one line of nodes: one node at each depth (the longest path to an output), none
    taking more than one tensor, no layer called twice."""
    depth = {}
    for node in reversed(nodes):  # the nodes run in an order that runs: walk back from the outputs
        depth.setdefault(id(node), 0)
        for parent in node.parent_nodes:
            depth[id(parent)] = max(depth.get(id(parent), 0), depth[id(node)] + 1)
    per_depth = {}
    for node in nodes:
        per_depth[depth.get(id(node), 0)] = per_depth.get(depth.get(id(node), 0), 0) + 1
    if any(count > 1 for count in per_depth.values()) or any(len(tree.flatten(n.input_tensors)) > 1 for n in nodes):
        return False
    operations = [id(n.operation) for n in nodes if getattr(n, "operation", None) is not None]
    return len(operations) == len(set(operations))


def _layer_bounds(layers, layer_range) -> tuple[int, int]:
    """The slice of ``layers`` from the first whose name matches ``layer_range[0]`` (a regular expression)
    to the last matching ``layer_range[1]``, both included."""
    if layer_range is None:
        return 0, len(layers)
    if len(layer_range) != 2:
        raise ValueError(f"summary: `layer_range` must be a list or tuple of two layer names; received {layer_range!r} "
                         f"of length {len(layer_range)}.")
    if not all(isinstance(name, str) for name in layer_range):
        raise ValueError(f"summary: `layer_range` must hold two strings (names or regular expressions); received "
                         f"{layer_range!r}.")
    lower = [i for i, layer in enumerate(layers) if re.match(layer_range[0], layer.name)]
    upper = [i for i, layer in enumerate(layers) if re.match(layer_range[1], layer.name)]
    if not lower or not upper:
        raise ValueError(f"summary: the names in `layer_range` ({layer_range!r}) do not match the layer names in the "
                         f"model: {[layer.name for layer in layers]}.")
    if min(lower) > max(upper):
        return min(upper), max(lower) + 1
    return min(lower), max(upper) + 1


def _rows_for(layer, cells_of, expand_nested, level=0) -> list:
    prefix = "   " * level + "└ " if level else ""
    rows = [cells_of(layer, prefix)]
    if expand_nested and getattr(layer, "layers", None):
        for inner in layer.layers:
            rows.extend(_rows_for(inner, cells_of, expand_nested, level + 1))
    return rows


def print_summary(model, line_length=None, positions=None, print_fn=None, expand_nested=False,
                  show_trainable=False, layer_range=None) -> None:
    """Print ``model``'s layer table and parameter totals, laid out as Keras 3 lays them out.

    Args:
        line_length: the table's width; default 88 characters (108 with a "Connected to" column, 12 more
            with ``show_trainable``), at most the terminal's width less 4.
        positions: each column's right edge as a fraction of ``line_length``; default
            ``[0.45, 0.80, 1.0]`` (``[0.3, 0.56, 0.74, 1.0]`` with "Connected to").
        print_fn: called once with the whole summary; default: printed (to the log when interactive
            logging is off).
        expand_nested: also list the layers of nested models, indented under them.
        show_trainable: add a "Trainable" column (``Y``/``N``; ``-`` for a layer without weights).
        layer_range: ``[first, last]`` layer names (regular expressions) bounding the rows printed.

    Example:
        >>> model = brickwork.Sequential([brickwork.Input((3,)), brickwork.layers.Dense(4)])
        >>> model.summary(line_length=60, show_trainable=True)
    """
    layers, sequential_like, relevant_nodes = _layout(model)
    if sequential_like:
        default_length, positions = 88, positions or [0.45, 0.80, 1.0]
        headers, align = ["Layer (type)", "Output Shape", "Param #"], ["left", "left", "right"]
    else:
        default_length, positions = 108, positions or [0.3, 0.56, 0.74, 1.0]
        headers, align = ["Layer (type)", "Output Shape", "Param #", "Connected to"], ["left", "left", "right", "left"]
    if show_trainable:
        default_length += 12
        positions = [p * 0.90 for p in positions] + [1.0]
        headers, align = [*headers, "Trainable"], [*align, "center"]
    line_length = line_length or min(default_length, shutil.get_terminal_size().columns - 4)
    widths = text_table.fit_widths(text_table.column_widths(positions, line_length), line_length)

    def cells_of(layer, prefix):
        if not hasattr(layer, "built"):  # an op, which holds no weights
            params = "0"
        else:
            params = f"{layer.count_params():,}" if layer.built else "0 (unbuilt)"
        cells = [f"{prefix}{layer.name} ({_type_name(layer)})", _shape_text(layer), params]
        if not sequential_like:
            cells.append(_connected_to(layer, relevant_nodes))
        if show_trainable:
            cells.append(("Y" if layer.trainable else "N") if getattr(layer, "weights", None) else "-")
        return cells

    begin, end = _layer_bounds(layers, layer_range)
    rows = [row for layer in layers[begin:end] for row in _rows_for(layer, cells_of, expand_nested)]
    lines = [f'Model: "{model.name}"', *text_table.render(headers, rows, widths, align), *_totals(model)]
    text = "\n".join(lines) + "\n"
    if print_fn is not None:
        print_fn(text)
    elif is_interactive_logging_enabled():
        print(text, end="")
    else:
        print_msg(text, line_break=False)


def _totals(model) -> list[str]:
    trainable = model.trainable_weights if model.built else []
    trainable_ids = {id(v) for v in trainable}
    non_trainable = [v for v in model.weights if id(v) not in trainable_ids] if model.built else []
    optimizer = getattr(model, "optimizer", None)
    optimizer_vars = list(optimizer.variables) if optimizer is not None and getattr(optimizer, "built", False) else []
    total = trainable + non_trainable
    total_bytes = _weight_bytes(total) + _weight_bytes(optimizer_vars)
    lines = [f" Total params: {_count(total) + _count(optimizer_vars):,} ({_format_size(total_bytes)})",
             f" Trainable params: {_count(trainable):,} ({_format_size(_weight_bytes(trainable))})",
             f" Non-trainable params: {_count(non_trainable):,} ({_format_size(_weight_bytes(non_trainable))})"]
    if optimizer_vars:
        lines.append(f" Optimizer params: {_count(optimizer_vars):,} ({_format_size(_weight_bytes(optimizer_vars))})")
    return lines


def _type_name(layer) -> str:
    """The class name Keras shows: a layer's, or for an op in a graph its op class (``ops.mean`` is ``Mean``)."""
    op = getattr(layer, "op", None)
    if op is not None and not hasattr(layer, "built"):
        name = getattr(op, "__name__", layer.name)
        return "".join(part[:1].upper() + part[1:] for part in name.strip("_").split("_"))
    return type(layer).__name__


def _is_functional(model) -> bool:
    return type(model).__name__ == "Functional" or hasattr(model, "_nodes")


__all__ = ["print_summary"]
