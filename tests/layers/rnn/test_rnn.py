"""The generic RNN loop: a user-written cell against a NumPy loop, masks (padded steps keep the state),
go_backwards, zero_output_for_mask, unroll, stacked cells, nested states, config with custom cells."""

import numpy as np
import pytest

from brickwork import backend, layers, models, ops
from brickwork.saving import object_registration
from tests.layers.rnn.helpers import MASKS, close, numpy, randn


class MinimalRNNCell(layers.Layer):
    """Keras's documentation example: ``h = x @ W + h_prev @ U``."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = units

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")
        self.recurrent_kernel = self.add_weight(shape=(self.units, self.units), name="recurrent_kernel")

    def call(self, inputs, states):
        output = ops.matmul(inputs, self.kernel) + ops.matmul(states[0], self.recurrent_kernel)
        return output, [output]

    def get_config(self):
        return {**super().get_config(), "units": self.units}


def numpy_loop(x, kernel, recurrent, mask=None, go_backwards=False, zero_output_for_mask=False, h0=None):
    """The Keras semantics written out: a masked step keeps the state and repeats the last output."""
    batch, steps = x.shape[:2]
    h = np.zeros((batch, kernel.shape[1])) if h0 is None else h0
    output = np.zeros_like(h)
    outputs = []
    for t in (range(steps - 1, -1, -1) if go_backwards else range(steps)):
        new = x[:, t] @ kernel + h @ recurrent
        keep = np.ones(batch, bool) if mask is None else mask[:, t]
        h = np.where(keep[:, None], new, h)
        output = np.where(keep[:, None], new, 0.0 if zero_output_for_mask else output)
        outputs.append(output)
    return np.stack(outputs, axis=1), h


@pytest.mark.parametrize("mask", ["none", "right_padded", "with_holes"])
@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("zero_output_for_mask", [False, True])
def test_custom_cell_against_a_numpy_loop(mask, go_backwards, zero_output_for_mask):
    layer = layers.RNN(MinimalRNNCell(4), return_sequences=True, return_state=True, go_backwards=go_backwards,
                       zero_output_for_mask=zero_output_for_mask)
    x = randn(3, 6, 2)
    mask = MASKS[mask]
    outputs, h = layer(x, mask=mask)
    kernel, recurrent = layer.get_weights()
    expected_outputs, expected_h = numpy_loop(x, kernel, recurrent, mask, go_backwards, zero_output_for_mask)
    close(outputs, expected_outputs)
    close(h, expected_h)


def test_last_output_and_initial_state():
    layer = layers.RNN(MinimalRNNCell(4))
    x, h0 = randn(3, 6, 2), randn(3, 4)
    out = layer(x, initial_state=h0)
    kernel, recurrent = layer.get_weights()
    close(out, numpy_loop(x, kernel, recurrent, h0=h0)[1])
    assert layer.compute_output_shape((None, 6, 2)) == (None, 4)


@pytest.mark.parametrize("unroll", [False, True])
def test_unroll_gives_the_same_numbers(unroll):
    layer = layers.RNN(layers.LSTMCell(3), return_sequences=True, unroll=unroll)
    x = randn(2, 5, 2)
    out = numpy(layer(x))
    reference = layers.RNN(layers.LSTMCell(3), return_sequences=True)
    reference(x)
    reference.set_weights(layer.get_weights())
    close(out, numpy(reference(x)))


def test_unroll_needs_known_steps():
    with pytest.raises(ValueError, match="unroll"):
        layers.RNN(layers.LSTMCell(3), unroll=True)(layers.Input((None, 2)))


def test_stacked_cells_equal_chained_layers():
    cells = [layers.LSTMCell(4), layers.GRUCell(3), layers.SimpleRNNCell(2)]
    stacked = layers.RNN(cells, return_sequences=True, return_state=True)
    x = randn(3, 6, 2)
    outputs, (h1, c1), h2, h3 = stacked(x)
    assert isinstance(stacked.cell, layers.StackedRNNCells)
    first = layers.LSTM(4, return_sequences=True, return_state=True)
    second = layers.GRU(3, return_sequences=True, return_state=True)
    third = layers.SimpleRNN(2, return_sequences=True, return_state=True)
    weights = stacked.get_weights()
    y1, e_h1, e_c1 = first(x)
    first.set_weights(weights[:3])
    y1, e_h1, e_c1 = first(x)
    second(y1)
    second.set_weights(weights[3:6])
    y2, e_h2 = second(y1)
    third(y2)
    third.set_weights(weights[6:])
    y3, e_h3 = third(y2)
    for got, want in [(outputs, y3), (h1, e_h1), (c1, e_c1), (h2, e_h2), (h3, e_h3)]:
        close(got, numpy(want))
    assert stacked.compute_output_shape((None, 6, 2)) == ((None, 6, 2), [(None, 4), (None, 4)], (None, 3),
                                                          (None, 2))
    assert [w.path for w in stacked.weights][:2] == ["rnn/stacked_rnn_cells/lstm_cell/kernel",
                                                     "rnn/stacked_rnn_cells/lstm_cell/recurrent_kernel"]


def test_stacked_cells_with_dropout_train():
    layer = layers.RNN([layers.LSTMCell(4, dropout=0.3, recurrent_dropout=0.3), layers.GRUCell(3, dropout=0.3)])
    x = randn(3, 6, 2)
    inference = numpy(layer(x))
    assert not np.allclose(numpy(layer(x, training=True)), inference)
    close(layer(x), inference)


def test_symbolic_and_functional_with_initial_state_inputs():
    sequence = layers.Input((None, 2))
    state = layers.Input((4,))
    outputs = layers.RNN(MinimalRNNCell(4), return_sequences=True)(sequence, initial_state=state)
    assert outputs.shape == (None, None, 4)
    model = models.Model([sequence, state], outputs)
    x, h0 = randn(3, 5, 2), randn(3, 4)
    assert numpy(model([x, h0])).shape == (3, 5, 4)


def test_return_sequences_keeps_the_mask_for_the_next_layer():
    x = randn(2, 5, 3)
    x[0, 3:] = 0.0
    first = layers.SimpleRNN(4, return_sequences=True)
    second = layers.SimpleRNN(2)
    model = models.Sequential([layers.Input((5, 3)), layers.Masking(0.0), first, second])
    out = numpy(model(x))
    close(out[0], numpy(second(first(x[:1, :3])))[0])


def test_custom_cell_config_round_trip():
    object_registration.get_custom_objects()["MinimalRNNCell"] = MinimalRNNCell
    try:
        layer = layers.RNN([MinimalRNNCell(3), MinimalRNNCell(2)], return_sequences=True, go_backwards=True)
        config = layer.get_config()
        clone = layers.RNN.from_config(config)
        assert clone.get_config() == config
        assert [c.units for c in clone.cell.cells] == [3, 2]
    finally:
        object_registration.get_custom_objects().pop("MinimalRNNCell")


def test_bad_cells_are_refused():
    with pytest.raises(ValueError, match="call"):
        layers.RNN(object())
    with pytest.raises(ValueError, match="state_size"):
        layers.RNN(layers.Dense(3))
    with pytest.raises(ValueError, match="state_size"):
        layers.StackedRNNCells([layers.Dense(3)])


def test_backend_loop_refuses_empty_sequences():
    with pytest.raises(ValueError, match="no time steps"):
        backend.active.rnn.rnn(lambda x, s: (x, s), np.zeros((2, 0, 3), "float32"), [np.zeros((2, 3), "float32")])


def test_stateful_layer_refuses_another_batch_size():
    layer = layers.SimpleRNN(2, stateful=True, name="memory")
    layer(np.ones((4, 5, 3), "float32"))
    with pytest.raises(ValueError, match="memory.*batch size of 4.*batch size 1"):
        layer(np.ones((1, 5, 3), "float32"))
