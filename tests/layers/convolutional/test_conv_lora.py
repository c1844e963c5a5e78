"""LoRA on Conv1D/2D/3D: the output against a NumPy convolution with ``kernel + (alpha / rank) * a @ b``,
what is trainable, a fit step, weights and .keras files (the update merged in) and the mixin's errors."""

import os

import numpy as np
import pytest

from brickwork import backend, layers, models, saving
from tests.conftest import requires_training

RNG = np.random.default_rng(11)
CONVS = {1: layers.Conv1D, 2: layers.Conv2D, 3: layers.Conv3D}


def to_np(x):
    return np.asarray(backend.convert_to_numpy(x))


def numpy_conv(x, kernel, bias, strides, data_format="channels_last"):
    """A "valid" convolution in NumPy: every window of ``x`` contracted with ``kernel`` (spatial, in, out)."""
    rank = kernel.ndim - 2
    if data_format == "channels_first":
        x = np.moveaxis(x, 1, -1)
    windows = np.lib.stride_tricks.sliding_window_view(x, kernel.shape[:rank], axis=tuple(range(1, rank + 1)))
    windows = windows[(slice(None), *(slice(None, None, s) for s in strides))]
    # windows: (batch, *out_spatial, in, *kernel_size); contract kernel_size and in with the kernel
    out = np.tensordot(windows, np.moveaxis(kernel, -2, 0), axes=(list(range(rank + 1, 2 * rank + 2)),
                                                                   list(range(rank + 1))))
    out = out + bias
    return np.moveaxis(out, -1, 1) if data_format == "channels_first" else out


def _conv(rank, channels=3, **kwargs):
    """A built convolution of ``rank`` spatial dims with random weights, and an input for it."""
    layer = CONVS[rank](4, 2, **kwargs)
    spatial = (5, 6, 4)[:rank]
    channels_first = kwargs.get("data_format") == "channels_first"
    shape = (2, channels, *spatial) if channels_first else (2, *spatial, channels)
    layer.build((None, *shape[1:]))
    for weight in layer.weights:
        weight.assign(RNG.normal(size=tuple(weight.shape)).astype("float32"))
    return layer, RNG.normal(size=shape).astype("float32")


def _set_adapter(layer):
    for variable in (layer.lora_kernel_a, layer.lora_kernel_b):
        variable.assign(RNG.normal(size=tuple(variable.shape)).astype("float32"))
    return to_np(layer.lora_kernel_a), to_np(layer.lora_kernel_b)


@pytest.mark.parametrize("rank, kwargs", [
    (1, {}), (1, {"strides": 2}), (2, {}), (2, {"strides": 2, "data_format": "channels_first"}), (3, {}),
])
def test_output_is_the_conv_with_the_merged_kernel(rank, kwargs):
    layer, x = _conv(rank, **kwargs)
    kernel, bias = to_np(layer.kernel), to_np(layer.bias)
    before = to_np(layer(x))
    layer.enable_lora(2, lora_alpha=3.0)
    np.testing.assert_allclose(to_np(layer(x)), before, rtol=1e-6)  # b starts at zero
    a, b = _set_adapter(layer)
    merged = kernel + 1.5 * (a.reshape(-1, 2) @ b).reshape(kernel.shape)
    assert layer.lora_kernel_a.shape == kernel.shape[:-1] + (2,) and layer.lora_kernel_b.shape == (2, 4)
    np.testing.assert_allclose(to_np(layer.kernel), merged, rtol=1e-5, atol=1e-5)
    expected = numpy_conv(x, merged, bias, layer.strides, layer.data_format)
    np.testing.assert_allclose(to_np(layer(x)), expected, rtol=1e-4, atol=1e-4)


def test_only_the_adapter_and_bias_are_trainable():
    layer, _ = _conv(2)
    layer.enable_lora(3)
    assert [w.name for w in layer.trainable_weights] == ["bias", "lora_kernel_a", "lora_kernel_b"]
    assert [w.name for w in layer.non_trainable_weights] == ["kernel"]
    assert (layer.lora_rank, layer.lora_alpha) == (3, 3)
    assert all(backend.standardize_dtype(v.dtype) == "float32" for v in (layer.lora_kernel_a, layer.lora_kernel_b))


