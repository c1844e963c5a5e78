"""TextVectorization: standardize/split/ngrams, int padding, bag-of-words modes vs scikit-learn's formulas."""

import numpy as np
import pytest

from brickwork import backend, layers

CORPUS = ["The cat sat.", "The dog sat on the mat!", "A cat, a dog."]


def _np(x):
    return backend.convert_to_numpy(x)


def test_int_mode_pads_and_truncates():
    layer = layers.TextVectorization(output_sequence_length=4)
    layer.adapt(CORPUS)
    vocab = layer.get_vocabulary()
    assert vocab[:2] == ["", "[UNK]"] and vocab[2] == "the"
    out = _np(layer(np.array(["the cat sat on", "zebra"])))
    index = {t: i for i, t in enumerate(vocab)}
    np.testing.assert_array_equal(out, [[index["the"], index["cat"], index["sat"], index["on"]], [1, 0, 0, 0]])
    assert out.dtype == np.int64
    ragged = _np(layers.TextVectorization(vocabulary=vocab[2:])(np.array([["a cat"], ["the dog sat"]])))
    assert ragged.shape == (2, 3) and ragged[0, 2] == 0


def test_count_matches_bag_of_words():
    layer = layers.TextVectorization(output_mode="count")
    layer.adapt(CORPUS)
    vocab = layer.get_vocabulary()
    out = _np(layer(np.array(CORPUS)))
    for row, text in zip(out, CORPUS):
        words = "".join(c for c in text.lower() if c.isalnum() or c.isspace()).split()
        np.testing.assert_array_equal(row[1:], [words.count(t) for t in vocab[1:]])


def test_tf_idf_weights_follow_keras_formula():
    layer = layers.TextVectorization(output_mode="tf_idf")
    layer.adapt(CORPUS)
    vocab = layer.get_vocabulary()
    docs = [set("".join(c for c in t.lower() if c.isalnum() or c.isspace()).split()) for t in CORPUS]
    idf = [np.log(1 + 3 / (1 + sum(t in d for d in docs))) for t in vocab[1:]]
    out = _np(layer(np.array(["cat cat sat"])))
    np.testing.assert_allclose(out[0, vocab.index("cat")], 2 * idf[vocab.index("cat") - 1], rtol=1e-5)
    np.testing.assert_allclose(out[0, 0], 0.0)


def test_ngrams_character_split_and_multi_hot():
    layer = layers.TextVectorization(ngrams=2, output_mode="multi_hot", standardize=None)
    layer.adapt(["x y z"])
    assert set(layer.get_vocabulary()[1:]) == {"x", "y", "z", "x y", "y z"}
    chars = layers.TextVectorization(split="character", standardize="lower", output_sequence_length=3)
    chars.adapt(["ab"])
    np.testing.assert_array_equal(_np(chars(np.array(["BA"])))[0, :2][::-1], _np(chars(np.array(["ab"])))[0, :2])


def test_symbolic_and_config_round_trip():
    layer = layers.TextVectorization(max_tokens=10, output_sequence_length=5)
    layer.adapt(CORPUS)
    inputs = layers.Input(shape=(1,), dtype="string")
    assert layer(inputs).shape == (None, 5)
    clone = layers.TextVectorization.from_config(layer.get_config())
    assert clone.get_vocabulary() == layer.get_vocabulary()
    np.testing.assert_array_equal(_np(clone(np.array(CORPUS))), _np(layer(np.array(CORPUS))))


def test_errors_name_the_layer():
    with pytest.raises(ValueError, match="TextVectorization"):
        layers.TextVectorization(output_mode="one_hot")
    with pytest.raises(ValueError, match="TextVectorization"):
        layers.TextVectorization(output_mode="count", output_sequence_length=3)
