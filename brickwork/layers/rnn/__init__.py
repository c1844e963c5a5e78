"""Recurrent layers: the ``RNN`` loop, its cells (SimpleRNN, LSTM, GRU, ConvLSTM) and wrappers."""
