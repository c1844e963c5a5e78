"""Customizing saving: save_own_variables/load_own_variables, save_assets/load_assets,
compile_config, get_config with nested objects, from_config."""

import os

import numpy as np

import keras
from keras import layers

path = "/tmp/brickwork_guide_custom_saving"


@keras.saving.register_keras_serializable(package="my_custom_package")
class LayerWithCustomVariable(keras.layers.Dense):
    """Saves an extra plain tensor besides its variables."""

    def __init__(self, units, **kwargs):
        super().__init__(units, **kwargs)
        self.my_tensor = keras.ops.convert_to_tensor(np.random.random((units,)).astype("float32"))

    def save_own_variables(self, store):
        super().save_own_variables(store)
        store["variables"] = self.my_tensor

    def load_own_variables(self, store):
        self.my_tensor = keras.ops.convert_to_tensor(np.asarray(store["variables"]))
        for i, v in enumerate(self.weights):
            v.assign(store[f"{i}"])

    def call(self, inputs):
        return super().call(inputs) * self.my_tensor


model = keras.Sequential([keras.Input((4,)), LayerWithCustomVariable(1)])
model.save(f"{path}_variables.keras")
restored = keras.models.load_model(f"{path}_variables.keras")
np.testing.assert_allclose(keras.ops.convert_to_numpy(restored.layers[0].my_tensor),
                           keras.ops.convert_to_numpy(model.layers[0].my_tensor))


@keras.saving.register_keras_serializable(package="my_custom_package")
class LayerWithCustomAssets(keras.layers.Dense):
    """Writes a vocabulary file next to the weights."""

    def __init__(self, vocab=None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.vocab = vocab

    def save_assets(self, inner_path):
        with open(os.path.join(inner_path, "vocabulary.txt"), "w") as f:
            f.write(self.vocab)

    def load_assets(self, inner_path):
        with open(os.path.join(inner_path, "vocabulary.txt"), "r") as f:
            text = f.read()
        self.vocab = text.replace("<unk>", "little")


model = keras.Sequential([keras.Input((4,)), LayerWithCustomAssets(vocab="Mary had a <unk> lamb.", units=5)])
model.save(f"{path}_assets.keras")
restored = keras.models.load_model(f"{path}_assets.keras")
assert restored.layers[-1].vocab == "Mary had a little lamb.", restored.layers[-1].vocab


@keras.saving.register_keras_serializable(package="my_custom_package")
class ScaledProjection(keras.layers.Layer):
    """build() takes an extra argument (the initializer's name); get_build_config / build_from_config
    carry it through saving, so the loaded layer is built the same way."""

    def __init__(self, units=3, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape, initializer):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), initializer=initializer)
        self.initializer, self.seen_shape = initializer, input_shape

    def call(self, x):
        return keras.ops.matmul(x, self.kernel)

    def get_config(self):
        return dict(units=self.units, **super().get_config())

    def get_build_config(self):
        return {"input_shape": self.seen_shape, "initializer": self.initializer}

    def build_from_config(self, config):
        self.build(config["input_shape"], config["initializer"])


projection = ScaledProjection()
projection.build(input_shape=(4,), initializer="ones")
model = keras.Sequential([projection, keras.layers.Dense(1)])
x = np.random.rand(2, 4).astype("float32")
expected = keras.ops.convert_to_numpy(model(x))  # builds the Sequential: an unbuilt one saves no weights
model.save(f"{path}_build.keras")
restored = keras.models.load_model(f"{path}_build.keras")
assert restored.layers[0].initializer == "ones" and restored.built
np.testing.assert_allclose(keras.ops.convert_to_numpy(restored(x)), expected, rtol=1e-6)


@keras.saving.register_keras_serializable(package="my_custom_package")
class ModelWithCustomCompile(keras.Model):
    """compile() stores a plain attribute: get_compile_config / compile_from_config."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(2)

    def call(self, x):
        return self.dense(x)

    def compile(self, optimizer, loss_fn, model_tag="default"):
        super().compile(optimizer=optimizer, loss=loss_fn)
        self.model_tag = model_tag

    def get_compile_config(self):
        return {"model_tag": self.model_tag, "optimizer": self.optimizer, "loss_fn": self.loss}

    def compile_from_config(self, config):
        config = {key: keras.saving.deserialize_keras_object(value) if isinstance(value, dict) else value
                  for key, value in config.items()}
        self.compile(**config)


model = ModelWithCustomCompile()
model.compile(optimizer="SGD", loss_fn="mse", model_tag="my_tag")
model(np.ones((1, 3), "float32"))
model.save(f"{path}_compile.keras")
restored = keras.models.load_model(f"{path}_compile.keras")
assert restored.model_tag == "my_tag"


@keras.saving.register_keras_serializable(package="ComplexModels")
class CustomModel(keras.layers.Layer):
    """A layer whose config holds another layer: serialize in get_config, deserialize in from_config."""

    def __init__(self, first_layer, second_layer=None, **kwargs):
        super().__init__(**kwargs)
        self.first_layer = first_layer
        self.second_layer = second_layer if second_layer is not None else keras.layers.Dense(8)

    def get_config(self):
        return {**super().get_config(),
                "first_layer": keras.saving.serialize_keras_object(self.first_layer),
                "second_layer": keras.saving.serialize_keras_object(self.second_layer)}

    @classmethod
    def from_config(cls, config):
        config["first_layer"] = keras.saving.deserialize_keras_object(config["first_layer"])
        config["second_layer"] = keras.saving.deserialize_keras_object(config["second_layer"])
        return cls(**config)

    def call(self, inputs):
        return self.second_layer(self.first_layer(inputs))


inputs = keras.Input((5,))
model = keras.Model(inputs, CustomModel(first_layer=layers.Dense(8))(inputs))
config = model.get_config()
new_model = keras.Model.from_config(config)
assert new_model.output_shape == (None, 8)
model.save(f"{path}_nested.keras")
keras.models.load_model(f"{path}_nested.keras")
print("customizing_saving_and_serialization: ok")
