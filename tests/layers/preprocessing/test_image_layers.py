"""Image preprocessing layers: shapes, reference values, configs, models; random ones: seeding and statistics."""

import numpy as np
import pytest

from brickwork import backend, layers
from tests.layers.harness import run_layer_test
from tests.ops.test_image import resize_reference

rng = np.random.default_rng(0)
IMAGES = rng.uniform(0, 1, size=(2, 6, 5, 3)).astype("float32")


def to_np(x):
    return backend.convert_to_numpy(x)


# ---- Resizing, CenterCrop ----


@pytest.mark.parametrize("interpolation", ["bilinear", "nearest"])
@pytest.mark.parametrize("size", [(3, 2), (8, 7)])
def test_resizing(interpolation, size):
    run_layer_test(layers.Resizing, {"height": size[0], "width": size[1], "interpolation": interpolation},
                   input_data=IMAGES, expected_output_shape=(2, *size, 3),
                   reference=lambda x, w: resize_reference(x, size, interpolation))


def test_resizing_crop_and_pad_to_aspect_ratio():
    cropped = layers.Resizing(2, 2, crop_to_aspect_ratio=True)(IMAGES)
    np.testing.assert_allclose(to_np(cropped), resize_reference(IMAGES[:, :5], (2, 2), "bilinear"), atol=1e-5)
    padded = layers.Resizing(3, 3, pad_to_aspect_ratio=True, fill_value=0.5)(IMAGES)
    square = np.pad(IMAGES, [(0, 0), (0, 0), (0, 1), (0, 0)], constant_values=0.5)
    np.testing.assert_allclose(to_np(padded), resize_reference(square, (3, 3), "bilinear"), atol=1e-5)


def test_resizing_channels_first_and_integers():
    first = layers.Resizing(3, 4, data_format="channels_first")(IMAGES.transpose(0, 3, 1, 2))
    np.testing.assert_allclose(to_np(first), resize_reference(IMAGES, (3, 4), "bilinear").transpose(0, 3, 1, 2),
                               atol=1e-5)
    out = layers.Resizing(3, 4)((IMAGES * 255).astype("uint8"))
    assert backend.standardize_dtype(out.dtype) == "float32"


def test_resizing_config_keys_match_keras():
    config = layers.Resizing(3, 4).get_config()
    for key in ("height", "width", "interpolation", "crop_to_aspect_ratio", "pad_to_aspect_ratio", "fill_mode",
                "fill_value", "antialias", "data_format"):
        assert key in config
    with pytest.raises(ValueError, match="Resizing"):
        layers.Resizing(3, 4, crop_to_aspect_ratio=True, pad_to_aspect_ratio=True)


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_center_crop(data_format):
    images = IMAGES if data_format == "channels_last" else IMAGES.transpose(0, 3, 1, 2)
    expected = IMAGES[:, 2:4, 1:4]
    if data_format == "channels_first":
        expected = expected.transpose(0, 3, 1, 2)
    run_layer_test(layers.CenterCrop, {"height": 2, "width": 3, "data_format": data_format}, input_data=images,
                   expected_output_shape=expected.shape, reference=lambda x, w: expected)


def test_center_crop_unbatched_and_upscale():
    np.testing.assert_allclose(to_np(layers.CenterCrop(4, 3)(IMAGES[0])), IMAGES[0, 1:5, 1:4])
    # A target larger than the image: Keras crops to the aspect ratio and resizes instead.
    out = layers.CenterCrop(8, 4)(IMAGES)
    np.testing.assert_allclose(to_np(out), resize_reference(IMAGES[:, :, 1:4], (8, 4), "bilinear"), atol=1e-5)
