"""LoRA on Dense, EinsumDense and Embedding: the forward pass against ``W + (alpha / rank) * a @ b`` in NumPy,
trainable flags, config, weights files (the update merged in) and .keras files both ways with Keras 3.15.1."""

import os

import numpy as np
import pytest

from brickwork import backend, layers, models, saving
from tests.conftest import requires_training
from tests.layers.keras_reference import run_keras

RNG = np.random.default_rng(2)


def to_np(x):
    return np.asarray(backend.convert_to_numpy(x))


def _dense():
    layer = layers.Dense(6, use_bias=False)
    layer.build((None, 5))
    return layer, RNG.normal(size=(3, 5)).astype("float32"), lambda x, w: x @ w


def _einsum():
    layer = layers.EinsumDense("btd,ndh->btnh", output_shape=(4, 3, 2), bias_axes=None)
    layer.build((None, 4, 5))
    return layer, RNG.normal(size=(2, 4, 5)).astype("float32"), lambda x, w: np.einsum("btd,ndh->btnh", x, w)


def _embedding():
    layer = layers.Embedding(7, 6)
    layer.build()
    return layer, RNG.integers(0, 7, size=(2, 3)).astype("int32"), lambda ids, table: table[ids]


LAYERS = {"dense": _dense, "einsum": _einsum, "embedding": _embedding}


def _set_adapter(layer):
    a, b = layer._lora_variables
    a.assign(RNG.normal(size=tuple(a.shape)).astype("float32"))
    b.assign(RNG.normal(size=tuple(b.shape)).astype("float32"))
    return to_np(a), to_np(b)


