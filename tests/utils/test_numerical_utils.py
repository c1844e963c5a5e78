"""to_categorical and normalize against NumPy."""

import numpy as np
import pytest

from brickwork import backend
from brickwork.utils.numerical_utils import normalize, to_categorical


@pytest.mark.parametrize(
    "labels, num_classes",
    [([0, 2, 1, 2], None), ([0, 2, 1, 2], 5), ([[0], [3], [1]], None), ([[0, 1], [2, 1]], 3), (3, 4)],
)
def test_to_categorical_numpy(labels, num_classes):
    labels = np.array(labels)
    result = to_categorical(labels, num_classes)
    classes = num_classes or labels.max() + 1
    squeezed = labels[..., 0] if labels.ndim > 1 and labels.shape[-1] == 1 else labels
    expected = np.eye(classes)[squeezed]
    # Keras: a float64 NumPy array, except where NumPy arrays are the backend's tensors.
    assert result.dtype == (np.float32 if backend.is_tensor(labels) else np.float64)
    assert result.shape == squeezed.shape + (classes,)
    np.testing.assert_array_equal(result, expected)


@pytest.mark.parametrize("num_classes", [None, 4])
def test_to_categorical_backend_tensor(num_classes):
    labels = np.array([[1], [0], [2]])
    result = to_categorical(backend.convert_to_tensor(labels), num_classes)
    assert backend.is_tensor(result)
    assert backend.standardize_dtype(result.dtype) == "float32"
    np.testing.assert_array_equal(backend.convert_to_numpy(result), np.eye(num_classes or 3)[labels[:, 0]])


def _reference(x, axis, order):
    norm = np.linalg.norm(x, ord=order, axis=axis, keepdims=True)
    return x / np.where(norm == 0, 1, norm)


@pytest.mark.parametrize("axis", [-1, 0, 1])
@pytest.mark.parametrize("order", [1, 2, 3])
def test_normalize_numpy(axis, order):
    x = np.random.randn(3, 4)
    x[1] = 0.0  # a zero-norm row stays zero
    result = normalize(x, axis=axis, order=order)
    assert result.shape == x.shape and result.dtype == np.float64
    np.testing.assert_allclose(result, _reference(x, axis, order), rtol=1e-12)


@pytest.mark.parametrize("order", [1, 2])
def test_normalize_backend_tensor(order):
    x = np.random.randn(3, 4).astype("float32")
    x[1] = 0.0
    result = normalize(backend.convert_to_tensor(x), axis=-1, order=order)
    assert backend.is_tensor(result)
    assert backend.standardize_dtype(result.dtype) == "float32"
    np.testing.assert_allclose(backend.convert_to_numpy(result), _reference(x, -1, order), rtol=1e-5, atol=1e-7)


def test_normalize_bad_order():
    with pytest.raises(ValueError, match="normalize.*order"):
        normalize(np.ones((2, 2)), order=0)


@pytest.mark.parametrize("remove_diagonal", [False, True])
def test_build_pos_neg_masks_against_numpy(remove_diagonal):
    from brickwork.utils.numerical_utils import build_pos_neg_masks

    query = np.array([0, 1, 2, 2, 0])
    keys = np.array([[0], [1], [2], [0], [2], [1]])
    positive, negative = build_pos_neg_masks(query, keys, remove_diagonal=remove_diagonal)
    positive, negative = backend.convert_to_numpy(positive), backend.convert_to_numpy(negative)
    same = query[:, None] == keys[:, 0][None, :]
    np.testing.assert_array_equal(negative, ~same)
    if remove_diagonal:
        same = same & ~np.eye(5, 6, dtype=bool)
    np.testing.assert_array_equal(positive, same)
    assert positive.dtype == bool and positive.shape == (5, 6)
