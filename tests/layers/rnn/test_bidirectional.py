"""Bidirectional: every merge mode against the two directions run by hand, return_state, a custom
backward layer, masks, stateful; and the Keras 3 archive with Bidirectional(LSTM) + GRU reproduced."""

import json
import zipfile

import numpy as np
import pytest

from brickwork import backend, layers, models
from brickwork.saving import saving_lib, serialization_lib
from tests.layers.rnn.helpers import (
    FAST_INIT,
    RIGHT_PADDED,
    close,
    numpy,
    randn,
    randomize,
)

MERGES = {
    "concat": lambda f, b: np.concatenate([f, b], axis=-1),
    "sum": lambda f, b: f + b,
    "mul": lambda f, b: f * b,
    "ave": lambda f, b: (f + b) / 2,
}


def directions(layer, x, mask=None):
    """The forward output and the backward output put back in input order, computed by hand."""
    forward = layers.LSTM(4, return_sequences=layer.return_sequences, **FAST_INIT)
    backward = layers.LSTM(4, return_sequences=layer.return_sequences, zero_output_for_mask=True, **FAST_INIT)
    forward(x)
    backward(x)
    weights = layer.get_weights()
    forward.set_weights(weights[:3])
    backward.set_weights(weights[3:])
    forward.zero_output_for_mask = layer.return_sequences
    f = numpy(forward(x, mask=mask))
    b = numpy(backward(x[:, ::-1].copy(), mask=None if mask is None else mask[:, ::-1].copy()))
    return f, (b[:, ::-1] if layer.return_sequences else b)


@pytest.mark.parametrize("merge_mode", [*MERGES, None])
@pytest.mark.parametrize("return_sequences", [False, True])
def test_merge_modes_against_the_directions(merge_mode, return_sequences):
    layer = layers.Bidirectional(layers.LSTM(4, return_sequences=return_sequences, **FAST_INIT),
                                 merge_mode=merge_mode)
    x = randn(3, 6, 2)
    layer(x)
    randomize(layer)
    out = layer(x)
    f, b = directions(layer, x)
    if merge_mode is None:
        close(out[0], f)
        close(out[1], b)
    else:
        close(out, MERGES[merge_mode](f, b))
    expected_shape = layer.compute_output_shape((None, 6, 2))
    symbolic = layer(layers.Input((6, 2)))
    got = [t.shape for t in symbolic] if merge_mode is None else symbolic.shape
    assert got == (list(expected_shape) if merge_mode is None else expected_shape)


def test_masked_directions_ignore_padding():
    layer = layers.Bidirectional(layers.LSTM(4, return_sequences=True, **FAST_INIT))
    x = randn(3, 6, 2)
    layer(x)
    randomize(layer)
    out = numpy(layer(x, mask=RIGHT_PADDED))
    f, b = directions(layer, x, RIGHT_PADDED)
    close(out, np.concatenate([f, b], axis=-1))
    # Padded steps are zero in both halves (zero_output_for_mask follows return_sequences).
    np.testing.assert_array_equal(out[1, 3:], 0.0)
    # The valid part of a padded row equals the unpadded row alone.
    close(out[1, :3], numpy(layer(x[1:2, :3]))[0])


def test_return_state_gives_both_directions_states():
    layer = layers.Bidirectional(layers.GRU(4, return_state=True), merge_mode="sum")
    x = randn(3, 6, 2)
    out, h_forward, h_backward = layer(x)
    forward = layers.GRU(4, return_state=True)
    forward(x)
    forward.set_weights(layer.get_weights()[:3])
    close(h_forward, numpy(forward(x)[1]))
    close(out, numpy(h_forward) + numpy(h_backward))
    assert layer.compute_output_shape((None, 6, 2)) == ((None, 4), (None, 4), (None, 4))


def test_initial_state_is_split_between_directions():
    layer = layers.Bidirectional(layers.SimpleRNN(4), merge_mode=None)
    x, h_forward, h_backward = randn(3, 6, 2), randn(3, 4), randn(3, 4)
    f, b = layer(x, initial_state=[h_forward, h_backward])
    forward = layers.SimpleRNN(4)
    forward(x)
    forward.set_weights(layer.get_weights()[:3])
    close(f, numpy(forward(x, initial_state=[h_forward])))


