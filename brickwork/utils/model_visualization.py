"""``plot_model``: a diagram of a model's layers and connections, drawn by Graphviz.

The graph is written in Graphviz's DOT language and rendered by its ``dot`` program
(``apt-get install graphviz`` / ``brew install graphviz``) to PNG, SVG or PDF by the file's suffix.

Example:
    plot_model(model, "model.png", show_shapes=True, show_dtype=True, expand_nested=True)
"""

from __future__ import annotations

import html
import os
import shutil
import subprocess

from brickwork.saving.atomic import atomic_write


def _write(path: str, data: bytes) -> None:
    with atomic_write(path) as temporary:
        with open(temporary, "wb") as f:
            f.write(data)


def _shape_text(tensors) -> str:
    shapes = [str(tuple(t.shape)) for t in tensors]
    return shapes[0] if len(shapes) == 1 else "[" + ", ".join(shapes) + "]"


def _label(layer, show_shapes, show_dtype, show_layer_names, show_layer_activations, show_trainable) -> str:
    title = f"{layer.name} ({type(layer).__name__})" if show_layer_names else type(layer).__name__
    rows = [f'<tr><td colspan="2" bgcolor="#dbe9f6"><b>{html.escape(title)}</b></td></tr>']
    nodes = getattr(layer, "_inbound_nodes", [])
    if show_shapes and nodes:
        node = nodes[-1]
        inputs = _shape_text(node.input_tensors) if node.input_tensors else "-"
        rows.append(f"<tr><td>Input shape: {html.escape(inputs)}</td>"
                    f"<td>Output shape: {html.escape(_shape_text(node.output_tensors))}</td></tr>")
    if show_dtype and nodes:
        dtypes = ", ".join(sorted({t.dtype for t in nodes[-1].output_tensors}))
        rows.append(f'<tr><td colspan="2">Output dtype: {html.escape(dtypes)}</td></tr>')
    activation = getattr(layer, "activation", None)
    if show_layer_activations and activation is not None:
        rows.append(f'<tr><td colspan="2">Activation: {html.escape(getattr(activation, "__name__", str(activation)))}</td></tr>')
    if show_trainable:
        rows.append(f'<tr><td colspan="2">Trainable: {"Y" if layer.trainable else "N"}</td></tr>')
    return '<<table border="0" cellborder="1" cellspacing="0" cellpadding="4">' + "".join(rows) + "</table>>"


def _is_model(layer) -> bool:
    return hasattr(layer, "_nodes") or type(layer).__name__ == "Sequential"


def _graph_layers(model) -> list:
    if hasattr(model, "_operations"):
        return [op for op in model._operations if hasattr(op, "_inbound_nodes")]
    layers = list(model.layers)
    if getattr(model, "_input_layer", None) is not None:
        layers = [model._input_layer] + layers
    return layers


def model_to_dot(model, show_shapes=False, show_dtype=False, show_layer_names=True, rankdir="TB",
                 expand_nested=False, dpi=200, show_layer_activations=False, show_trainable=False) -> str:
    """The model's graph in the DOT language, the text ``plot_model`` hands to Graphviz.

    Args:
        model: a built model.
        show_shapes: print each layer's input and output shapes.
        show_dtype: print each layer's output dtype.
        show_layer_names: print layer names besides their types (default ``True``).
        rankdir: ``"TB"`` (top to bottom, default) or ``"LR"`` (left to right).
        expand_nested: draw nested models' layers inside a dashed box.
        dpi: the resolution written into the graph (default 200).
        show_layer_activations: print the activation of layers that have one.
        show_trainable: print whether each layer is trainable.

    Returns:
        The graph as a string (``digraph "model_name" { ... }``).

    Example:
    >>> model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)], name="tiny")
    >>> keras.utils.model_to_dot(model).splitlines()[0]   # 'digraph "tiny" {'
    """
    lines = [f"digraph {model.name!r} {{".replace("'", '"'),
             f'  graph [rankdir={rankdir}, dpi={int(dpi)}, fontname="Helvetica"];',
             '  node [shape=plaintext, fontname="Helvetica", fontsize=11];']
    options = (show_shapes, show_dtype, show_layer_names, show_layer_activations, show_trainable)
    ids = {}
    _emit(model, lines, ids, options, expand_nested, prefix="n")
    lines.append("}")
    return "\n".join(lines)


