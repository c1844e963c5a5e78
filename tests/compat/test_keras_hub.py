"""KerasHub on brickwork: tiny backbones build, run forward and fit one batch on the active backend.

The full side-by-side run against Keras 3 (numerics, saving both ways, tasks) is ``python -m
conformance.keras_hub``; this keeps the basics in CI. Skipped where keras_hub is not installed.
"""

import importlib.util
import sys

import numpy as np
import pytest

from brickwork.compat import alias_keras, remove_keras_alias
from tests.conftest import requires_training

pytestmark = pytest.mark.skipif(importlib.util.find_spec("keras_hub") is None, reason="keras_hub is not installed")


@pytest.fixture(scope="module")
def keras_hub():
    saved = {name: module for name, module in sys.modules.items()
             if name.split(".")[0] in ("keras", "keras_hub")}
    for name in saved:
        del sys.modules[name]
    alias_keras()
    import keras_hub

    yield keras_hub
    for name in [name for name in sys.modules if name.split(".")[0] in ("keras", "keras_hub")]:
        del sys.modules[name]
    remove_keras_alias()
    sys.modules.update(saved)


def _tokens(shape=(2, 6)):
    return np.random.default_rng(0).integers(1, 30, size=shape).astype("int32")


def _mask(shape=(2, 6)):
    mask = np.ones(shape, "int32")
    mask[1, -2:] = 0
    return mask


CASES = {
    # A dict of outputs (losses meet targets by key) and a padded row.
    "bert": (lambda hub: hub.models.BertBackbone(vocabulary_size=30, num_layers=1, num_heads=2, hidden_dim=8,
                                                  intermediate_dim=16, max_sequence_length=6),
             lambda: {"token_ids": _tokens(), "segment_ids": np.zeros((2, 6), "int32"), "padding_mask": _mask()}),
    # Grouped-query attention, rotary embeddings, RMS norm.
    "llama": (lambda hub: hub.models.LlamaBackbone(vocabulary_size=30, num_layers=1, num_query_heads=2,
                                                    num_key_value_heads=1, hidden_dim=8, intermediate_dim=16),
              lambda: {"token_ids": _tokens(), "padding_mask": _mask()}),
    # Sublayers built by their parent's build() (sublayer.build(shape)), as throughout KerasHub's vision models.
    "vit": (lambda hub: hub.models.ViTBackbone(image_shape=(8, 8, 3), patch_size=4, num_layers=1, num_heads=2,
                                                hidden_dim=8, mlp_dim=16),
            lambda: np.random.default_rng(0).uniform(size=(2, 8, 8, 3)).astype("float32")),
}


@requires_training
@pytest.mark.parametrize("name", sorted(CASES))
def test_backbone_forward_and_one_fit_step(keras_hub, name):
    import keras

    build, inputs = CASES[name]
    backbone = build(keras_hub)
    x = inputs()
    outputs = backbone(x)
    arrays = keras.tree.map_structure(keras.ops.convert_to_numpy, outputs)
    assert all(np.all(np.isfinite(a)) for a in keras.tree.flatten(arrays))
    weights = [keras.ops.convert_to_numpy(w).copy() for w in backbone.trainable_weights]
    backbone.compile(optimizer="sgd", loss="mse")
    targets = keras.tree.map_structure(np.zeros_like, arrays)
    history = backbone.fit(x, targets, batch_size=2, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])
    changed = [not np.array_equal(before, keras.ops.convert_to_numpy(w))
               for before, w in zip(weights, backbone.trainable_weights)]
    assert any(changed)
    # The same inputs after loading the weights into a fresh build give the same outputs.
    again = build(keras_hub)
    again.set_weights(backbone.get_weights())
    for mine, theirs in zip(keras.tree.flatten(again(x)), keras.tree.flatten(backbone(x))):
        np.testing.assert_allclose(keras.ops.convert_to_numpy(mine), keras.ops.convert_to_numpy(theirs), atol=1e-6)


def test_task_archive_keeps_the_vocabulary_where_keras_puts_it(keras_hub, tmp_path):
    """KerasHub's task keeps ``self._preprocessor`` behind ``preprocessor``; Keras writes its tokenizer's vocabulary
    to ``assets/preprocessor/tokenizer/``, and brickwork reads and writes the same path."""
    import zipfile

    import keras

    tokenizer = keras_hub.models.BertTokenizer(vocabulary=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "fox"])
    preprocessor = keras_hub.models.BertTextClassifierPreprocessor(tokenizer, sequence_length=4)
    backbone = keras_hub.models.BertBackbone(vocabulary_size=6, num_layers=1, num_heads=1, hidden_dim=4,
                                             intermediate_dim=4, max_sequence_length=4)
    task = keras_hub.models.BertTextClassifier(backbone, num_classes=2, preprocessor=preprocessor)
    task.save(tmp_path / "task.keras")
    with zipfile.ZipFile(tmp_path / "task.keras") as archive:
        assert "assets/preprocessor/tokenizer/vocabulary.txt" in archive.namelist()
    restored = keras.saving.load_model(tmp_path / "task.keras")
    assert restored.preprocessor.tokenizer.get_vocabulary()[-1] == "fox"
