"""GPTQ against Keras 3.15.1 (run in its own virtual environment, on the engine these tests run on) on the same
weights and data.

The column-by-column quantization with error feedback, the Hessian a layer gathers, the integers, scales, zero
points and group indices it stores, and the outputs after calibration equal Keras's; a whole model quantized
by ``Model.quantize("gptq")`` block by block holds Keras's weights and predicts what Keras predicts.
"""

import numpy as np
import pytest

from brickwork import backend, layers, ops
from brickwork.quantizers import GPTQConfig, GPTQQuantizer
from brickwork.quantizers.gptq import GPTQ, gptq_quantize_matrix
from tests.conftest import requires_training
from tests.layers.keras_reference import run_keras

pytestmark = requires_training
# Keras on the same engine: where a group's values are all positive, the zero point is negative and its cast to
# uint8 wraps on torch (255) but saturates on jax (0), in Keras as here.
KERAS_BACKEND = backend.backend()

RNG = np.random.default_rng(7)
# name: GPTQConfig arguments (blocksize of gptq_quantize_matrix apart)
CONFIGS = {
    "per_channel": dict(group_size=-1),
    "groups_of_8": dict(group_size=8),
    "activation_order": dict(group_size=-1, activation_order=True),
    "groups_activation_order": dict(group_size=8, activation_order=True),
    "symmetric": dict(group_size=-1, symmetric=True),
    "per_tensor": dict(group_size=-1, per_channel=False),
    "8_bits_groups": dict(group_size=8, weight_bits=8, symmetric=True),
    "3_bits": dict(group_size=-1, weight_bits=3),
}
# Keras recomputes a group's scale at each block the group spans, storing one more scale than the layer holds
# (its assign then fails) unless blocks align with groups: compared where they do. brickwork computes each
# group's once (test_one_scale_per_group_across_blocks).
BLOCKSIZES = {name: (128,) if arguments["group_size"] == -1 else (128, 8) for name, arguments in CONFIGS.items()}


def _np(x):
    return np.asarray(backend.convert_to_numpy(x))


def _spd(size):
    """A well-conditioned symmetric positive definite matrix (an inverse Hessian)."""
    a = RNG.normal(size=(size, size)).astype("float32")
    return (a @ a.T / size + np.eye(size, dtype="float32")).astype("float32")


def test_quantize_matrix_matches_keras():
    weights, inverse = RNG.normal(size=(12, 20)).astype("float32"), _spd(20)
    script = f"CONFIGS = {CONFIGS!r}\nBLOCKSIZES = {BLOCKSIZES!r}" + """
from keras.src.quantizers.gptq import gptq_quantize_matrix
from keras.src.quantizers.gptq_config import GPTQConfig
from keras.src.quantizers.quantizers import GPTQQuantizer
for name, arguments in CONFIGS.items():
    for blocksize in BLOCKSIZES[name]:
        config = GPTQConfig(dataset=None, tokenizer=None, **arguments)
        found = gptq_quantize_matrix(data["w"], data["h"], blocksize=blocksize, group_size=config.group_size,
                                     activation_order=config.activation_order,
                                     compute_scale_zero=GPTQQuantizer(config).find_params)
        for key, value in zip(("q", "scale", "zero", "g_idx"), found):
            out[f"{name}_{blocksize}_{key}"] = keras.ops.convert_to_numpy(value)
"""
    expected = run_keras(script, KERAS_BACKEND, w=weights, h=inverse)
    for name, arguments in CONFIGS.items():
        config = GPTQConfig(dataset=None, tokenizer=None, **arguments)
        for blocksize in BLOCKSIZES[name]:
            found = gptq_quantize_matrix(ops.convert_to_tensor(weights), ops.convert_to_tensor(inverse),
                                         blocksize=blocksize, group_size=config.group_size,
                                         activation_order=config.activation_order,
                                         compute_scale_zero=GPTQQuantizer(config).find_params)
            for key, value in zip(("q", "scale", "zero", "g_idx"), found):
                label = f"{name}_{blocksize}_{key}"
                assert _np(value).dtype == expected[label].dtype, label
                np.testing.assert_allclose(_np(value), expected[label], rtol=1e-6, atol=1e-7, err_msg=label)


