"""``layers.serialize`` / ``layers.deserialize``."""

import numpy as np
import pytest

from brickwork import backend, layers, losses, saving


def test_serialize_then_deserialize_rebuilds_the_layer():
    dense = layers.Dense(3, activation="relu", name="head")
    config = layers.serialize(dense)
    assert config["class_name"] == "Dense" and config["module"] == "keras.layers"
    rebuilt = layers.deserialize(config)
    assert isinstance(rebuilt, layers.Dense) and rebuilt.get_config() == dense.get_config()


def test_deserialize_a_custom_layer_through_custom_objects():
    class Doubling(layers.Layer):
        def call(self, x):
            return x * 2

    config = layers.serialize(Doubling(name="twice"))
    layer = layers.deserialize(config, custom_objects={"Doubling": Doubling})
    assert layer.name == "twice"
    np.testing.assert_allclose(backend.convert_to_numpy(layer(np.ones((1, 2), "float32"))), [[2.0, 2.0]])


def test_deserialize_refuses_a_config_that_is_not_a_layer():
    with pytest.raises(ValueError, match="does not describe a layer"):
        layers.deserialize(saving.serialize_keras_object(losses.MeanSquaredError()))