@pytest.mark.parametrize("kind", sorted(LAYERS))
def test_forward_matches_formula(kind):
    layer, x, apply = LAYERS[kind]()
    weight = to_np(getattr(layer, layer._lora_target))
    before = to_np(layer(x))
    layer.enable_lora(2, lora_alpha=3.0)
    np.testing.assert_allclose(to_np(layer(x)), before, rtol=1e-6)  # b starts at zero
    a, b = _set_adapter(layer)
    merged = weight + 1.5 * np.tensordot(a, b, axes=1)
    np.testing.assert_allclose(to_np(getattr(layer, layer._lora_target)), merged, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(to_np(layer(x)), apply(x, merged), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("kind", sorted(LAYERS))
def test_flags_errors_and_config(kind):
    layer, _, _ = LAYERS[kind]()
    target = layer._lora_target
    layer.enable_lora(4)
    assert [w.name for w in layer.trainable_weights][-2:] == [f"lora_{target}_a", f"lora_{target}_b"]
    assert [w.name for w in layer.non_trainable_weights] == [target]
    assert layer.lora_alpha == 4 and all(backend.standardize_dtype(v.dtype) == "float32"
                                         for v in layer._lora_variables)
    with pytest.raises(ValueError, match="lora is already enabled"):
        layer.enable_lora(4)
    config = layer.get_config()
    assert (config["lora_rank"], config["lora_alpha"]) == (4, 4)
    rebuilt = type(layer).from_config(config)
    assert rebuilt.lora_rank == 4 and not rebuilt.lora_enabled  # enabled when built
    unbuilt = type(layer).from_config({k: v for k, v in config.items() if k not in ("lora_rank", "lora_alpha")})
    with pytest.raises(ValueError, match="isn't yet built"):
        unbuilt.enable_lora(2)


def test_constraint_refused():
    with pytest.raises(ValueError, match="incompatible with kernel constraints"):
        layers.Dense(2, kernel_constraint="max_norm").enable_lora(2)
    with pytest.raises(ValueError, match="incompatible with embedding constraints"):
        layers.Embedding(3, 2, embeddings_constraint="max_norm").enable_lora(2)


@pytest.mark.parametrize("mode", [None, "int8", "int4"])
@pytest.mark.parametrize("kind", sorted(LAYERS))
def test_weights_file_holds_the_merged_weight(kind, mode):
    layer, x, _ = LAYERS[kind]()
    if mode is not None:
        layer.quantize(mode)
    layer.enable_lora(2)
    _set_adapter(layer)
    expected = to_np(layer(x))
    store = {}  # what a weights file holds for the layer
    layer.save_own_variables(store)
    plain, _, _ = LAYERS[kind]()  # the same layer without LoRA reads it
    if mode is not None:
        plain.quantize(mode)
    assert len(store) == len(plain.weights)
    plain.load_own_variables(store)
    tolerance = 1e-5 if mode is None else 0.2 * np.abs(expected).max()  # requantized after the merge
    np.testing.assert_allclose(to_np(plain(x)), expected, atol=tolerance)
    layer.load_own_variables(store)  # and a LoRA layer reads it with its adapter zeroed
    assert not np.any(to_np(layer._lora_variables[1]))
    np.testing.assert_allclose(to_np(layer(x)), to_np(plain(x)), rtol=1e-5, atol=1e-5)


@requires_training
@pytest.mark.parametrize("mode", [None, "int8", "int4"])
def test_fit_trains_only_the_adapter(mode):
    model = models.Sequential([layers.Input((4, 5)), layers.EinsumDense("btd,dh->bth", (4, 3), bias_axes="h")])
    layer = model.layers[-1]
    if mode is not None:
        model.quantize(mode)
    layer.enable_lora(2)
    kernel, a = to_np(layer._kernel).copy(), to_np(layer.lora_kernel_a).copy()  # torch shares the memory
    model.compile(optimizer="sgd", loss="mse")
    model.fit(RNG.normal(size=(8, 4, 5)), RNG.normal(size=(8, 4, 3)), epochs=2, verbose=0)
    np.testing.assert_array_equal(to_np(layer._kernel), kernel)
    assert np.abs(to_np(layer.lora_kernel_a) - a).max() > 0 and np.abs(to_np(layer.lora_kernel_b)).max() > 0


_KERAS_MODEL = """
def build():
    inputs = keras.Input((4, 5))
    x = keras.layers.Dense(6, name="dense", lora_rank=2, lora_alpha=4)(inputs)
    x = keras.layers.EinsumDense("btd,dh->bth", (4, 3), bias_axes="h", name="einsum", lora_rank=3)(x)
    return keras.Model(inputs, x)
"""


def _brickwork_model():
    inputs = layers.Input((4, 5))
    x = layers.Dense(6, name="dense", lora_rank=2, lora_alpha=4)(inputs)
    x = layers.EinsumDense("btd,dh->bth", (4, 3), bias_axes="h", name="einsum", lora_rank=3)(x)
    return models.Model(inputs, x)


def _fill(model, seed):
    rng = np.random.default_rng(seed)
    for weight in model.weights:
        weight.assign(rng.normal(size=tuple(weight.shape)).astype("float32"))


def test_keras_lora_files_load(tmp_path):
    x = RNG.normal(size=(2, 4, 5)).astype("float32")
    script = _KERAS_MODEL + """
model = build()
rng = np.random.default_rng(5)
for weight in model.weights:
    weight.assign(rng.normal(size=tuple(weight.shape)).astype("float32"))
out["y"] = keras.ops.convert_to_numpy(model(data["x"]))
model.save(os.path.join(str(data["folder"]), "keras_lora.keras"))
"""
    expected = run_keras(script, x=x, folder=np.array(str(tmp_path)))
    loaded = saving.load_model(os.path.join(tmp_path, "keras_lora.keras"))
    dense, einsum = loaded.get_layer("dense"), loaded.get_layer("einsum")
    assert dense.lora_enabled and einsum.lora_enabled and (einsum.lora_rank, einsum.lora_alpha) == (3, 3)
    np.testing.assert_allclose(to_np(loaded(x)), expected["y"], rtol=1e-4, atol=1e-4)


def test_brickwork_lora_files_load_in_keras(tmp_path):
    x = RNG.normal(size=(2, 4, 5)).astype("float32")
    model = _brickwork_model()
    _fill(model, 6)
    model.save(os.path.join(tmp_path, "ours.keras"))
    script = """
model = keras.saving.load_model(os.path.join(str(data["folder"]), "ours.keras"))
out["y"] = keras.ops.convert_to_numpy(model(data["x"]))
out["enabled"] = np.array([model.get_layer("dense").lora_enabled, model.get_layer("einsum").lora_enabled])
"""
    theirs = run_keras(script, x=x, folder=np.array(str(tmp_path)))
    assert theirs["enabled"].tolist() == [True, True]
    np.testing.assert_allclose(theirs["y"], to_np(model(x)), rtol=1e-4, atol=1e-4)
