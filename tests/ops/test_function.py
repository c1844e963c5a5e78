"""``Function``: a recorded graph of ops replayed on concrete or symbolic inputs (NumPy as the reference)."""

import numpy as np
import pytest

import brickwork as keras
from brickwork import ops
from brickwork.backend import KerasTensor


def _graph():
    a, b = KerasTensor((2, 3)), KerasTensor((2, 3))
    total = ops.add(a, b)
    return a, b, total * 3, total ** 2


def test_replays_on_arrays_and_keeps_the_structure():
    a, b, y1, y2 = _graph()
    fn = keras.Function({"a": a, "b": b}, {"y1": y1, "y2": y2}, name="f")
    x1, x2 = np.random.rand(2, 3).astype("float32"), np.random.rand(2, 3).astype("float32")
    out = fn({"a": x1, "b": x2})
    assert fn.name == "f" and set(out) == {"y1", "y2"}
    np.testing.assert_allclose(ops.convert_to_numpy(out["y1"]), (x1 + x2) * 3, rtol=1e-6)
    np.testing.assert_allclose(ops.convert_to_numpy(out["y2"]), (x1 + x2) ** 2, rtol=1e-6)


def test_replays_layers_called_on_keras_inputs():
    """The ``InputLayer`` node of a ``keras.Input`` is not called again: the value given stands for it."""
    x = keras.Input((8,))
    hidden_layer, output_layer = keras.layers.Dense(4), keras.layers.Dense(2)
    fn = keras.Function(x, output_layer(hidden_layer(x)))
    data = np.random.rand(3, 8).astype("float32")
    kernel_1, bias_1 = (ops.convert_to_numpy(w) for w in hidden_layer.weights)
    kernel_2, bias_2 = (ops.convert_to_numpy(w) for w in output_layer.weights)
    expected = (data @ kernel_1 + bias_1) @ kernel_2 + bias_2
    np.testing.assert_allclose(ops.convert_to_numpy(fn(data)), expected, rtol=1e-5, atol=1e-6)
    assert fn.compute_output_spec(KerasTensor((5, 8))).shape == (5, 2)


def test_symbolic_call_gives_specs_that_compose():
    a, b, y1, y2 = _graph()
    fn = keras.Function([a, b], [y1, y2])
    c, d = KerasTensor((2, 3)), KerasTensor((2, 3))
    specs = fn([c, d])
    assert [s.shape for s in specs] == [(2, 3), (2, 3)]
    outer = keras.Function([c, d], specs)  # a Function inside a Function
    out = outer([np.ones((2, 3), "float32"), np.ones((2, 3), "float32")])
    np.testing.assert_allclose(ops.convert_to_numpy(out[1]), np.full((2, 3), 4.0))


def test_shapes_follow_the_inputs():
    x = KerasTensor((None, 3))
    fn = keras.Function(x, ops.sum(x ** 2, axis=-1))
    assert fn.compute_output_shape((None, 3)) == (None,)
    assert fn.compute_output_spec(KerasTensor((4, 3))).shape == (4,)


def test_an_intermediate_tensor_as_input_cuts_the_graph():
    x = keras.Input(batch_shape=(None, 3))
    a = x * 2
    b = a + 1
    fn = keras.Function(b, b ** 2)
    assert [op.name for op in fn.operations] == ["power"]
    np.testing.assert_allclose(ops.convert_to_numpy(fn(np.full((2, 3), 3.0, "float32"))), np.full((2, 3), 9.0))


def test_bad_inputs_are_named():
    a, b, y1, _ = _graph()
    fn = keras.Function([a, b], y1, name="f")
    with pytest.raises(ValueError, match="invalid input structure"):
        fn(np.ones((2, 3)))
    with pytest.raises(ValueError, match="incompatible inputs.*\\(2, 3, 3\\)"):
        fn([np.ones((2, 3, 3)), np.ones((2, 3))])
    with pytest.raises(ValueError, match="`inputs` argument cannot be empty"):
        keras.Function([], y1)
    with pytest.raises(ValueError, match="`outputs` argument cannot be empty"):
        keras.Function(a, [])
