"""brickwork.quantizers against independent NumPy formulas (and ml_dtypes for float8), on every backend."""

import ml_dtypes
import numpy as np
import pytest

from brickwork import backend, ops, quantizers
from brickwork.quantizers.float8 import round_to_float8
from tests.conftest import requires_training
from tests.gradient_check import engine_gradients

RNG = np.random.default_rng(0)


def to_np(x):
    return np.asarray(backend.convert_to_numpy(x))


@pytest.mark.parametrize("to_numpy", [False, True])
def test_abs_max_quantize_matches_formula(to_numpy):
    x = RNG.normal(size=(6, 5)).astype("float32")
    values, scale = quantizers.abs_max_quantize(x, axis=0, to_numpy=to_numpy)
    expected_scale = 127.0 / (np.abs(x).max(axis=0, keepdims=True) + 1e-7)
    np.testing.assert_allclose(to_np(scale), expected_scale, rtol=1e-6)
    np.testing.assert_array_equal(to_np(values), np.clip(np.round(x * expected_scale.astype("float32")), -127, 127))
    assert backend.standardize_dtype(values.dtype) == "int8"


def test_abs_max_quantizer_config_round_trip():
    quantizer = quantizers.AbsMaxQuantizer(axis=0, value_range=(-8, 7))
    rebuilt = quantizers.deserialize(quantizers.serialize(quantizer))
    assert rebuilt.get_config() == quantizer.get_config() and rebuilt.value_range == (-8, 7)
    assert isinstance(quantizers.get("abs_max_quantizer"), quantizers.AbsMaxQuantizer)
    with pytest.raises(ValueError, match="value_range"):
        quantizers.AbsMaxQuantizer(value_range=(-300, 300))


def test_grouped_zero_point_matches_formula():
    x = RNG.normal(size=(10, 3)).astype("float32")
    values, scale, zero = quantizers.abs_max_quantize_grouped_with_zero_point(x, block_size=4)
    padded = np.concatenate([x, np.zeros((2, 3), "float32")]).reshape(3, 4, 3)
    low, high = padded.min(axis=1), padded.max(axis=1)
    expected_scale = (high - low + 1e-7) / 15
    expected_zero = np.clip(np.round(-low / expected_scale) - 8, -8, 7)
    np.testing.assert_allclose(to_np(scale), expected_scale, rtol=1e-6)
    np.testing.assert_array_equal(to_np(zero), expected_zero)
    dequantized = (to_np(values).astype("float32") - np.repeat(expected_zero, 4, 0)[:10]) * np.repeat(
        expected_scale, 4, 0)[:10]
    assert np.abs(dequantized - x).max() <= expected_scale.max() / 2 + 1e-6


@pytest.mark.parametrize("axis", [0, 1, -1])
@pytest.mark.parametrize("dtype", ["int8", "uint8"])
def test_pack_unpack_int4_round_trip_and_layout(axis, dtype):
    low, high = (-8, 8) if dtype == "int8" else (0, 16)
    values = RNG.integers(low, high, size=(5, 3, 7)).astype(dtype)
    packed, shape, length = quantizers.pack_int4(values, axis=axis, dtype=dtype)
    assert tuple(to_np(packed).shape) == shape and length == values.shape[axis]
    np.testing.assert_array_equal(to_np(quantizers.unpack_int4(packed, length, axis=axis, dtype=dtype)), values)
    first = np.take(to_np(packed), [0], axis=axis).astype(np.uint8)  # low nibble: element 0, high: element 1
    np.testing.assert_array_equal(first & 0x0F, np.take(values, [0], axis=axis).astype(np.uint8) & 0x0F)
    np.testing.assert_array_equal(first >> 4, np.take(values, [1], axis=axis).astype(np.uint8) & 0x0F)


@pytest.mark.parametrize("dtype", ["float8_e4m3fn", "float8_e5m2"])
def test_float8_rounding_matches_ml_dtypes(dtype):
    every_value = np.arange(256, dtype=np.uint8).view(getattr(ml_dtypes, dtype)).astype("float32")
    every_value = every_value[np.isfinite(every_value)]
    midpoints = (np.sort(every_value)[:-1] + np.sort(every_value)[1:]) / 2  # ties: round half to even
    x = np.concatenate([every_value, midpoints, RNG.normal(size=2000) * 10.0 ** RNG.integers(-8, 3, 2000)])
    x = np.clip(x, -float(ml_dtypes.finfo(dtype).max), float(ml_dtypes.finfo(dtype).max)).astype("float32")
    expected = x.astype(getattr(ml_dtypes, dtype)).astype("float32")
    np.testing.assert_array_equal(to_np(round_to_float8(x, dtype)), expected)


