"""Operation: ops as objects (Keras's ``ops.numpy.Add()(x, y)``), made from the op functions; user Operations."""

import numpy as np
import pytest

import brickwork as keras
from brickwork import backend, ops
from brickwork.ops import core as kcore
from brickwork.ops import nn as knn
from brickwork.ops import numpy as knp
from brickwork.ops.operation import class_name_of

requires_training = pytest.mark.skipif(not backend.SUPPORTS_TRAINING, reason="inference-only backend")


def _np(x):
    return backend.convert_to_numpy(x)


def test_classes_call_the_op_with_static_arguments_from_the_constructor():
    a, b = np.arange(6.0).reshape(2, 3), np.ones((3, 2))
    np.testing.assert_allclose(_np(knp.Add()(a, a)), a + a)
    np.testing.assert_allclose(_np(knp.Matmul()(a, b)), a @ b)
    np.testing.assert_allclose(_np(knp.Linspace(num=5, endpoint=False)(0.0, 10.0)),
                               np.linspace(0, 10, 5, endpoint=False))
    np.testing.assert_allclose(_np(knp.Einsum("ij,jk->ik")(a, b)), np.einsum("ij,jk->ik", a, b))
    ones = np.ones((3, 3))
    np.testing.assert_allclose(_np(knp.Cross(axis=-1)(np.eye(3), ones)), np.cross(np.eye(3), ones))
    np.testing.assert_allclose(_np(knp.Sum(axis=1)(a)), a.sum(axis=1))
    np.testing.assert_allclose(_np(knn.Softmax(axis=-1)(a)), np.exp(a) / np.exp(a).sum(-1, keepdims=True), rtol=1e-6)


def test_ops_whose_call_takes_later_parameters():
    np.testing.assert_allclose(_np(knp.Full((2, 2))(3.0)), np.full((2, 2), 3.0))
    np.testing.assert_allclose(_np(knp.Pad(((1, 1),))(np.ones(2), 5.0)), np.pad(np.ones(2), 1, constant_values=5.0))
    np.testing.assert_allclose(_np(knp.Average(axis=0)(np.array([1.0, 3.0]), np.array([3.0, 1.0]))), 1.5)
    assert int(_np(kcore.ForiLoop(0, 4, lambda i, v: v + i)(0))) == 6


def test_symbolic_call_gives_shape_and_dtype():
    x = keras.KerasTensor((None, 3), dtype="float32")
    y = knp.Arccos().symbolic_call(x)
    assert y.shape == (None, 3) and y.dtype == "float32"
    z = knp.Matmul()(x, keras.KerasTensor((3, 5)))
    assert z.shape == (None, 5)


def test_operation_classes_in_a_functional_model():
    inputs = keras.Input((3,))
    model = keras.Model(inputs, knp.Multiply()(inputs, 2.0))
    np.testing.assert_allclose(_np(model(np.ones((2, 3), "float32"))), np.full((2, 3), 2.0))


def test_user_operation_eager_and_symbolic():
    class Double(keras.Operation):
        def call(self, x):
            return ops.multiply(x, 2)

    np.testing.assert_allclose(_np(Double()(np.ones(2, "float32"))), [2.0, 2.0])
    out = Double()(keras.KerasTensor((None, 4)))
    assert out.shape == (None, 4)
    assert Double().get_config()["name"].startswith("double")


def test_public_ops_namespace_holds_functions_only():
    assert not hasattr(ops, "Add") and callable(ops.add)
    assert class_name_of("logical_and") == "LogicalAnd" and class_name_of("isin") == "IsIn"
    assert class_name_of("rms_normalization") == "RMSNorm"


def test_node_refuses_concrete_outputs_and_names_its_arguments_as_keras_does():
    # A symbolic call that yields an array could never be replayed by the graph; Keras refuses it too.
    from brickwork import layers
    from brickwork.backend import KerasTensor
    from brickwork.ops.node import Node

    layer = layers.Identity()
    with pytest.raises(ValueError, match="operation outputs must be tensors.*'identity'.*shape \\(2, 3\\)"):
        Node(layer, outputs=np.zeros((2, 3)), call_args=(), call_kwargs={})
    a, x, b = KerasTensor((2, 3)), KerasTensor((2, 3)), KerasTensor((2, 3))
    node = Node(layers.Identity(), outputs=b, call_args=(a,), call_kwargs={"x": x})
    assert node.arguments.args == (a,) and node.arguments.kwargs == {"x": x}
    assert node.input_tensors == [a, x]
