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

from brickwork import tree
from brickwork.backend.common import dtypes

_WIDTHS = (33, 24, 15)
_CONNECTED_WIDTH = 25


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
        if isinstance(build_shapes, dict):
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


def _connected_to(layer, model_layers) -> str:
    names = []
    for node in getattr(layer, "_inbound_nodes", [])[:1]:
        for tensor in node.input_tensors:
            if tensor._history is not None:
                op, node_index, tensor_index = tensor._history
                names.append(f"{op.name}[{node_index}][{tensor_index}]")
    return ", ".join(names) if names else "-"


def _row(cells, widths, left="│", mid="│", right="│", align=None) -> str:
    parts = []
    for i, (cell, width) in enumerate(zip(cells, widths)):
        text = str(cell)
        if len(text) > width - 2:
            text = text[: width - 3] + "…"
        parts.append(" " + (text.rjust(width - 2) if align and align[i] == "right" else text.ljust(width - 2)) + " ")
    return left + mid.join(parts) + right


def _rule(widths, left, mid, right, fill) -> str:
    return left + mid.join(fill * w for w in widths) + right


def print_summary(model, line_length=None, positions=None, print_fn=None, expand_nested=False,
                  show_trainable=False) -> None:
    """Print ``model``'s layer table and parameter totals (through ``print_fn``, default ``print``)."""
    print_fn = print_fn or print
    if _is_functional(model):  # ops such as `ops.mean(x)` get a row of their own, as in Keras
        layers = list(getattr(model, "_operations", model.layers))
    else:
        layers = [layer for layer in model.layers if type(layer).__name__ != "InputLayer"]
    functional = _is_functional(model) and _has_branches(model)
    headers = ["Layer (type)", "Output Shape", "Param #"] + (["Connected to"] if functional else [])
    widths = list(_WIDTHS) + ([_CONNECTED_WIDTH] if functional else [])
    if show_trainable:
        headers.append("Trainable")
        widths.append(11)
    align = ["left", "left", "right", "left", "left"]
    lines = [f'Model: "{model.name}"']
    lines.append(_rule(widths, "┏", "┳", "┓", "━"))
    lines.append(_row(headers, widths, "┃", "┃", "┃", align))
    lines.append(_rule(widths, "┡", "╇", "┩", "━"))
    for index, layer in enumerate(layers):
        if not hasattr(layer, "built"):  # an op, which holds no weights
            params = "0"
        else:
            params = f"{layer.count_params():,}" if layer.built else "0 (unbuilt)"
        cells = [f"{layer.name} ({type(layer).__name__})", _shape_text(layer), params]
        if functional:
            cells.append(_connected_to(layer, layers))
        if show_trainable:
            cells.append(("Y" if layer.trainable else "N") if getattr(layer, "weights", None) else "-")
        lines.append(_row(cells, widths, align=align))
        if index < len(layers) - 1:
            lines.append(_rule(widths, "├", "┼", "┤", "─"))
    lines.append(_rule(widths, "└", "┴", "┘", "─"))
    trainable = model.trainable_weights if model.built else []
    trainable_ids = {id(v) for v in trainable}
    non_trainable = [v for v in model.weights if id(v) not in trainable_ids] if model.built else []
    optimizer = getattr(model, "optimizer", None)
    optimizer_vars = list(optimizer.variables) if optimizer is not None and getattr(optimizer, "built", False) else []
    total = trainable + non_trainable
    lines.append(f" Total params: {_count(total) + _count(optimizer_vars):,} "
                 f"({_format_size(_weight_bytes(total) + _weight_bytes(optimizer_vars))})")
    lines.append(f" Trainable params: {_count(trainable):,} ({_format_size(_weight_bytes(trainable))})")
    lines.append(f" Non-trainable params: {_count(non_trainable):,} ({_format_size(_weight_bytes(non_trainable))})")
    if optimizer_vars:
        lines.append(f" Optimizer params: {_count(optimizer_vars):,} ({_format_size(_weight_bytes(optimizer_vars))})")
    for line in lines:
        print_fn(line)


def _is_functional(model) -> bool:
    return type(model).__name__ == "Functional" or hasattr(model, "_nodes")


def _has_branches(model) -> bool:
    nodes = getattr(model, "_nodes", [])
    return len(getattr(model, "_input_tensors", [])) > 1 or any(len(n.input_tensors) > 1 for n in nodes) or any(
        len(getattr(layer, "_outbound_nodes", [])) > 1 for layer in model.layers)


__all__ = ["print_summary"]
