"""LSTM and LSTMCell against torch.nn.LSTM given Keras's weights: outputs, states, gradients; masks,
go_backwards, stateful, dropout; the fused kernel against the step loop; shapes and config."""

import json
import zipfile

import numpy as np
import pytest

from brickwork import backend, layers, models, utils
from tests.conftest import BACKEND, requires_training
from tests.layers.harness import run_layer_test
from tests.layers.normalization.layer_gradients import check_layer_gradients
from tests.layers.rnn import torch_reference as ref
from tests.layers.rnn.helpers import (
    FAST_INIT,
    MASKS,
    RIGHT_PADDED,
    WITH_HOLES,
    close,
    numpy,
    randn,
    randomize,
)


@pytest.mark.parametrize("return_sequences", [False, True])
def test_harness_against_torch(return_sequences):
    def reference(x, weights):
        outputs, h, _ = ref.lstm(x, *weights)
        return (outputs if return_sequences else h).detach().numpy()

    shape = (2, 4, 3) if return_sequences else (2, 3)
    run_layer_test(layers.LSTM, {"units": 3, "return_sequences": return_sequences}, input_shape=(2, 4, 5),
                   expected_output_shape=shape, expected_num_trainable_weights=3, reference=reference)


@pytest.mark.parametrize("use_cudnn", ["auto", False])
def test_states_and_initial_state_match_torch(use_cudnn):
    layer = layers.LSTM(4, return_sequences=True, return_state=True, use_cudnn=use_cudnn, **FAST_INIT)
    x, h0, c0 = randn(3, 6, 2), randn(3, 4), randn(3, 4)
    layer.build((3, 6, 2))
    randomize(layer)
    outputs, h, c = layer(x, initial_state=[h0, c0])
    expected = ref.lstm(x, *layer.get_weights(), h0=h0, c0=c0)
    for got, want in zip((outputs, h, c), expected):
        close(got, want.detach().numpy())


def test_no_bias_and_custom_unit_forget_bias():
    layer = layers.LSTM(3, use_bias=False)
    x = randn(2, 4, 2)
    out = layer(x)
    assert len(layer.weights) == 2
    close(out, ref.lstm(x, *layer.get_weights())[1].detach().numpy())
    biased = layers.LSTM(2, bias_initializer="ones", unit_forget_bias=True)
    biased.build((1, 3, 2))
    np.testing.assert_array_equal(biased.get_weights()[2], [1, 1, 1, 1, 1, 1, 1, 1])
    plain = layers.LSTM(2, unit_forget_bias=False)
    plain.build((1, 3, 2))
    np.testing.assert_array_equal(plain.get_weights()[2], np.zeros(8))
    default = layers.LSTM(2)
    default.build((1, 3, 2))
    np.testing.assert_array_equal(default.get_weights()[2], [0, 0, 1, 1, 0, 0, 0, 0])


@pytest.mark.parametrize("use_cudnn", ["auto", False])
def test_gradients_match_torch_autograd(use_cudnn):
    layer = layers.LSTM(3, return_sequences=True, use_cudnn=use_cudnn, dtype="float64", **FAST_INIT)
    layer.build((2, 4, 2))
    randomize(layer)
    x = np.random.randn(2, 4, 2)
    check_layer_gradients(layer, x, lambda x, k, r, b: ref.lstm(x, k, r, b)[0])


@pytest.mark.parametrize("mask", ["none", "right_padded", "with_holes"])
@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("zero_output_for_mask", [False, True])
def test_fused_kernel_matches_the_step_loop(mask, go_backwards, zero_output_for_mask):
    kwargs = dict(units=4, return_sequences=True, return_state=True, go_backwards=go_backwards,
                  zero_output_for_mask=zero_output_for_mask, **FAST_INIT)
    fused, loop = layers.LSTM(**kwargs), layers.LSTM(use_cudnn=False, **kwargs)
    x = randn(3, 6, 2)
    fused.build(x.shape)
    loop.build(x.shape)
    randomize(fused)
    loop.set_weights(fused.get_weights())
    mask = MASKS[mask]
    for got, want in zip(fused(x, mask=mask), loop(x, mask=mask)):
        close(got, numpy(want))


