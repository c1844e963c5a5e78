"""AugMix: the mix of chains against its formula on fixed draws, the draws' distributions, inference, models."""

import numpy as np
import pytest

from brickwork import backend, layers
from tests.layers.harness import run_layer_test
from tests.layers.keras_reference import run_keras
from tests.layers.model_round_trip import check_fit_and_reload

rng = np.random.default_rng(0)
IMAGES = rng.uniform(0, 255, size=(3, 12, 10, 3)).astype("float32")


def to_np(x):
    return backend.convert_to_numpy(x)


def test_no_augmentation_gives_the_image_back():
    layer = layers.AugMix(num_chains=2, chain_depth=2, seed=1)
    none = len(layer.augmentations)
    draw = {"chain_mixing_weights": np.array([0.3, 0.7], "float32"), "weight_sample": np.float32(0.4),
            "choices": np.full((2, 2), none, "int32")}
    np.testing.assert_allclose(to_np(layer.transform_images(IMAGES, draw)), IMAGES, rtol=1e-5, atol=1e-3)


@pytest.mark.parametrize("choice", [0, 4, 6, 10])
def test_one_step_chain_mixes_that_augmentation(choice):
    layer = layers.AugMix(num_chains=1, chain_depth=2, seed=3)
    twin = layers.AugMix(num_chains=1, chain_depth=2, seed=3)
    none = len(layer.augmentations)
    draw = {"chain_mixing_weights": np.array([1.0], "float32"), "weight_sample": np.float32(0.25),
            "choices": np.array([[choice, none]], "int32")}
    augmented = to_np(twin.augmentations[choice](IMAGES, training=True))
    expected = np.clip(0.25 * IMAGES + 0.75 * augmented, 0, 255)
    np.testing.assert_allclose(to_np(layer.transform_images(IMAGES, draw)), expected, rtol=1e-5, atol=1e-3)


def test_draws():
    layer = layers.AugMix(alpha=1.0, seed=2)
    draws = [layer.get_random_transformation(IMAGES) for _ in range(200)]
    weights = np.stack([to_np(d["chain_mixing_weights"]) for d in draws])
    np.testing.assert_allclose(weights.sum(axis=1), 1.0, rtol=1e-5)
    assert abs(weights.mean() - 1 / 3) < 0.05  # Dirichlet(1, 1, 1)
    samples = np.array([float(to_np(d["weight_sample"])) for d in draws])
    assert samples.min() >= 0 and samples.max() <= 1 and abs(samples.mean() - 0.5) < 0.07  # Beta(1, 1)
    choices = np.concatenate([to_np(d["choices"]).ravel() for d in draws])
    counts = np.bincount(choices, minlength=12)
    assert len(counts) == 12 and counts.min() > 100  # 1800 draws over 11 augmentations + none
    assert len(layers.AugMix(all_ops=False).augmentations) == 7


def test_identity_at_inference_seeding_and_config():
    kwargs = {"num_chains": 2, "chain_depth": 1, "factor": 0.3, "seed": 1}
    run_layer_test(layers.AugMix, kwargs, input_data=IMAGES, expected_output_shape=IMAGES.shape,
                   call_kwargs={"training": False}, reference=lambda x, w: x)
    first = to_np(layers.AugMix(**kwargs)(IMAGES))
    np.testing.assert_array_equal(first, to_np(layers.AugMix(**kwargs)(IMAGES)))
    assert first.min() >= 0 and first.max() <= 255 and not np.allclose(first, IMAGES)
    assert to_np(layers.AugMix(**kwargs)(IMAGES[0])).shape == IMAGES[0].shape
    config = layers.AugMix(num_chains=4, all_ops=False).get_config()
    assert config["num_chains"] == 4 and config["all_ops"] is False
    keras_keys = run_keras("out['keys'] = np.array(sorted(keras.layers.AugMix().get_config()))")["keys"]
    assert set(keras_keys.tolist()) <= set(config)


def test_in_a_model_fit_and_reload(tmp_path):
    check_fit_and_reload(layers.AugMix(num_chains=2, chain_depth=1, seed=1), IMAGES, np.ones((3, 1), "float32"),
                         tmp_path, head=[layers.Rescaling(1 / 255), layers.Flatten(), layers.Dense(1)])
