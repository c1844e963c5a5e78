"""RandomErasing, RandomShear and RandomGaussianBlur: NumPy/SciPy references on the drawn parameters, Keras 3's
transform on the same draws, identity at inference, seeding, statistics, models."""

import numpy as np
import pytest
from scipy import signal

from brickwork import backend, layers
from tests.layers.harness import run_layer_test
from tests.layers.keras_reference import run_keras
from tests.layers.model_round_trip import check_fit_and_reload
from tests.ops.test_image import affine_reference

rng = np.random.default_rng(0)
IMAGES = rng.uniform(0, 255, size=(4, 9, 8, 3)).astype("float32")
MANY = rng.uniform(0, 255, size=(100, 10, 10, 1)).astype("float32")

LAYERS = {
    "RandomErasing": {"factor": (0.8, 1.0), "scale": (0.1, 0.4)},
    "RandomShear": {"x_factor": 0.3, "y_factor": (0.1, 0.2)},
    "RandomGaussianBlur": {"factor": 0.8, "kernel_size": 5, "sigma": (0.5, 2.0)},
}


def to_np(x):
    return backend.convert_to_numpy(x)


def blur_reference(images, sigma, kernel_size):
    def gaussian(size, s):
        x = np.arange(size) - (size - 1) / 2
        weights = np.exp(-0.5 * (x / s) ** 2)
        return weights / weights.sum()

    kernel = np.outer(gaussian(kernel_size[1], sigma[1]), gaussian(kernel_size[0], sigma[0]))
    out = np.empty(images.shape, "float64")
    for b in range(images.shape[0]):
        for c in range(images.shape[-1]):
            out[b, ..., c] = signal.convolve2d(images[b, ..., c], kernel, mode="same", boundary="fill")
    return out


@pytest.mark.parametrize("name", LAYERS)
def test_identity_at_inference_seeding_and_shapes(name):
    layer_cls = getattr(layers, name)
    run_layer_test(layer_cls, {**LAYERS[name], "seed": 3}, input_data=IMAGES, expected_output_shape=IMAGES.shape,
                   call_kwargs={"training": False}, reference=lambda x, w: x)
    first = to_np(layer_cls(**LAYERS[name], seed=7)(IMAGES))
    np.testing.assert_array_equal(first, to_np(layer_cls(**LAYERS[name], seed=7)(IMAGES)))
    assert first.shape == IMAGES.shape and not np.allclose(first, IMAGES)
    assert to_np(layer_cls(**LAYERS[name], seed=7)(IMAGES[0])).shape == IMAGES[0].shape
    config = layer_cls(**LAYERS[name]).get_config()
    assert all(config[k] == v for k, v in LAYERS[name].items())


@pytest.mark.parametrize("name", LAYERS)
def test_channels_first_matches_channels_last(name):
    last = getattr(layers, name)(**LAYERS[name], seed=5)
    first = getattr(layers, name)(**LAYERS[name], seed=5, data_format="channels_first")
    draw = last.get_random_transformation(IMAGES)
    out_last = to_np(last.transform_images(IMAGES, draw))
    if name == "RandomErasing":  # the mask and the fill are laid out like the images
        draw = {**draw, "batch_masks": np.moveaxis(to_np(draw["batch_masks"]), -1, 1),
                "fill_value": np.moveaxis(to_np(draw["fill_value"]), -1, 1)}
    out_first = to_np(first.transform_images(IMAGES.transpose(0, 3, 1, 2), draw))
    np.testing.assert_allclose(out_first.transpose(0, 2, 3, 1), out_last, rtol=1e-5, atol=1e-3)


def test_erasing_boxes():
    layer = layers.RandomErasing(factor=(1.0, 1.0), scale=(0.1, 0.5), fill_value=-1.0, value_range=(-1, 255), seed=2)
    out = to_np(layer(MANY))[..., 0]
    areas = []
    for image in out:
        rows, columns = np.nonzero(image == -1.0)
        box = (rows.max() - rows.min() + 1) * (columns.max() - columns.min() + 1)
        assert len(rows) == box, "the erased pixels form a rectangle"
        areas.append(box / 100)
    areas = np.array(areas)
    # Box sides are sqrt(s) of the image's, s in [0.1, 0.5], on a 10-pixel grid: area in [0.1, 0.5] roughly.
    assert areas.min() >= 0.04 and areas.max() <= 0.6 and areas.std() > 0.05
    sometimes = to_np(layers.RandomErasing(factor=(0.5, 0.5), fill_value=-1.0, value_range=(-1, 255), seed=3)(MANY))
    erased = np.any(sometimes == -1.0, axis=(1, 2, 3))
    assert 0.3 < erased.mean() < 0.7
    np.testing.assert_array_equal(sometimes[~erased], MANY[~erased])
    noise = to_np(layers.RandomErasing(factor=(1.0, 1.0), seed=4)(MANY))
    assert noise.min() >= 0 and noise.max() <= 255
    colour = to_np(layers.RandomErasing(factor=(1.0, 1.0), fill_value=[1.0, 2.0, 3.0], seed=4)(IMAGES))
    changed = ~np.isclose(colour, IMAGES)
    assert np.all(colour[..., 0][changed[..., 0]] == 1.0) and np.all(colour[..., 2][changed[..., 2]] == 3.0)


