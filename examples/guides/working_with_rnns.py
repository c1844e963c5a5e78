"""RNNs: LSTM/GRU/SimpleRNN, return_sequences/return_state, initial_state, stateful, Bidirectional,
RNN over a custom cell with nested inputs and states."""

import numpy as np

import keras
from keras import layers, ops

model = keras.Sequential([keras.Input(shape=(None,), dtype="int32"), layers.Embedding(input_dim=100, output_dim=8),
                          layers.LSTM(8), layers.Dense(3)])
assert model(np.random.randint(0, 100, size=(2, 5))).shape == (2, 3)

model = keras.Sequential([keras.Input(shape=(None,), dtype="int32"), layers.Embedding(input_dim=100, output_dim=8),
                          layers.GRU(8, return_sequences=True), layers.SimpleRNN(4), layers.Dense(3)])
assert model(np.random.randint(0, 100, size=(2, 5))).shape == (2, 3)

# Encoder states as the decoder's initial state.
encoder_input = keras.Input(shape=(None,))
encoder_embedded = layers.Embedding(input_dim=50, output_dim=8)(encoder_input)
output, state_h, state_c = layers.LSTM(8, return_state=True, name="encoder")(encoder_embedded)
decoder_input = keras.Input(shape=(None,))
decoder_embedded = layers.Embedding(input_dim=60, output_dim=8)(decoder_input)
decoder_output = layers.LSTM(8, name="decoder")(decoder_embedded, initial_state=[state_h, state_c])
model = keras.Model([encoder_input, decoder_input], layers.Dense(10)(decoder_output))
model.compile(optimizer="adam", loss="mse")
model.fit([np.random.randint(0, 50, (8, 4)), np.random.randint(0, 60, (8, 3))], np.random.rand(8, 10), verbose=0)

# Stateful: the state carries over calls until reset_state().
paragraph = [np.random.random((2, 3, 4)).astype("float32") for _ in range(3)]
lstm_layer = layers.LSTM(5, stateful=True)
outputs = [lstm_layer(chunk) for chunk in paragraph]
existing_state = lstm_layer.states
new_lstm_layer = layers.LSTM(5)
new_output = new_lstm_layer(paragraph[0], initial_state=existing_state)
lstm_layer.reset_state()
again = lstm_layer(paragraph[0])
np.testing.assert_allclose(ops.convert_to_numpy(again), ops.convert_to_numpy(outputs[0]), atol=1e-6)

# Bidirectional.
model = keras.Sequential([keras.Input(shape=(5, 4)), layers.Bidirectional(layers.LSTM(6, return_sequences=True)),
                          layers.Bidirectional(layers.LSTM(3)), layers.Dense(2)])
assert model.layers[0].output.shape == (None, 5, 12)
model.compile(optimizer="adam", loss="mse")
model.fit(np.random.rand(8, 5, 4), np.random.rand(8, 2), verbose=0)


# The guide's NestedCell (nested inputs and states through keras.layers.RNN) is left out: it is written with
# tf.*, and ported to keras.ops it fails on Keras 3.15.1 as on brickwork (the cell's build is handed one
# shape, not one per input: IndexError in its build). See README.md.
print("working_with_rnns: ok")
