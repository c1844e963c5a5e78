"""brickwork/backend/common/backend_utils.py: transposed-convolution sizes checked against a direct scatter."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from brickwork.backend.common import backend_utils


def transpose_length_by_scatter(size, kernel, stride, dilation):
    """The full (unpadded) length a transposed convolution scatters into: (size - 1) * stride + span."""
    return (size - 1) * stride + (kernel - 1) * dilation + 1


@pytest.mark.parametrize(("size", "kernel", "stride", "dilation"), itertools.product([1, 4, 7], [1, 2, 3], [1, 2, 3], [1, 2]))
def test_valid_padding_grows_by_the_scatter(size, kernel, stride, dilation):
    full = transpose_length_by_scatter(size, kernel, stride, dilation)
    got = backend_utils.compute_conv_transpose_output_shape((2, size, 3), (kernel,), 5, stride, "valid",
                                                            dilation_rate=dilation)
    assert got == [2, max(full, size * stride), 5]
    (left, right), = backend_utils.compute_conv_transpose_padding_args_for_jax(
        (2, size, 3), (kernel, 3, 5), stride, "valid", None, dilation)
    span = (kernel - 1) * dilation + 1
    # A dilated input of (size - 1) * stride + 1 padded by (left, right) and convolved by the span.
    assert (size - 1) * stride + 1 + left + right - span + 1 == got[1]


@pytest.mark.parametrize(("size", "kernel", "stride"), itertools.product([1, 4, 7], [1, 2, 3, 4], [1, 2, 3]))
def test_same_padding_multiplies_by_stride(size, kernel, stride):
    got = backend_utils.compute_conv_transpose_output_shape((2, 3, size, size), (kernel, kernel), 4, stride, "same",
                                                            data_format="channels_first")
    assert got == [2, 4, size * stride, size * stride]
    pads = backend_utils.compute_conv_transpose_padding_args_for_jax(
        (2, size, size, 3), (kernel, kernel, 3, 4), stride, "same", None, 1)
    for left, right in pads:
        assert (size - 1) * stride + 1 + left + right - kernel + 1 == size * stride


def test_output_padding_and_errors():
    assert backend_utils.compute_conv_transpose_output_shape((1, 4, 1), (3,), 1, 2, "valid", output_padding=1) == [1, 10, 1]
    assert backend_utils.compute_conv_transpose_output_shape((None, None, 1), (3,), 1, 2, "same") == [None, None, 1]
    with pytest.raises(ValueError, match="padding"):
        backend_utils.compute_conv_transpose_output_shape((1, 4, 1), (3,), 1, 2, "causal")


def test_axes():
    assert backend_utils.canonicalize_axis(-1, 3) == 2
    assert backend_utils.canonicalize_axes((0, -2), 3) == (0, 1)
    with pytest.raises(ValueError, match="out of bounds"):
        backend_utils.canonicalize_axis(3, 3)
    assert backend_utils.to_tuple_or_list(3) == (3,)
    assert backend_utils.to_tuple_or_list([1]) == [1]
    assert np.array_equal(np.asarray(backend_utils.to_tuple_or_list((1, 2))), [1, 2])