def test_the_torch_kernel_takes_right_padded_masks_only():
    if BACKEND != "torch":
        pytest.skip("the fused kernel is torch's")
    rnn = backend.active.rnn
    x, h0, kernel, recurrent, bias = randn(3, 6, 2), randn(3, 4), randn(2, 16), randn(4, 16), randn(16)
    rnn.lstm(x, h0, h0, kernel, recurrent, bias, mask=RIGHT_PADDED)  # runs fused
    with pytest.raises(NotImplementedError):
        rnn.lstm(x, h0, h0, kernel, recurrent, bias, mask=WITH_HOLES)
    with pytest.raises(NotImplementedError):
        rnn.lstm(x, h0, h0, kernel, recurrent, bias, mask=np.zeros((3, 6), bool))


@pytest.mark.parametrize("use_cudnn", ["auto", False])
def test_right_padded_batch_gives_the_unpadded_final_state(use_cudnn):
    layer = layers.LSTM(4, return_sequences=True, return_state=True, use_cudnn=use_cudnn)
    x = randn(3, 6, 2)
    outputs, h, c = layer(x, mask=RIGHT_PADDED)
    for i, length in enumerate(RIGHT_PADDED.sum(axis=1)):
        alone, h_alone, c_alone = layer(x[i:i + 1, :length])
        close(numpy(h)[i], numpy(h_alone)[0])
        close(numpy(c)[i], numpy(c_alone)[0])
        close(numpy(outputs)[i, :length], numpy(alone)[0])
        # Padded steps repeat the last output (zero_output_for_mask=False).
        close(numpy(outputs)[i, length:], np.broadcast_to(numpy(h_alone), (6 - length, 4)))


def test_masking_layer_skips_zero_padded_steps_in_a_model():
    x = randn(2, 5, 3)
    x[1, 3:] = 0.0
    lstm = layers.LSTM(4)
    model = models.Sequential([layers.Input((5, 3)), layers.Masking(0.0), lstm])
    out = numpy(model(x))
    close(out[1], numpy(lstm(x[1:2, :3]))[0])


@pytest.mark.parametrize("use_cudnn", ["auto", False])
def test_go_backwards_runs_the_reversed_sequence(use_cudnn):
    backwards = layers.LSTM(3, return_sequences=True, go_backwards=True, use_cudnn=use_cudnn)
    forwards = layers.LSTM(3, return_sequences=True)
    x = randn(2, 5, 2)
    out = backwards(x)
    forwards(x)
    forwards.set_weights(backwards.get_weights())
    # Outputs come in processing order, as Keras returns them.
    close(out, numpy(forwards(x[:, ::-1].copy())))


def test_stateful_carries_the_states_and_reset_state_clears_them():
    x = randn(2, 6, 3)
    stateful = layers.LSTM(4, stateful=True)
    whole = layers.LSTM(4)
    stateful(x[:, :3])
    whole(x)
    whole.set_weights(stateful.get_weights())
    stateful.reset_state()
    stateful(x[:, :3])
    close(stateful(x[:, 3:]), numpy(whole(x)))
    stateful.reset_states()
    close(stateful(x[:, :3]), numpy(whole(x[:, :3])))
    assert len(stateful.weights) == 3  # the states are not weights, as in Keras


def test_stateful_needs_a_fixed_batch_size():
    with pytest.raises(ValueError, match="batch size"):
        layers.LSTM(2, stateful=True)(layers.Input((3, 2)))


