"""EinsumDense quantization: the scale layout against Keras 3.15.1's analysis, and the outputs against NumPy
formulas on the same weights (files both ways with Keras are in test_quantized_keras_interop.py)."""

import numpy as np
import pytest

from brickwork import backend, layers, ops
from brickwork.quantizers.einsum_axes import EinsumQuantizationAxes
from tests.conftest import requires_training
from tests.gradient_check import engine_gradients
from tests.layers.keras_reference import run_keras

RNG = np.random.default_rng(1)
EQUATIONS = [("ab,bc->ac", 2), ("ab,bcd->acd", 2), ("btd,ndh->btnh", 3), ("btnh,nhd->btd", 4), ("abc,cde->abde", 3),
             ("abcd,cde->abe", 4), ("abc,bc->a", 3), ("ac,cd->da", 2), ("acb,cd->dab", 3), ("...b,bc->...c", 3),
             ("ab...,bc->ac...", 4), ("abcd,cd->ab", 4)]
# (equation, input shape, output_shape argument)
LAYERS = [("ab,bcd->acd", (5, 3), (8, 4)), ("btd,ndh->btnh", (2, 4, 32), (4, 8, 16)),
          ("btnh,nhd->btd", (2, 4, 8, 16), (4, 32)), ("...b,bc->...c", (2, 3, 5), (6,))]


def to_np(x):
    return np.asarray(backend.convert_to_numpy(x))


def test_scale_layout_matches_keras():
    script = """
from keras.src.layers.core.einsum_dense import _analyze_quantization_info
for i, (equation, ndim) in enumerate(data["equations"].tolist()):
    info = _analyze_quantization_info(equation, (None,) * int(ndim))
    for j, part in enumerate(info[:8]):
        out[f"{i}_{j}"] = np.array(part, dtype="int64")
    out[f"{i}_8"] = np.array(info[8])
"""
    expected = run_keras(script, equations=np.array([[e, str(n)] for e, n in EQUATIONS]))
    for i, (equation, ndim) in enumerate(EQUATIONS):
        axes = EinsumQuantizationAxes.from_equation(equation, ndim)
        ours = [axes.inputs.reduced, axes.kernel.reduced, axes.inputs.transpose, axes.kernel.transpose,
                axes.inputs.expand, axes.kernel.expand, axes.inputs.squeeze, axes.kernel.squeeze]
        for j, part in enumerate(ours):
            assert list(part) == expected[f"{i}_{j}"].tolist(), (equation, j)
        assert axes.gradient_equation == str(expected[f"{i}_8"]), equation


def _layer(equation, input_shape, output_shape):
    layer = layers.EinsumDense(equation, output_shape=output_shape, bias_axes=None)
    layer.build(input_shape)
    return layer, RNG.normal(size=input_shape).astype("float32")


def _einsum(equation, x, kernel):
    return np.einsum(equation, x, kernel)


