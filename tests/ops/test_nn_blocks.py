"""ops.nn's adaptive pooling, fold/unfold, depth_to_space/space_to_depth and polar against torch's own functions."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from brickwork import backend, ops
from brickwork.backend import KerasTensor

rng = np.random.default_rng(0)


def to_np(x):
    return backend.convert_to_numpy(x)


_TORCH_POOLS = {
    ("average", 1): F.adaptive_avg_pool1d, ("average", 2): F.adaptive_avg_pool2d, ("average", 3): F.adaptive_avg_pool3d,
    ("max", 1): F.adaptive_max_pool1d, ("max", 2): F.adaptive_max_pool2d, ("max", 3): F.adaptive_max_pool3d,
}
_SHAPES = {1: ((2, 3, 13), (5,)), 2: ((2, 3, 10, 7), (3, 4)), 3: ((2, 2, 5, 6, 7), (2, 3, 4))}


@pytest.mark.parametrize("kind", ["average", "max"])
@pytest.mark.parametrize("rank", [1, 2, 3])
@pytest.mark.parametrize("data_format", ["channels_first", "channels_last"])
def test_adaptive_pool_against_torch(kind, rank, data_format):
    shape, output_size = _SHAPES[rank]
    x = rng.standard_normal(shape).astype("float32")
    expected = _TORCH_POOLS[kind, rank](torch.tensor(x), output_size).numpy()
    op = ops.adaptive_average_pool if kind == "average" else ops.adaptive_max_pool
    if data_format == "channels_last":
        x, expected = np.moveaxis(x, 1, -1), np.moveaxis(expected, 1, -1)
    out = to_np(op(x, output_size, data_format=data_format))
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-6)
    symbolic = op(KerasTensor((None,) + x.shape[1:]), output_size, data_format=data_format)
    assert symbolic.shape == (None,) + expected.shape[1:]


def test_adaptive_pool_int_output_size_and_upsampling():
    x = rng.standard_normal((1, 4, 3, 2)).astype("float32")  # channels last, output larger than input
    expected = F.adaptive_avg_pool2d(torch.tensor(np.moveaxis(x, -1, 1)), 6).numpy()
    np.testing.assert_allclose(to_np(ops.adaptive_average_pool(x, 6)), np.moveaxis(expected, 1, -1), rtol=1e-6)


@pytest.mark.parametrize("kernel_size, dilation, padding, stride",
                         [(2, 1, 0, 2), ((2, 3), (1, 2), 1, (2, 1)), (3, 1, 1, 1)])
def test_unfold_and_fold_against_torch(kernel_size, dilation, padding, stride):
    x = rng.standard_normal((2, 3, 7, 6)).astype("float32")
    expected = F.unfold(torch.tensor(x), kernel_size, dilation=dilation, padding=padding, stride=stride)
    blocks = to_np(ops.unfold(x, kernel_size, dilation, padding, stride))
    np.testing.assert_allclose(blocks, expected.numpy(), rtol=1e-6)
    folded = F.fold(expected, (7, 6), kernel_size, dilation=dilation, padding=padding, stride=stride).numpy()
    np.testing.assert_allclose(to_np(ops.fold(expected.numpy(), (7, 6), kernel_size, dilation, padding, stride)),
                               folded, rtol=1e-5, atol=1e-6)


def test_fold_rejects_mismatched_blocks():
    with pytest.raises(ValueError):
        ops.fold(np.ones((1, 8, 5), "float32"), 4, 2, stride=2)


def _depth_to_space_tf(x, r):
    """TF's depth_to_space (channels last) by loops: channel (i * r + j) * C + c goes to pixel (h r + i, w r + j)."""
    n, h, w, depth = x.shape
    c = depth // (r * r)
    out = np.zeros((n, h * r, w * r, c), x.dtype)
    for i in range(r):
        for j in range(r):
            out[:, i::r, j::r, :] = x[..., (i * r + j) * c:(i * r + j + 1) * c]
    return out


def test_depth_to_space_and_back():
    x = rng.standard_normal((2, 3, 4, 12)).astype("float32")
    out = to_np(ops.depth_to_space(x, 2))
    np.testing.assert_array_equal(out, _depth_to_space_tf(x, 2))
    np.testing.assert_array_equal(to_np(ops.space_to_depth(out, 2)), x)
    first = np.moveaxis(x, -1, 1)
    shuffled = F.pixel_shuffle(torch.tensor(first), 2).numpy()
    np.testing.assert_array_equal(to_np(ops.depth_to_space(first, 2, data_format="channels_first")), shuffled)
    np.testing.assert_array_equal(to_np(ops.space_to_depth(shuffled, 2, data_format="channels_first")), first)
    assert ops.depth_to_space(KerasTensor((None, 3, 4, 12)), 2).shape == (None, 6, 8, 3)
    assert ops.space_to_depth(KerasTensor((None, 6, 8, 3)), 2).shape == (None, 3, 4, 12)
    for block_size in (1, 0, -1):  # Keras 3.15.1's phrase
        with pytest.raises(ValueError, match="`block_size` must be at least 2"):
            ops.depth_to_space(x, block_size)
        with pytest.raises(ValueError, match="`block_size` must be at least 2"):
            ops.space_to_depth(x, block_size)
    with pytest.raises(ValueError, match="multiple"):
        ops.space_to_depth(np.ones((1, 3, 4, 1)), 2)


def test_polar_against_torch():
    magnitude, angle = rng.random((3, 4)).astype("float32"), rng.uniform(-3, 3, (3, 4)).astype("float32")
    out = to_np(ops.polar(magnitude, angle))
    np.testing.assert_allclose(out, torch.polar(torch.tensor(magnitude), torch.tensor(angle)).numpy(), rtol=1e-6,
                               atol=1e-7)
    assert out.dtype == np.complex64
    assert ops.polar(KerasTensor((3, 4)), KerasTensor((3, 4))).shape == (3, 4)
