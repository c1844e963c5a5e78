"""EinsumDense against numpy.einsum: equations with and without ellipses, bias axes, shapes (eager and
symbolic), gradients against torch.einsum, config and equation errors."""

import numpy as np
import pytest
import torch

from brickwork import layers
from tests.layers.harness import run_layer_test
from tests.layers.normalization.layer_gradients import check_layer_gradients

CASES = [
    # equation, output_shape, bias_axes, input shape, expected output, kernel shape, bias shape
    ("ab,bc->ac", 4, "c", (2, 3), (2, 4), (3, 4), (4,)),
    ("ab,bc->ac", 4, None, (2, 3), (2, 4), (3, 4), None),
    ("abc,cd->abd", (None, 5), "d", (2, 3, 4), (2, 3, 5), (4, 5), (5,)),
    ("abc,cde->abde", (3, 2, 5), "de", (2, 3, 4), (2, 3, 2, 5), (4, 2, 5), (2, 5)),
    ("abc,cde->abde", (3, 2, 5), "be", (2, 3, 4), (2, 3, 2, 5), (4, 2, 5), (3, 1, 5)),
    ("...b,bc->...c", 4, "c", (2, 3, 5), (2, 3, 4), (5, 4), (4,)),
    ("...b,bc->...c", 4, "c", (2, 5), (2, 4), (5, 4), (4,)),
    ("ab...,bc->ac...", (4,), "c", (2, 3, 5), (2, 4, 5), (3, 4), (4, 1)),
    ("abcd,cde->abe", (3, 6), "e", (2, 3, 2, 4), (2, 3, 6), (2, 4, 6), (6,)),
]


def _reference(equation, bias_axes):
    def reference(x, weights):
        out = np.einsum(equation, x, weights[0])
        return out + weights[1] if bias_axes else out
    return reference


@pytest.mark.parametrize("equation, output_shape, bias_axes, input_shape, expected_shape, kernel_shape, bias_shape",
                         CASES, ids=[f"{c[0]}-{c[2]}-{len(c[3])}" for c in CASES])
def test_matches_numpy_einsum(equation, output_shape, bias_axes, input_shape, expected_shape, kernel_shape,
                              bias_shape):
    kwargs = {"equation": equation, "output_shape": output_shape, "bias_axes": bias_axes,
              "bias_initializer": "random_normal"}
    layer, _ = run_layer_test(layers.EinsumDense, kwargs, input_shape=input_shape,
                              expected_output_shape=expected_shape,
                              expected_num_trainable_weights=1 + (bias_axes is not None),
                              reference=_reference(equation, bias_axes), rtol=1e-5, atol=1e-5)
    assert layer.kernel.shape == kernel_shape
    assert (layer.bias is None and bias_shape is None) or layer.bias.shape == bias_shape
    assert [w.path.split("/")[-1] for w in layer.weights] == ["kernel", "bias"][: len(layer.weights)]


def test_symbolic_shape_uses_the_call_time_batch():
    layer = layers.EinsumDense("abc,cd->abd", output_shape=(None, 6), bias_axes="d", activation="relu")
    layer(np.ones((5, 3, 4), "float32"))
    assert layer.compute_output_shape((None, 3, 4)) == (None, 3, 6)
    assert layer(layers.Input((3, 4))).shape == (None, 3, 6)


def test_gradients_match_torch():
    x = np.random.default_rng(0).standard_normal((2, 3, 4))
    layer = layers.EinsumDense("abc,cde->abde", output_shape=(3, 2, 5), bias_axes="de", dtype="float64",
                               bias_initializer="random_normal")
    layer.build(x.shape)
    check_layer_gradients(layer, x, lambda x, kernel, bias: torch.einsum("abc,cde->abde", x, kernel) + bias)


@pytest.mark.parametrize("equation, output_shape, bias_axes, input_shape, message", [
    ("ab,bc", 4, None, (2, 3), "invalid einsum equation"),
    ("a...b,bc->a...c", 4, None, (2, 3), "invalid einsum equation"),
    ("ab,bc->ac", 4, "x", (2, 3), "bias axis 'x'"),
    ("ab,bcd->ac", 4, None, (2, 3), "kernel dimension 'd'"),
    ("ab,bc->ad", 4, None, (2, 3), "dimension 'd'"),
    ("abc,cd->abd", (5, 2), None, (2, 3, 4), "shared dimension 'b'"),
])
def test_bad_equations_are_explained(equation, output_shape, bias_axes, input_shape, message):
    with pytest.raises(ValueError, match=message):
        layers.EinsumDense(equation, output_shape, bias_axes=bias_axes)(np.ones(input_shape, "float32"))


def test_config_keys_match_keras():
    layer = layers.EinsumDense("ab,bc->ac", 3, bias_axes="c")
    assert set(layer.get_config()) == {
        "name", "trainable", "dtype", "output_shape", "equation", "activation", "bias_axes", "kernel_initializer",
        "bias_initializer", "kernel_regularizer", "bias_regularizer", "activity_regularizer", "kernel_constraint",
        "bias_constraint", "quantization_config"}
    assert layers.EinsumDense.from_config(layer.get_config()).partial_output_shape == (3,)
