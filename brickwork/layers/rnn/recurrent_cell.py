"""``RecurrentCell``: what the built-in cells (SimpleRNN, GRU, LSTM, ConvLSTM) share.

Each of them takes the same settings for its three weights (``kernel``, ``recurrent_kernel``,
``bias``), an activation, dropout rates and a seed, and its config is its ``__init__`` arguments.
Reading those settings and writing them back is done here once; a cell file holds its own
arguments, weights and step.
"""

from __future__ import annotations

from brickwork import activations, constraints, initializers, random, regularizers
from brickwork.layers.layer import Layer
from brickwork.layers.rnn.dropout_rnn_cell import DropoutRNNCell

# The shared settings that name an object: read with the namespace's ``get``, written with its ``serialize``.
_NAMESPACES = {
    "activation": activations,
    "recurrent_activation": activations,
    "kernel_initializer": initializers,
    "recurrent_initializer": initializers,
    "bias_initializer": initializers,
    "kernel_regularizer": regularizers,
    "recurrent_regularizer": regularizers,
    "bias_regularizer": regularizers,
    "kernel_constraint": constraints,
    "recurrent_constraint": constraints,
    "bias_constraint": constraints,
}


def check_units(layer, units) -> None:
    if isinstance(units, bool) or not isinstance(units, int) or units <= 0:
        raise ValueError(f"{type(layer).__name__}: `units` must be a positive integer, received {units!r}.")


def dropout_rate(value) -> float:
    return min(1.0, max(0.0, float(value)))


def named_arguments(local_names: dict) -> dict:
    """The named arguments an ``__init__`` was called with, in its signature's order: ``locals()`` taken
    on its first line, without ``self`` and ``**kwargs``."""
    return {name: value for name, value in local_names.items() if name not in ("self", "kwargs", "__class__")}


class RecurrentCell(Layer, DropoutRNNCell):
    """Base of the built-in cells: their shared settings, dropout masks' seed generator and config.

    A subclass sets its own arguments (``units``, ``reset_after``, ...) itself and calls
    ``_read_settings`` with all of them; ``get_config`` then returns them in the same order.
    """

    def _read_settings(self, arguments: dict) -> None:
        """Set the shared settings among ``arguments`` (the cell's ``__init__`` arguments, in order) and
        remember the names of all of them for ``get_config``."""
        for name, value in arguments.items():
            if name in _NAMESPACES:
                setattr(self, name, _NAMESPACES[name].get(value))
            elif name in ("use_bias", "unit_forget_bias"):
                setattr(self, name, bool(value))
            elif name in ("dropout", "recurrent_dropout"):
                setattr(self, name, dropout_rate(value))
        self.seed = arguments["seed"]
        self.seed_generator = random.SeedGenerator(self.seed) if self.dropout or self.recurrent_dropout else None
        self._config_names = tuple(arguments)

    def get_config(self) -> dict:
        config = super().get_config()
        for name in self._config_names:
            value = getattr(self, name)
            config[name] = _NAMESPACES[name].serialize(value) if name in _NAMESPACES else value
        return config
