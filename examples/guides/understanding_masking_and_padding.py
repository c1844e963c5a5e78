"""Masking and padding: pad_sequences, Embedding(mask_zero), Masking, mask propagation, mask-aware custom layers."""

import numpy as np

import keras
from keras import layers, ops

raw_inputs = [[711, 632, 71], [73, 8, 3215, 55, 927], [83, 91, 1, 645, 1253, 927]]
padded_inputs = keras.utils.pad_sequences(raw_inputs, padding="post")
assert padded_inputs.shape == (3, 6) and padded_inputs[0, 3] == 0

embedding = layers.Embedding(input_dim=5000, output_dim=4, mask_zero=True)
masked_output = embedding(padded_inputs)
np.testing.assert_array_equal(ops.convert_to_numpy(masked_output._keras_mask), padded_inputs != 0)

masking_layer = layers.Masking()
unmasked_embedding = ops.cast(ops.tile(ops.expand_dims(padded_inputs, axis=-1), [1, 1, 4]), "float32")
masked_embedding = masking_layer(unmasked_embedding)
np.testing.assert_array_equal(ops.convert_to_numpy(masked_embedding._keras_mask), padded_inputs != 0)

# The mask travels through a Sequential and a functional model to the LSTM.
model = keras.Sequential([layers.Embedding(input_dim=5000, output_dim=4, mask_zero=True), layers.LSTM(8)])
assert model(padded_inputs).shape == (3, 8)
inputs = keras.Input(shape=(None,), dtype="int32")
x = layers.Embedding(input_dim=5000, output_dim=4, mask_zero=True)(inputs)
model = keras.Model(inputs, layers.LSTM(8)(x))
model.compile(optimizer="adam", loss="mse")
model.fit(padded_inputs, np.random.rand(3, 8).astype("float32"), verbose=0)

# Padding does not change the result of a masked LSTM.
lstm = layers.LSTM(3)
embedded = layers.Embedding(input_dim=5000, output_dim=4, mask_zero=True)
long = lstm(embedded(np.array([[5, 6, 7, 0, 0]])))
short = lstm(embedded(np.array([[5, 6, 7]])))
np.testing.assert_allclose(ops.convert_to_numpy(long), ops.convert_to_numpy(short), atol=1e-6)


# Passing the mask by hand to a layer that takes `mask`.
class MyLayer(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.embedding = layers.Embedding(input_dim=5000, output_dim=4, mask_zero=True)
        self.lstm = layers.LSTM(8)

    def call(self, inputs):
        x = self.embedding(inputs)
        mask = self.embedding.compute_mask(inputs)
        return self.lstm(x, mask=mask)


assert MyLayer()(padded_inputs).shape == (3, 8)


class TemporalSplit(keras.layers.Layer):
    """Splits the input in two along time, and the mask with it."""

    def call(self, inputs):
        return ops.split(inputs, 2, axis=1)

    def compute_mask(self, inputs, mask=None):
        if mask is None:
            return None
        return ops.split(mask, 2, axis=1)


first_half, second_half = TemporalSplit()(masked_embedding)
assert first_half._keras_mask.shape == (3, 3)


class CustomEmbedding(keras.layers.Layer):
    """Makes a mask of its own with compute_mask."""

    def __init__(self, input_dim, output_dim, mask_zero=False, **kwargs):
        super().__init__(**kwargs)
        self.input_dim, self.output_dim, self.mask_zero = input_dim, output_dim, mask_zero
        self.embeddings = self.add_weight(shape=(input_dim, output_dim), initializer="random_normal")

    def call(self, inputs):
        return ops.take(self.embeddings, ops.cast(inputs, "int32"), axis=0)

    def compute_mask(self, inputs, mask=None):
        if not self.mask_zero:
            return None
        return ops.not_equal(inputs, 0)


layer = CustomEmbedding(10, 4, mask_zero=True)
y = layer(np.random.randint(0, 10, size=(3, 10)))
assert y._keras_mask.shape == (3, 10)


class MyActivation(keras.layers.Layer):
    """Leaves the mask unchanged: supports_masking."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs):
        return ops.relu(inputs)


inputs = keras.Input(shape=(None,), dtype="int32")
x = layers.Embedding(input_dim=5000, output_dim=4, mask_zero=True)(inputs)
x = MyActivation()(x)
model = keras.Model(inputs, layers.LSTM(8)(x))
assert model(padded_inputs).shape == (3, 8)


class TemporalSoftmax(keras.layers.Layer):
    """Reads the mask in call()."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs, mask=None):
        assert mask is not None
        broadcast_float_mask = ops.expand_dims(ops.cast(mask, "float32"), -1)
        inputs_exp = ops.exp(inputs) * broadcast_float_mask
        inputs_sum = ops.sum(inputs_exp * broadcast_float_mask, axis=-1, keepdims=True)
        return inputs_exp / inputs_sum


inputs = keras.Input(shape=(None,), dtype="int32")
x = layers.Embedding(input_dim=10, output_dim=32, mask_zero=True)(inputs)
x = layers.Dense(1)(x)
model = keras.Model(inputs, TemporalSoftmax()(x))
assert model(np.random.randint(0, 10, size=(4, 5))).shape == (4, 5, 1)
print("understanding_masking_and_padding: ok")
