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


@pytest.mark.parametrize("kernel, stride, dilation, padding, output_padding", [
    (3, 2, 1, "valid", None), (3, 2, 1, "same", None), (4, 2, 1, "same", None), (3, 3, 2, "valid", 1),
    (2, 2, 1, "same", 0), (5, 1, 1, "same", None), (3, 2, 1, "valid", 1),
])
def test_torch_padding_args_give_keras_output_sizes(kernel, stride, dilation, padding, output_padding):
    """torch's own conv_transpose1d, given the converted padding, produces Keras's output length."""
    import torch

    torch_padding, torch_output_padding = backend_utils._convert_conv_transpose_padding_args_from_keras_to_torch(
        kernel, stride, dilation, padding, output_padding)
    out = torch.nn.functional.conv_transpose1d(torch.ones(1, 1, 7), torch.ones(1, 1, kernel), stride=stride,
                                               padding=torch_padding, output_padding=torch_output_padding,
                                               dilation=dilation)
    assert out.shape[-1] == backend_utils.conv_transpose_length(7, kernel, stride, padding, output_padding, dilation)


def test_torch_output_padding_is_clamped_below_the_stride():
    with pytest.warns(UserWarning, match="output_padding < stride"):
        _, output_paddings = backend_utils.compute_conv_transpose_padding_args_for_torch(
            (1, 8, 8, 16), (2, 2, 16, 32), strides=1, padding="same", output_padding=1, dilation_rate=1)
    assert output_paddings == [0, 0]


def test_canonicalize_axes_takes_numpy_ints_and_refuses_other_types():
    from brickwork.backend.common.backend_utils import canonicalize_axes

    assert canonicalize_axes(np.int64(-1), 4) == (3,)  # as np.core.numeric.normalize_axis_tuple gives
    assert canonicalize_axes([0, np.int32(-2)], 4) == (0, 2)
    for bad in ("1", [0, "1"], 1.0):
        with pytest.raises(TypeError, match="canonicalize_axes"):
            canonicalize_axes(bad, 4)
