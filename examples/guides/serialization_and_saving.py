"""Saving: .keras files, custom objects (register_keras_serializable, custom_objects, custom_object_scope),
get_config/from_config, clone_model, to_json/model_from_json, save_weights/load_weights, weight transfer."""

import numpy as np

import keras
from keras import layers

path = "/tmp/brickwork_guide_saving"


def get_model():
    inputs = keras.Input(shape=(8,))
    model = keras.Model(inputs, layers.Dense(1)(layers.Dense(4, activation="relu")(inputs)))
    model.compile(optimizer=keras.optimizers.Adam(), loss="mean_squared_error")
    return model


x = np.random.random((16, 8)).astype("float32")
y = np.random.random((16, 1)).astype("float32")
model = get_model()
model.fit(x, y, verbose=0)
model.save(f"{path}_model.keras")
reconstructed_model = keras.models.load_model(f"{path}_model.keras")
np.testing.assert_allclose(model.predict(x, verbose=0), reconstructed_model.predict(x, verbose=0), atol=1e-6)
reconstructed_model.fit(x, y, verbose=0)  # the optimizer state came back too


@keras.saving.register_keras_serializable(package="my_package", name="custom_fn")
def custom_fn(x):
    return x**2


@keras.saving.register_keras_serializable(package="MyLayers")
class CustomLayer(keras.layers.Layer):
    def __init__(self, factor, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, x):
        return x * self.factor

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


@keras.saving.register_keras_serializable(package="my_package", name="CustomModel")
class CustomModel(keras.Model):
    def __init__(self, hidden_units, **kwargs):
        super().__init__(**kwargs)
        self.hidden_units = hidden_units
        self.dense_layers = [layers.Dense(u) for u in hidden_units]

    def call(self, inputs):
        x = inputs
        for layer in self.dense_layers:
            x = layer(x)
        return x

    def get_config(self):
        return {**super().get_config(), "hidden_units": self.hidden_units}


inputs = keras.Input(shape=(4,))
outputs = layers.Activation(custom_fn)(CustomLayer(0.5)(inputs))
model = keras.Model(inputs, outputs)
model.compile(optimizer="rmsprop", loss="mean_squared_error")
model.save(f"{path}_custom.keras")
reconstructed = keras.models.load_model(f"{path}_custom.keras")
data = np.random.random((2, 4)).astype("float32")
np.testing.assert_allclose(model.predict(data, verbose=0), reconstructed.predict(data, verbose=0), atol=1e-6)
assert keras.saving.get_registered_name(CustomLayer) == "MyLayers>CustomLayer"

subclassed = CustomModel([4, 2])
subclassed(np.ones((1, 3), "float32"))
subclassed.save(f"{path}_subclassed.keras")
loaded = keras.models.load_model(f"{path}_subclassed.keras")
np.testing.assert_allclose(subclassed.predict(data[:, :3], verbose=0), loaded.predict(data[:, :3], verbose=0), atol=1e-6)


# Unregistered objects: custom_objects= or custom_object_scope.
class UnregisteredLayer(keras.layers.Layer):
    def call(self, x):
        return x + 1.0


inputs = keras.Input(shape=(4,))
keras.Model(inputs, UnregisteredLayer()(inputs)).save(f"{path}_unregistered.keras")
keras.models.load_model(f"{path}_unregistered.keras", custom_objects={"UnregisteredLayer": UnregisteredLayer})
with keras.saving.custom_object_scope({"UnregisteredLayer": UnregisteredLayer}):
    keras.models.load_model(f"{path}_unregistered.keras")

# Configs: layers, Sequential, functional; clone_model; JSON.
layer = keras.layers.Dense(3, activation="relu")
new_layer = keras.layers.Dense.from_config(layer.get_config())
assert new_layer.get_config() == layer.get_config()
sequential = keras.Sequential([keras.Input((32,)), keras.layers.Dense(1)])
keras.Sequential.from_config(sequential.get_config())
functional = get_model()
keras.Model.from_config(functional.get_config())
clone = keras.models.clone_model(functional)
assert len(clone.weights) == len(functional.weights)
json_config = functional.to_json()
assert len(keras.models.model_from_json(json_config).weights) == 4
config = keras.saving.serialize_keras_object(CustomLayer(3.0))
assert keras.saving.deserialize_keras_object(config).factor == 3.0

# Weights only: get/set_weights between layers, save_weights/load_weights.
def create_layer():
    layer = keras.layers.Dense(8, activation="relu", name="dense_1")
    layer.build((None, 4))
    return layer


layer_1, layer_2 = create_layer(), create_layer()
layer_2.set_weights(layer_1.get_weights())
np.testing.assert_array_equal(layer_2.get_weights()[0], layer_1.get_weights()[0])
functional.save_weights(f"{path}.weights.h5")
other = get_model()
other.load_weights(f"{path}.weights.h5")
np.testing.assert_allclose(functional.predict(x, verbose=0), other.predict(x, verbose=0), atol=1e-6)

# Transfer weights from a functional model to a subclassed one of the same structure.
class SubclassedMLP(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense_1 = layers.Dense(4, activation="relu")
        self.dense_2 = layers.Dense(1)

    def call(self, inputs):
        return self.dense_2(self.dense_1(inputs))


mlp = SubclassedMLP()
mlp(np.ones((1, 8), "float32"))
mlp.set_weights(functional.get_weights())
np.testing.assert_allclose(mlp.predict(x, verbose=0), functional.predict(x, verbose=0), atol=1e-6)
print("serialization_and_saving: ok")
