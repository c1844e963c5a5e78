"""AutoContrast, Equalization, RandomSharpness and RandomColorJitter: NumPy references, Keras 3 on the same
inputs (and draws), identity at inference where Keras has it, configs, models."""

import numpy as np
import pytest

from brickwork import backend, layers
from tests.layers.harness import run_layer_test
from tests.layers.keras_reference import run_keras
from tests.layers.model_round_trip import check_fit_and_reload

rng = np.random.default_rng(0)
IMAGES = rng.uniform(0, 255, size=(3, 6, 7, 3)).astype("float32")
DARK = rng.uniform(10, 70, size=(2, 16, 16, 3)).astype("float32")  # a narrow range to stretch
FLAT = np.full((1, 4, 4, 3), 7.0, "float32")


def to_np(x):
    return backend.convert_to_numpy(x)


def auto_contrast_reference(images):
    low = images.min(axis=(1, 2), keepdims=True)
    high = images.max(axis=(1, 2), keepdims=True)
    return np.where(high > low, (images - low) * 255 / np.where(high > low, high - low, 1), images)


def equalize_reference(channel, bins=256):
    """PIL-style equalization of one channel on the [0, 255] scale (its own histogram)."""
    index = np.clip((channel * (bins - 1) / 255).astype(int), 0, bins - 1)
    counts = np.bincount(index.ravel(), minlength=bins)
    if np.count_nonzero(counts) <= 1:
        return channel
    cdf = np.cumsum(counts)
    cdf_min = cdf[np.nonzero(cdf)[0][0]]
    table = np.clip(np.round((cdf - cdf_min) * 255 / (cdf[-1] - cdf_min)), 0, 255)
    return table[index]


def sharpness_reference(images, factor):
    kernel = np.array([[1, 1, 1], [1, 5, 1], [1, 1, 1]], "float64") / 13
    padded = np.pad(images, [(0, 0), (1, 1), (1, 1), (0, 0)])
    height, width = images.shape[1:3]
    smooth = sum(kernel[i, j] * padded[:, i:i + height, j:j + width] for i in range(3) for j in range(3))
    out = images + (1 - 2 * factor.reshape(-1, 1, 1, 1)) * (smooth - images)
    return np.clip(out, 0, 255)


def assert_equalized_close(actual, expected):
    """Equal up to float32 rounding of the lookup table: a grey level apart at a few pixels (.5 ties)."""
    difference = np.abs(np.asarray(actual, "float64") - expected)
    assert difference.max() <= 1.0 + 1e-3 and np.mean(difference > 1e-3) < 0.05, difference.max()


def test_auto_contrast_matches_numpy_and_applies_at_inference():
    for training in (False, True):
        run_layer_test(layers.AutoContrast, {}, input_data=DARK, expected_output_shape=DARK.shape,
                       call_kwargs={"training": training}, reference=lambda x, w: auto_contrast_reference(x),
                       rtol=1e-4, atol=1e-3)
    np.testing.assert_allclose(to_np(layers.AutoContrast()(FLAT)), FLAT)
    unit = to_np(layers.AutoContrast(value_range=(0, 1))(DARK / 255))
    np.testing.assert_allclose(unit, auto_contrast_reference(DARK) / 255, atol=1e-5)
    first = to_np(layers.AutoContrast(data_format="channels_first")(DARK.transpose(0, 3, 1, 2)))
    np.testing.assert_allclose(first.transpose(0, 2, 3, 1), auto_contrast_reference(DARK), rtol=1e-4, atol=1e-3)
    assert layers.AutoContrast(value_range=(0, 1)).get_config()["value_range"] == [0, 1]


def test_equalization_matches_numpy_per_image():
    out = to_np(layers.Equalization()(DARK))
    for image, result in zip(DARK, out):
        for c in range(3):
            assert_equalized_close(result[..., c], equalize_reference(image[..., c]))
    # Equalized values spread over the whole range, roughly uniformly.
    assert out.min() == 0 and out.max() == 255
    assert abs(np.median(out) - 127.5) < 20
    np.testing.assert_allclose(to_np(layers.Equalization()(FLAT)), FLAT)
    run_layer_test(layers.Equalization, {"bins": 64, "value_range": (0, 1)}, input_data=DARK / 255,
                   expected_output_shape=DARK.shape, call_kwargs={"training": False}, reference=lambda x, w: x)
    coarse = to_np(layers.Equalization(bins=16, value_range=(0, 1))(DARK[:1] / 255))
    assert_equalized_close(coarse[0, ..., 0] * 255, equalize_reference(DARK[0, ..., 0], bins=16))
    unbatched = to_np(layers.Equalization(data_format="channels_first")(DARK[0].transpose(2, 0, 1)))
    np.testing.assert_allclose(unbatched.transpose(1, 2, 0), out[0], atol=1e-3)


