"""``GRUCell`` and ``GRU`` (Cho et al., 2014), gates in Keras's order z, r, h."""

from __future__ import annotations

from brickwork import backend, ops
from brickwork.layers.rnn.lstm import FusedKernelRNN
from brickwork.layers.rnn.recurrent_cell import (
    RecurrentCell,
    check_units,
    named_arguments,
)


class GRUCell(RecurrentCell):
    """One step of a GRU: ``h = z * h_{t-1} + (1 - z) * candidate``.

    Weights: ``kernel`` ``(input_dim, 3 * units)``, ``recurrent_kernel`` ``(units, 3 * units)``, gates
    z, r, h side by side; ``bias`` ``(2, 3 * units)`` (input and recurrent bias) with ``reset_after``,
    else ``(3 * units,)``.

    Args:
        units: the size of the output and state.
        activation: default ``"tanh"``; recurrent_activation: of the gates, default ``"sigmoid"``.
        use_bias: whether to add biases.
        kernel_initializer, recurrent_initializer, bias_initializer: default glorot uniform,
            orthogonal, zeros.
        kernel_regularizer, recurrent_regularizer, bias_regularizer: optional penalties.
        kernel_constraint, recurrent_constraint, bias_constraint: optional projections.
        dropout, recurrent_dropout: fractions of the inputs / previous state dropped while training.
        reset_after: apply the reset gate after the recurrent matmul (default, cuDNN's and
            PyTorch's convention) or before it.
        seed: seed of the dropout masks.

    Example:
        rnn = RNN(GRUCell(8))
        rnn(np.zeros((2, 5, 3))).shape   # (2, 8)
    """

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0, recurrent_dropout=0.0,
                 reset_after=True, seed=None, **kwargs):
        arguments = named_arguments(locals())
        check_units(self, units)
        implementation = kwargs.pop("implementation", 2)
        super().__init__(**kwargs)
        self.units = units
        self.reset_after = bool(reset_after)
        self._read_settings(arguments)
        self.implementation = 1 if self.recurrent_dropout else implementation
        if self.implementation == 1:
            self.dropout_mask_count = 3
        self.state_size = units
        self.output_size = units

    def build(self, input_shape):
        units = self.units
        self.kernel = self.add_weight(shape=(input_shape[-1], 3 * units), initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer, constraint=self.kernel_constraint,
                                      name="kernel")
        self.recurrent_kernel = self.add_weight(shape=(units, 3 * units), initializer=self.recurrent_initializer,
                                                regularizer=self.recurrent_regularizer,
                                                constraint=self.recurrent_constraint, name="recurrent_kernel")
        self.bias = None
        if self.use_bias:
            shape = (2, 3 * units) if self.reset_after else (3 * units,)
            self.bias = self.add_weight(shape=shape, initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer, constraint=self.bias_constraint,
                                        name="bias")
        self.built = True

    def call(self, inputs, states, training=False):
        h_tm1 = states[0] if isinstance(states, (list, tuple)) else states
        units = self.units
        input_bias = recurrent_bias = None
        if self.bias is not None:
            input_bias, recurrent_bias = (self.bias[0], self.bias[1]) if self.reset_after else (self.bias, None)
        dropout_mask = self.get_dropout_mask(inputs) if training else None
        recurrent_mask = self.get_recurrent_dropout_mask(h_tm1) if training else None
        if self.implementation == 1:
            xs = [inputs * m for m in dropout_mask] if dropout_mask is not None else [inputs] * 3
            hs = [h_tm1 * m for m in recurrent_mask] if recurrent_mask is not None else [h_tm1] * 3
            kernels = ops.split(self.kernel, 3, axis=1)
            x_z, x_r, x_h = [ops.matmul(x, k) for x, k in zip(xs, kernels)]
            if input_bias is not None:
                b_z, b_r, b_h = ops.split(input_bias, 3)
                x_z, x_r, x_h = x_z + b_z, x_r + b_r, x_h + b_h
            h_z_in, h_r_in, h_h_in = hs
        else:
            if dropout_mask is not None:
                inputs = inputs * dropout_mask
            x = ops.matmul(inputs, self.kernel)
            if input_bias is not None:
                x = x + input_bias
            x_z, x_r, x_h = ops.split(x, 3, axis=-1)
            h_z_in = h_r_in = h_h_in = h_tm1
        if self.implementation == 1 or not self.reset_after:
            recurrent_kernels = ops.split(self.recurrent_kernel, 3, axis=1)
            r_z = ops.matmul(h_z_in, recurrent_kernels[0])
            r_r = ops.matmul(h_r_in, recurrent_kernels[1])
            if recurrent_bias is not None:
                b_z, b_r, _ = ops.split(recurrent_bias, 3)
                r_z, r_r = r_z + b_z, r_r + b_r
        else:
            inner = ops.matmul(h_tm1, self.recurrent_kernel)
            if recurrent_bias is not None:
                inner = inner + recurrent_bias
            r_z, r_r, r_h = ops.split(inner, 3, axis=-1)
        z = self.recurrent_activation(x_z + r_z)
        r = self.recurrent_activation(x_r + r_r)
        if not self.reset_after:
            candidate = self.activation(x_h + ops.matmul(r * h_h_in, recurrent_kernels[2]))
        else:
            if self.implementation == 1:
                r_h = ops.matmul(h_h_in, recurrent_kernels[2])
                if recurrent_bias is not None:
                    r_h = r_h + recurrent_bias[2 * units:]
            candidate = self.activation(x_h + r * r_h)
        h = z * h_tm1 + (1 - z) * candidate
        return h, ([h] if isinstance(states, (list, tuple)) else h)

    def get_initial_state(self, batch_size=None) -> list:
        return [ops.zeros((batch_size, self.units), dtype=self.compute_dtype)]


