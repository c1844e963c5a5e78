"""ContrastLimitedAdaptiveHistogramEqualization against a per-pixel NumPy reference and Keras 3's outputs."""

import numpy as np
import pytest

from brickwork import backend, layers
from tests.layers.keras_reference import run_keras

CLAHE = layers.ContrastLimitedAdaptiveHistogramEqualization
rng = np.random.default_rng(0)


def to_np(x):
    return backend.convert_to_numpy(x)


def reference_clahe(image, grid, clip_limit):
    """One (height, width) channel on [0, 255], written plainly: tile histograms, clip, CDF, bilinear blend."""
    height, width = image.shape
    tile_h, tile_w = -(-height // grid[0]), -(-width // grid[1])
    padded = np.pad(image, ((0, tile_h * grid[0] - height), (0, tile_w * grid[1] - width)), mode="symmetric")
    levels = np.clip(padded.astype(np.int64), 0, 255)
    maps = np.zeros(grid + (256,))
    for i in range(grid[0]):
        for j in range(grid[1]):
            tile = levels[i * tile_h:(i + 1) * tile_h, j * tile_w:(j + 1) * tile_w]
            hist = np.bincount(tile.ravel(), minlength=256).astype(np.float64)
            if clip_limit > 0:
                limit = clip_limit * tile.size / 256
                excess = np.sum(np.maximum(hist - limit, 0))
                hist = np.minimum(hist, limit) + excess / 256
            cdf = np.cumsum(hist)
            spread = tile.size - cdf[0]
            maps[i, j] = np.clip((cdf - cdf[0]) * 255 / (spread if spread else 1), 0, 255)
    out = np.zeros((height, width))
    for y in range(height):
        for x in range(width):
            gy, gx = y / tile_h - 0.5, x / tile_w - 0.5
            y0, x0 = int(np.floor(gy)), int(np.floor(gx))
            wy, wx = gy - y0, gx - x0
            rows = [min(max(r, 0), grid[0] - 1) for r in (y0, y0 + 1)]
            cols = [min(max(c, 0), grid[1] - 1) for c in (x0, x0 + 1)]
            value = levels[y, x]
            corner = [[maps[r, c, value] for c in cols] for r in rows]
            out[y, x] = ((corner[0][0] * (1 - wx) + corner[0][1] * wx) * (1 - wy)
                         + (corner[1][0] * (1 - wx) + corner[1][1] * wx) * wy)
    return out


@pytest.mark.parametrize("shape,grid,clip_limit", [((12, 10), (3, 4), 4.0), ((7, 9), (2, 2), 1.5),
                                                  ((5, 6), (8, 8), 0.0)])
def test_matches_the_plain_numpy_reference(shape, grid, clip_limit):
    images = rng.uniform(0, 255, (2,) + shape + (2,)).astype("float32")
    out = to_np(CLAHE(tile_grid_size=grid, clip_limit=clip_limit)(images))
    for b in range(2):
        for c in range(2):
            np.testing.assert_allclose(out[b, :, :, c], reference_clahe(images[b, :, :, c], grid, clip_limit),
                                       atol=2e-3)


def test_value_range_channels_first_unbatched_and_integer_inputs():
    images = rng.uniform(0, 1, (2, 8, 6, 3)).astype("float32")
    layer = CLAHE(value_range=(0, 1), tile_grid_size=(2, 2))
    last = to_np(layer(images))
    assert last.min() >= 0 and last.max() <= 1
    first = to_np(CLAHE(value_range=(0, 1), tile_grid_size=(2, 2), data_format="channels_first")(
        images.transpose(0, 3, 1, 2)))
    np.testing.assert_allclose(first.transpose(0, 2, 3, 1), last, atol=1e-6)
    np.testing.assert_allclose(to_np(layer(images[1])), last[1], atol=1e-6)
    integers = (images * 255).astype("int32")
    out = CLAHE(tile_grid_size=(2, 2))(integers)
    assert backend.standardize_dtype(out.dtype) == "int32"
    expected = to_np(CLAHE(tile_grid_size=(2, 2))(integers.astype("float32")))
    np.testing.assert_array_equal(to_np(out), expected.astype("int32"))
    data = {"images": images, "labels": np.arange(2)}
    result = layer(data, training=False)  # not random: applied at inference too
    np.testing.assert_allclose(to_np(result["images"]), last, atol=1e-6)
    np.testing.assert_array_equal(to_np(result["labels"]), data["labels"])


def test_stretches_a_low_contrast_image():
    dull = rng.uniform(100, 120, (1, 32, 32, 1)).astype("float32")
    out = to_np(CLAHE(tile_grid_size=(4, 4), clip_limit=40.0)(dull))
    assert out.std() > 4 * dull.std()
    limited = to_np(CLAHE(tile_grid_size=(4, 4), clip_limit=2.0)(dull))
    assert dull.std() < limited.std() < out.std()  # the clip limit bounds the gain


def test_config_round_trip_and_bad_arguments():
    layer = CLAHE(value_range=(0, 1), clip_limit=2.0, tile_grid_size=(3, 5), data_format="channels_first")
    config = layer.get_config()
    assert config["tile_grid_size"] == (3, 5) and config["data_format"] == "channels_first"
    revived = CLAHE.from_config(config)
    assert (revived.clip_limit, revived.tile_grid_size, revived.value_range) == (2.0, (3, 5), (0, 1))
    assert not layer.supports_masking
    with pytest.raises(ValueError, match="tile_grid_size"):
        CLAHE(tile_grid_size=(0, 2))
    with pytest.raises(ValueError, match="clip_limit"):
        CLAHE(clip_limit="high")
    with pytest.raises(ValueError, match="rank 3"):
        CLAHE()(np.zeros((4, 4)))


def test_matches_keras():
    """Keras 3.15.1 on torch truncates the clip limit to an integer (its torch one_hot counts in integers), so
    the comparison uses limits that are whole counts (clip_limit * tile area / 256); on JAX Keras agrees with
    brickwork for fractional limits too (checked by hand: within 5e-5 on [0, 255])."""
    images = rng.uniform(0, 255, (2, 16, 16, 3)).astype("float32")
    ragged = rng.uniform(0, 255, (1, 13, 11, 2)).astype("float32")  # 3 x 2 tiles of 5 x 6 = 30 px, padded
    small = rng.uniform(0, 1, (1, 3, 9, 8)).astype("float32")
    keras = run_keras("""
        layer = keras.layers.ContrastLimitedAdaptiveHistogramEqualization
        out["a"] = layer(tile_grid_size=(2, 2), clip_limit=8.0)(data["images"]).numpy()
        out["b"] = layer(tile_grid_size=(3, 2), clip_limit=256 / 30)(data["ragged"]).numpy()
        out["c"] = layer(value_range=(0, 1), tile_grid_size=(2, 3), data_format="channels_first",
                         clip_limit=0)(data["small"]).numpy()
        out["d"] = layer(tile_grid_size=(2, 2), clip_limit=8.0)(data["images"].astype("int32")).numpy()
    """, images=images, ragged=ragged, small=small)
    np.testing.assert_allclose(to_np(CLAHE(tile_grid_size=(2, 2), clip_limit=8.0)(images)), keras["a"], atol=1e-3)
    np.testing.assert_allclose(to_np(CLAHE(tile_grid_size=(3, 2), clip_limit=256 / 30)(ragged)), keras["b"],
                               atol=1e-3)
    out = CLAHE(value_range=(0, 1), tile_grid_size=(2, 3), data_format="channels_first", clip_limit=0)(small)
    np.testing.assert_allclose(to_np(out), keras["c"], atol=1e-5)
    np.testing.assert_array_equal(to_np(CLAHE(tile_grid_size=(2, 2), clip_limit=8.0)(images.astype("int32"))),
                                  keras["d"])