# the kernels GPTQ sees as matrices: (equation, output shape, input shape)
EINSUMS = {"qkv": ("btd,dnh->btnh", (5, 4, 6), (2, 5, 24)), "output": ("btnh,nhd->btd", (5, 16), (2, 5, 4, 6))}


def test_one_scale_per_group_across_blocks():
    """With an identity inverse Hessian there is no error feedback: GPTQ is plain rounding on its group's grid,
    whatever the block size (NumPy reference); Keras stores one scale per block instead (and fails to assign)."""
    weights = RNG.normal(size=(6, 20)).astype("float32")
    for group_size, groups in ((-1, 1), (8, 3)):
        config = GPTQConfig(dataset=None, tokenizer=None, group_size=group_size)
        quantized, scale, _, g_idx = gptq_quantize_matrix(
            ops.convert_to_tensor(weights), ops.eye(20), blocksize=6, group_size=group_size,
            compute_scale_zero=GPTQQuantizer(config).find_params)
        assert tuple(scale.shape) == (6, groups)
        size = 20 if group_size == -1 else group_size
        for start in range(0, 20, size):
            part = weights[:, start:start + size]
            low, high = part.min(axis=1, keepdims=True), part.max(axis=1, keepdims=True)
            step = (high - low) / np.float32(15)
            expected = np.clip(np.round(part / step + np.round(-low / step)), 0, 15)
            np.testing.assert_array_equal(_np(quantized)[:, start:start + size], expected)
        np.testing.assert_array_equal(_np(g_idx).astype("int32"), np.arange(20) // size)


def test_layers_match_keras():
    dense_kernel, dense_bias = RNG.normal(size=(16, 10)).astype("float32"), RNG.normal(size=10).astype("float32")
    calibration = RNG.normal(size=(3, 40, 16)).astype("float32")
    einsum_kernels = {"qkv": RNG.normal(size=(24, 4, 6)).astype("float32"),
                      "output": RNG.normal(size=(4, 6, 16)).astype("float32")}
    einsum_inputs = {key: RNG.normal(size=(3,) + shape[1:]).astype("float32")
                     for key, (_, _, shape) in EINSUMS.items()}
    script = f"CONFIGS = {CONFIGS!r}\nBLOCKSIZES = {BLOCKSIZES!r}\nEINSUMS = {EINSUMS!r}" + """
from keras.src.quantizers.gptq import GPTQ
from keras.src.quantizers.gptq_config import GPTQConfig
for name, arguments in CONFIGS.items():
    config = GPTQConfig(dataset=None, tokenizer=None, hessian_damping=0.05, **arguments)
    layer = keras.layers.Dense(10)
    layer.build((None, 16))
    layer.set_weights([data["dense_kernel"], data["dense_bias"]])
    layer.quantize("gptq", config=config)
    gptq = GPTQ(layer, config)
    for batch in data["calibration"]:
        gptq.update_hessian_with_batch(batch)
    out[f"{name}_hessian"] = keras.ops.convert_to_numpy(gptq.hessian)
    gptq.quantize_and_correct_layer(blocksize=BLOCKSIZES[name][-1])
    out[f"{name}_y"] = keras.ops.convert_to_numpy(layer(data["calibration"][0]))
    for weight in layer.weights:
        out[f"{name}_{weight.name}"] = keras.ops.convert_to_numpy(weight)
    out[f"{name}_policy"] = np.array(layer.dtype_policy.name)
for key, (equation, output_shape, input_shape) in EINSUMS.items():
    config = GPTQConfig(dataset=None, tokenizer=None, group_size=8)
    layer = keras.layers.EinsumDense(equation, output_shape)
    layer.build(input_shape)
    layer.set_weights([data[f"{key}_kernel"]])
    layer.quantize("gptq", config=config)
    gptq = GPTQ(layer, config)
    gptq.update_hessian_with_batch(data[f"{key}_x"].reshape(-1, gptq.rows))
    gptq.quantize_and_correct_layer()
    out[f"{key}_y"] = keras.ops.convert_to_numpy(layer(data[f"{key}_x"]))
    for weight in layer.weights:
        out[f"{key}_{weight.name}"] = keras.ops.convert_to_numpy(weight)
    out[f"{key}_column_size"] = np.array(layer.get_config()["gptq_unpacked_column_size"])
"""
    expected = run_keras(script, KERAS_BACKEND, dense_kernel=dense_kernel, dense_bias=dense_bias,
                         calibration=calibration,
                         **{f"{key}_kernel": value for key, value in einsum_kernels.items()},
                         **{f"{key}_x": value for key, value in einsum_inputs.items()})
    for name, arguments in CONFIGS.items():
        config = GPTQConfig(dataset=None, tokenizer=None, hessian_damping=0.05, **arguments)
        layer = layers.Dense(10)
        layer.build((None, 16))
        layer.set_weights([dense_kernel, dense_bias])
        layer.quantize("gptq", config=config)
        assert layer.dtype_policy.name == str(expected[f"{name}_policy"])
        gptq = GPTQ(layer, config)
        for batch in calibration:
            gptq.update_hessian_with_batch(batch)
        np.testing.assert_allclose(_np(gptq.hessian), expected[f"{name}_hessian"], rtol=1e-5, atol=1e-5)
        gptq.quantize_and_correct_layer(blocksize=BLOCKSIZES[name][-1])
        assert [w.name for w in layer.weights] == ["bias", "kernel", "kernel_scale", "kernel_zero", "g_idx"]
        for weight in layer.weights:
            np.testing.assert_allclose(_np(weight), expected[f"{name}_{weight.name}"], rtol=1e-5, atol=1e-6,
                                       err_msg=f"{name}: {weight.name}")
        np.testing.assert_allclose(_np(layer(calibration[0])), expected[f"{name}_y"], rtol=1e-5, atol=1e-5)
    for key, (equation, output_shape, input_shape) in EINSUMS.items():
        config = GPTQConfig(dataset=None, tokenizer=None, group_size=8)
        layer = layers.EinsumDense(equation, output_shape)
        layer.build(input_shape)
        layer.set_weights([einsum_kernels[key]])
        layer.quantize("gptq", config=config)
        gptq = GPTQ(layer, config)
        gptq.update_hessian_with_batch(einsum_inputs[key].reshape(-1, gptq.rows))
        gptq.quantize_and_correct_layer()
        for weight in layer.weights:
            np.testing.assert_allclose(_np(weight), expected[f"{key}_{weight.name}"], rtol=1e-5, atol=1e-6,
                                       err_msg=f"{key}: {weight.name}")
        assert layer.get_config()["gptq_unpacked_column_size"] == int(expected[f"{key}_column_size"])
        np.testing.assert_allclose(_np(layer(einsum_inputs[key])), expected[f"{key}_y"], rtol=1e-5, atol=1e-4)


def test_uncalibrated_layer_computes_with_its_float_kernel():
    layer = layers.Dense(6)
    layer.build((None, 4))
    x = RNG.normal(size=(3, 4)).astype("float32")
    before = _np(layer(x))
    layer.quantize("gptq", config=GPTQConfig(dataset=None, tokenizer=None, group_size=-1))
    assert not layer.is_gptq_calibrated and layer.quantization_mode == "gptq"
    np.testing.assert_allclose(_np(layer(x)), before, rtol=1e-6)


def test_errors_name_what_is_wrong():
    layer = layers.Dense(6)
    layer.build((None, 4))
    with pytest.raises(TypeError, match="Unsupported layer type for GPTQ"):
        GPTQ(layers.Flatten())
    gptq = GPTQ(layer)
    with pytest.raises(ValueError, match="do not match input features"):
        gptq.update_hessian_with_batch(np.ones((2, 5), "float32"))
    with pytest.raises(ValueError, match="Implicitly enabling GPTQ"):
        layer.dtype_policy = "gptq/4/-1_from_float32"
    with pytest.raises(ValueError, match="GPTQConfig"):
        layer.quantize("gptq")
