"""ConvLSTM1D/2D/3D: output shapes for paddings, strides and data formats; ConvLSTM2D against a NumPy
loop on a tiny input, and its gradients against torch autograd of a conv2d reference; config."""

import numpy as np
import pytest

from brickwork import layers
from tests.layers.normalization.layer_gradients import check_layer_gradients
from tests.layers.rnn import torch_reference as ref
from tests.layers.rnn.helpers import FAST_INIT, close, numpy, randn, randomize


@pytest.mark.parametrize("cls, spatial, padding", [(layers.ConvLSTM1D, (6,), "valid"),
                                                   (layers.ConvLSTM2D, (5, 4), "same"),
                                                   (layers.ConvLSTM3D, (4, 3, 3), "valid")])
def test_output_shapes(cls, spatial, padding):
    layer = cls(2, 3 if len(spatial) < 3 else 2, padding=padding, return_sequences=True, return_state=True,
                **FAST_INIT)
    x = randn(2, 3, *spatial, 1)
    out, h, c = layer(x)
    shrink = 0 if padding == "same" else (2 if len(spatial) < 3 else 1)
    step = tuple(s - shrink for s in spatial) + (2,)
    assert tuple(out.shape) == (2, 3) + step and tuple(h.shape) == (2,) + step == tuple(c.shape)
    symbolic = cls(2, 3 if len(spatial) < 3 else 2, padding=padding, **FAST_INIT)(layers.Input((None, *spatial, 1)))
    assert symbolic.shape == (None,) + step


def test_conv_lstm2d_against_a_numpy_loop():
    layer = layers.ConvLSTM2D(2, 3, padding="same", return_sequences=True, return_state=True, **FAST_INIT)
    x = randn(2, 3, 4, 4, 1)
    layer(x)
    randomize(layer)
    out, h, c = layer(x)
    expected = ref.conv_lstm2d_numpy(x.astype("float64"), *layer.get_weights())
    for got, want in zip((out, h, c), expected):
        close(got, want, tol=1e-4)


def test_strides_channels_first_and_weights():
    layer = layers.ConvLSTM2D(3, (3, 2), strides=2, data_format="channels_first", name="c", **FAST_INIT)
    out = layer(randn(2, 4, 1, 7, 6))
    assert tuple(out.shape) == (2, 3, 3, 3)
    assert [(w.path, tuple(w.shape)) for w in layer.weights] == [
        ("c/conv_lstm_cell/kernel", (3, 2, 1, 12)), ("c/conv_lstm_cell/recurrent_kernel", (3, 2, 3, 12)),
        ("c/conv_lstm_cell/bias", (12,))]
    np.testing.assert_array_equal(layer.get_weights()[2], [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0])


def test_dropout_only_while_training():
    layer = layers.ConvLSTM1D(2, 3, dropout=0.5, recurrent_dropout=0.5, seed=1)
    x = randn(2, 3, 6, 2)
    inference = numpy(layer(x))
    assert not np.allclose(numpy(layer(x, training=True)), inference)
    close(layer(x), inference)


def test_gradients_match_torch_autograd():
    layer = layers.ConvLSTM2D(2, 3, padding="same", return_sequences=True, dtype="float64", **FAST_INIT)
    layer.build((2, 3, 4, 4, 1))
    randomize(layer)
    x = np.random.randn(2, 3, 4, 4, 1)
    close(layer(x), ref.conv_lstm2d_same(x, *layer.get_weights())[0].detach().numpy())
    check_layer_gradients(layer, x, lambda x, k, r, b: ref.conv_lstm2d_same(x, k, r, b)[0])


def test_config_round_trip():
    layer = layers.ConvLSTM2D(4, (3, 3), padding="same", dilation_rate=2, return_sequences=True, seed=2)
    config = layer.get_config()
    assert "rank" not in config and "cell" not in config and config["kernel_size"] == (3, 3)
    assert layers.ConvLSTM2D.from_config(config).get_config() == config
    with pytest.raises(ValueError, match="dilation_rate"):
        layers.ConvLSTM2D(2, 3, strides=2, dilation_rate=2)