@pytest.mark.parametrize("recurrent_dropout", [0.0, 0.5])
def test_dropout_only_while_training(recurrent_dropout):
    layer = layers.LSTM(8, dropout=0.5, recurrent_dropout=recurrent_dropout, seed=1)
    x = randn(4, 5, 6)
    inference = numpy(layer(x))
    close(layer(x, training=False), inference)
    trained = numpy(layer(x, training=True))
    assert trained.shape == inference.shape and not np.allclose(trained, inference)
    assert getattr(layer.cell, "_dropout_mask", None) is None


@requires_training
@pytest.mark.parametrize("kwargs", [{}, {"dropout": 0.2, "recurrent_dropout": 0.2}, {"use_cudnn": False}])
def test_fit_reduces_the_loss(kwargs):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((32, 5, 3)).astype("float32")
    y = x.sum(axis=(1, 2))[:, None].astype("float32") * 0.1
    utils.set_random_seed(0)
    model = models.Sequential([layers.Input((5, 3)), layers.LSTM(8, **kwargs), layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    before = model.evaluate(x, y, verbose=0)
    history = model.fit(x, y, batch_size=8, epochs=6, verbose=0)
    # Judged on inference loss: the per-epoch training losses carry dropout's noise.
    assert np.isfinite(history.history["loss"]).all()
    assert model.evaluate(x, y, verbose=0) < 0.9 * before


def test_symbolic_shapes_with_unknown_batch_and_time():
    inputs = layers.Input((None, 3))
    out, h, c = layers.LSTM(4, return_sequences=True, return_state=True)(inputs)
    assert out.shape == (None, None, 4) and h.shape == (None, 4) and c.shape == (None, 4)
    model = models.Model(inputs, [out, h, c])
    results = model(randn(2, 7, 3))
    assert [tuple(np.shape(r)) for r in results] == [(2, 7, 4), (2, 4), (2, 4)]
    assert layers.LSTM(5).compute_output_shape((None, None, 3)) == (None, 5)


def test_cell_alone_and_in_rnn_equal_the_layer():
    cell = layers.LSTMCell(3)
    rnn = layers.RNN(cell, return_sequences=True)
    x = randn(2, 4, 5)
    out = rnn(x)
    randomize(rnn)
    out = rnn(x)
    lstm = layers.LSTM(3, return_sequences=True)
    lstm(x)
    lstm.set_weights(rnn.get_weights())
    close(out, numpy(lstm(x)))
    zeros = backend.convert_to_tensor(np.zeros((2, 3), "float32"))
    h, (h2, c2) = cell(x[:, 0], [zeros, zeros])
    close(h, numpy(out)[:, 0])
    close(h2, numpy(out)[:, 0])


def test_weight_names_and_order_follow_keras():
    layer = layers.LSTM(2, name="lstm")
    layer.build((None, 3, 4))
    assert [w.path for w in layer.weights] == ["lstm/lstm_cell/kernel", "lstm/lstm_cell/recurrent_kernel",
                                              "lstm/lstm_cell/bias"]
    assert [tuple(w.shape) for w in layer.weights] == [(4, 8), (2, 8), (8,)]


def test_config_has_the_keys_keras_writes_and_round_trips():
    with zipfile.ZipFile("/work/shared/interop/recurrent.keras") as archive:
        config = json.loads(archive.read("config.json"))
    keras_lstm = config["config"]["layers"][1]["config"]["layer"]["config"]
    layer = layers.LSTM(5, dropout=0.1, seed=3, kernel_regularizer="l2")
    ours = layer.get_config()
    assert set(ours) == set(keras_lstm)
    clone = layers.LSTM.from_config(ours)
    assert clone.get_config() == ours and clone.cell.seed == 3


def test_bad_arguments_and_inputs_name_the_layer():
    with pytest.raises(ValueError, match="units"):
        layers.LSTM(0)
    with pytest.raises(ValueError, match="use_cudnn"):
        layers.LSTM(2, use_cudnn="yes")
    with pytest.raises(ValueError, match="my_lstm"):
        layers.LSTM(2, name="my_lstm")(randn(2, 3))