def test_shear_matches_the_affine_reference():
    layer = layers.RandomShear(x_factor=0.4, y_factor=0.3, fill_mode="constant", fill_value=0.5, seed=1)
    draw = layer.get_random_transformation(IMAGES)
    out = to_np(layer.transform_images(IMAGES, draw))
    shear = to_np(draw["shear_factor"])
    assert np.all(np.abs(shear[:, 0]) <= 0.4) and np.all(np.abs(shear[:, 1]) <= 0.3)
    for b in range(len(IMAGES)):
        transform = [1, shear[b, 0], 0, shear[b, 1], 1, 0, 0, 0]
        np.testing.assert_allclose(out[b:b + 1], affine_reference(IMAGES[b:b + 1], transform, "bilinear", "constant",
                                                                  0.5), rtol=1e-4, atol=1e-3)
    signs = to_np(layers.RandomShear(x_factor=(0.2, 0.3), seed=2).get_random_transformation(MANY)["shear_factor"])
    assert np.all(np.abs(signs[:, 0]) >= 0.2 - 1e-6) and 0.3 < (signs[:, 0] > 0).mean() < 0.7


def test_gaussian_blur_matches_scipy():
    layer = layers.RandomGaussianBlur(factor=(1.0, 1.0), kernel_size=(3, 5), sigma=(0.5, 2.0), seed=1)
    draw = layer.get_random_transformation(IMAGES)
    out = to_np(layer.transform_images(IMAGES, draw))
    sigma = to_np(draw["blur_factor"])
    assert np.all((sigma >= 0.5) & (sigma <= 2.0 + 1e-5))
    expected = np.clip(blur_reference(IMAGES, sigma, (3, 5)), 0, 255)
    np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-3)
    sometimes = to_np(layers.RandomGaussianBlur(factor=(0.5, 0.5), seed=2)(MANY))
    blurred = ~np.all(np.isclose(sometimes, MANY), axis=(1, 2, 3))
    assert 0.3 < blurred.mean() < 0.7
    with pytest.raises(ValueError, match="RandomGaussianBlur"):
        layers.RandomGaussianBlur(kernel_size=4)


@pytest.fixture(scope="module")
def keras_draws():
    arrays, ours = {"images": IMAGES}, {}
    for name, kwargs in LAYERS.items():
        layer = getattr(layers, name)(**kwargs, seed=11)
        draw = layer.get_random_transformation(IMAGES)
        ours[name] = to_np(layer.transform_images(IMAGES, draw))
        arrays.update({f"{name}:{key}": to_np(value) for key, value in draw.items()})
    expected = run_keras("""
        kwargs = {"RandomErasing": {"factor": (0.8, 1.0), "scale": (0.1, 0.4)},
                  "RandomShear": {"x_factor": 0.3, "y_factor": (0.1, 0.2)},
                  "RandomGaussianBlur": {"factor": 0.8, "kernel_size": 5, "sigma": (0.5, 2.0)}}
        images = keras.ops.convert_to_tensor(data["images"])
        for name, arguments in kwargs.items():
            layer = getattr(keras.layers, name)(**arguments)
            draw = {k.split(":")[1]: keras.ops.convert_to_tensor(v) for k, v in data.items() if k.startswith(name)}
            out[name] = keras.ops.convert_to_numpy(layer.transform_images(images, draw))
    """, **arrays)
    return ours, expected


@pytest.mark.parametrize("name", LAYERS)
def test_matches_keras_on_the_same_draw(name, keras_draws):
    ours, expected = keras_draws
    np.testing.assert_allclose(ours[name], expected[name], rtol=1e-4, atol=2e-3)


def test_in_a_model_fit_and_reload(tmp_path):
    head = [layers.RandomShear(0.2, 0.2, seed=2), layers.RandomGaussianBlur(seed=3), layers.Rescaling(1 / 255),
            layers.Flatten(), layers.Dense(1)]
    check_fit_and_reload(layers.RandomErasing(seed=1), IMAGES, np.ones((4, 1), "float32"), tmp_path, head=head)
