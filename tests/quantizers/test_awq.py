"""AWQ against Keras 3.15.1 (run in its own virtual environment, on the engine these tests run on) on the same
weights and data: the searched scales, the integers, scales, zero points and group indices a layer stores,
and its outputs after calibration.
"""

import numpy as np
import pytest

from brickwork import backend, layers, ops
from brickwork.quantizers import AWQConfig
from brickwork.quantizers.awq import AWQ, awq_quantize_matrix
from tests.conftest import requires_training
from tests.layers.keras_reference import run_keras

pytestmark = requires_training
KERAS_BACKEND = backend.backend()
RNG = np.random.default_rng(11)
GROUPS = (-1, 8)


def _np(x):
    return np.asarray(backend.convert_to_numpy(x))


def test_quantize_matrix_matches_keras():
    weights = RNG.normal(size=(10, 24)).astype("float32")
    magnitudes = np.abs(RNG.normal(size=24)).astype("float32") * np.linspace(0.1, 5, 24, dtype="float32")
    magnitudes[3] = 0.0  # an input never seen: treated as magnitude 1
    script = f"GROUPS = {GROUPS!r}" + """
from keras.src.quantizers.awq import awq_quantize_matrix
for group_size in GROUPS:
    found = awq_quantize_matrix(data["w"], data["m"], num_grid_points=10, group_size=group_size)
    for key, value in zip(("q", "scale", "zero", "awq_scales", "g_idx"), found):
        out[f"{group_size}_{key}"] = keras.ops.convert_to_numpy(value)
"""
    expected = run_keras(script, KERAS_BACKEND, w=weights, m=magnitudes)
    for group_size in GROUPS:
        found = awq_quantize_matrix(ops.convert_to_tensor(weights), ops.convert_to_tensor(magnitudes),
                                    num_grid_points=10, group_size=group_size)
        for key, value in zip(("q", "scale", "zero", "awq_scales", "g_idx"), found):
            label = f"{group_size}_{key}"
            assert _np(value).dtype == expected[label].dtype, label
            np.testing.assert_allclose(_np(value), expected[label], rtol=1e-6, atol=1e-7, err_msg=label)


