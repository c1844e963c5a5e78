"""``LSTMCell`` and ``LSTM`` (Hochreiter & Schmidhuber, 1997), gates in Keras's order i, f, c, o."""

from __future__ import annotations

from brickwork import activations, backend, ops
from brickwork.layers.rnn.recurrent_cell import (
    RecurrentCell,
    check_units,
    named_arguments,
)
from brickwork.layers.rnn.rnn import CellArgumentsRNN


def forget_bias_one(bias_initializer, units):
    """An initializer of the ``4 * units`` LSTM bias: ``bias_initializer`` except 1 for the forget gate."""

    def initializer(shape, dtype=None):
        return ops.concatenate([bias_initializer((units,), dtype=dtype), ops.ones((units,), dtype=dtype),
                                bias_initializer((2 * units,), dtype=dtype)])

    return initializer


class LSTMCell(RecurrentCell):
    """One step of an LSTM: states ``[h, c]``, output ``h``.

    Weights: ``kernel`` ``(input_dim, 4 * units)``, ``recurrent_kernel`` ``(units, 4 * units)``,
    ``bias`` ``(4 * units,)``, each holding the gates i, f, c, o side by side.

    Args:
        units: the size of the output and of each state.
        activation: default ``"tanh"``; recurrent_activation: of the gates, default ``"sigmoid"``.
        use_bias: whether to add a bias.
        kernel_initializer, recurrent_initializer, bias_initializer: default glorot uniform,
            orthogonal, zeros.
        unit_forget_bias: initialize the forget gate's bias to 1 (and the rest with ``bias_initializer``).
        kernel_regularizer, recurrent_regularizer, bias_regularizer: optional penalties.
        kernel_constraint, recurrent_constraint, bias_constraint: optional projections.
        dropout, recurrent_dropout: fractions of the inputs / previous state dropped while training.
        seed: seed of the dropout masks.

    Example:
        rnn = RNN(LSTMCell(8))
        rnn(np.zeros((2, 5, 3))).shape   # (2, 8)
    """

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, **kwargs):
        arguments = named_arguments(locals())
        check_units(self, units)
        implementation = kwargs.pop("implementation", 2)
        super().__init__(**kwargs)
        self.units = units
        self._read_settings(arguments)
        # Recurrent dropout draws one mask per gate, which needs the per-gate matmuls.
        self.implementation = 1 if self.recurrent_dropout else implementation
        if self.implementation == 1:
            self.dropout_mask_count = 4
        self.state_size = [units, units]
        self.output_size = units

    def build(self, input_shape):
        units = self.units
        self.kernel = self.add_weight(shape=(input_shape[-1], 4 * units), initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer, constraint=self.kernel_constraint,
                                      name="kernel")
        self.recurrent_kernel = self.add_weight(shape=(units, 4 * units), initializer=self.recurrent_initializer,
                                                regularizer=self.recurrent_regularizer,
                                                constraint=self.recurrent_constraint, name="recurrent_kernel")
        self.bias = None
        if self.use_bias:
            initializer = self.bias_initializer
            if self.unit_forget_bias:
                initializer = forget_bias_one(self.bias_initializer, units)
            self.bias = self.add_weight(shape=(4 * units,), initializer=initializer,
                                        regularizer=self.bias_regularizer, constraint=self.bias_constraint,
                                        name="bias")
        self.built = True

    def call(self, inputs, states, training=False):
        h_tm1, c_tm1 = states[0], states[1]
        dropout_mask = self.get_dropout_mask(inputs) if training else None
        recurrent_mask = self.get_recurrent_dropout_mask(h_tm1) if training else None
        if self.implementation == 1:
            xs = [inputs * m for m in dropout_mask] if dropout_mask is not None else [inputs] * 4
            hs = [h_tm1 * m for m in recurrent_mask] if recurrent_mask is not None else [h_tm1] * 4
            kernels = ops.split(self.kernel, 4, axis=1)
            recurrent_kernels = ops.split(self.recurrent_kernel, 4, axis=1)
            z = [ops.matmul(x, k) + ops.matmul(h, r) for x, h, k, r in zip(xs, hs, kernels, recurrent_kernels)]
            if self.bias is not None:
                z = [zi + b for zi, b in zip(z, ops.split(self.bias, 4))]
        else:
            if dropout_mask is not None:
                inputs = inputs * dropout_mask
            z = ops.matmul(inputs, self.kernel) + ops.matmul(h_tm1, self.recurrent_kernel)
            if self.bias is not None:
                z = z + self.bias
            z = ops.split(z, 4, axis=-1)
        i, f, candidate, o = z
        c = self.recurrent_activation(f) * c_tm1 + self.recurrent_activation(i) * self.activation(candidate)
        h = self.recurrent_activation(o) * self.activation(c)
        return h, [h, c]

    def get_initial_state(self, batch_size=None) -> list:
        return [ops.zeros((batch_size, self.units), dtype=self.compute_dtype) for _ in range(2)]


