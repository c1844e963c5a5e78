"""Image preprocessing layers: shapes, reference values, configs, models; random ones: seeding and statistics."""

import numpy as np
import pytest

from brickwork import backend, layers, models
from tests.conftest import requires_training
from tests.layers.harness import run_layer_test
from tests.ops.test_image import affine_reference, resize_reference

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


# ---- random layers: identity (or resize) at inference, seeded, statistics of the draws ----

MANY = rng.uniform(0, 1, size=(64, 2, 3, 1)).astype("float32")  # many tiny images for statistics

RANDOM_LAYERS = [
    (layers.RandomFlip, {"mode": "horizontal"}),
    (layers.RandomFlip, {"mode": "vertical"}),
    (layers.RandomFlip, {"mode": "horizontal_and_vertical"}),
    (layers.RandomContrast, {"factor": 0.5, "value_range": (0, 1)}),
    (layers.RandomBrightness, {"factor": 0.3, "value_range": (0, 1)}),
]


@pytest.mark.parametrize("layer_cls, kwargs", RANDOM_LAYERS)
def test_random_layer_basics(layer_cls, kwargs):
    run_layer_test(layer_cls, {**kwargs, "seed": 3}, input_data=IMAGES, expected_output_shape=IMAGES.shape,
                   call_kwargs={"training": False}, reference=lambda x, w: x)
    first = to_np(layer_cls(**kwargs, seed=7)(MANY))
    again = to_np(layer_cls(**kwargs, seed=7)(MANY))
    np.testing.assert_array_equal(first, again)
    assert first.shape == MANY.shape and first.dtype == np.float32
    assert not np.allclose(first, MANY)
    unbatched = layer_cls(**kwargs, seed=7)(IMAGES[0])
    assert tuple(unbatched.shape) == IMAGES[0].shape


@pytest.mark.parametrize("mode", ["horizontal", "vertical", "horizontal_and_vertical"])
def test_random_flip_flips_about_half(mode):
    out = to_np(layers.RandomFlip(mode, seed=1)(MANY))
    h = mode != "vertical"
    v = mode != "horizontal"
    options = [(MANY, 0)]
    if h:
        options.append((MANY[:, :, ::-1], 1))
    if v:
        options.append((MANY[:, ::-1], 2))
    if h and v:
        options.append((MANY[:, ::-1, ::-1], 3))
    kinds = np.full(len(MANY), -1)
    for candidate, kind in reversed(options):
        kinds[np.all(np.isclose(out, candidate), axis=(1, 2, 3))] = kind
    assert (kinds >= 0).all(), "every output is the image or one of its flips"
    for _, kind in options:
        assert 0.1 < np.mean(kinds == kind) < 0.5 + 0.4 / len(options), f"flip kind {kind} frequency"


def test_random_flip_channels_first():
    images = MANY.transpose(0, 3, 1, 2)
    out = to_np(layers.RandomFlip("horizontal", seed=1, data_format="channels_first")(images))
    same = np.all(np.isclose(out, images), axis=(1, 2, 3))
    flipped = np.all(np.isclose(out, images[..., ::-1]), axis=(1, 2, 3))
    assert (same | flipped).all() and flipped.any() and same.any()


def test_random_contrast_statistics():
    images = MANY * 0.2 + 0.4  # far from the clipping bounds
    out = to_np(layers.RandomContrast((0.3, 0.5), value_range=(0, 1), seed=2)(images))
    mean = images.mean(axis=(1, 2), keepdims=True)
    np.testing.assert_allclose(out.mean(axis=(1, 2), keepdims=True), mean, atol=1e-5)
    ratio = (out - mean) / (images - mean)
    per_image = ratio.reshape(len(images), -1)
    np.testing.assert_allclose(per_image, per_image[:, :1].repeat(per_image.shape[1], 1), rtol=1e-3)
    assert per_image.min() >= 0.7 - 1e-3 and per_image.max() <= 1.5 + 1e-3
    assert per_image[:, 0].std() > 0.1
    wide = to_np(layers.RandomContrast(1.0, value_range=(0, 1), seed=2)(MANY))
    assert wide.min() >= 0 and wide.max() <= 1


def test_random_brightness_statistics():
    out = to_np(layers.RandomBrightness((-0.2, 0.4), value_range=(0, 255), seed=2)(MANY * 50 + 60))
    delta = (out - (MANY * 50 + 60)).reshape(len(MANY), -1)
    np.testing.assert_allclose(delta, delta[:, :1].repeat(delta.shape[1], 1), atol=1e-3)
    assert delta.min() >= -0.2 * 255 - 1e-3 and delta.max() <= 0.4 * 255 + 1e-3
    assert delta[:, 0].std() > 10
    clipped = to_np(layers.RandomBrightness(1.0, value_range=(0, 1), seed=2)(MANY))
    assert clipped.min() >= 0 and clipped.max() <= 1
    with pytest.raises(ValueError, match="RandomBrightness"):
        layers.RandomBrightness(1.5)


