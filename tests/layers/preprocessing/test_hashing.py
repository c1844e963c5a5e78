"""Hashing: Keras/TensorFlow's published bucket values (FarmHash64, SipHash salt), masks, encodings."""

import numpy as np
import pytest

from brickwork import backend, layers
from brickwork.layers.preprocessing.hashing import fingerprint64, hash_strings, siphash24


def _np(x):
    return backend.convert_to_numpy(x)


def test_keras_docstring_values():
    letters = np.array([["A"], ["B"], ["C"], ["D"], ["E"]])
    np.testing.assert_array_equal(_np(layers.Hashing(num_bins=3)(letters)).ravel(), [1, 0, 1, 1, 2])
    masked = np.array([["A"], ["B"], [""], ["C"], ["D"]])
    np.testing.assert_array_equal(_np(layers.Hashing(3, mask_value="")(masked)).ravel(), [1, 1, 0, 2, 2])
    np.testing.assert_array_equal(_np(layers.Hashing(3, salt=133)(letters[:4])).ravel(), [0, 0, 2, 1])


def test_tensorflow_docstring_values():
    np.testing.assert_array_equal(hash_strings(np.array(["Hello", "TensorFlow", "2.x"]), 3), [0, 2, 2])
    np.testing.assert_array_equal(hash_strings(np.array(["Hello", "TF"]), 3, (1, 2)), [2, 0])


def test_hash_functions_are_64_bit_and_cover_every_length_branch():
    for n in (0, 3, 7, 16, 24, 48, 64, 65, 130):
        value = fingerprint64(bytes(range(n)))
        assert 0 <= value < 2**64
    assert fingerprint64(b"a" * 100) != fingerprint64(b"a" * 101)
    assert siphash24((0, 0), b"") != siphash24((0, 1), b"")


def test_integers_hash_as_their_text_and_bytes_equal_str():
    ints = layers.Hashing(7)(np.array([[1], [22], [333]], "int64"))
    text = layers.Hashing(7)(np.array([["1"], ["22"], ["333"]]))
    np.testing.assert_array_equal(_np(ints), _np(text))
    raw = layers.Hashing(7)(np.array([[b"1"], [b"22"], [b"333"]], dtype=object))
    np.testing.assert_array_equal(_np(raw), _np(text))


@pytest.mark.parametrize("mode", ["one_hot", "multi_hot", "count"])
def test_encoded_output_matches_int_output(mode):
    values = np.array([["a"], ["b"], ["c"]]) if mode == "one_hot" else np.array([["a", "b"], ["c", "a"]])
    ids = _np(layers.Hashing(5)(values))
    out = _np(layers.Hashing(5, output_mode=mode)(values))
    counts = np.stack([np.bincount(r, minlength=5) for r in ids])
    expected = {"one_hot": np.eye(5)[ids[:, 0]], "multi_hot": np.minimum(counts, 1), "count": counts}[mode]
    np.testing.assert_array_equal(out, expected)


def test_symbolic_string_input_and_config():
    inputs = layers.Input(shape=(2,), dtype="string")
    out = layers.Hashing(4, output_mode="multi_hot")(inputs)
    assert out.shape == (None, 4)
    layer = layers.Hashing(4, mask_value="x", salt=[1, 2])
    assert layers.Hashing.from_config(layer.get_config()).get_config() == layer.get_config()


def test_errors_name_the_layer():
    with pytest.raises(ValueError, match="Hashing"):
        layers.Hashing(0)
    with pytest.raises(ValueError, match="Hashing"):
        layers.Hashing(3, output_mode="tf_idf")
