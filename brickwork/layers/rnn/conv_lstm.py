"""``ConvLSTMCell`` and ``ConvLSTM``: an LSTM whose input and recurrent transforms are convolutions.

The public layers are ``ConvLSTM1D``, ``ConvLSTM2D`` and ``ConvLSTM3D`` (one file each), which fix
the rank.
"""

from __future__ import annotations

from brickwork import backend, ops
from brickwork.layers.convolutional import conv_utils
from brickwork.layers.rnn.lstm import forget_bias_one
from brickwork.layers.rnn.recurrent_cell import RecurrentCell, named_arguments
from brickwork.layers.rnn.rnn import CellArgumentsRNN


class ConvLSTMCell(RecurrentCell):
    """One step of a convolutional LSTM: states ``[h, c]`` are feature maps, gates i, f, c, o.

    Weights: ``kernel`` ``(*kernel_size, in_channels, 4 * filters)``, ``recurrent_kernel``
    ``(*kernel_size, filters, 4 * filters)`` (always stride 1, ``"same"`` padding), ``bias``
    ``(4 * filters,)``.

    Args:
        rank: the number of spatial dimensions (1, 2 or 3).
        filters: the number of output channels.
        kernel_size, strides, padding, data_format, dilation_rate: of the input convolution.
        Other arguments: as ``LSTMCell``.
    """

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 activation="tanh", recurrent_activation="sigmoid", use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros", unit_forget_bias=True,
                 kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, seed=None,
                 **kwargs):
        arguments = named_arguments(locals())
        del arguments["rank"]  # not in the config (as Keras's): ConvLSTM1D/2D/3D each fix it
        super().__init__(**kwargs)
        if rank not in (1, 2, 3):
            raise ValueError(f"ConvLSTM: `rank` must be 1, 2 or 3, received {rank!r}.")
        if isinstance(filters, bool) or not isinstance(filters, int) or filters <= 0:
            raise ValueError(f"ConvLSTM: `filters` must be a positive integer, received {filters!r}.")
        self.rank = rank
        self.filters = filters
        self.kernel_size = conv_utils.standardize_tuple(kernel_size, rank, "kernel_size")
        self.strides = conv_utils.standardize_tuple(strides, rank, "strides", allow_zero=True)
        self.padding = conv_utils.standardize_padding(padding)
        self.data_format = backend.standardize_data_format(data_format)
        self.dilation_rate = conv_utils.standardize_tuple(dilation_rate, rank, "dilation_rate")
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(
                f"ConvLSTM: Specifying `strides > 1` is not compatible with `dilation_rate > 1`. Received: "
                f"strides={self.strides} and dilation_rate={self.dilation_rate}"
            )
        self._read_settings(arguments)
        self.dropout_mask_count = 4
        self.state_size = -1  # feature maps: see get_initial_state

    @property
    def _channel_axis(self) -> int:
        return -1 if self.data_format == "channels_last" else 1

    def build(self, inputs_shape, states_shape=None):
        inputs_shape = tuple(inputs_shape)
        spatial = inputs_shape[1:-1] if self.data_format == "channels_last" else inputs_shape[2:]
        if None in spatial or inputs_shape[self._channel_axis] is None:
            raise ValueError(
                f"ConvLSTM: the spatial and channel dimensions of the input must be known; received input "
                f"shape {inputs_shape}."
            )
        self.spatial_dims = spatial
        self.input_dim = inputs_shape[self._channel_axis]
        filters = self.filters
        self.kernel = self.add_weight(shape=self.kernel_size + (self.input_dim, 4 * filters),
                                      initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint, name="kernel")
        self.recurrent_kernel = self.add_weight(shape=self.kernel_size + (filters, 4 * filters),
                                                initializer=self.recurrent_initializer,
                                                regularizer=self.recurrent_regularizer,
                                                constraint=self.recurrent_constraint, name="recurrent_kernel")
        self.bias = None
        if self.use_bias:
            initializer = self.bias_initializer
            if self.unit_forget_bias:
                initializer = forget_bias_one(self.bias_initializer, filters)
            self.bias = self.add_weight(shape=(4 * filters,), initializer=initializer,
                                        regularizer=self.bias_regularizer, constraint=self.bias_constraint,
                                        name="bias")
        self.built = True

    def _input_conv(self, x, kernel, bias):
        out = ops.conv(x, kernel, strides=self.strides, padding=self.padding, data_format=self.data_format,
                       dilation_rate=self.dilation_rate)
        if bias is not None:
            channels_last = self.data_format == "channels_last"
            shape = (1,) * (self.rank + 1) + (-1,) if channels_last else (1, -1) + (1,) * self.rank
            out = out + ops.reshape(bias, shape)
        return out

    def _recurrent_conv(self, h, kernel):
        return ops.conv(h, kernel, strides=1, padding="same", data_format=self.data_format)

    def call(self, inputs, states, training=False):
        h_tm1, c_tm1 = states[0], states[1]
        dropout_mask = self.get_dropout_mask(inputs) if training else None
        recurrent_mask = self.get_recurrent_dropout_mask(h_tm1) if training else None
        axis = self._channel_axis
        if dropout_mask is None and recurrent_mask is None:
            # One convolution for all four gates, split after.
            z = self._input_conv(inputs, self.kernel, self.bias) + self._recurrent_conv(h_tm1, self.recurrent_kernel)
            i, f, candidate, o = ops.split(z, 4, axis=axis)
        else:
            xs = [inputs * m for m in dropout_mask] if dropout_mask is not None else [inputs] * 4
            hs = [h_tm1 * m for m in recurrent_mask] if recurrent_mask is not None else [h_tm1] * 4
            kernels = ops.split(self.kernel, 4, axis=-1)
            recurrent_kernels = ops.split(self.recurrent_kernel, 4, axis=-1)
            biases = ops.split(self.bias, 4) if self.bias is not None else [None] * 4
            i, f, candidate, o = [self._input_conv(x, k, b) + self._recurrent_conv(h, r)
                                  for x, h, k, r, b in zip(xs, hs, kernels, recurrent_kernels, biases)]
        c = self.recurrent_activation(f) * c_tm1 + self.recurrent_activation(i) * self.activation(candidate)
        h = self.recurrent_activation(o) * self.activation(c)
        return h, [h, c]

    def compute_output_shape(self, inputs_shape, states_shape=None):
        """The shape of ``h`` (and of each state) for one step's input shape."""
        spatial = inputs_shape[1:-1] if self.data_format == "channels_last" else inputs_shape[2:]
        lengths = [conv_utils.conv_output_length(size, k, s, self.padding, d)
                   for size, k, s, d in zip(spatial, self.kernel_size, self.strides, self.dilation_rate)]
        return conv_utils.spatial_output_shape(self, inputs_shape, self.filters, lengths)

    def get_initial_state(self, batch_size=None) -> list:
        if self.data_format == "channels_last":
            input_shape = (batch_size,) + tuple(self.spatial_dims) + (self.input_dim,)
        else:
            input_shape = (batch_size, self.input_dim) + tuple(self.spatial_dims)
        shape = self.compute_output_shape(input_shape)
        return [ops.zeros(shape, dtype=self.compute_dtype), ops.zeros(shape, dtype=self.compute_dtype)]


