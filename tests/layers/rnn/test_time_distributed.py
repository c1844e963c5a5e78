"""TimeDistributed: the wrapped layer applied to every step (Dense, Conv2D against NumPy), masks, shapes,
config, weight paths."""

import numpy as np
import pytest

from brickwork import layers, models
from tests.layers.harness import run_layer_test
from tests.layers.rnn.helpers import close, numpy, randn


def test_dense_on_every_step():
    def reference(x, weights):
        kernel, bias = weights
        return np.stack([x[:, t] @ kernel + bias for t in range(x.shape[1])], axis=1)

    layer, _ = run_layer_test(layers.TimeDistributed, {"layer": layers.Dense(3)}, input_shape=(2, 4, 5),
                              expected_output_shape=(2, 4, 3), expected_num_trainable_weights=2,
                              reference=reference, check_models=False, check_config=False)
    assert [w.path for w in layer.weights] == ["time_distributed/dense/kernel", "time_distributed/dense/bias"]


def test_conv2d_on_every_frame_and_symbolic_shapes():
    conv = layers.Conv2D(2, 3)
    layer = layers.TimeDistributed(conv)
    x = randn(2, 3, 5, 5, 1)
    out = numpy(layer(x))
    assert out.shape == (2, 3, 3, 3, 2)
    for t in range(3):
        close(out[:, t], numpy(conv(x[:, t])))
    inputs = layers.Input((None, 5, 5, 1))
    assert layers.TimeDistributed(layers.Conv2D(2, 3))(inputs).shape == (None, None, 3, 3, 2)


def test_in_models_and_config_round_trip():
    model = models.Sequential([layers.Input((4, 5)), layers.TimeDistributed(layers.Dense(3, activation="relu"))])
    assert model.predict(randn(2, 4, 5), verbose=0).shape == (2, 4, 3)
    layer = layers.TimeDistributed(layers.Dense(3, use_bias=False), name="td")
    config = layer.get_config()
    clone = layers.TimeDistributed.from_config(config)
    assert clone.get_config() == config and clone.layer.units == 3


def test_mask_passes_through_and_is_split_for_the_wrapped_layer():
    x = randn(2, 4, 5)
    x[0, 2:] = 0.0
    model = models.Sequential([layers.Input((4, 5)), layers.Masking(0.0), layers.TimeDistributed(layers.Dense(3)),
                               layers.LSTM(2)])
    out = numpy(model(x))
    dense, lstm = model.layers[-2].layer, model.layers[-1]
    close(out[0], numpy(lstm(dense(x[:1, :2])))[0])


def test_inputs_without_a_time_axis_are_refused():
    with pytest.raises(ValueError, match="3 dimensions"):
        layers.TimeDistributed(layers.Dense(3))(randn(2, 5))
    with pytest.raises(ValueError, match="Layer"):
        layers.TimeDistributed("dense")