def test_custom_backward_layer_and_checks():
    backward = layers.GRU(4, go_backwards=True, name="back")
    layer = layers.Bidirectional(layers.LSTM(4), backward_layer=backward)
    assert layer.backward_layer is backward and layer.forward_layer.name == "forward_lstm"
    x = randn(2, 5, 2)
    assert numpy(layer(x)).shape == (2, 8)
    with pytest.raises(ValueError, match="go_backwards"):
        layers.Bidirectional(layers.LSTM(4), backward_layer=layers.LSTM(4))
    with pytest.raises(ValueError, match="return_sequences"):
        layers.Bidirectional(layers.LSTM(4), backward_layer=layers.LSTM(4, go_backwards=True,
                                                                        return_sequences=True))
    with pytest.raises(ValueError, match="merge_mode"):
        layers.Bidirectional(layers.LSTM(4), merge_mode="max")
    with pytest.raises(ValueError, match="Layer"):
        layers.Bidirectional("lstm")


def test_stateful_reset():
    layer = layers.Bidirectional(layers.LSTM(4, stateful=True))
    x = randn(2, 5, 2)
    first = numpy(layer(x))
    assert not np.allclose(numpy(layer(x)), first)
    assert len(layer.states) == 4
    layer.reset_states()
    close(layer(x), first)
    with pytest.raises(AttributeError, match="stateful"):
        layers.Bidirectional(layers.LSTM(4)).reset_state()


def test_config_round_trip_and_weight_paths():
    layer = layers.Bidirectional(layers.LSTM(3, return_sequences=True), merge_mode="ave", name="bi")
    layer.build((None, 5, 2))
    assert [w.path for w in layer.weights][::3] == ["bi/forward_lstm/lstm_cell/kernel",
                                                   "bi/backward_lstm/lstm_cell/kernel"]
    config = layer.get_config()
    clone = layers.Bidirectional.from_config(config)
    assert clone.get_config()["merge_mode"] == "ave"
    assert clone.backward_layer.go_backwards and clone.forward_layer.zero_output_for_mask


def _keras_config(path):
    with zipfile.ZipFile(path) as archive:
        config = json.loads(archive.read("config.json"))

    def strip(node):  # keys of initializers newer than brickwork's (reported, not ours)
        if isinstance(node, dict):
            if node.get("class_name") == "GlorotUniform":
                node["config"].pop("input_axes", None)
                node["config"].pop("output_axes", None)
            for value in node.values():
                strip(value)
        elif isinstance(node, list):
            for value in node:
                strip(value)

    strip(config)
    return config


def test_keras_archive_is_reproduced():
    path = "/work/shared/interop/recurrent.keras"
    model = serialization_lib.deserialize_keras_object(_keras_config(path))
    saving_lib.load_weights(model, path)
    data = np.load("/work/shared/interop/recurrent.npz")
    np.testing.assert_allclose(numpy(model(data["input_0"])), data["output_0"], atol=1e-4)
    bidirectional = model.get_layer("bidirectional") if hasattr(model, "get_layer") else model.layers[1]
    assert isinstance(bidirectional, layers.Bidirectional)
    assert backend.convert_to_numpy(bidirectional.forward_layer.cell.kernel).shape == (4, 20)


def test_in_a_trainable_model():
    model = models.Sequential([layers.Input((6, 2)), layers.Bidirectional(layers.GRU(3)), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    if backend.SUPPORTS_TRAINING:
        history = model.fit(randn(8, 6, 2), randn(8, 1), epochs=2, verbose=0)
        assert np.isfinite(history.history["loss"]).all()
    assert model.predict(randn(4, 6, 2), verbose=0).shape == (4, 1)


@pytest.mark.parametrize("use_cudnn", [True, False, "auto"])
def test_copies_keep_use_cudnn(use_cudnn):
    bidi = layers.Bidirectional(layers.GRU(1, use_cudnn=use_cudnn))
    assert bidi.forward_layer.use_cudnn == use_cudnn and bidi.backward_layer.use_cudnn == use_cudnn
    assert not hasattr(layers.Bidirectional(layers.SimpleRNN(1)).forward_layer, "use_cudnn")


def test_mixed_precision_wrapper_around_float32_cells_outputs_float16():
    """A float32 RNN inside a mixed_float16 RNN returns the outer compute dtype, as Keras casts it."""
    cell = layers.SimpleRNNCell(3)
    layer = layers.RNN(cell, dtype="mixed_float16")
    out = layer(np.ones((2, 4, 3), "float32"))
    assert backend.standardize_dtype(out.dtype) == "float16"
    assert layer.compute_output_spec(backend.KerasTensor((2, 4, 3), dtype="float16")).dtype == "float16"
