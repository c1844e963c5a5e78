"""SimpleRNN and SimpleRNNCell against torch.nn.RNN given Keras's weights: outputs, states, gradients."""

import numpy as np
import pytest

from brickwork import layers
from tests.layers.harness import run_layer_test
from tests.layers.normalization.layer_gradients import check_layer_gradients
from tests.layers.rnn import torch_reference as ref
from tests.layers.rnn.helpers import FAST_INIT, close, numpy, randn, randomize


@pytest.mark.parametrize("return_sequences", [False, True])
def test_harness_against_torch(return_sequences):
    def reference(x, weights):
        outputs, h = ref.simple_rnn(x, *weights)
        return (outputs if return_sequences else h).detach().numpy()

    shape = (2, 4, 3) if return_sequences else (2, 3)
    run_layer_test(layers.SimpleRNN, {"units": 3, "return_sequences": return_sequences}, input_shape=(2, 4, 5),
                   expected_output_shape=shape, expected_num_trainable_weights=3, reference=reference)


def test_states_initial_state_and_activation():
    layer = layers.SimpleRNN(4, return_sequences=True, return_state=True, **FAST_INIT)
    x, h0 = randn(3, 6, 2), randn(3, 4)
    layer.build(x.shape)
    randomize(layer)
    outputs, h = layer(x, initial_state=[h0])
    expected_outputs, expected_h = ref.simple_rnn(x, *layer.get_weights(), h0=h0)
    close(outputs, expected_outputs.detach().numpy())
    close(h, expected_h.detach().numpy())
    relu = layers.SimpleRNN(3, activation="relu", use_bias=False)
    out = numpy(relu(x))
    kernel, recurrent = relu.get_weights()
    h = np.zeros((3, 3))
    for t in range(6):
        h = np.maximum(x[:, t] @ kernel + h @ recurrent, 0)
    close(out, h)


def test_gradients_match_torch_autograd():
    layer = layers.SimpleRNN(4, return_sequences=True, dtype="float64", **FAST_INIT)
    layer.build((3, 6, 2))
    randomize(layer)
    check_layer_gradients(layer, np.random.randn(3, 6, 2), lambda x, k, r, b: ref.simple_rnn(x, k, r, b)[0])


def test_dropout_and_recurrent_dropout_only_while_training():
    layer = layers.SimpleRNN(4, dropout=0.4, recurrent_dropout=0.4, seed=3)
    x = randn(3, 6, 2)
    inference = numpy(layer(x))
    assert not np.allclose(numpy(layer(x, training=True)), inference)
    close(layer(x, training=False), inference)


def test_config_round_trip():
    layer = layers.SimpleRNN(3, activation="relu", go_backwards=True, seed=5, name="s")
    config = layer.get_config()
    assert config["units"] == 3 and config["go_backwards"] and "cell" not in config
    assert layers.SimpleRNN.from_config(config).get_config() == config
