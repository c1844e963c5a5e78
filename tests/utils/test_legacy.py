"""keras.utils.legacy: the Keras 2 {"class_name", "config"} format."""

import pytest

import brickwork as keras
from brickwork.utils import legacy


def test_round_trip_of_a_layer():
    layer = keras.layers.Dense(3, activation="relu", name="d")
    config = legacy.serialize_keras_object(layer)
    assert config["class_name"] == "Dense" and config["config"]["units"] == 3 and "module" not in config
    rebuilt = legacy.deserialize_keras_object(config, module_objects=vars(keras.layers))
    assert isinstance(rebuilt, keras.layers.Dense) and rebuilt.get_config() == layer.get_config()


def test_passive_nested_objects_and_names():
    class Holder:
        def __init__(self, inner, fn):
            self.inner, self.fn = inner, fn

        def get_config(self):
            return {"inner": self.inner, "fn": self.fn}

        @classmethod
        def from_config(cls, config):
            return cls(**config)

    def double(x):
        return 2 * x

    config = legacy.serialize_keras_object(Holder(keras.initializers.Constant(2.0), double))
    assert config["config"]["inner"]["__passive_serialization__"] and config["config"]["fn"] == "double"
    names = {"Holder": Holder, "Constant": keras.initializers.Constant, "double": double}
    rebuilt = legacy.deserialize_keras_object(config, custom_objects=names)
    assert isinstance(rebuilt.inner, keras.initializers.Constant) and rebuilt.fn is double
    assert legacy.deserialize_keras_object("double", custom_objects=names) is double
    assert legacy.serialize_keras_object(None) is None


def test_unknown_names_are_errors():
    with pytest.raises(ValueError, match="Unknown layer: 'Nope'"):
        legacy.deserialize_keras_object({"class_name": "Nope", "config": {}}, printable_module_name="layer")
    with pytest.raises(ValueError, match="class_name"):
        legacy.deserialize_keras_object({"config": {}})
    with pytest.raises(ValueError, match="get_config"):
        legacy.serialize_keras_object(3)
