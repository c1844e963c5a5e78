"""``SimpleRNNCell`` and ``SimpleRNN``: ``h_t = activation(x_t @ kernel + h_{t-1} @ recurrent_kernel + bias)``."""

from __future__ import annotations

from brickwork import ops
from brickwork.layers.rnn.recurrent_cell import (
    RecurrentCell,
    check_units,
    named_arguments,
)
from brickwork.layers.rnn.rnn import CellArgumentsRNN


class SimpleRNNCell(RecurrentCell):
    """One step of a fully connected RNN.

    Args:
        units: the size of the output and state.
        activation: default ``"tanh"``.
        use_bias: whether to add a bias.
        kernel_initializer, recurrent_initializer, bias_initializer: default glorot uniform,
            orthogonal, zeros.
        kernel_regularizer, recurrent_regularizer, bias_regularizer: optional penalties.
        kernel_constraint, recurrent_constraint, bias_constraint: optional projections.
        dropout, recurrent_dropout: fractions of the inputs / previous state dropped while training.
        seed: seed of the dropout masks.

    Call arguments:
        sequence: ``(batch, features)``, one step.
        states: ``[h]``, the previous state ``(batch, units)``.

    Example:
        rnn = RNN(SimpleRNNCell(8), return_sequences=True)
        rnn(np.zeros((2, 5, 3))).shape   # (2, 5, 8)
    """

    def __init__(self, units, activation="tanh", use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros", kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, seed=None,
                 **kwargs):
        arguments = named_arguments(locals())
        check_units(self, units)
        super().__init__(**kwargs)
        self.units = units
        self._read_settings(arguments)
        self.state_size = units
        self.output_size = units

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer, constraint=self.kernel_constraint,
                                      name="kernel")
        self.recurrent_kernel = self.add_weight(shape=(self.units, self.units), initializer=self.recurrent_initializer,
                                                regularizer=self.recurrent_regularizer,
                                                constraint=self.recurrent_constraint, name="recurrent_kernel")
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(shape=(self.units,), initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer, constraint=self.bias_constraint,
                                        name="bias")
        self.built = True

    def call(self, sequence, states, training=False):
        previous = states[0] if isinstance(states, (list, tuple)) else states
        if training:
            dropout_mask = self.get_dropout_mask(sequence)
            if dropout_mask is not None:
                sequence = sequence * dropout_mask
        h = ops.matmul(sequence, self.kernel)
        if self.bias is not None:
            h = h + self.bias
        if training:
            recurrent_mask = self.get_recurrent_dropout_mask(previous)
            if recurrent_mask is not None:
                previous = previous * recurrent_mask
        output = h + ops.matmul(previous, self.recurrent_kernel)
        if self.activation is not None:
            output = self.activation(output)
        return output, ([output] if isinstance(states, (list, tuple)) else output)

    def get_initial_state(self, batch_size=None) -> list:
        return [ops.zeros((batch_size, self.units), dtype=self.compute_dtype)]


class SimpleRNN(CellArgumentsRNN):
    """A fully connected RNN whose output is fed back as the next step's state.

    Args:
        units: the size of the output and state.
        activation, use_bias, dropout, recurrent_dropout, seed: as ``SimpleRNNCell``.
        *_initializer, *_regularizer, *_constraint: as ``SimpleRNNCell``.
        activity_regularizer: an optional penalty on the output.
        return_sequences, return_state, go_backwards, stateful, unroll: as ``RNN``.

    Example:
    >>> SimpleRNN(4, return_sequences=True)(np.zeros((32, 10, 8))).shape   # (32, 10, 4)
    """

    def __init__(self, units, activation="tanh", use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros", kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, unroll=False, seed=None, **kwargs):
        cell = SimpleRNNCell(
            units, activation=activation, use_bias=use_bias, kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint, dropout=dropout,
            recurrent_dropout=recurrent_dropout, seed=seed, dtype=kwargs.get("dtype"),
            trainable=kwargs.get("trainable", True), name="simple_rnn_cell",
        )
        super().__init__(cell, 3, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)

    units = property(lambda self: self.cell.units)
    activation = property(lambda self: self.cell.activation)
    use_bias = property(lambda self: self.cell.use_bias)
    dropout = property(lambda self: self.cell.dropout)
    recurrent_dropout = property(lambda self: self.cell.recurrent_dropout)

