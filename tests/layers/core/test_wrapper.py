"""Wrapper: builds the inner layer under the wrapper's path, serializes it, and rejects non-layers."""

import json

import numpy as np
import pytest

from brickwork import backend, layers, saving


class _Doubled(layers.Wrapper):
    """A minimal wrapper: twice the inner layer's output."""

    def call(self, inputs):
        return self.layer(inputs) * 2


def test_builds_inner_layer_under_the_wrapper_path():
    wrapper = _Doubled(layers.Dense(2), name="outer")
    x = np.ones((1, 3), "float32")
    out = backend.convert_to_numpy(wrapper(x))
    kernel, bias = wrapper.layer.get_weights()
    np.testing.assert_allclose(out, 2 * (x @ kernel + bias), rtol=1e-6)
    assert [w.path for w in wrapper.weights] == ["outer/dense/kernel", "outer/dense/bias"]
    assert wrapper(layers.Input((3,))).shape == (None, 2)


def test_config_round_trip():
    wrapper = _Doubled(layers.Dense(4, activation="tanh"))
    config = json.loads(json.dumps(wrapper.get_config()))
    assert config["layer"]["class_name"] == "Dense"
    clone = _Doubled.from_config(config)
    assert isinstance(clone.layer, layers.Dense) and clone.layer.units == 4
    with saving.custom_object_scope({"_Doubled": _Doubled}):
        again = saving.deserialize_keras_object(json.loads(json.dumps(saving.serialize_keras_object(wrapper))))
    assert type(again) is _Doubled


def test_rejects_non_layers():
    with pytest.raises(ValueError, match="Layer"):
        _Doubled("dense")
