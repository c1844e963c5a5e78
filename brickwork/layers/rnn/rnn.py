"""``RNN``: run a cell over the time axis of a sequence (the loop behind every recurrent layer)."""

from __future__ import annotations

import optree

from brickwork import backend, ops, regularizers
from brickwork.backend.common.name_scope import name_scope
from brickwork.layers.core.wrapper import build_inner_layer
from brickwork.layers.input_spec import InputSpec
from brickwork.layers.layer import Layer
from brickwork.layers.rnn.dropout_rnn_cell import DropoutRNNCell
from brickwork.layers.rnn.stacked_rnn_cells import StackedRNNCells
from brickwork.saving import serialization_lib


def _is_tensor_leaf(x) -> bool:
    return hasattr(x, "shape")


def _as_list(states) -> list:
    return list(states) if isinstance(states, (list, tuple)) else [states]


def _output_size(cell) -> int:
    """The size of a cell's output: ``output_size``, else its first state's size."""
    size = getattr(cell, "output_size", None)
    return size if size is not None else optree.tree_leaves(cell.state_size)[0]


class RNN(Layer):
    """Base class of recurrent layers: loops ``cell`` over axis 1 of ``(batch, time, ...)`` inputs.

    A cell has ``call(step_input, states) -> (output, new_states)``, a ``state_size`` (an int
    or one int per state) and optionally ``output_size`` and ``get_initial_state(batch_size)``.

    Args:
        cell: a cell, or a list of cells (stacked with ``StackedRNNCells``).
        return_sequences: return the output of every step, ``(batch, time, units)``; else the last.
        return_state: also return the final states: ``[output, *states]``.
        go_backwards: process the sequence from its end (the outputs come in that order).
        stateful: the final states of a batch are the initial states of the next (fixed batch size).
        unroll: unroll the loop (jax; needs a known number of steps).
        zero_output_for_mask: masked steps output zeros instead of repeating the previous output.

    Call arguments:
        sequences: ``(batch, time, features)``.
        initial_state: the initial states (a tensor or a list), default zeros.
        mask: ``(batch, time)`` booleans; masked steps leave the states unchanged.
        training: passed to the cell (dropout).

    Example:
    >>> layer = RNN(LSTMCell(4), return_sequences=True)
    >>> layer(np.zeros((2, 10, 8))).shape   # (2, 10, 4)
    """

    def __init__(self, cell, return_sequences=False, return_state=False, go_backwards=False, stateful=False,
                 unroll=False, zero_output_for_mask=False, **kwargs):
        if isinstance(cell, (list, tuple)):
            cell = StackedRNNCells(cell)
        if not hasattr(cell, "call"):
            raise ValueError(f"{type(self).__name__}: argument `cell` must have a `call` method, received {cell!r}.")
        state_size = getattr(cell, "state_size", None)
        if not isinstance(state_size, (int, list, tuple)):
            raise ValueError(
                f"{type(self).__name__}: the cell must have a `state_size` attribute (an integer or a list of "
                f"integers, one per state), received state_size={state_size!r} from {cell!r}."
            )
        super().__init__(**kwargs)
        self.cell = cell
        self.return_sequences = bool(return_sequences)
        self.return_state = bool(return_state)
        self.go_backwards = bool(go_backwards)
        self.stateful = bool(stateful)
        self.unroll = bool(unroll)
        self.zero_output_for_mask = bool(zero_output_for_mask)
        self.supports_masking = True
        self.states = None
        self.single_state = isinstance(state_size, int)
        self.state_size = [state_size] if self.single_state else list(state_size)

    # ------------------------------------------------------------------ shapes
    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        batch_size, steps = sequences_shape[0], sequences_shape[1]
        states_shape = [
            (batch_size, size) if isinstance(size, int) else [(batch_size, s) for s in size]
            for size in self.state_size
        ]
        output_size = _output_size(self.cell)
        output_shape = (batch_size, steps, output_size) if self.return_sequences else (batch_size, output_size)
        if self.return_state:
            return (output_shape, *states_shape)
        return output_shape

    def compute_mask(self, inputs, mask):
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        output_mask = mask if self.return_sequences else None
        if self.return_state:
            return [output_mask] + [None] * len(self.state_size)
        return output_mask

    # ------------------------------------------------------------------ state
    def build(self, sequences_shape, initial_state_shape=None):
        self._check_unroll(sequences_shape)
        if isinstance(self.cell, Layer):
            # In this layer's scope even when build is called directly: weights read ``lstm/lstm_cell/kernel``.
            with name_scope(self.name, caller=self):
                build_inner_layer(self.cell, (sequences_shape[0],) + tuple(sequences_shape[2:]))
        if self.stateful:
            if self.states is not None:
                self.reset_state()
            elif sequences_shape[0] is None:
                raise ValueError(
                    f"{type(self).__name__} {self.name!r}: `stateful=True` needs a fixed batch size; received "
                    f"input shape {tuple(sequences_shape)}. Pass `batch_size=` to `Input`."
                )
            else:
                with name_scope(self.name, caller=self):
                    self.states = optree.tree_map(
                        lambda value: backend.Variable(value, trainable=False, dtype=self.variable_dtype,
                                                       name="rnn_state"),
                        self.get_initial_state(sequences_shape[0]), is_leaf=_is_tensor_leaf)
        self.built = True

    def get_initial_state(self, batch_size) -> list:
        """Zero states for ``batch_size`` sequences (the cell's own ``get_initial_state`` if it has one)."""
        get_initial_state = getattr(self.cell, "get_initial_state", None)
        if get_initial_state is None:
            return [ops.zeros((batch_size, size), dtype=self.compute_dtype) for size in self.state_size]
        return _as_list(get_initial_state(batch_size=batch_size))

    def reset_state(self) -> None:
        """Set the states of a stateful layer back to zeros."""
        if self.states is not None:
            for variable in optree.tree_leaves(self.states):
                variable.assign(ops.zeros(variable.shape, dtype=variable.dtype))

    def reset_states(self) -> None:
        """Alias of ``reset_state``."""
        self.reset_state()

    # ------------------------------------------------------------------ calling
    def call(self, sequences, initial_state=None, mask=None, training=False):
        self._check_unroll(sequences.shape)
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        if initial_state is None:
            if self.stateful:
                self._check_stateful_batch_size(sequences.shape[0])
                # A copy: the variables are assigned in place below, autograd may still need the old values.
                initial_state = optree.tree_map(lambda v: ops.copy(v.value), self.states,
                                                is_leaf=backend.is_variable)
            else:
                initial_state = self.get_initial_state(ops.shape(sequences)[0])
        initial_state = optree.tree_map(lambda x: ops.cast(x, self.cell_compute_dtype), _as_list(initial_state),
                                        is_leaf=_is_tensor_leaf)
        if training:
            # Draw the dropout masks before the loop: the loop itself stays free of random state.
            self._configure_dropout_masks(self.cell, sequences[:, 0], initial_state)
        try:
            last_output, outputs, states = self.inner_loop(sequences, initial_state, mask, training=training)
        finally:
            self._reset_dropout_masks(self.cell)
        if self.cell_compute_dtype != self.compute_dtype:  # a float32 cell inside a mixed-precision RNN
            last_output, outputs, states = optree.tree_map(
                lambda x: ops.cast(x, self.compute_dtype), (last_output, outputs, states), is_leaf=_is_tensor_leaf)
        if self.stateful:
            for variable, state in zip(optree.tree_leaves(self.states, is_leaf=backend.is_variable),
                                       optree.tree_leaves(states, is_leaf=_is_tensor_leaf)):
                variable.assign(state)
        output = outputs if self.return_sequences else last_output
        if self.return_state:
            return (output, *states)
        return output

    def _check_stateful_batch_size(self, batch_size) -> None:
        stored = optree.tree_leaves(self.states, is_leaf=backend.is_variable)[0].shape[0]
        if batch_size is not None and stored is not None and batch_size != stored:
            raise ValueError(
                f"{type(self).__name__} {self.name!r}: a stateful layer keeps states for a batch size of {stored}; "
                f"received inputs with batch size {batch_size}. Feed batches of {stored} (or rebuild the layer)."
            )

    def _check_unroll(self, shape) -> None:
        if self.unroll and shape[1] is None:
            raise ValueError(
                f"{type(self).__name__} {self.name!r}: `unroll=True` needs a known number of time steps; "
                f"received input shape {tuple(shape)}."
            )

    @property
    def cell_compute_dtype(self) -> str:
        return getattr(self.cell, "compute_dtype", self.compute_dtype)

    def inner_loop(self, sequences, initial_state, mask, training=False):
        """``(last_output, outputs, states)`` of the cell over the sequence (the engine's loop)."""
        cell = self.cell
        call = cell.__call__ if callable(cell) else cell.call
        cell_kwargs = {}
        if isinstance(cell, Layer) and cell._call_signature.has_training:
            cell_kwargs["training"] = training

        def step(step_input, states):
            output, new_states = call(step_input, states, **cell_kwargs)
            return output, _as_list(new_states)

        return backend.active.rnn.rnn(step, sequences, initial_state, go_backwards=self.go_backwards, mask=mask,
                                      unroll=self.unroll, zero_output_for_mask=self.zero_output_for_mask,
                                      return_all_outputs=self.return_sequences)

    def _configure_dropout_masks(self, cell, step_input, states) -> None:
        if isinstance(cell, DropoutRNNCell):
            cell.get_dropout_mask(step_input)
            cell.get_recurrent_dropout_mask(optree.tree_leaves(states, is_leaf=_is_tensor_leaf)[0])
        elif isinstance(cell, StackedRNNCells):
            for inner, inner_states in zip(cell.cells, states):
                self._configure_dropout_masks(inner, step_input, _as_list(inner_states))
                # The next cell's input is this cell's output: only its shape matters for the masks.
                step_input = ops.zeros((step_input.shape[0], _output_size(inner)), dtype=step_input.dtype)

    def _reset_dropout_masks(self, cell) -> None:
        if isinstance(cell, DropoutRNNCell):
            cell.reset_dropout_mask()
            cell.reset_recurrent_dropout_mask()
        elif isinstance(cell, StackedRNNCells):
            for inner in cell.cells:
                self._reset_dropout_masks(inner)

    # ------------------------------------------------------------------ config
    def get_config(self) -> dict:
        config = super().get_config()
        config.update({
            "return_sequences": self.return_sequences,
            "return_state": self.return_state,
            "go_backwards": self.go_backwards,
            "stateful": self.stateful,
            "unroll": self.unroll,
            "zero_output_for_mask": self.zero_output_for_mask,
            "cell": serialization_lib.serialize_keras_object(self.cell),
        })
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        config = dict(config)
        cell = serialization_lib.deserialize_keras_object(config.pop("cell"), custom_objects=custom_objects)
        return cls(cell, **config)


class CellArgumentsRNN(RNN):
    """Base of the RNN layers that build their own cell from their arguments (``SimpleRNN``, ``LSTM``,
    ``GRU``, ``ConvLSTM``): the input's rank is fixed, and the config is the layer's arguments plus the
    cell's, without a ``cell`` entry (as Keras's)."""

    def __init__(self, cell, input_ndim: int, **kwargs):
        super().__init__(cell, **kwargs)
        self.input_spec = InputSpec(ndim=input_ndim)

    def call(self, sequences, initial_state=None, mask=None, training=False):
        return super().call(sequences, initial_state=initial_state, mask=mask, training=training)

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("cell", None)
        cell_config = self.cell.get_config()
        for key in ("name", "trainable", "dtype"):
            cell_config.pop(key, None)
        config["activity_regularizer"] = regularizers.serialize(self._activity_regularizer)
        return {**config, **cell_config}

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)