def test_layers_match_keras():
    dense_kernel, dense_bias = RNG.normal(size=(16, 10)).astype("float32"), RNG.normal(size=10).astype("float32")
    calibration = (RNG.normal(size=(3, 20, 16)) * np.linspace(0.2, 4, 16)).astype("float32")
    einsum_kernel, einsum_x = RNG.normal(size=(4, 6, 16)).astype("float32"), RNG.normal(size=(3, 5, 4, 6))
    einsum_x = einsum_x.astype("float32")
    script = f"GROUPS = {GROUPS!r}" + """
from keras.src.quantizers.awq import AWQ
from keras.src.quantizers.awq_config import AWQConfig
for group_size in GROUPS:
    config = AWQConfig(dataset=None, tokenizer=None, group_size=group_size, num_grid_points=8)
    layer = keras.layers.Dense(10)
    layer.build((None, 16))
    layer.set_weights([data["dense_kernel"], data["dense_bias"]])
    layer.quantize("awq", config=config)
    awq = AWQ(layer, config)
    for batch in data["calibration"]:
        awq.update_activation_magnitudes(batch)
    out[f"{group_size}_magnitudes"] = keras.ops.convert_to_numpy(awq.activation_magnitudes)
    awq.quantize_layer()
    out[f"{group_size}_y"] = keras.ops.convert_to_numpy(layer(data["calibration"][0]))
    out[f"{group_size}_policy"] = np.array(layer.dtype_policy.name)
    for weight in layer.weights:
        out[f"{group_size}_{weight.name}"] = keras.ops.convert_to_numpy(weight)
config = AWQConfig(dataset=None, tokenizer=None, group_size=8)
layer = keras.layers.EinsumDense("btnh,nhd->btd", (5, 16))
layer.build((None, 5, 4, 6))
layer.set_weights([data["einsum_kernel"]])
layer.quantize("awq", config=config)
awq = AWQ(layer, config)
awq.update_activation_magnitudes(data["einsum_x"].reshape(-1, awq.rows))
awq.quantize_layer()
out["einsum_y"] = keras.ops.convert_to_numpy(layer(data["einsum_x"]))
for weight in layer.weights:
    out[f"einsum_{weight.name}"] = keras.ops.convert_to_numpy(weight)
"""
    expected = run_keras(script, KERAS_BACKEND, dense_kernel=dense_kernel, dense_bias=dense_bias,
                         calibration=calibration, einsum_kernel=einsum_kernel, einsum_x=einsum_x)
    for group_size in GROUPS:
        config = AWQConfig(dataset=None, tokenizer=None, group_size=group_size, num_grid_points=8)
        layer = layers.Dense(10)
        layer.build((None, 16))
        layer.set_weights([dense_kernel, dense_bias])
        layer.quantize("awq", config=config)
        assert layer.dtype_policy.name == str(expected[f"{group_size}_policy"])
        awq = AWQ(layer, config)
        for batch in calibration:
            awq.update_activation_magnitudes(batch)
        np.testing.assert_allclose(_np(awq.activation_magnitudes), expected[f"{group_size}_magnitudes"])
        awq.quantize_layer()
        names = ["bias", "kernel", "kernel_scale", "kernel_zero", "awq_scales", "g_idx"]
        assert [w.name for w in layer.weights] == names
        for weight in layer.weights:
            np.testing.assert_allclose(_np(weight), expected[f"{group_size}_{weight.name}"], rtol=1e-5, atol=1e-6,
                                       err_msg=f"{group_size}: {weight.name}")
        np.testing.assert_allclose(_np(layer(calibration[0])), expected[f"{group_size}_y"], rtol=1e-5, atol=1e-5)
    layer = layers.EinsumDense("btnh,nhd->btd", (5, 16))
    layer.build((None, 5, 4, 6))
    layer.set_weights([einsum_kernel])
    config = AWQConfig(dataset=None, tokenizer=None, group_size=8)
    layer.quantize("awq", config=config)
    awq = AWQ(layer, config)
    awq.update_activation_magnitudes(einsum_x.reshape(-1, awq.rows))
    awq.quantize_layer()
    for weight in layer.weights:
        np.testing.assert_allclose(_np(weight), expected[f"einsum_{weight.name}"], rtol=1e-5, atol=1e-6,
                                   err_msg=weight.name)
    np.testing.assert_allclose(_np(layer(einsum_x)), expected["einsum_y"], rtol=1e-5, atol=1e-4)


def test_awq_scales_undo_in_the_forward_pass():
    """The stored weights are the scaled ones; the layer divides by ``awq_scales`` (NumPy reference)."""
    layer = layers.Dense(6)
    layer.build((None, 8))
    config = AWQConfig(dataset=None, tokenizer=None, group_size=-1, num_grid_points=4)
    layer.quantize("awq", config=config)
    awq = AWQ(layer, config)
    awq.update_activation_magnitudes(RNG.normal(size=(32, 8)).astype("float32") * np.arange(1, 9, dtype="float32"))
    awq.quantize_layer()
    packed = _np(layer.quantized_kernel)  # (3, 8): two output rows a byte
    levels = np.stack([packed & 15, packed >> 4], axis=1).reshape(6, 8).astype("float32")
    scale, zero = _np(layer.kernel_scale), _np(layer.kernel_zero).astype("float32")
    kernel = ((levels - zero) * scale).T / _np(layer.awq_scales)[:, None]
    x = RNG.normal(size=(4, 8)).astype("float32")
    np.testing.assert_allclose(_np(layer(x)), x @ kernel + _np(layer.bias), rtol=1e-5, atol=1e-5)


def test_errors_name_what_is_wrong():
    with pytest.raises(TypeError, match="Unsupported layer type for AWQ"):
        AWQ(layers.Flatten())
    layer = layers.Dense(6)
    layer.build((None, 4))
    with pytest.raises(ValueError, match="cannot be None"):
        AWQ(layer).update_activation_magnitudes(None)
    with pytest.raises(ValueError, match="AWQConfig"):
        layer.quantize("awq")
