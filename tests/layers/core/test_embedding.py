"""Embedding against NumPy indexing: values, masks, dtypes, gradients (scatter-add), config and Keras files."""

import json
import zipfile

import numpy as np
import pytest

from brickwork import backend, layers
from brickwork.layers import masking
from tests.gradient_check import engine_gradients
from tests.layers.harness import run_layer_test


@pytest.mark.parametrize("input_shape", [(2, 5), (3,), (2, 2, 3)])
def test_matches_numpy_indexing(input_shape):
    layer, _ = run_layer_test(layers.Embedding, {"input_dim": 6, "output_dim": 3}, input_shape=input_shape,
                              input_dtype="int32", expected_output_shape=input_shape + (3,),
                              expected_num_trainable_weights=1, reference=lambda ids, w: w[0][ids])
    assert layer.embeddings.path == "embedding/embeddings" and layer.embeddings.shape == (6, 3)


def test_float_and_int64_ids():
    layer = layers.Embedding(4, 2)
    layer.build()
    table = layer.get_weights()[0]
    for ids in (np.array([[1.0, 3.0]], "float32"), np.array([[1, 3]], "int64")):
        np.testing.assert_allclose(backend.convert_to_numpy(layer(ids)), table[[[1, 3]]])


def test_mask_zero_marks_padding():
    layer = layers.Embedding(5, 2, mask_zero=True)
    out = layer(np.array([[3, 0, 1], [0, 0, 2]]))
    np.testing.assert_array_equal(backend.convert_to_numpy(masking.get_mask(out)),
                                  [[True, False, True], [False, False, True]])
    symbolic = layer(layers.Input((None,), dtype="int32"))
    assert symbolic.shape == (None, None, 2) and symbolic._keras_mask.shape == (None, None)
    assert layers.Embedding(5, 2).compute_mask(np.array([[0]])) is None


def test_initial_weights():
    table = np.arange(6, dtype="float32").reshape(3, 2)
    layer = layers.Embedding(3, 2, weights=table)
    np.testing.assert_array_equal(backend.convert_to_numpy(layer(np.array([2, 0]))), table[[2, 0]])


def test_gradient_is_a_scatter_add_of_the_upstream_gradient():
    if not backend.SUPPORTS_TRAINING:
        pytest.skip("the numpy backend computes no gradients")
    ids = np.array([[1, 2, 1], [0, 1, 3]])
    layer = layers.Embedding(4, 2, dtype="float64")
    layer.build(ids.shape)
    upstream = np.random.default_rng(0).standard_normal((2, 3, 2))

    def forward(table):
        with backend.StatelessScope(state_mapping=[(layer.embeddings, table)]):
            return layer(backend.convert_to_tensor(ids)) * backend.convert_to_tensor(upstream)

    (grad,) = engine_gradients(forward, [layer.get_weights()[0]])
    expected = np.zeros((4, 2))
    np.add.at(expected, ids.reshape(-1), upstream.reshape(-1, 2))
    np.testing.assert_allclose(grad, expected, rtol=1e-12)


def test_loads_a_keras_config():
    with zipfile.ZipFile("/work/shared/interop/functional_text_cnn.keras") as archive:
        config = json.loads(archive.read("config.json"))
    keras_config = next(layer["config"] for layer in config["config"]["layers"] if layer["class_name"] == "Embedding")
    layer = layers.Embedding.from_config(keras_config)
    assert (layer.input_dim, layer.output_dim) == (30, 8)
    assert set(layer.get_config()) == set(keras_config)


@pytest.mark.parametrize("kwargs", [{"input_dim": 0, "output_dim": 2}, {"input_dim": 3, "output_dim": -1},
                                    {"input_dim": 2.5, "output_dim": 2}])
def test_bad_sizes(kwargs):
    with pytest.raises(ValueError, match="Embedding"):
        layers.Embedding(**kwargs)


@pytest.mark.skipif(backend.backend() != "jax", reason="sparse tensors (BCOO) are jax's")
def test_sparse_ids_read_as_dense():
    """Sparse ids are densified (an id not stored is 0), as Keras's jax backend does."""
    from jax.experimental import sparse

    ids = np.array([[2, 0, 0], [0, 0, 1]], "int32")
    layer = layers.Embedding(input_dim=3, output_dim=2)
    out = layer(sparse.BCOO.fromdense(ids))
    table = layer.get_weights()[0]
    np.testing.assert_allclose(backend.convert_to_numpy(out), table[ids])
    symbolic = layer(layers.Input((3,), dtype="int32", sparse=True))
    assert symbolic.shape == (None, 3, 2) and not symbolic.sparse