def test_lora_rank_argument_and_config():
    layer = layers.Conv1D(4, 3, lora_rank=2, lora_alpha=8)
    assert not layer.lora_enabled
    layer.build((None, 7, 5))  # enabled once built
    assert layer.lora_enabled and layer.lora_kernel_a.shape == (3, 5, 2)
    config = layer.get_config()
    assert (config["lora_rank"], config["lora_alpha"]) == (2, 8)
    assert "lora_rank" not in layers.Conv1D(4, 3).get_config()
    rebuilt = layers.Conv1D.from_config(config)
    rebuilt.build((None, 7, 5))
    assert rebuilt.lora_enabled and (rebuilt.lora_rank, rebuilt.lora_alpha) == (2, 8)


@requires_training
def test_fit_changes_only_the_adapter():
    model = models.Sequential([layers.Input((6, 6, 3)), layers.Conv2D(4, 3, use_bias=False, lora_rank=2)])
    layer = model.layers[-1]
    kernel, a = to_np(layer._kernel).copy(), to_np(layer.lora_kernel_a).copy()  # torch shares the memory
    model.compile(optimizer="sgd", loss="mse")
    # two steps: the first moves only b (a's gradient goes through b, zero at the start), the second a too
    model.fit(RNG.normal(size=(4, 6, 6, 3)), RNG.normal(size=(4, 4, 4, 4)), batch_size=2, epochs=1, verbose=0)
    np.testing.assert_array_equal(to_np(layer._kernel), kernel)
    assert np.abs(to_np(layer.lora_kernel_a) - a).max() > 0 and np.abs(to_np(layer.lora_kernel_b)).max() > 0


def _model(lora_rank=None):
    return models.Sequential([layers.Input((6, 6, 3)), layers.Conv2D(4, 2, name="conv", lora_rank=lora_rank)])


def test_keras_file_round_trip(tmp_path):
    model = _model(lora_rank=2)
    conv = model.get_layer("conv")
    _set_adapter(conv)
    x = RNG.normal(size=(2, 6, 6, 3)).astype("float32")
    expected = to_np(model(x))
    path = os.path.join(tmp_path, "lora_conv.keras")
    model.save(path)
    loaded = saving.load_model(path)
    loaded_conv = loaded.get_layer("conv")
    assert loaded_conv.lora_enabled and loaded_conv.lora_rank == 2
    assert not np.any(to_np(loaded_conv.lora_kernel_b))  # the update is merged into the kernel instead
    np.testing.assert_allclose(to_np(loaded(x)), expected, rtol=1e-5, atol=1e-5)


def test_weights_file_reads_the_same_with_or_without_lora(tmp_path):
    model = _model(lora_rank=2)
    _set_adapter(model.get_layer("conv"))
    x = RNG.normal(size=(2, 6, 6, 3)).astype("float32")
    expected = to_np(model(x))
    path = os.path.join(tmp_path, "lora_conv.weights.h5")
    model.save_weights(path)
    for rank in (None, 3):
        other = _model(lora_rank=rank)
        other.load_weights(path)
        np.testing.assert_allclose(to_np(other(x)), expected, rtol=1e-5, atol=1e-5)
    plain = _model()
    plain.load_weights(path)  # and a file without LoRA loads into a LoRA layer, its adapter zeroed
    plain.save_weights(path)
    model.load_weights(path)
    assert not np.any(to_np(model.get_layer("conv").lora_kernel_b))
    np.testing.assert_allclose(to_np(model(x)), expected, rtol=1e-5, atol=1e-5)


def test_bad_uses_are_refused():
    with pytest.raises(ValueError, match="incompatible with kernel constraints"):
        layers.Conv2D(4, 2, kernel_constraint="max_norm").enable_lora(2)
    with pytest.raises(ValueError, match="isn't yet built"):
        layers.Conv2D(4, 2).enable_lora(2)
    layer, _ = _conv(1)
    layer.enable_lora(2)
    with pytest.raises(ValueError, match="lora is already enabled"):
        layer.enable_lora(2)
    with pytest.raises(AttributeError, match="kernel"):
        _ = layers.Conv3D(4, 2).kernel
