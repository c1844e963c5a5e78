"""``StackedRNNCells``: a list of cells run one after the other at each step, as one cell."""

from __future__ import annotations

from brickwork import ops
from brickwork.backend.common.name_scope import name_scope
from brickwork.layers.core.wrapper import build_inner_layer
from brickwork.layers.layer import Layer
from brickwork.saving import serialization_lib


def _cell_output_size(cell) -> int:
    size = getattr(cell, "output_size", None)
    if size is not None:
        return size
    return cell.state_size[0] if isinstance(cell.state_size, (list, tuple)) else cell.state_size


class StackedRNNCells(Layer):
    """Wrap cells so that each step feeds the output of one cell to the next.

    Args:
        cells: the cells, first to last.

    Example:
    >>> cells = [LSTMCell(8), LSTMCell(4)]
    >>> RNN(StackedRNNCells(cells))(np.zeros((2, 5, 3))).shape   # (2, 4); RNN(cells) is the same
    """

    def __init__(self, cells, **kwargs):
        super().__init__(**kwargs)
        for cell in cells:
            if not hasattr(cell, "call") or not hasattr(cell, "state_size"):
                raise ValueError(
                    f"StackedRNNCells: every cell needs a `call` method and a `state_size` attribute; "
                    f"received {cell!r}."
                )
        self.cells = list(cells)

    @property
    def state_size(self) -> list:
        return [cell.state_size for cell in self.cells]

    @property
    def output_size(self) -> int:
        return _cell_output_size(self.cells[-1])

    def get_initial_state(self, batch_size=None) -> list:
        states = []
        for cell in self.cells:
            get_initial_state = getattr(cell, "get_initial_state", None)
            if get_initial_state is not None:
                state = get_initial_state(batch_size=batch_size)
                if isinstance(cell.state_size, int) and isinstance(state, (list, tuple)):
                    state = state[0]  # a single-state cell carries a tensor, as its state_size says
                states.append(state)
            elif isinstance(cell.state_size, int):
                states.append(ops.zeros((batch_size, cell.state_size), dtype=self.compute_dtype))
            else:
                states.append([ops.zeros((batch_size, size), dtype=self.compute_dtype) for size in cell.state_size])
        return states

    def call(self, inputs, states, training=False, **kwargs):
        new_states = []
        for cell, cell_states in zip(self.cells, states):
            is_list = isinstance(cell_states, (list, tuple))
            cell_states = list(cell_states) if is_list else [cell_states]
            call_kwargs = dict(kwargs)
            if isinstance(cell, Layer) and cell._call_signature.has_training:
                call_kwargs["training"] = training
            call = cell.__call__ if callable(cell) else cell.call
            inputs, cell_states = call(inputs, cell_states, **call_kwargs)
            if not isinstance(cell_states, (list, tuple)):
                cell_states = [cell_states]
            new_states.append(cell_states[0] if len(cell_states) == 1 and not is_list else list(cell_states))
        return inputs, new_states

    def build(self, input_shape):
        for cell in self.cells:
            if isinstance(cell, Layer):
                with name_scope(self.name, caller=self):
                    build_inner_layer(cell, input_shape)
            input_shape = (input_shape[0], _cell_output_size(cell))
        self.built = True

    def get_config(self) -> dict:
        config = super().get_config()
        config["cells"] = [serialization_lib.serialize_keras_object(cell) for cell in self.cells]
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        config = dict(config)
        cells = [serialization_lib.deserialize_keras_object(c, custom_objects=custom_objects)
                 for c in config.pop("cells")]
        return cls(cells, **config)
