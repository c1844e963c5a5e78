"""GRU and GRUCell: reset_after=True against torch.nn.GRU given Keras's weights (outputs, states,
gradients), reset_after=False against a NumPy step loop; fused kernel against the step loop; config."""

import json
import zipfile

import numpy as np
import pytest

from brickwork import backend, layers
from tests.layers.harness import run_layer_test
from tests.layers.normalization.layer_gradients import check_layer_gradients
from tests.layers.rnn import torch_reference as ref
from tests.layers.rnn.helpers import FAST_INIT, MASKS, close, numpy, randn, randomize


@pytest.mark.parametrize("return_sequences", [False, True])
def test_harness_against_torch(return_sequences):
    def reference(x, weights):
        outputs, h = ref.gru(x, *weights)
        return (outputs if return_sequences else h).detach().numpy()

    shape = (2, 4, 3) if return_sequences else (2, 3)
    run_layer_test(layers.GRU, {"units": 3, "return_sequences": return_sequences, "bias_initializer": "ones"},
                   input_shape=(2, 4, 5), expected_output_shape=shape, expected_num_trainable_weights=3,
                   reference=reference)


@pytest.mark.parametrize("use_cudnn", ["auto", False])
def test_states_and_initial_state_match_torch(use_cudnn):
    layer = layers.GRU(4, return_sequences=True, return_state=True, use_cudnn=use_cudnn, **FAST_INIT)
    x, h0 = randn(3, 6, 2), randn(3, 4)
    layer.build(x.shape)
    randomize(layer)
    outputs, h = layer(x, initial_state=h0)
    expected_outputs, expected_h = ref.gru(x, *layer.get_weights(), h0=h0)
    close(outputs, expected_outputs.detach().numpy())
    close(h, expected_h.detach().numpy())


@pytest.mark.parametrize("use_bias", [True, False])
def test_reset_before_matches_a_numpy_step_loop(use_bias):
    layer = layers.GRU(4, reset_after=False, use_bias=use_bias, return_sequences=True, return_state=True,
                       **FAST_INIT)
    x = randn(3, 6, 2)
    layer.build(x.shape)
    randomize(layer)
    weights = layer.get_weights()
    assert len(weights) == (3 if use_bias else 2)
    if use_bias:
        assert weights[2].shape == (12,)
    bias = weights[2] if use_bias else np.zeros(12)
    outputs, h = layer(x)
    expected_outputs, expected_h = ref.gru_reset_before_numpy(x.astype("float64"), weights[0], weights[1], bias)
    close(outputs, expected_outputs)
    close(h, expected_h)


@pytest.mark.parametrize("use_cudnn", ["auto", False])
def test_gradients_match_torch_autograd(use_cudnn):
    layer = layers.GRU(4, return_sequences=True, use_cudnn=use_cudnn, dtype="float64", **FAST_INIT)
    layer.build((3, 6, 2))
    randomize(layer)
    x = np.random.randn(3, 6, 2)
    check_layer_gradients(layer, x, lambda x, k, r, b: ref.gru(x, k, r, b)[0])


@pytest.mark.parametrize("mask", ["none", "right_padded", "with_holes"])
@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("reset_after", [True, False])
def test_fused_kernel_matches_the_step_loop(mask, go_backwards, reset_after):
    kwargs = dict(units=4, return_sequences=True, return_state=True, go_backwards=go_backwards,
                  reset_after=reset_after, **FAST_INIT)
    fused, loop = layers.GRU(**kwargs), layers.GRU(use_cudnn=False, **kwargs)
    x = randn(3, 6, 2)
    fused.build(x.shape)
    loop.build(x.shape)
    randomize(fused)
    loop.set_weights(fused.get_weights())
    mask = MASKS[mask]
    for got, want in zip(fused(x, mask=mask), loop(x, mask=mask)):
        close(got, numpy(want))


def test_recurrent_dropout_uses_per_gate_masks_while_training():
    layer = layers.GRU(4, dropout=0.3, recurrent_dropout=0.3, seed=2)
    x = randn(3, 6, 2)
    inference = numpy(layer(x))
    assert layer.cell.implementation == 1 and layer.cell.dropout_mask_count == 3
    assert not np.allclose(numpy(layer(x, training=True)), inference)
    close(layer(x), inference)


def test_weights_follow_keras_names_and_shapes():
    layer = layers.GRU(3, name="gru")
    layer.build((None, 9, 10))
    assert [w.path for w in layer.weights] == ["gru/gru_cell/kernel", "gru/gru_cell/recurrent_kernel",
                                              "gru/gru_cell/bias"]
    assert [tuple(w.shape) for w in layer.weights] == [(10, 9), (3, 9), (2, 9)]


def test_config_has_the_keys_keras_writes_and_round_trips():
    with zipfile.ZipFile("/work/shared/interop/recurrent.keras") as archive:
        config = json.loads(archive.read("config.json"))
    keras_gru = config["config"]["layers"][2]["config"]
    ours = layers.GRU(3, reset_after=False, recurrent_dropout=0.2).get_config()
    assert set(ours) == set(keras_gru)
    clone = layers.GRU.from_config(ours)
    assert clone.get_config() == ours and clone.reset_after is False


def test_cell_with_a_single_state_tensor():
    cell = layers.GRUCell(4)
    x = backend.convert_to_tensor(randn(3, 2))
    h0 = backend.convert_to_tensor(np.zeros((3, 4), "float32"))
    output, state = cell(x, h0)
    close(state, numpy(output))
    output, states = cell(x, [h0])
    assert isinstance(states, list) and len(states) == 1