@pytest.mark.parametrize("equation, input_shape, output_shape", LAYERS)
def test_int8_matches_formula(equation, input_shape, output_shape):
    layer, x = _layer(equation, input_shape, output_shape)
    kernel = to_np(layer.kernel)
    layer.quantize("int8")
    axes = layer._quantization_axes
    reduced_kernel, reduced_inputs = tuple(axes.kernel_reduced), tuple(axes.input_reduced)
    kernel_scale = 127.0 / (np.abs(kernel).max(axis=reduced_kernel, keepdims=True) + 1e-7)
    q_kernel = np.clip(np.round(kernel * kernel_scale), -127, 127)
    np.testing.assert_array_equal(to_np(layer._kernel), q_kernel)
    inputs_scale = 127.0 / (np.abs(x).max(axis=reduced_inputs, keepdims=True) + 1e-7)
    q_inputs = np.clip(np.round(x * inputs_scale), -127, 127)
    # Dequantizing each operand on its own axes is the same as dividing the integer product by both scales.
    expected = _einsum(equation, q_inputs / inputs_scale, q_kernel / kernel_scale)
    np.testing.assert_allclose(to_np(layer(x)), expected, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(to_np(layer._dequantized_weight()), q_kernel / kernel_scale, rtol=1e-6)


@pytest.mark.parametrize("block_size", [None, -1, 4])
def test_int4_matches_dequantized_kernel(block_size):
    from brickwork.quantizers import Int4QuantizationConfig

    layer, x = _layer("btd,ndh->btnh", (2, 4, 32), (4, 8, 16))
    kernel = to_np(layer.kernel)
    config = None if block_size is None else Int4QuantizationConfig(block_size=block_size)
    layer.quantize("int4", config=config)
    assert tuple(layer._kernel.shape) == (32, 8 * 16 // 2)  # rows: d; columns: n * h, packed two a byte
    flat = kernel.reshape(32, 128)  # Keras flattens with a plain reshape, whatever the contracted axes
    if block_size == -1:
        scale = 7.0 / (np.abs(flat).max(axis=0) + 1e-7)
        expected_kernel = np.clip(np.round(flat * scale), -8, 7) / scale
        np.testing.assert_allclose(to_np(layer._dequantized_weight()).reshape(32, 128), expected_kernel, rtol=1e-5,
                                   atol=1e-6)
    dequantized = to_np(layer._dequantized_weight())  # grouped: Keras's zero-point grid (the same integers as
    # Keras's, checked in test_quantized_keras_interop.py)
    np.testing.assert_allclose(to_np(layer(x)), _einsum("btd,ndh->btnh", x, dequantized), rtol=1e-4, atol=1e-4)
    assert tuple(layer.kernel.shape) == kernel.shape  # unpacked, in the einsum shape


def test_float8_variables_and_inference():
    layer, x = _layer("btd,ndh->btnh", (2, 4, 32), (4, 8, 16))
    expected = to_np(layer(x))
    layer.quantize("float8")
    assert [v.name for v in layer.variables] == ["kernel", "inputs_scale", "inputs_amax_history", "kernel_scale",
                                                 "kernel_amax_history", "outputs_grad_scale",
                                                 "outputs_grad_amax_history"]  # appended to the float kernel
    np.testing.assert_allclose(to_np(layer(x)), expected, rtol=0.1, atol=0.1)  # e4m3: 3 mantissa bits


@requires_training
@pytest.mark.parametrize("mode", ["int8", "int4"])
def test_input_gradient_uses_dequantized_kernel(mode):
    layer, x = _layer("btd,ndh->btnh", (2, 4, 32), (4, 8, 16))
    layer.quantize(mode)
    kernel = to_np(layer._dequantized_weight())
    (gradient,) = engine_gradients(lambda inputs: ops.sum(layer(inputs)), [x])
    expected = np.einsum("btnh,ndh->btd", np.ones((2, 4, 8, 16), "float32"), kernel)
    np.testing.assert_allclose(to_np(gradient), expected, rtol=1e-4, atol=1e-4)


def test_variable_shapes_when_built_quantized():
    # Keras 3.15.1 prints the same lists for these two layers (trainable variables first).
    layer = layers.EinsumDense("btd,ndh->btnh", output_shape=(4, 8, 16), bias_axes="h", dtype="int8_from_float32")
    layer.build((None, 4, 32))
    assert [(v.name, tuple(v.shape)) for v in layer.variables] == [
        ("bias", (16,)), ("kernel", (8, 32, 16)), ("kernel_scale", (1, 1, 8, 16))]
    layer = layers.EinsumDense("btd,ndh->btnh", output_shape=(4, 8, 16), bias_axes="h", dtype="int4_from_float32")
    layer.build((None, 4, 32))
    assert [(v.name, tuple(v.shape)) for v in layer.variables] == [
        ("bias", (16,)), ("kernel", (32, 64)), ("kernel_scale", (128,))]