def test_sharpness_matches_numpy():
    layer = layers.RandomSharpness(factor=(0.0, 1.0), seed=2)
    draw = layer.get_random_transformation(IMAGES)
    out = to_np(layer.transform_images(IMAGES, draw))
    np.testing.assert_allclose(out, sharpness_reference(IMAGES, to_np(draw["factor"])), rtol=1e-4, atol=1e-3)
    np.testing.assert_allclose(to_np(layers.RandomSharpness(factor=(0.5, 0.5))(IMAGES)), IMAGES, atol=1e-4)
    first = layers.RandomSharpness(factor=(0.0, 1.0), data_format="channels_first")
    out_first = to_np(first.transform_images(IMAGES.transpose(0, 3, 1, 2), draw))
    np.testing.assert_allclose(out_first.transpose(0, 2, 3, 1), out, rtol=1e-4, atol=1e-3)
    run_layer_test(layers.RandomSharpness, {"factor": 0.8, "seed": 1}, input_data=IMAGES,
                   expected_output_shape=IMAGES.shape, call_kwargs={"training": False}, reference=lambda x, w: x)
    seeded = to_np(layers.RandomSharpness(0.8, seed=4)(IMAGES))
    np.testing.assert_array_equal(seeded, to_np(layers.RandomSharpness(0.8, seed=4)(IMAGES)))
    assert to_np(layers.RandomSharpness(0.8, seed=4)(IMAGES[0])).shape == IMAGES[0].shape


@pytest.mark.parametrize("factor_name, layer_name, factor", [
    ("brightness_factor", "RandomBrightness", 0.3), ("contrast_factor", "RandomContrast", 0.4),
    ("saturation_factor", "RandomSaturation", (0.2, 0.8)), ("hue_factor", "RandomHue", 0.5)])
def test_color_jitter_steps_are_the_single_layers(factor_name, layer_name, factor):
    jitter = to_np(layers.RandomColorJitter(**{factor_name: factor}, seed=6)(IMAGES))
    single = to_np(getattr(layers, layer_name)(factor, value_range=(0, 255), seed=6)(IMAGES))
    np.testing.assert_allclose(jitter, single, rtol=1e-5, atol=1e-3)
    assert not np.allclose(jitter, IMAGES)


def test_color_jitter_all_steps_config_and_inference():
    kwargs = {"value_range": (0, 255), "brightness_factor": 0.2, "contrast_factor": 0.3, "saturation_factor": 0.4,
              "hue_factor": 0.1, "seed": 1}
    run_layer_test(layers.RandomColorJitter, kwargs, input_data=IMAGES, expected_output_shape=IMAGES.shape,
                   call_kwargs={"training": False}, reference=lambda x, w: x)
    out = to_np(layers.RandomColorJitter(**kwargs)(IMAGES))
    np.testing.assert_array_equal(out, to_np(layers.RandomColorJitter(**kwargs)(IMAGES)))
    assert out.min() >= 0 and out.max() <= 255 + 1e-3 and not np.allclose(out, IMAGES)
    config = layers.RandomColorJitter(**kwargs).get_config()
    assert {k: config[k] for k in kwargs} == {**kwargs, "value_range": [0, 255]}


@pytest.fixture(scope="module")
def keras_outputs():
    sharp = layers.RandomSharpness(factor=(0.0, 1.0), seed=3)
    draw = to_np(sharp.get_random_transformation(IMAGES)["factor"])
    ours = {"auto_contrast": to_np(layers.AutoContrast()(DARK)),
            "equalization": np.stack([to_np(layers.Equalization()(image[None]))[0] for image in DARK]),
            "sharpness": to_np(sharp.transform_images(IMAGES, {"factor": draw}))}
    expected = run_keras("""
        out["auto_contrast"] = keras.ops.convert_to_numpy(keras.layers.AutoContrast()(data["dark"]))
        equalize = keras.layers.Equalization()
        out["equalization"] = np.stack([keras.ops.convert_to_numpy(equalize(image[None]))[0]
                                        for image in data["dark"]])
        sharp = keras.layers.RandomSharpness(factor=(0.0, 1.0))
        draw = {"factor": keras.ops.convert_to_tensor(data["draw"])}
        images = keras.ops.convert_to_tensor(data["images"])
        out["sharpness"] = keras.ops.convert_to_numpy(sharp.transform_images(images, draw))
    """, dark=DARK, images=IMAGES, draw=draw)
    return ours, expected


@pytest.mark.parametrize("name", ["auto_contrast", "equalization", "sharpness"])
def test_matches_keras(name, keras_outputs):
    ours, expected = keras_outputs
    if name == "equalization":
        assert_equalized_close(ours[name], expected[name])
    else:
        np.testing.assert_allclose(ours[name], expected[name], rtol=1e-4, atol=2e-3)


def test_in_a_model_fit_and_reload(tmp_path):
    head = [layers.Equalization(), layers.RandomSharpness(0.7, seed=2),
            layers.RandomColorJitter(brightness_factor=0.1, hue_factor=0.1, seed=3), layers.Rescaling(1 / 255),
            layers.Flatten(), layers.Dense(1)]
    check_fit_and_reload(layers.AutoContrast(), IMAGES, np.ones((3, 1), "float32"), tmp_path, head=head)
