"""pad_sequences against a list-building reference (Keras 3.15.1's semantics)."""

import numpy as np
import pytest

from brickwork.utils import pad_sequences


def _reference(sequences, maxlen=None, padding="pre", truncating="pre", value=0):
    """Pad each sequence as a Python list, then make the array."""
    maxlen = max(len(s) for s in sequences) if maxlen is None else maxlen
    rows = []
    for sequence in sequences:
        kept = list(sequence)[len(sequence) - maxlen:] if truncating == "pre" and len(sequence) > maxlen else (
            list(sequence)[:maxlen])
        filling = [value] * (maxlen - len(kept))
        rows.append(filling + kept if padding == "pre" else kept + filling)
    return rows


SEQUENCES = [[1], [2, 3], [4, 5, 6, 7], [], [8, 9, 10]]


@pytest.mark.parametrize("padding", ["pre", "post"])
@pytest.mark.parametrize("truncating", ["pre", "post"])
@pytest.mark.parametrize("maxlen", [None, 2, 3, 6])
def test_matches_reference(padding, truncating, maxlen):
    got = pad_sequences(SEQUENCES, maxlen=maxlen, padding=padding, truncating=truncating, value=-1)
    expected = np.array(_reference(SEQUENCES, maxlen, padding, truncating, value=-1), dtype="int32")
    assert got.dtype == np.int32
    np.testing.assert_array_equal(got, expected)


def test_default_is_pre_padding_with_zeros():
    np.testing.assert_array_equal(pad_sequences([[1], [2, 3], [4, 5, 6]]), [[0, 0, 1], [0, 2, 3], [4, 5, 6]])


def test_float_dtype_and_value():
    got = pad_sequences([[0.5], [1.5, 2.5]], dtype="float32", value=np.nan, padding="post")
    assert got.dtype == np.float32
    np.testing.assert_array_equal(got, np.array([[0.5, np.nan], [1.5, 2.5]], dtype="float32"))


def test_item_shape_is_kept():
    sequences = [np.ones((2, 3)), np.full((4, 3), 2.0)]
    got = pad_sequences(sequences, maxlen=3, dtype="float64")
    assert got.shape == (2, 3, 3)
    np.testing.assert_array_equal(got[0], np.concatenate([np.zeros((1, 3)), np.ones((2, 3))]))
    np.testing.assert_array_equal(got[1], np.full((3, 3), 2.0))


@pytest.mark.parametrize("dtype", [object, "<U3"])
def test_string_dtype(dtype):
    got = pad_sequences([["a"], ["bb", "c"]], dtype=dtype, value="-", padding="post")
    np.testing.assert_array_equal(got, np.array([["a", "-"], ["bb", "c"]], dtype=dtype))


def test_string_value_needs_string_dtype():
    with pytest.raises(ValueError, match="dtype=object"):
        pad_sequences([["a"]], value="x")


@pytest.mark.parametrize("argument", ["padding", "truncating"])
def test_bad_mode_names_the_argument(argument):
    with pytest.raises(ValueError, match=f"`{argument}`.*'middle'"):
        pad_sequences([[1, 2]], **{argument: "middle"})


def test_inconsistent_item_shape():
    with pytest.raises(ValueError, match="position 1"):
        pad_sequences([np.ones((2, 3)), np.ones((2, 4))])


def test_non_sequence_item():
    with pytest.raises(ValueError, match="position 1"):
        pad_sequences([[1], 5])
