"""ops.rearrange (einops patterns) against NumPy reshapes and transposes."""

import numpy as np
import pytest

from brickwork import backend, ops
from brickwork.backend import KerasTensor

X = np.random.default_rng(0).standard_normal((4, 6, 8, 3)).astype("float32")


def to_np(x):
    return backend.convert_to_numpy(x)


@pytest.mark.parametrize("pattern, lengths, expected", [
    ("b h w c -> b c h w", {}, X.transpose(0, 3, 1, 2)),
    ("b h w c -> (b h) w c", {}, X.reshape(24, 8, 3)),
    ("b h w c -> h (b w) c", {}, X.transpose(1, 0, 2, 3).reshape(6, 32, 3)),
    ("b h w c -> b (c h w)", {}, X.transpose(0, 3, 1, 2).reshape(4, -1)),
    ("b (h1 h) (w1 w) c -> (b h1 w1) h w c", {"h1": 2, "w1": 2},
     X.reshape(4, 2, 3, 2, 4, 3).transpose(0, 1, 3, 2, 4, 5).reshape(16, 3, 4, 3)),
    ("b (h h1) (w w1) c -> b h w (c h1 w1)", {"h1": 2, "w1": 2},
     X.reshape(4, 3, 2, 4, 2, 3).transpose(0, 1, 3, 5, 2, 4).reshape(4, 3, 4, 12)),
    ("b h w c -> b h w c", {}, X),
])
def test_rearrange(pattern, lengths, expected):
    np.testing.assert_array_equal(to_np(ops.rearrange(X, pattern, **lengths)), expected)
    assert ops.rearrange(KerasTensor(X.shape), pattern, **lengths).shape == expected.shape


def test_rearrange_errors():
    with pytest.raises(ValueError, match="->"):
        ops.rearrange(X, "b h w c")
    with pytest.raises(ValueError, match="3 input axes"):
        ops.rearrange(X, "b h w -> b w h")
    with pytest.raises(ValueError, match="all but one"):
        ops.rearrange(X, "b (h1 h) w c -> b h1 h w c")
