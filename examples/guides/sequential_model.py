"""Sequential models: a stack of layers, add/pop, Input, summary while building, feature extraction, transfer."""

import numpy as np

import keras
from keras import layers

model = keras.Sequential([
    layers.Dense(4, activation="relu", name="layer1"),
    layers.Dense(3, activation="relu", name="layer2"),
    layers.Dense(2, name="layer3"),
])
assert model(np.ones((3, 3), "float32")).shape == (3, 2)
assert [layer.name for layer in model.layers] == ["layer1", "layer2", "layer3"]

# add() and pop()
model = keras.Sequential(name="my_sequential")
model.add(layers.Dense(2, activation="relu"))
model.add(layers.Dense(3, activation="relu"))
model.add(layers.Dense(4))
model.pop()
assert len(model.layers) == 2

# Weights appear on the first call; a model with an Input is built up front.
layer = layers.Dense(3)
assert layer.weights == []
layer(np.ones((1, 4), "float32"))
assert len(layer.weights) == 2
model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(2, activation="relu")])
assert len(model.weights) == 2 and len(model.layers) == 1
model.summary()

# Building up step by step and checking summary().
model = keras.Sequential()
model.add(keras.Input(shape=(16, 16, 3)))
model.add(layers.Conv2D(4, 3, strides=2, activation="relu"))
model.add(layers.MaxPooling2D(2))
model.summary()
model.add(layers.GlobalMaxPooling2D())
model.add(layers.Dense(10))
assert model.output_shape == (None, 10)

# Feature extraction: a functional model over the Sequential's intermediate outputs.
initial_model = keras.Sequential([
    keras.Input(shape=(16, 16, 3)),
    layers.Conv2D(4, 3, strides=2, activation="relu"),
    layers.Conv2D(4, 3, strides=2, activation="relu", name="my_intermediate_layer"),
    layers.Conv2D(4, 3, activation="relu"),
])
feature_extractor = keras.Model(inputs=initial_model.inputs,
                                outputs=[layer.output for layer in initial_model.layers])
assert len(feature_extractor(np.ones((1, 16, 16, 3), "float32"))) == 3
feature_extractor = keras.Model(inputs=initial_model.inputs,
                                outputs=initial_model.get_layer(name="my_intermediate_layer").output)
assert feature_extractor(np.ones((1, 16, 16, 3), "float32")).shape == (1, 3, 3, 4)

# Transfer learning: freeze all but the last layer, then train.
model = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(4, activation="relu"),
                          layers.Dense(4, activation="relu"), layers.Dense(1)])
for layer in model.layers[:-1]:
    layer.trainable = False
assert len(model.trainable_weights) == 2
model.compile(optimizer="adam", loss="mse")
frozen_before = [w.numpy().copy() for w in model.layers[0].weights]
model.fit(np.random.rand(16, 8).astype("float32"), np.random.rand(16, 1).astype("float32"), epochs=1, verbose=0)
for before, after in zip(frozen_before, model.layers[0].weights):
    np.testing.assert_array_equal(before, after.numpy())

# A frozen base model inside a Sequential.
base_model = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(4)])
base_model.trainable = False
model = keras.Sequential([base_model, layers.Dense(2)])
model.compile(optimizer="adam", loss="mse")
model.fit(np.random.rand(8, 8).astype("float32"), np.random.rand(8, 2).astype("float32"), epochs=1, verbose=0)
assert len(model.trainable_weights) == 2
print("sequential_model: ok")
