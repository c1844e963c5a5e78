"""get_source_inputs and the symbolic-tensor helpers re-exported by keras.utils."""

import numpy as np

import brickwork as keras
from brickwork import utils


def test_get_source_inputs_walks_back_to_the_inputs():
    a, b = keras.Input((4,)), keras.Input((4,))
    hidden = keras.layers.Dense(4)(a)
    outputs = keras.layers.Dense(2)(keras.layers.Add()([hidden, b, hidden]))
    sources = utils.get_source_inputs(outputs)
    assert len(sources) == 2 and sources[0] is a and sources[1] is b
    assert utils.get_source_inputs(a) == [a]


def test_is_keras_tensor_and_standardize_dtype():
    assert utils.is_keras_tensor(keras.Input((2,)))
    assert not utils.is_keras_tensor(np.zeros(2))
    assert utils.standardize_dtype(np.float32) == "float32"
    assert utils.standardize_dtype("float") == "float32"
