"""End-to-end learning: small models written as Keras 3 programs learn toy tasks to a clear accuracy
within seconds (torch and jax; the numpy backend does not train).

- a CNN (Conv2D, MaxPooling2D, Flatten, Dense) tells horizontal from vertical bars;
- an LSTM classifier over padded token sequences (Embedding(mask_zero=True), LSTM, Dense) finds a token,
  and padding does not change its predictions;
- a transformer block (MultiHeadAttention, LayerNormalization, Dense, residuals) with padding masks
  tells which of two tokens is in the majority.
"""

import numpy as np
import pytest

import brickwork as keras
from tests.conftest import requires_training

pytestmark = requires_training


def _require(*names):
    missing = [name for name in names if not hasattr(keras.layers, name)]
    if missing:
        pytest.skip(f"layers not written yet: {', '.join(missing)}")


def _fit_and_score(model, x, y, x_test, y_test, epochs, learning_rate=0.01, batch_size=32):
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="binary_crossentropy",
                  metrics=["accuracy"])
    history = model.fit(x, y, epochs=epochs, batch_size=batch_size, verbose=0)
    losses = history.history["loss"]
    assert losses[-1] < losses[0], f"the loss did not go down: {losses}"
    _, accuracy = model.evaluate(x_test, y_test, verbose=0)
    return accuracy


def _bars(count, rng):
    """8x8 images holding one horizontal (label 0) or vertical (label 1) bar, plus noise."""
    images = rng.normal(0, 0.1, (count, 8, 8, 1)).astype("float32")
    labels = rng.integers(0, 2, count)
    for image, label, position in zip(images, labels, rng.integers(1, 7, count)):
        if label:
            image[1:7, position, 0] += 1.0
        else:
            image[position, 1:7, 0] += 1.0
    return images, labels.astype("float32")[:, None]


def test_cnn_learns_bar_orientation():
    _require("Conv2D", "MaxPooling2D", "Flatten", "Dense")
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    (x, y), (x_test, y_test) = _bars(256, rng), _bars(128, rng)
    model = keras.Sequential([
        keras.Input((8, 8, 1)),
        keras.layers.Conv2D(4, 3, activation="relu"),
        keras.layers.MaxPooling2D(2),
        keras.layers.Flatten(),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    assert _fit_and_score(model, x, y, x_test, y_test, epochs=8) >= 0.95


def _padded_tokens(count, rng, length=10, vocab=10):
    """Right-padded sequences of 3..``length`` tokens in ``2..vocab-1``; label 1 when token 1 was planted."""
    tokens = np.zeros((count, length), "int32")
    labels = rng.integers(0, 2, count)
    for row, label, size in zip(tokens, labels, rng.integers(3, length + 1, count)):
        row[:size] = rng.integers(2, vocab, size)
        if label:
            row[rng.integers(0, size)] = 1
    return tokens, labels.astype("float32")[:, None]


def test_lstm_with_padding_masks_learns_to_find_a_token():
    _require("Embedding", "LSTM", "Dense")
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(1)
    (x, y), (x_test, y_test) = _padded_tokens(512, rng), _padded_tokens(200, rng)
    model = keras.Sequential([
        keras.Input((None,), dtype="int32"),
        keras.layers.Embedding(10, 8, mask_zero=True),
        keras.layers.LSTM(16),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    assert _fit_and_score(model, x, y, x_test, y_test, epochs=6) >= 0.95
    # Masked steps are skipped: more padding changes no prediction.
    more_padding = np.pad(x_test[:16], ((0, 0), (0, 5)))
    np.testing.assert_allclose(keras.ops.convert_to_numpy(model(more_padding)),
                               keras.ops.convert_to_numpy(model(x_test[:16])), rtol=1e-4, atol=1e-5)


def _majority(count, rng, length=8):
    """Right-padded sequences of tokens 1 and 2 (odd lengths, so no ties); label 1 when 1s outnumber 2s."""
    tokens = np.zeros((count, length), "int32")
    sizes = rng.choice([3, 5, 7], count)
    for row, size in zip(tokens, sizes):
        row[:size] = rng.integers(1, 3, size)
    labels = (tokens == 1).sum(1) > (tokens == 2).sum(1)
    return tokens, labels.astype("float32")[:, None]


def test_transformer_block_with_padding_masks_learns_the_majority_token():
    _require("Embedding", "MultiHeadAttention", "LayerNormalization", "Dense", "GlobalAveragePooling1D", "Add")
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(2)
    (x, y), (x_test, y_test) = _majority(512, rng), _majority(200, rng)
    tokens = keras.Input((None,), dtype="int32")
    embedded = keras.layers.Embedding(3, 16, mask_zero=True)(tokens)
    attended = keras.layers.MultiHeadAttention(num_heads=2, key_dim=8)(embedded, embedded)
    hidden = keras.layers.LayerNormalization()(keras.layers.Add()([embedded, attended]))
    fed = keras.layers.Dense(16)(keras.layers.Dense(32, activation="relu")(hidden))
    hidden = keras.layers.LayerNormalization()(keras.layers.Add()([hidden, fed]))
    pooled = keras.layers.GlobalAveragePooling1D()(hidden)
    model = keras.Model(tokens, keras.layers.Dense(1, activation="sigmoid")(pooled))
    assert _fit_and_score(model, x, y, x_test, y_test, epochs=10) >= 0.9
    more_padding = np.pad(x_test[:16], ((0, 0), (0, 4)))
    np.testing.assert_allclose(keras.ops.convert_to_numpy(model(more_padding)),
                               keras.ops.convert_to_numpy(model(x_test[:16])), rtol=1e-4, atol=1e-5)