class ConvLSTM(CellArgumentsRNN):
    """The N-D convolutional LSTM layer behind ``ConvLSTM1D``/``2D``/``3D``.

    Args:
        rank: the number of spatial dimensions.
        filters, kernel_size, strides, padding, data_format, dilation_rate, activation,
            recurrent_activation, use_bias, *_initializer, unit_forget_bias, *_regularizer,
            *_constraint, dropout, recurrent_dropout, seed: as ``ConvLSTMCell``.
        activity_regularizer: an optional penalty on the output.
        return_sequences, return_state, go_backwards, stateful: as ``RNN``.
    """

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 activation="tanh", recurrent_activation="sigmoid", use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros", unit_forget_bias=True,
                 kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, **kwargs):
        cell = ConvLSTMCell(
            rank=rank, filters=filters, kernel_size=kernel_size, strides=strides, padding=padding,
            data_format=data_format, dilation_rate=dilation_rate, activation=activation,
            recurrent_activation=recurrent_activation, use_bias=use_bias, kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer,
            unit_forget_bias=unit_forget_bias, kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer, bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint, recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint, dropout=dropout, recurrent_dropout=recurrent_dropout, seed=seed,
            name="conv_lstm_cell", dtype=kwargs.get("dtype"),
        )
        super().__init__(cell, rank + 3, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, activity_regularizer=activity_regularizer,
                         **kwargs)

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        batch, steps = sequences_shape[0], sequences_shape[1]
        state_shape = tuple(self.cell.compute_output_shape((batch,) + tuple(sequences_shape[2:])))
        output_shape = (batch, steps) + state_shape[1:] if self.return_sequences else state_shape
        if self.return_state:
            return output_shape, state_shape, state_shape
        return output_shape

    def compute_mask(self, inputs, mask):
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        output_mask = mask if self.return_sequences else None
        return [output_mask, None, None] if self.return_state else output_mask

    filters = property(lambda self: self.cell.filters)
    kernel_size = property(lambda self: self.cell.kernel_size)
    strides = property(lambda self: self.cell.strides)
    padding = property(lambda self: self.cell.padding)
    data_format = property(lambda self: self.cell.data_format)
    dilation_rate = property(lambda self: self.cell.dilation_rate)