def _emit(model, lines, ids, options, expand_nested, prefix) -> None:
    layers = _graph_layers(model)
    for index, layer in enumerate(layers):
        node_id = f"{prefix}{index}"
        ids[id(layer)] = node_id
        if expand_nested and _is_model(layer):
            lines.append(f'  subgraph cluster_{node_id} {{ label="{html.escape(layer.name)}"; style=dashed;')
            _emit(layer, lines, ids, options, expand_nested, prefix=f"{node_id}_")
            lines.append("  }")
        else:
            lines.append(f"  {node_id} [label={_label(layer, *options)}];")
    sequential = not hasattr(model, "_nodes")
    if sequential:
        for a, b in zip(layers, layers[1:]):
            lines.append(f"  {_endpoint(a, ids, last=True)} -> {_endpoint(b, ids, last=False)};")
        return
    node_ids = {id(n) for n in model._nodes}
    for layer in layers:
        for node in layer._inbound_nodes:
            if id(node) not in node_ids:
                continue
            for tensor in node.input_tensors:
                if tensor._history is not None and id(tensor._history[0]) in ids:
                    lines.append(f"  {_endpoint(tensor._history[0], ids, last=True)} -> "
                                 f"{_endpoint(layer, ids, last=False)};")


def _endpoint(layer, ids, last: bool) -> str:
    """The node an edge attaches to; for an expanded nested model, its first or last inner layer."""
    node_id = ids[id(layer)]
    if _is_model(layer):
        inner = _graph_layers(layer)
        if inner and id(inner[-1 if last else 0]) in ids:
            return _endpoint(inner[-1 if last else 0], ids, last)
    return node_id


def plot_model(model, to_file="model.png", show_shapes=False, show_dtype=False, show_layer_names=True,
               rankdir="TB", expand_nested=False, dpi=200, show_layer_activations=False,
               show_trainable=False, **kwargs):
    """Draw ``model`` to ``to_file`` (``.png``, ``.svg``, ``.pdf`` or ``.dot``) with Graphviz.

    Args:
        model: a built model.
        to_file: the file to write (default ``"model.png"``); its extension picks the format. A ``.dot``
            file is written without Graphviz; the other formats need Graphviz's ``dot`` program.
        show_shapes, show_dtype: print each layer's input/output shapes and output dtype.
        show_layer_names: print layer names besides their types.
        rankdir: ``"TB"`` (top to bottom) or ``"LR"`` (left to right).
        expand_nested: draw nested models' layers inside a dashed box.
        dpi: the resolution of raster output (default 200).
        show_layer_activations: print the activation of layers that have one.
        show_trainable: print whether each layer is trainable.
        **kwargs: accepted for Keras compatibility and ignored.

    Returns:
        ``None``; the drawing is in ``to_file``.

    Example:
    >>> model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
    >>> keras.utils.plot_model(model, to_file="model.dot", show_shapes=True)
    """
    if not model.built:
        raise ValueError(f"plot_model: model {model.name!r} is not built yet; call it on data or build it first.")
    dot = model_to_dot(model, show_shapes, show_dtype, show_layer_names, rankdir, expand_nested, dpi,
                       show_layer_activations, show_trainable)
    extension = os.path.splitext(to_file)[1].lstrip(".").lower() or "png"
    if extension == "dot":
        _write(to_file, dot.encode())
        return None
    program = shutil.which("dot")
    if program is None:
        raise ImportError(
            "plot_model needs Graphviz's `dot` program: install Graphviz (e.g. `apt-get install graphviz` or "
            "`brew install graphviz`), or save to a .dot file instead."
        )
    result = subprocess.run([program, f"-T{extension}"], input=dot.encode(), capture_output=True, check=False)
    if result.returncode != 0:
        raise ValueError(f"plot_model: Graphviz failed to draw {to_file!r}: {result.stderr.decode().strip()}")
    _write(to_file, result.stdout)
    return None