def fused_ok(layer) -> bool:
    """Whether the engine's fused kernel computes ``layer``'s cell: Keras's defaults, no recurrent dropout."""
    cell = layer.cell
    return (layer.use_cudnn is not False and not layer.unroll and not cell.recurrent_dropout
            and cell.activation is activations.tanh and cell.recurrent_activation is activations.sigmoid
            and getattr(cell, "implementation", 2) != 1)


def dropped_inputs(layer, sequences, training):
    """``sequences`` times the cell's input dropout mask (one mask for every step), while training."""
    if training and 0 < layer.cell.dropout < 1:
        return sequences * ops.expand_dims(layer.cell.get_dropout_mask(sequences[:, 0]), 1)
    return sequences


def check_use_cudnn(layer, use_cudnn) -> None:
    if use_cudnn not in ("auto", True, False):
        raise ValueError(f"{type(layer).__name__}: `use_cudnn` must be 'auto', True or False, received {use_cudnn!r}.")


class FusedKernelRNN(CellArgumentsRNN):
    """An ``RNN`` over a gated cell (``LSTM``, ``GRU``) that the engine may run as one fused kernel.

    Holds what those layers share: the ``use_cudnn`` choice, the fused path of ``inner_loop`` (the
    subclass's ``fused_kernel`` gives the engine call) and the cell's settings read as layer
    properties.
    """

    def __init__(self, cell, use_cudnn="auto", **kwargs):
        super().__init__(cell, 3, **kwargs)
        check_use_cudnn(self, use_cudnn)
        self.use_cudnn = use_cudnn

    def fused_kernel(self, sequences, initial_state, mask):
        """The engine's fused kernel over ``sequences``; raises ``NotImplementedError`` where it has none."""
        raise NotImplementedError

    def inner_loop(self, sequences, initial_state, mask, training=False):
        if fused_ok(self):
            try:
                return self.fused_kernel(dropped_inputs(self, sequences, training), initial_state, mask)
            except NotImplementedError:
                pass
        if self.use_cudnn is True:
            raise ValueError(f"{self._kind} {self.name!r}: use_cudnn=True, but the fused kernel cannot run this "
                             "configuration on this backend. Pass use_cudnn='auto'.")
        return super().inner_loop(sequences, initial_state, mask, training=training)

    units = property(lambda self: self.cell.units)
    activation = property(lambda self: self.cell.activation)
    recurrent_activation = property(lambda self: self.cell.recurrent_activation)
    use_bias = property(lambda self: self.cell.use_bias)
    dropout = property(lambda self: self.cell.dropout)
    recurrent_dropout = property(lambda self: self.cell.recurrent_dropout)


class LSTM(FusedKernelRNN):
    """Long Short-Term Memory layer.

    On torch it runs PyTorch's fused LSTM kernel (the one behind ``torch.nn.LSTM``, cuDNN on GPU)
    when the configuration allows: tanh/sigmoid activations, no recurrent dropout, no unrolling,
    a mask (if any) that is right-padded and not combined with ``go_backwards``. Otherwise, and
    with ``use_cudnn=False``, the cell runs step by step (same numbers).

    Args:
        units: the size of the output and of each state.
        activation, recurrent_activation, use_bias, unit_forget_bias, dropout, recurrent_dropout, seed: as
            ``LSTMCell``.
        *_initializer, *_regularizer, *_constraint: as ``LSTMCell``.
        activity_regularizer: an optional penalty on the output.
        return_sequences, return_state, go_backwards, stateful, unroll: as ``RNN``.
        use_cudnn: ``"auto"`` (the fused kernel when possible), ``True`` (required) or ``False``.

    Example:
    >>> lstm = LSTM(4, return_sequences=True, return_state=True)
    >>> sequence, h, c = lstm(np.zeros((32, 10, 8)))   # (32, 10, 4), (32, 4), (32, 4)
    """

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, recurrent_constraint=None, bias_constraint=None,
                 dropout=0.0, recurrent_dropout=0.0, seed=None, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, unroll=False, use_cudnn="auto", **kwargs):
        cell = LSTMCell(
            units, activation=activation, recurrent_activation=recurrent_activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer, unit_forget_bias=unit_forget_bias,
            kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint, dropout=dropout,
            recurrent_dropout=recurrent_dropout, seed=seed, dtype=kwargs.get("dtype"),
            trainable=kwargs.get("trainable", True), name="lstm_cell", implementation=kwargs.pop("implementation", 2),
        )
        super().__init__(cell, use_cudnn=use_cudnn, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)

    _kind = "LSTM"

    def fused_kernel(self, sequences, initial_state, mask):
        cell = self.cell
        return backend.active.rnn.lstm(
            sequences, initial_state[0], initial_state[1], cell.kernel, cell.recurrent_kernel, cell.bias, mask=mask,
            go_backwards=self.go_backwards, return_sequences=self.return_sequences,
            zero_output_for_mask=self.zero_output_for_mask)

    unit_forget_bias = property(lambda self: self.cell.unit_forget_bias)
