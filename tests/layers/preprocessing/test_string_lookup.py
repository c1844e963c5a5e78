"""StringLookup: Keras's index layout, OOV/mask handling, adapt ordering, invert, encodings, tf-idf."""

import numpy as np
import pytest

from brickwork import backend, layers


def _np(x):
    return backend.convert_to_numpy(x)


VOCAB = ["a", "b", "c", "d"]
DATA = np.array([["a", "c", "d"], ["d", "z", "b"]])


def test_int_lookup_keras_example():
    out = layers.StringLookup(vocabulary=VOCAB)(DATA)
    np.testing.assert_array_equal(_np(out), [[1, 3, 4], [4, 0, 2]])
    assert backend.standardize_dtype(out.dtype) == "int64"


def test_mask_and_multiple_oov_indices():
    layer = layers.StringLookup(vocabulary=VOCAB, mask_token="", num_oov_indices=2)
    assert layer.get_vocabulary() == ["", "[UNK]", "[UNK]"] + VOCAB
    out = _np(layer(np.array([["a", ""], ["zz", "d"]])))
    assert out[0, 0] == 3 and out[0, 1] == 0 and out[1, 1] == 6 and out[1, 0] in (1, 2)


def test_adapt_sorts_by_count_then_token_descending():
    layer = layers.StringLookup(max_tokens=4)
    layer.adapt(np.array(["c", "a", "b", "b", "a", "d", "d", "d"]))
    assert layer.get_vocabulary() == ["[UNK]", "d", "b", "a"]
    assert layer.vocabulary_size() == 4


def test_invert_round_trip():
    forward = layers.StringLookup(vocabulary=VOCAB)
    inverse = layers.StringLookup(vocabulary=VOCAB, invert=True)
    out = inverse(_np(forward(DATA)))
    np.testing.assert_array_equal(out, [["a", "c", "d"], ["d", "[UNK]", "b"]])


@pytest.mark.parametrize("mode", ["one_hot", "multi_hot", "count"])
def test_encoded_modes(mode):
    data = DATA[:, :1] if mode == "one_hot" else DATA
    ids = _np(layers.StringLookup(vocabulary=VOCAB)(data))
    out = _np(layers.StringLookup(vocabulary=VOCAB, output_mode=mode)(data))
    counts = np.stack([np.bincount(r, minlength=5) for r in ids])
    expected = {"one_hot": np.eye(5)[ids[:, 0]], "multi_hot": np.minimum(counts, 1), "count": counts}[mode]
    np.testing.assert_array_equal(out, expected)


def test_tf_idf_with_given_weights_and_padding():
    idf = [0.5, 0.25, 0.2, 0.125]
    layer = layers.StringLookup(vocabulary=VOCAB, idf_weights=idf, output_mode="tf_idf",
                                max_tokens=7, pad_to_max_tokens=True)
    out = _np(layer(DATA))
    weights = np.array([np.mean(idf)] + idf + [0, 0])
    ids = _np(layers.StringLookup(vocabulary=VOCAB)(DATA))
    expected = np.stack([np.bincount(r, minlength=7) for r in ids]) * weights
    np.testing.assert_allclose(out, expected, rtol=1e-6)


def test_bytes_inputs_and_vocabulary_file(tmp_path):
    path = tmp_path / "vocab.txt"
    path.write_text("\n".join(VOCAB) + "\n", encoding="utf-8")
    layer = layers.StringLookup(vocabulary=str(path))
    out = layer(np.array([[b"a", b"d"]], dtype=object))
    np.testing.assert_array_equal(_np(out), [[1, 4]])


def test_symbolic_and_config():
    inputs = layers.Input(shape=(3,), dtype="string")
    out = layers.StringLookup(vocabulary=VOCAB, output_mode="multi_hot")(inputs)
    assert out.shape == (None, 5)
    layer = layers.StringLookup(vocabulary=VOCAB, mask_token="")
    clone = layers.StringLookup.from_config(layer.get_config())
    assert clone.get_vocabulary() == layer.get_vocabulary()
    np.testing.assert_array_equal(_np(clone(DATA)), _np(layer(DATA)))


def test_errors_name_the_layer():
    with pytest.raises(ValueError, match="StringLookup"):
        layers.StringLookup(vocabulary=["a", "a"])
    with pytest.raises(ValueError, match="StringLookup"):
        layers.StringLookup(output_mode="bogus")
    with pytest.raises(ValueError, match="StringLookup"):
        layers.StringLookup(vocabulary=VOCAB, num_oov_indices=0)(np.array(["zz"]))