def test_random_crop_inference_resizes_like_keras():
    # Not training: crop the centred 6x4 window of the target's aspect ratio, then resize to 4x3.
    run_layer_test(layers.RandomCrop, {"height": 4, "width": 3, "seed": 1}, input_data=IMAGES,
                   expected_output_shape=(2, 4, 3, 3), call_kwargs={"training": False},
                   reference=lambda x, w: resize_reference(x[:, :, 0:4], (4, 3), "bilinear"))


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_random_crop_training_takes_a_window(data_format):
    images = IMAGES if data_format == "channels_last" else IMAGES.transpose(0, 3, 1, 2)
    offsets = set()
    for seed in range(8):
        out = to_np(layers.RandomCrop(3, 2, seed=seed, data_format=data_format)(images, training=True))
        if data_format == "channels_first":
            out = out.transpose(0, 2, 3, 1)
        assert out.shape == (2, 3, 2, 3)
        found = [(top, left) for top in range(4) for left in range(4)
                 if np.allclose(out, IMAGES[:, top:top + 3, left:left + 2])]
        assert found, "the output is a window of the input"
        offsets.add(found[0])
    assert len(offsets) > 2, "different seeds pick different windows"
    again = layers.RandomCrop(3, 2, seed=5, data_format=data_format)(images)
    np.testing.assert_array_equal(to_np(again), to_np(layers.RandomCrop(3, 2, seed=5, data_format=data_format)(images)))


@requires_training
def test_augmentation_layers_train_in_a_model():
    model = models.Sequential([
        layers.Input((6, 5, 3)),
        layers.RandomFlip(seed=1), layers.RandomContrast(0.2, value_range=(0, 1), seed=2),
        layers.RandomBrightness(0.1, value_range=(0, 1), seed=3), layers.RandomRotation(0.1, seed=5),
        layers.RandomTranslation(0.2, 0.2, seed=6), layers.RandomZoom(0.2, seed=7), layers.RandomCrop(4, 4, seed=4),
        layers.Resizing(3, 3), layers.CenterCrop(2, 2), layers.Flatten(), layers.Dense(1),
    ])
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(IMAGES, np.ones((2, 1), "float32"), epochs=2, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    # predict runs with training=False: the random layers are identities and RandomCrop resizes.
    np.testing.assert_allclose(to_np(model.predict(IMAGES, verbose=0)), to_np(model(IMAGES, training=False)),
                               rtol=1e-5, atol=1e-5)


# ---- geometric random layers on ops.image.affine_transform ----

GEOMETRIC_LAYERS = [
    (layers.RandomRotation, {"factor": 0.2}),
    (layers.RandomTranslation, {"height_factor": 0.3, "width_factor": (-0.2, 0.4)}),
    (layers.RandomZoom, {"height_factor": 0.3}),
    (layers.RandomZoom, {"height_factor": (-0.5, 0.2), "width_factor": 0.3, "fill_mode": "constant"}),
]


@pytest.mark.parametrize("layer_cls, kwargs", GEOMETRIC_LAYERS)
def test_geometric_layer_basics(layer_cls, kwargs):
    test_random_layer_basics(layer_cls, kwargs)


def test_random_rotation_quarter_turn_is_rot90():
    square = IMAGES[:, :5, :5]
    out = to_np(layers.RandomRotation((0.25, 0.25), seed=1)(square))
    np.testing.assert_allclose(out, np.rot90(square, k=1, axes=(1, 2)), atol=1e-5)
    first = layers.RandomRotation((0.25, 0.25), data_format="channels_first")(square.transpose(0, 3, 1, 2))
    np.testing.assert_allclose(to_np(first), np.rot90(square, k=1, axes=(1, 2)).transpose(0, 3, 1, 2), atol=1e-5)


def test_random_rotation_matches_affine_reference():
    angle = 0.1 * 2 * np.pi
    cos, sin = np.cos(angle), np.sin(angle)
    height, width = 5.0, 4.0  # IMAGES is 6 x 5
    transform = [cos, -sin, (width - (cos * width - sin * height)) / 2, sin, cos,
                 (height - (sin * width + cos * height)) / 2, 0, 0]
    out = layers.RandomRotation((0.1, 0.1), fill_mode="constant", fill_value=0.5)(IMAGES)
    np.testing.assert_allclose(to_np(out), affine_reference(IMAGES, transform, "bilinear", "constant", 0.5),
                               atol=1e-5)


def test_random_translation_shifts_down_and_right():
    out = to_np(layers.RandomTranslation((0.5, 0.5), (0.4, 0.4), fill_mode="constant", interpolation="nearest")(IMAGES))
    expected = np.zeros_like(IMAGES)
    expected[:, 3:, 2:] = IMAGES[:, :3, :3]  # 0.5 * 6 rows down, 0.4 * 5 columns right
    np.testing.assert_allclose(out, expected, atol=1e-5)


def test_random_zoom_matches_affine_reference():
    zoom_y, zoom_x = 0.6, 1.3
    transform = [zoom_x, 0, 2.0 * (1 - zoom_x), 0, zoom_y, 2.5 * (1 - zoom_y), 0, 0]
    out = layers.RandomZoom((-0.4, -0.4), (0.3, 0.3), fill_mode="wrap")(IMAGES)
    np.testing.assert_allclose(to_np(out), affine_reference(IMAGES, transform, "bilinear", "wrap"), atol=1e-5)
    same = to_np(layers.RandomZoom(0.3, seed=4)(MANY))
    assert not np.allclose(same, MANY)
