"""Helpers about symbolic tensors: ``get_source_inputs`` (and ``is_keras_tensor``)."""

from __future__ import annotations

from brickwork.backend.common.keras_tensor import KerasTensor, is_keras_tensor  # noqa: F401


def get_source_inputs(tensor) -> list:
    """The input tensors a symbolic tensor is computed from (walking its graph back to inputs).

    Args:
        tensor: a ``KerasTensor`` (e.g. a Functional model's output).

    Returns:
        The list of the ``Input`` tensors it depends on, each once (a tensor made by no layer is
            its own source).

    Example:
        >>> inputs = keras.Input((4,))
        >>> outputs = keras.layers.Dense(2)(keras.layers.Dense(3)(inputs))
        >>> keras.utils.get_source_inputs(outputs)[0] is inputs
        True
    """
    history = getattr(tensor, "_history", None)
    if not isinstance(tensor, KerasTensor) or history is None:
        return [tensor]
    operation, node_index, _ = history
    node = operation._inbound_nodes[node_index]
    if node.is_input:
        return list(node.output_tensors)
    sources: list = []
    for parent in node.input_tensors:
        for source in get_source_inputs(parent):
            if all(source is not known for known in sources):
                sources.append(source)
    return sources
