"""Colour augmentation layers: identity at inference, seeding, Keras 3's transform on the same draws, statistics.

Solarization, RandomGrayscale, RandomInvert, RandomPosterization, RandomHue, RandomSaturation and
RandomColorDegeneration. Each draw is a dict of per-image parameters (``get_random_transformation``);
Keras's ``transform_images`` is given the same parameters and must give the same images.
"""

import colorsys

import numpy as np
import pytest

from brickwork import backend, layers
from tests.layers.harness import run_layer_test
from tests.layers.keras_reference import run_keras
from tests.layers.model_round_trip import check_fit_and_reload

rng = np.random.default_rng(0)
IMAGES = (rng.uniform(0, 255, size=(4, 5, 6, 3))).astype("float32")
MANY = (rng.uniform(0, 255, size=(200, 2, 2, 3))).astype("float32")

LAYERS = {
    "Solarization": {"addition_factor": 0.3, "threshold_factor": (0.4, 0.8)},
    "RandomGrayscale": {"factor": 0.5},
    "RandomInvert": {"factor": 0.8},
    "RandomPosterization": {"factor": (2, 6)},
    "RandomHue": {"factor": 0.6},
    "RandomSaturation": {"factor": (0.2, 0.9)},
    "RandomColorDegeneration": {"factor": 0.7},
}


def to_np(x):
    return backend.convert_to_numpy(x)


@pytest.mark.parametrize("name", LAYERS)
def test_identity_at_inference_and_config(name):
    layer_cls = getattr(layers, name)
    run_layer_test(layer_cls, {**LAYERS[name], "seed": 3}, input_data=IMAGES, expected_output_shape=IMAGES.shape,
                   call_kwargs={"training": False}, reference=lambda x, w: x)
    config = layer_cls(**LAYERS[name]).get_config()
    for key, value in LAYERS[name].items():
        assert config[key] == value


@pytest.mark.parametrize("name", LAYERS)
def test_seeded_random_and_unbatched(name):
    layer_cls = getattr(layers, name)
    first = to_np(layer_cls(**LAYERS[name], seed=7)(MANY))
    np.testing.assert_array_equal(first, to_np(layer_cls(**LAYERS[name], seed=7)(MANY)))
    assert first.shape == MANY.shape and first.dtype == np.float32
    assert not np.allclose(first, MANY)
    changed = ~np.all(np.isclose(first, MANY, atol=1e-3), axis=(1, 2, 3))
    assert 0 < changed.sum(), "some images change"
    assert to_np(layer_cls(**LAYERS[name], seed=7)(IMAGES[0])).shape == IMAGES[0].shape
    assert np.all(first >= -1e-3) and np.all(first <= 255 + 1e-3), "values stay in the value range"


@pytest.mark.parametrize("name", LAYERS)
def test_channels_first_matches_channels_last(name):
    layer_cls = getattr(layers, name)
    last = layer_cls(**LAYERS[name], seed=5)
    first = layer_cls(**LAYERS[name], seed=5, data_format="channels_first")
    transformation = last.get_random_transformation(IMAGES)
    out_last = to_np(last.transform_images(IMAGES, transformation))
    out_first = to_np(first.transform_images(IMAGES.transpose(0, 3, 1, 2), transformation))
    np.testing.assert_allclose(out_first.transpose(0, 2, 3, 1), out_last, rtol=1e-5, atol=1e-3)


# Keras's own shapes for each draw: (batch,) here, broadcastable shapes in some Keras layers.
_KERAS_SCRIPT = """
    import json
    shapes = json.loads(str(data["shapes"]))
    for name, kwargs in json.loads(str(data["kwargs"])).items():
        layer = getattr(keras.layers, name)(**kwargs)
        keys = [k[len(name) + 1:] for k in data if k.startswith(name + ":")]
        transformation = {k: keras.ops.convert_to_tensor(data[name + ":" + k].reshape(shapes[name])) for k in keys}
        if name == "RandomGrayscale":
            transformation = transformation["apply"]
        if name == "RandomPosterization":
            transformation = {"shift_factor": keras.ops.cast(transformation["shift_factor"], "uint8")}
        images = keras.ops.convert_to_tensor(data["images"])
        out[name] = keras.ops.convert_to_numpy(layer.transform_images(images, transformation))
"""
_KERAS_SHAPES = {"Solarization": [-1, 1, 1, 1], "RandomGrayscale": [-1, 1, 1, 1], "RandomInvert": [-1],
                 "RandomPosterization": [-1], "RandomHue": [-1], "RandomSaturation": [-1],
                 "RandomColorDegeneration": [-1, 1, 1, 1]}


@pytest.fixture(scope="module")
def keras_draws():
    """Each layer's draw on IMAGES, its brickwork output, and Keras's output for the same draw."""
    import json

    arrays, ours = {"images": IMAGES}, {}
    for name, kwargs in LAYERS.items():
        layer = getattr(layers, name)(**kwargs, seed=11)
        transformation = layer.get_random_transformation(IMAGES)
        ours[name] = to_np(layer.transform_images(backend.convert_to_tensor(IMAGES), transformation))
        for key, value in transformation.items():
            arrays[f"{name}:{key}"] = to_np(value)
    keras_kwargs = {name: {k: list(v) if isinstance(v, tuple) else v for k, v in kw.items()}
                    for name, kw in LAYERS.items()}
    # Keras clips the saturation to value_range: with (0, 1) it is the fraction brickwork clips to.
    keras_kwargs["RandomSaturation"]["value_range"] = [0, 1]
    expected = run_keras(_KERAS_SCRIPT, kwargs=np.array(json.dumps(keras_kwargs)),
                         shapes=np.array(json.dumps(_KERAS_SHAPES)), **arrays)
    return ours, expected