def test_quantize_and_dequantize_clips_and_scales():
    x = np.array([0.3, 1000.0, -5000.0], "float32")
    result = to_np(quantizers.quantize_and_dequantize(x, 2.0, "float8_e4m3fn", "float32"))
    expected = (np.clip(x / 2, -448, 448).astype(ml_dtypes.float8_e4m3fn).astype("float32")) * 2
    np.testing.assert_array_equal(result, expected)


def test_float8_scale_and_history():
    np.testing.assert_allclose(to_np(quantizers.compute_float8_scale(3.0, 4.0, 448.0)), 3.0 / 448.0, rtol=1e-6)
    np.testing.assert_allclose(to_np(quantizers.compute_float8_scale(0.0, 4.0, 448.0)), 4.0)  # amax 0: keep
    history = quantizers.compute_float8_amax_history(np.array([-3.0, 1.0], "float32"),
                                                     ops.convert_to_tensor(np.array([5.0, 6.0, 7.0], "float32")))
    np.testing.assert_array_equal(to_np(history), [3.0, 7.0, 5.0])


def _fake_quant_reference(x, low, high, bits=8):
    scale = (high - low) / (2**bits - 1)
    zero = np.round(np.clip(-low / scale, 0, 2**bits - 1))
    nudged_low, nudged_high = -zero * scale, (2**bits - 1 - zero) * scale
    return np.floor((np.clip(x, nudged_low, nudged_high) - nudged_low) / scale + 0.5) * scale + nudged_low


def test_fake_quant_matches_formula():
    x = RNG.uniform(-2, 2, size=(4, 3)).astype("float32")
    np.testing.assert_allclose(to_np(quantizers.fake_quant_with_min_max_vars(x, -1.0, 1.5)),
                               _fake_quant_reference(x, -1.0, 1.5), atol=1e-6)
    lows, highs = np.array([-1.0, 0.0, -0.5], "float32"), np.array([1.0, 2.0, 0.5], "float32")
    per_channel = to_np(quantizers.fake_quant_with_min_max_vars(x, lows, highs, axis=-1))
    np.testing.assert_allclose(per_channel, _fake_quant_reference(x, lows, highs), atol=1e-6)


def test_fake_quant_gradient_is_straight_through():
    x = np.array([-2.0, -0.5, 0.0, 0.7, 3.0])
    dx, dlow, dhigh = engine_gradients(quantizers.fake_quant_with_min_max_vars, [x, -1.0, 1.0])
    np.testing.assert_array_equal(dx, [0, 1, 1, 1, 0])  # passes inside the range
    assert float(dlow) == 1.0 and float(dhigh) == 1.0  # each clamped value sends its gradient to its bound


@requires_training
def test_dense_int8_input_gradient_uses_dequantized_kernel():
    from brickwork import layers

    layer = layers.Dense(3, use_bias=False)
    layer.build((None, 4))
    layer.quantize("int8")
    kernel = to_np(layer._kernel).astype("float64") / to_np(layer.kernel_scale)
    (dx,) = engine_gradients(lambda x: layer(ops.cast(x, "float32")), [np.ones((2, 4))])
    np.testing.assert_allclose(dx, np.ones((2, 3)) @ kernel.T, rtol=1e-5)


def test_configs_serialize_and_validate():
    config = quantizers.Int4QuantizationConfig(block_size=64)
    rebuilt = quantizers.deserialize(quantizers.serialize(config))
    assert isinstance(rebuilt, quantizers.Int4QuantizationConfig) and rebuilt.block_size == 64
    int8 = quantizers.deserialize(quantizers.serialize(quantizers.Int8QuantizationConfig()))
    assert isinstance(int8.activation_quantizer, quantizers.AbsMaxQuantizer)
    with pytest.raises(ValueError, match="does not support"):
        quantizers.Int4QuantizationConfig(weight_quantizer=quantizers.AbsMaxQuantizer(value_range=(-8, 7)))
    gptq = quantizers.GPTQConfig(dataset=None, tokenizer=None, weight_bits=3, group_size=-1)
    assert gptq.dtype_policy_string() == "gptq/3/-1" and quantizers.GPTQConfig.from_config(gptq.get_config())
