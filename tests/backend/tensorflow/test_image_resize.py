"""resize on the TensorFlow engine: "area", the method only TensorFlow has (as Keras's TensorFlow backend
offers it), against block means in NumPy; float64 images stay float64."""

import numpy as np
import pytest

from brickwork import backend, ops

pytestmark = pytest.mark.skipif(backend.backend() != "tensorflow", reason="TensorFlow's resize methods")


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_area_downscale_is_the_block_mean(data_format):
    images = np.random.default_rng(0).normal(size=(2, 6, 8, 3)).astype("float32")
    expected = images.reshape(2, 3, 2, 4, 2, 3).mean(axis=(2, 4))
    if data_format == "channels_first":
        images, expected = images.transpose(0, 3, 1, 2), expected.transpose(0, 3, 1, 2)
    out = ops.image.resize(images, (3, 4), interpolation="area", data_format=data_format)
    np.testing.assert_allclose(ops.convert_to_numpy(out), expected, rtol=1e-5, atol=1e-6)


def test_float64_images_resize_in_float64():
    images = np.linspace(0.0, 1.0, 2 * 5 * 5 * 1).reshape(2, 5, 5, 1) + 1e-12
    out = ops.image.resize(images, (3, 3))
    assert ops.dtype(out) == "float64"
    # The centre pixel of a 5 -> 3 bilinear downscale sits on input pixel 2 exactly (no antialias).
    np.testing.assert_array_equal(ops.convert_to_numpy(out)[:, 1, 1], images[:, 2, 2])


def test_unknown_method_names_the_methods():
    with pytest.raises(ValueError, match="area"):
        ops.image.resize(np.zeros((4, 4, 1), "float32"), (2, 2), interpolation="gaussian")
