"""``Model.quantize("gptq"/"awq")`` on a small decoder-like model, against Keras 3.15.1 on the same engine.

Keras and brickwork quantize the same float weights on the same token ids, block by block: they hold the same
weights afterwards and predict the same; the .keras file each writes loads in the other and predicts the same.
The calibration windows come from ``get_dataloader`` (compared with Keras's too); Keras's strided offset
depends on Python's string hashing, so the test gives brickwork the offset Keras's process drew.

Keras 3.15.1's ``Model.quantize`` watches a layer's inputs by replacing its ``call``, but a layer in "gptq"/"awq"
mode runs ``quantized_call`` instead, so Keras's hooks never fire: its Hessians stay zero (GPTQ becomes plain
rounding) and its activation magnitudes too (AWQ scales all 1). The reference here is Keras with its hooks on
``quantized_call``, so that it calibrates on the data as brickwork does.

Keras 3.15.1 also saves these layers without their zero points (``kernel_zero``), and then cannot load its own
file; brickwork writes them (the layout Keras's loader reads), and refuses Keras's short files with an error
that says why. The Keras file brickwork loads is written with Keras's save given the zero points back.
"""

import os

import numpy as np
import pytest

from brickwork import backend, layers, models, saving
from brickwork.quantizers import AWQConfig, GPTQConfig, calibration
from tests.conftest import requires_training
from tests.layers.keras_reference import run_keras

pytestmark = requires_training
KERAS_BACKEND = backend.backend()
RNG = np.random.default_rng(3)
SEQ, VOCAB = 12, 40
DOCUMENTS = [RNG.integers(0, VOCAB, size=30).astype("int32") for _ in range(3)]
MODES = {"gptq": "GPTQConfig(dataset=docs, tokenizer=tokenize, num_samples=4, sequence_length=12, group_size=8, "
                 "activation_order=True)",
         "awq": "AWQConfig(dataset=docs, tokenizer=tokenize, num_samples=4, sequence_length=12, group_size=8, "
                "num_grid_points=6)"}
# The same model in both: an embedding, two blocks (attention-like EinsumDense pair + MLP), a float head. The
# model names its structure (as KerasHub models do): Keras cannot save a model whose config held it.
BUILD = """
def build(keras):
    L = keras.layers
    def block():
        return keras.Sequential([L.EinsumDense("btd,dnh->btnh", (12, 2, 8)), L.EinsumDense("btnh,nhd->btd", (12, 16)),
                                 L.Dense(24, activation="relu"), L.Dense(16)])
    model = keras.Sequential([keras.Input((12,), dtype="int32"), L.Embedding(40, 16), block(), block(),
                              L.Dense(40, name="head")])
    structure = {"pre_block_layers": [model.layers[0]], "sequential_blocks": model.layers[1:3]}
    model.get_quantization_layer_structure = lambda mode: structure
    return model, structure

def tokenize(text):
    raise AssertionError("token ids need no tokenizer")
tokenize.tokenize = tokenize

def not_head(layer):
    return layer.name != "head"
"""
namespace = {}
exec(BUILD, namespace)
KERAS_HOOKS_FIXED = """
import contextlib
from keras.src.quantizers import awq_core, gptq_core

def watching(update):
    @contextlib.contextmanager
    def watch(layers, calibrators):
        def hook(name, call):
            def run(*args, **kwargs):
                inputs = args[0] if args else kwargs["inputs"]
                getattr(calibrators[name], update)(keras.ops.reshape(inputs, (-1, calibrators[name].rows)))
                return call(*args, **kwargs)
            return run
        originals = {name: layer.quantized_call for name, layer in layers.items()}
        try:
            for name, layer in layers.items():
                layer.quantized_call = hook(name, originals[name])
            yield
        finally:
            for name, layer in layers.items():
                layer.quantized_call = originals[name]
    return watch

gptq_core.stream_hessians = watching("update_hessian_with_batch")
awq_core.stream_activations = watching("update_activation_magnitudes")

@contextlib.contextmanager
def zero_points_saved():
    originals = {cls: cls._get_kernel_with_merged_lora for cls in (keras.layers.Dense, keras.layers.EinsumDense)}
    def with_zero(original):
        def merged(self):
            if self.quantization_mode in ("gptq", "awq"):
                return self.kernel, None, self.kernel_zero
            return original(self)
        return merged
    try:
        for cls, original in originals.items():
            cls._get_kernel_with_merged_lora = with_zero(original)
        yield
    finally:
        for cls, original in originals.items():
            cls._get_kernel_with_merged_lora = original
"""


def _np(x):
    return np.asarray(backend.convert_to_numpy(x))


