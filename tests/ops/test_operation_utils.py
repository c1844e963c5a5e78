"""Shape arithmetic of ``operation_utils`` against the shapes the engine's own ops produce."""

import numpy as np
import pytest

from brickwork import backend, ops
from brickwork.ops import operation_utils as utils


@pytest.mark.parametrize("shape, pool, strides, padding", [
    ((1, 7, 9, 2), (2, 2), (2, 2), "valid"), ((2, 7, 9, 2), (3, 2), (2, 1), "same"),
    ((1, 8, 3), (3,), (1,), "same"), ((1, 5, 6, 7, 2), (2, 3, 2), (1, 2, 3), "valid"),
])
def test_pooling_shapes_match_the_op(shape, pool, strides, padding):
    x = np.random.rand(*shape).astype("float32")
    actual = ops.max_pool(x, pool, strides, padding)
    assert utils.compute_pooling_output_shape(shape, pool, strides, padding) == tuple(actual.shape)
    assert utils.compute_pooling_output_shape((None,) + shape[1:], pool, strides, padding)[1:] == \
        tuple(actual.shape)[1:]


@pytest.mark.parametrize("shape, kernel, strides, padding, dilation", [
    ((1, 9, 9, 2), (3, 3), 2, "valid", 1), ((1, 9, 8, 2), (3, 2), 1, "same", 1),
    ((2, 11, 3), (3,), 1, "valid", 2), ((1, 10, 10, 1), (4, 4), 3, "same", 1),
])
def test_conv_shapes_match_the_op(shape, kernel, strides, padding, dilation):
    x = np.random.rand(*shape).astype("float32")
    w = np.random.rand(*kernel, shape[-1], 5).astype("float32")
    actual = ops.conv(x, w, strides=strides, padding=padding, dilation_rate=dilation)
    assert utils.compute_conv_output_shape(shape, 5, kernel, strides, padding, dilation_rate=dilation) == \
        tuple(actual.shape)


def test_a_window_larger_than_the_input_is_refused():
    with pytest.raises(ValueError, match="zero or negative"):
        utils.compute_pooling_output_shape((1, 5, 5, 3), (20, 20), (20, 20))


@pytest.mark.parametrize("axis, keepdims", [(None, False), (None, True), ([1], False), ([2, -3], True), (-1, False)])
def test_reduce_shape_matches_numpy(axis, keepdims):
    x = np.ones((1, 4, 3, 2))
    expected = np.sum(x, axis=tuple(axis) if isinstance(axis, list) else axis, keepdims=keepdims).shape
    assert utils.reduce_shape(x.shape, axis, keepdims) == expected


@pytest.mark.parametrize("axis", [0, -1, (1, -1), (0, 2)])
def test_expand_dims_shape_matches_numpy(axis):
    assert utils.compute_expand_dims_output_shape((2, 3, 4), axis) == np.expand_dims(np.ones((2, 3, 4)), axis).shape


def test_reshape_shapes():
    assert utils.compute_reshape_output_shape((2, 10), (-1, 4)) == np.ones((2, 10)).reshape(-1, 4).shape
    assert utils.compute_reshape_output_shape((None, 10), (-1, 5)) == (None, 5)
    assert utils.compute_reshape_output_shape((2, 10), backend.KerasTensor((2,), dtype="int32")) == (None, None)
    with pytest.raises(ValueError, match="non-negative integer"):
        utils.validate_reshape_shape((-2, 5))
    with pytest.raises(ValueError, match="at most one unknown dimension"):
        utils.validate_reshape_shape((-1, -1, 5))
    utils.validate_reshape_shape((-1, object(), 3))  # a dynamic dimension passes