class GRU(FusedKernelRNN):
    """Gated Recurrent Unit layer.

    On torch it runs PyTorch's fused GRU kernel (``torch.nn.GRU``'s, cuDNN on GPU) when the
    configuration allows: tanh/sigmoid, ``reset_after=True``, no recurrent dropout, no unrolling,
    a mask (if any) that is right-padded and not combined with ``go_backwards``. Otherwise the cell
    runs step by step (same numbers).

    Args:
        units: the size of the output and state.
        activation, recurrent_activation, use_bias, dropout, recurrent_dropout, reset_after, seed: as ``GRUCell``.
        *_initializer, *_regularizer, *_constraint: as ``GRUCell``.
        activity_regularizer: an optional penalty on the output.
        return_sequences, return_state, go_backwards, stateful, unroll: as ``RNN``.
        use_cudnn: ``"auto"`` (the fused kernel when possible), ``True`` (required) or ``False``.

    Example:
    >>> GRU(4, return_sequences=True)(np.zeros((32, 10, 8))).shape   # (32, 10, 4)
    """

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, recurrent_constraint=None, bias_constraint=None,
                 dropout=0.0, recurrent_dropout=0.0, seed=None, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, unroll=False, reset_after=True, use_cudnn="auto", **kwargs):
        cell = GRUCell(
            units, activation=activation, recurrent_activation=recurrent_activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer, bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint, recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint, dropout=dropout, recurrent_dropout=recurrent_dropout,
            reset_after=reset_after, seed=seed, dtype=kwargs.get("dtype"), trainable=kwargs.get("trainable", True),
            name="gru_cell", implementation=kwargs.pop("implementation", 2),
        )
        super().__init__(cell, use_cudnn=use_cudnn, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)

    _kind = "GRU"

    def fused_kernel(self, sequences, initial_state, mask):
        cell = self.cell
        return backend.active.rnn.gru(
            sequences, initial_state[0], cell.kernel, cell.recurrent_kernel, cell.bias, mask=mask,
            go_backwards=self.go_backwards, return_sequences=self.return_sequences,
            zero_output_for_mask=self.zero_output_for_mask, reset_after=cell.reset_after)

    reset_after = property(lambda self: self.cell.reset_after)
