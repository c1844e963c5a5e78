"""``ConvLSTM1D``: a convolutional LSTM over sequences of 1-D feature maps."""

from __future__ import annotations

from brickwork.layers.rnn.conv_lstm import ConvLSTM
from brickwork.layers.rnn.recurrent_cell import named_arguments


class ConvLSTM1D(ConvLSTM):
    """An LSTM whose input and recurrent transforms are 1-D convolutions.

    Input ``(samples, time, steps, channels)`` (channels first with
    ``data_format="channels_first"``); output the last step's ``h`` feature maps, or every step's
    with ``return_sequences``.

    Args:
        filters: the number of output channels.
        kernel_size, strides, dilation_rate: an int or 1 ints.
        padding: ``"valid"`` or ``"same"``; data_format: ``"channels_last"`` or ``"channels_first"``.
        Other arguments: as ``LSTM``.

    Example:
    >>> ConvLSTM1D(16, 3)(np.zeros((2, 5, 10, 3))).shape   # (2, 8, 16)
    """

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 activation="tanh", recurrent_activation="sigmoid", use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros", unit_forget_bias=True,
                 kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, **kwargs):
        super().__init__(1, **named_arguments(locals()), **kwargs)
