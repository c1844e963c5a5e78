"""RandomPerspective: the homography maps the moved corners back, warps match the affine reference and Keras 3
on the same draws; identity at inference, statistics, models."""

import numpy as np
import pytest

from brickwork import backend, layers
from brickwork.layers.preprocessing.random_perspective import homography
from tests.layers.harness import run_layer_test
from tests.layers.keras_reference import run_keras
from tests.layers.model_round_trip import check_fit_and_reload
from tests.ops.test_image import affine_reference

rng = np.random.default_rng(0)
IMAGES = rng.uniform(0, 255, size=(3, 10, 12, 3)).astype("float32")


def to_np(x):
    return backend.convert_to_numpy(x)


def test_homography_maps_end_points_to_start_points():
    start = rng.uniform(0, 10, size=(5, 4, 2))
    end = start + rng.uniform(-1, 1, size=(5, 4, 2))
    coefficients = to_np(homography(start.astype("float32"), end.astype("float32"))).astype("float64")
    a = coefficients
    ex, ey = end[..., 0], end[..., 1]
    k = a[:, 6, None] * ex + a[:, 7, None] * ey + 1
    np.testing.assert_allclose((a[:, 0, None] * ex + a[:, 1, None] * ey + a[:, 2, None]) / k, start[..., 0], atol=1e-3)
    np.testing.assert_allclose((a[:, 3, None] * ex + a[:, 4, None] * ey + a[:, 5, None]) / k, start[..., 1], atol=1e-3)


def test_warp_matches_the_projective_reference():
    layer = layers.RandomPerspective(factor=(1.0, 1.0), scale=0.6, fill_value=3.0, seed=2)
    draw = layer.get_random_transformation(IMAGES)
    out = to_np(layer.transform_images(IMAGES, draw))
    coefficients = to_np(homography(draw["start_points"], draw["end_points"]))
    for b in range(len(IMAGES)):
        expected = affine_reference(IMAGES[b:b + 1], coefficients[b].tolist(), "bilinear", "constant", 3.0)
        np.testing.assert_allclose(out[b:b + 1], expected, rtol=1e-4, atol=1e-2)
    end = to_np(draw["end_points"])
    start = to_np(draw["start_points"])
    np.testing.assert_array_equal(end[:, 0], 0.0)  # the top-left corner stays, as in Keras
    assert np.all(np.abs(end - start) <= 0.3 * start + 1e-5)


def test_identity_at_inference_seeding_frequency_and_config():
    run_layer_test(layers.RandomPerspective, {"factor": 0.5, "scale": 0.3, "seed": 1}, input_data=IMAGES,
                   expected_output_shape=IMAGES.shape, call_kwargs={"training": False}, reference=lambda x, w: x)
    first = to_np(layers.RandomPerspective(factor=(1.0, 1.0), seed=4)(IMAGES))
    np.testing.assert_array_equal(first, to_np(layers.RandomPerspective(factor=(1.0, 1.0), seed=4)(IMAGES)))
    assert not np.allclose(first, IMAGES)
    assert to_np(layers.RandomPerspective(seed=4)(IMAGES[0])).shape == IMAGES[0].shape
    many = np.repeat(IMAGES[:1], 200, axis=0)
    applied = to_np(layers.RandomPerspective(factor=(0.5, 0.5), seed=5).get_random_transformation(many)
                    ["apply_perspective"])
    assert 0.35 < applied.mean() < 0.65
    config = layers.RandomPerspective(factor=0.4, scale=0.2, interpolation="nearest").get_config()
    assert (config["factor"], config["scale"], config["interpolation"]) == (0.4, 0.2, "nearest")
    with pytest.raises(ValueError, match="RandomPerspective"):
        layers.RandomPerspective(scale=2.0)


def test_channels_first_and_keras_on_the_same_draw():
    layer = layers.RandomPerspective(factor=(1.0, 1.0), scale=0.5, seed=7)
    draw = layer.get_random_transformation(IMAGES)
    ours = to_np(layer.transform_images(IMAGES, draw))
    first = layers.RandomPerspective(factor=(1.0, 1.0), scale=0.5, data_format="channels_first")
    np.testing.assert_allclose(to_np(first.transform_images(IMAGES.transpose(0, 3, 1, 2), draw)).transpose(0, 2, 3, 1),
                               ours, rtol=1e-5, atol=1e-3)
    expected = run_keras("""
        layer = keras.layers.RandomPerspective(factor=1.0, scale=0.5)
        draw = {k: keras.ops.convert_to_tensor(data[k]) for k in ("apply_perspective", "start_points", "end_points")}
        draw["input_shape"] = data["images"].shape
        out["y"] = keras.ops.convert_to_numpy(layer.transform_images(keras.ops.convert_to_tensor(data["images"]), draw))
    """, images=IMAGES, **{k: to_np(v) for k, v in draw.items()})
    np.testing.assert_allclose(ours, expected["y"], rtol=1e-4, atol=2e-2)


def test_in_a_model_fit_and_reload(tmp_path):
    check_fit_and_reload(layers.RandomPerspective(scale=0.3, seed=1), IMAGES, np.ones((3, 1), "float32"), tmp_path,
                         head=[layers.Rescaling(1 / 255), layers.Flatten(), layers.Dense(1)])