def _brickwork_model(floats):
    import brickwork

    backend.clear_session(free_memory=False)  # the same layer names as Keras's fresh session
    model, structure = namespace["build"](brickwork)
    model.set_weights(floats)
    return model, structure


def test_dataloader_matches_keras():
    texts = ["calibration text one", "and a second, longer, piece of calibration text"]
    script = """
from keras.src.quantizers.gptq_core import get_dataloader
class Tokenizer:
    def tokenize(self, text):
        return np.array([ord(c) % 50 for c in text], "int32")
texts = [str(t) for t in data["texts"]]
for strategy in ("linspace", "random", "strided"):
    out[strategy] = get_dataloader(Tokenizer(), 5, texts, num_samples=7, strategy=strategy, seed=3, eos_id=49)
out["ids"] = get_dataloader(None, 4, list(data["ids"]), num_samples=9, strategy="linspace")
out["offset"] = np.array(abs(hash(("gptq-calib", 3))) % (len("".join(texts)) + 1 - 5 + 1))
"""
    expected = run_keras(script, KERAS_BACKEND, texts=np.array(texts), ids=np.stack(DOCUMENTS))

    class Tokenizer:
        def tokenize(self, text):
            return np.array([ord(c) % 50 for c in text], "int32")

    for strategy in ("linspace", "random"):
        found = calibration.get_dataloader(Tokenizer(), 5, texts, num_samples=7, strategy=strategy, seed=3, eos_id=49)
        assert found.dtype == np.int32 and found.shape == (7, 1, 5)
        np.testing.assert_array_equal(found, expected[strategy])
    ids = calibration.get_dataloader(None, 4, list(np.stack(DOCUMENTS)), num_samples=9, strategy="linspace")
    np.testing.assert_array_equal(ids, expected["ids"])
    original = calibration._strided_offset
    calibration._strided_offset = lambda seed, positions: int(expected["offset"])
    try:
        strided = calibration.get_dataloader(Tokenizer(), 5, texts, num_samples=7, seed=3, eos_id=49)
    finally:
        calibration._strided_offset = original
    np.testing.assert_array_equal(strided, expected["strided"])
    with pytest.raises(TypeError, match="must be an iterable"):
        calibration.get_dataloader(None, 4, "wikitext2")


