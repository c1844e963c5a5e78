"""The functional API: a graph of layers, nested models, multiple inputs/outputs, shared layers, residuals."""

import numpy as np

import keras
from keras import layers

# A small MLP as a graph of layers, trained, saved and reloaded.
inputs = keras.Input(shape=(20,))
x = layers.Dense(16, activation="relu")(inputs)
outputs = layers.Dense(4)(x)
mlp = keras.Model(inputs=inputs, outputs=outputs, name="mlp")
mlp.summary()
mlp.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
            optimizer=keras.optimizers.RMSprop(), metrics=["accuracy"])
x_data = np.random.rand(64, 20).astype("float32")
y_data = np.random.randint(0, 4, size=(64,))
mlp.fit(x_data, y_data, batch_size=16, epochs=1, validation_split=0.25, verbose=0)
loss, accuracy = mlp.evaluate(x_data, y_data, verbose=0)
mlp.save("/tmp/brickwork_guide_functional.keras")
reloaded = keras.models.load_model("/tmp/brickwork_guide_functional.keras")
np.testing.assert_allclose(reloaded.predict(x_data, verbose=0), mlp.predict(x_data, verbose=0), atol=1e-5)

# Models are callable like layers: an encoder and a decoder chained into an autoencoder.
encoder_input = keras.Input(shape=(12, 12, 1), name="img")
x = layers.Conv2D(4, 3, activation="relu")(encoder_input)
x = layers.MaxPooling2D(2)(x)
encoder_output = layers.GlobalMaxPooling2D()(x)
encoder = keras.Model(encoder_input, encoder_output, name="encoder")
decoder_input = keras.Input(shape=(4,), name="encoded_img")
x = layers.Reshape((2, 2, 1))(decoder_input)
x = layers.Conv2DTranspose(4, 3, activation="relu")(x)
x = layers.UpSampling2D(3)(x)
decoder_output = layers.Conv2DTranspose(1, 1)(x)
decoder = keras.Model(decoder_input, decoder_output, name="decoder")
autoencoder_input = keras.Input(shape=(12, 12, 1))
autoencoder = keras.Model(autoencoder_input, decoder(encoder(autoencoder_input)), name="autoencoder")
assert autoencoder.output_shape == (None, 12, 12, 1), autoencoder.output_shape

# Ensembling: three models averaged.
def get_model():
    model_input = keras.Input(shape=(8,))
    return keras.Model(model_input, layers.Dense(1)(model_input))

ensemble_input = keras.Input(shape=(8,))
members = [get_model() for _ in range(3)]
ensemble = keras.Model(ensemble_input, layers.average([m(ensemble_input) for m in members]))
assert ensemble(np.ones((2, 8), "float32")).shape == (2, 1)

# Multiple inputs and outputs, losses and loss weights by output name.
num_tags, num_words, num_departments = 6, 50, 3
title_input = keras.Input(shape=(None,), name="title")
body_input = keras.Input(shape=(None,), name="body")
tags_input = keras.Input(shape=(num_tags,), name="tags")
title_features = layers.LSTM(8)(layers.Embedding(num_words, 8)(title_input))
body_features = layers.LSTM(4)(layers.Embedding(num_words, 8)(body_input))
x = layers.concatenate([title_features, body_features, tags_input])
priority_pred = layers.Dense(1, name="priority")(x)
department_pred = layers.Dense(num_departments, name="department")(x)
model = keras.Model(inputs=[title_input, body_input, tags_input], outputs=[priority_pred, department_pred])
model.compile(optimizer=keras.optimizers.RMSprop(1e-3),
              loss=[keras.losses.BinaryCrossentropy(from_logits=True),
                    keras.losses.CategoricalCrossentropy(from_logits=True)],
              loss_weights=[1.0, 0.2])
model.compile(optimizer=keras.optimizers.RMSprop(1e-3),
              loss={"priority": keras.losses.BinaryCrossentropy(from_logits=True),
                    "department": keras.losses.CategoricalCrossentropy(from_logits=True)},
              loss_weights={"priority": 1.0, "department": 0.2})
title_data = np.random.randint(num_words, size=(32, 5))
body_data = np.random.randint(num_words, size=(32, 7))
tags_data = np.random.randint(2, size=(32, num_tags)).astype("float32")
priority_targets = np.random.random(size=(32, 1))
dept_targets = np.random.randint(2, size=(32, num_departments))
model.fit({"title": title_data, "body": body_data, "tags": tags_data},
          {"priority": priority_targets, "department": dept_targets}, epochs=1, batch_size=16, verbose=0)

# A toy ResNet: residual connections with layers.add.
inputs = keras.Input(shape=(12, 12, 3), name="img")
x = layers.Conv2D(8, 3, activation="relu")(inputs)
block_1_output = layers.MaxPooling2D(2)(x)
x = layers.Conv2D(8, 3, activation="relu", padding="same")(block_1_output)
block_2_output = layers.add([x, block_1_output])
x = layers.GlobalAveragePooling2D()(block_2_output)
x = layers.Dropout(0.5)(x)
resnet = keras.Model(inputs, layers.Dense(10)(x), name="toy_resnet")
resnet.compile(optimizer="rmsprop", loss=keras.losses.CategoricalCrossentropy(from_logits=True), metrics=["acc"])
resnet.fit(np.random.rand(16, 12, 12, 3).astype("float32"),
           keras.utils.to_categorical(np.random.randint(0, 10, size=(16, 1)), 10), batch_size=8, epochs=1, verbose=0)

# Shared layers: one embedding used by two inputs.
shared_embedding = layers.Embedding(100, 8)
text_a = keras.Input(shape=(None,), dtype="int32")
text_b = keras.Input(shape=(None,), dtype="int32")
shared = keras.Model([text_a, text_b], [shared_embedding(text_a), shared_embedding(text_b)])
assert len(shared.weights) == 1

# Feature extraction from the graph: every intermediate output of a model.
features_list = [layer.output for layer in resnet.layers]
feat_extraction_model = keras.Model(inputs=resnet.input, outputs=features_list)
features = feat_extraction_model(np.random.rand(2, 12, 12, 3).astype("float32"))
assert len(features) == len(resnet.layers)

# Mixing a custom layer into a functional model, with get_config / from_config.
class CustomDense(layers.Layer):
    def __init__(self, units=32, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer="random_normal", trainable=True)
        self.b = self.add_weight(shape=(self.units,), initializer="random_normal", trainable=True)

    def call(self, inputs):
        return keras.ops.matmul(inputs, self.w) + self.b

    def get_config(self):
        return {**super().get_config(), "units": self.units}

inputs = keras.Input((4,))
custom = keras.Model(inputs, CustomDense(10)(inputs))
config = custom.get_config()
rebuilt = keras.Model.from_config(config, custom_objects={"CustomDense": CustomDense})
assert rebuilt.output_shape == (None, 10)
print("functional_api: ok")