@pytest.mark.parametrize("name", LAYERS)
def test_matches_keras_on_the_same_draw(name, keras_draws):
    ours, expected = keras_draws
    np.testing.assert_allclose(ours[name], expected[name], rtol=1e-4, atol=2e-3)


# ---- statistics and formulas per layer ----


def test_solarization_formula():
    layer = layers.Solarization(addition_factor=(0.1, 0.2), threshold_factor=(0.3, 0.9), value_range=(0, 1), seed=1)
    images = MANY / 255
    draw = layer.get_random_transformation(images)
    out = to_np(layer.transform_images(images, draw))
    add, threshold = (to_np(draw[k]).reshape(-1, 1, 1, 1) for k in ("additions", "thresholds"))
    assert add.min() >= 0.1 * 255 - 1e-3 and add.max() <= 0.2 * 255 + 1e-3 and add.std() > 5
    shifted = np.clip(images * 255 + add, 0, 255)
    np.testing.assert_allclose(out, np.where(shifted < threshold, shifted, 255 - shifted) / 255, atol=1e-5)


def test_grayscale_and_invert_frequencies():
    gray = to_np(layers.RandomGrayscale(factor=0.3, seed=2)(MANY))
    is_gray = np.all(np.isclose(gray[..., :1], gray), axis=(1, 2, 3))
    assert 0.2 < is_gray.mean() < 0.4
    luma = MANY @ np.array([0.2989, 0.5870, 0.1140], "float32")
    np.testing.assert_allclose(gray[is_gray][..., 0], luma[is_gray], rtol=1e-5)
    inverted = to_np(layers.RandomInvert(factor=(0.5, 0.5), seed=2)(MANY))
    flipped = np.all(np.isclose(inverted, 255 - MANY), axis=(1, 2, 3))
    same = np.all(np.isclose(inverted, MANY), axis=(1, 2, 3))
    assert np.all(flipped | same) and 0.35 < flipped.mean() < 0.65


def test_posterization_clears_low_bits():
    out = to_np(layers.RandomPosterization(factor=(3, 3))(MANY))
    np.testing.assert_array_equal(out, (MANY.astype("int32") >> 5 << 5).astype("float32"))
    bits = to_np(layers.RandomPosterization(factor=(1, 8), seed=3).get_random_transformation(MANY)["shift_factor"])
    assert set(np.unique(8 - bits)) == set(range(1, 8))


def _hsv(images):
    return np.array([colorsys.rgb_to_hsv(*p) for p in images.reshape(-1, 3) / 255]).reshape(images.shape)


def test_hue_saturation_and_degeneration_statistics():
    hsv = _hsv(MANY)
    hue_layer = layers.RandomHue(factor=(0.2, 0.4), seed=4)
    draw = hue_layer.get_random_transformation(MANY)
    shift = to_np(draw["factor"])
    assert np.all((np.abs(shift) >= 0.1 - 1e-6) & (np.abs(shift) <= 0.2 + 1e-6)) and 0.3 < (shift > 0).mean() < 0.7
    shifted = _hsv(to_np(hue_layer.transform_images(MANY, draw)))
    np.testing.assert_allclose(shifted[..., 1:], hsv[..., 1:], atol=1e-4)  # saturation, value unchanged
    turn = (shifted[..., 0] - hsv[..., 0] - shift[:, None, None]) % 1.0
    assert np.all(np.minimum(turn, 1 - turn) < 1e-4)
    same = to_np(layers.RandomSaturation(factor=(0.5, 0.5))(MANY))
    np.testing.assert_allclose(same, MANY, rtol=1e-4, atol=1e-2)
    gray = to_np(layers.RandomSaturation(factor=(0.0, 0.0))(MANY))
    np.testing.assert_allclose(gray, np.repeat(MANY.max(-1, keepdims=True), 3, -1), atol=1e-3)
    luma = (MANY @ np.array([0.2989, 0.5870, 0.1140], "float32"))[..., None]
    half = to_np(layers.RandomColorDegeneration(factor=(0.5, 0.5))(MANY))
    np.testing.assert_allclose(half, np.clip(MANY + 0.5 * (luma - MANY), 0, 255), rtol=1e-5, atol=1e-3)


def test_bad_factors_are_named():
    for name, kwargs in [("RandomGrayscale", {"factor": 1.5}), ("RandomInvert", {"factor": 2}),
                         ("RandomPosterization", {"factor": 9}), ("RandomHue", {"factor": (0.2, 0.3, 0.4)}),
                         ("Solarization", {"addition_factor": -0.5}), ("RandomSaturation", {"factor": "high"})]:
        with pytest.raises(ValueError, match=name):
            getattr(layers, name)(**kwargs)


def test_all_in_a_model_fit_and_reload(tmp_path):
    stack = [getattr(layers, name)(**kwargs, seed=i) for i, (name, kwargs) in enumerate(LAYERS.items())]
    first, rest = stack[0], stack[1:]
    y = np.ones((4, 1), "float32")
    check_fit_and_reload(first, IMAGES, y, tmp_path, head=[*rest, layers.Rescaling(1 / 255), layers.Flatten(),
                                                           layers.Dense(1)])