def test_models_quantize_and_move_both_ways(tmp_path, monkeypatch):
    import brickwork

    floats = [_np(w) for w in namespace["build"](brickwork)[0].weights]
    ids = RNG.integers(0, VOCAB, size=(3, SEQ)).astype("int32")
    arrays = {f"w{i}": w for i, w in enumerate(floats)}
    configs = ", ".join(f"({mode!r}, lambda docs: keras.quantizers.{text})" for mode, text in MODES.items())
    script = BUILD + KERAS_HOOKS_FIXED + f"\nCONFIGS = [{configs}]\nN = {len(floats)}" + """
folder = str(data["folder"])
docs = [data[f"doc{i}"] for i in range(3)]
positions = 90 - 12 + 1
out["offset"] = np.array(abs(hash(("gptq-calib", 42))) % positions)
for mode, make_config in CONFIGS:
    keras.backend.clear_session()
    model, structure = build(keras)
    model.set_weights([data[f"w{i}"] for i in range(N)])
    out[f"{mode}_float"] = keras.ops.convert_to_numpy(model(data["ids"]))
    model.quantize(mode, config=make_config(docs), filters=not_head)
    out[f"{mode}_y"] = keras.ops.convert_to_numpy(model(data["ids"]))
    for i, weight in enumerate(model.weights):
        out[f"{mode}_weight_{i}"] = keras.ops.convert_to_numpy(weight)
        out[f"{mode}_name_{i}"] = np.array(weight.name)
    model.save(os.path.join(folder, f"keras_{mode}_as_written.keras"))
    try:
        keras.saving.load_model(os.path.join(folder, f"keras_{mode}_as_written.keras"))
        out[f"{mode}_keras_reloads_its_file"] = np.array(True)
    except ValueError:
        out[f"{mode}_keras_reloads_its_file"] = np.array(False)
    with zero_points_saved():
        model.save(os.path.join(folder, f"keras_{mode}.keras"))
"""
    docs = {f"doc{i}": d for i, d in enumerate(DOCUMENTS)}
    expected = run_keras(script, KERAS_BACKEND, folder=np.array(str(tmp_path)), ids=ids, **docs, **arrays)
    monkeypatch.setattr(calibration, "_strided_offset", lambda seed, positions: int(expected["offset"]))
    ours = {}
    for mode, text in MODES.items():
        model, _ = _brickwork_model(floats)
        np.testing.assert_allclose(_np(model(ids)), expected[f"{mode}_float"], rtol=1e-5, atol=1e-5)
        config = eval(text, {"GPTQConfig": GPTQConfig, "AWQConfig": AWQConfig, "docs": DOCUMENTS,
                             "tokenize": namespace["tokenize"]})
        model.quantize(mode, config=config, filters=namespace["not_head"])
        assert len(model.weights) == len([k for k in expected if k.startswith(f"{mode}_weight_")])
        for i, weight in enumerate(model.weights):
            assert weight.name == str(expected[f"{mode}_name_{i}"])
            np.testing.assert_allclose(_np(weight), expected[f"{mode}_weight_{i}"], rtol=1e-4, atol=1e-5,
                                       err_msg=f"{mode}: {weight.path}")
        ours[mode] = _np(model(ids))
        np.testing.assert_allclose(ours[mode], expected[f"{mode}_y"], rtol=1e-4, atol=1e-4, err_msg=mode)
        assert not np.allclose(ours[mode], expected[f"{mode}_float"], atol=1e-3)  # quantization did something
        model.save(os.path.join(tmp_path, f"brickwork_{mode}.keras"))
        assert not expected[f"{mode}_keras_reloads_its_file"]
        with pytest.raises(ValueError, match="without their zero points"):
            saving.load_model(os.path.join(tmp_path, f"keras_{mode}_as_written.keras"))
        loaded = saving.load_model(os.path.join(tmp_path, f"keras_{mode}.keras"))
        assert loaded.layers[1].layers[0].quantization_mode == mode
        np.testing.assert_allclose(_np(loaded(ids)), expected[f"{mode}_y"], rtol=1e-4, atol=1e-4, err_msg=mode)
    theirs = run_keras("""
for mode in ("gptq", "awq"):
    model = keras.saving.load_model(os.path.join(str(data["folder"]), f"brickwork_{mode}.keras"))
    out[mode] = keras.ops.convert_to_numpy(model(data["ids"]))
    out[f"{mode}_policy"] = np.array(model.layers[1].layers[0].dtype_policy.name)
""", KERAS_BACKEND, folder=np.array(str(tmp_path)), ids=ids)
    for mode in MODES:
        np.testing.assert_allclose(theirs[mode], ours[mode], rtol=1e-4, atol=1e-4, err_msg=mode)
        assert str(theirs[f"{mode}_policy"]) == f"{mode}/4/8_from_float32"


def test_a_structure_given_in_the_config_is_not_saved(tmp_path):
    """Keras writes the structure's layers into each quantized layer's config (and recurses forever saving);
    brickwork leaves it out, as it leaves out the data."""
    import brickwork

    model, structure = namespace["build"](brickwork)
    del model.get_quantization_layer_structure
    config = GPTQConfig(dataset=DOCUMENTS, tokenizer=namespace["tokenize"], num_samples=2, sequence_length=SEQ,
                        group_size=8, quantization_layer_structure=structure)
    with pytest.warns(UserWarning, match=r"\['head'\] are in 'gptq' mode but were not calibrated"):
        model.quantize("gptq", config=config)
    ids = RNG.integers(0, VOCAB, size=(2, SEQ)).astype("int32")
    before = _np(model(ids))
    model.save(os.path.join(tmp_path, "model.keras"))
    loaded = saving.load_model(os.path.join(tmp_path, "model.keras"))
    assert loaded.layers[1].layers[0].quantization_config.quantization_layer_structure is None
    assert loaded.layers[1].layers[0].is_gptq_calibrated
    blocks = [models.Sequential([layers.Input((SEQ,), dtype="int32"), *m.layers[:3]]) for m in (model, loaded)]
    np.testing.assert_allclose(_np(blocks[1](ids)), _np(blocks[0](ids)), rtol=1e-5, atol=1e-5)
    assert not np.allclose(_np(loaded(ids)), before)  # the uncalibrated head's float kernel was not saved


def test_structure_and_data_are_required():
    model = models.Sequential([layers.Input((5,)), layers.Dense(4)])
    with pytest.raises(ValueError, match="For mode='gptq', a valid quantization structure"):
        model.quantize("gptq", config=GPTQConfig(dataset=["a"], tokenizer=lambda x: x))
    assert model.layers[0].quantization_mode is None  # nothing changed
    structure = {"pre_block_layers": [], "sequential_blocks": [model.layers[0]]}
    with pytest.raises(ValueError, match="requires a dataset and a?\\s?tokenizer"):
        model.quantize("awq", config=AWQConfig(dataset=None, tokenizer=None, quantization_layer_structure=structure))
