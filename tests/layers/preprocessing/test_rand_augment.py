"""RandAugment: each choice is one of its augmentations, the choices are uniform, identity at inference, models."""

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


@pytest.mark.parametrize("choice", range(11))
def test_each_choice_is_that_augmentation(choice):
    picked = layers.RandAugment(num_ops=1, factor=0.4, seed=5)
    reference = layers.RandAugment(num_ops=1, factor=0.4, seed=5)
    out = to_np(picked.transform_images(IMAGES, {"layer_idxes": np.array([choice], "int32")}))
    expected = to_np(reference.augmentations[choice](IMAGES, training=True))
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-3)


def test_choices_are_uniform_and_values_stay_in_range():
    layer = layers.RandAugment(num_ops=2, seed=1)
    draws = np.concatenate([to_np(layer.get_random_transformation(IMAGES)["layer_idxes"]) for _ in range(300)])
    counts = np.bincount(draws, minlength=11)
    assert counts.min() > 30 and counts.max() < 80  # 600 draws over 11 choices
    out = to_np(layers.RandAugment(num_ops=3, factor=0.8, seed=2)(IMAGES))
    assert out.shape == IMAGES.shape and np.isfinite(out).all()
    assert out.min() >= -1e-3 and out.max() <= 255 + 1e-3


def test_identity_at_inference_seeding_and_config():
    run_layer_test(layers.RandAugment, {"num_ops": 2, "factor": 0.3, "seed": 1}, input_data=IMAGES,
                   expected_output_shape=IMAGES.shape, call_kwargs={"training": False}, reference=lambda x, w: x)
    first = to_np(layers.RandAugment(seed=4)(IMAGES))
    np.testing.assert_array_equal(first, to_np(layers.RandAugment(seed=4)(IMAGES)))
    assert to_np(layers.RandAugment(seed=4)(IMAGES[0])).shape == IMAGES[0].shape
    config = layers.RandAugment(num_ops=3, factor=(0.1, 0.6), interpolation="nearest").get_config()
    assert config["num_ops"] == 3 and config["factor"] == (0.1, 0.6) and config["interpolation"] == "nearest"
    keras_keys = run_keras("out['keys'] = np.array(sorted(keras.layers.RandAugment().get_config()))")["keys"]
    assert set(keras_keys.tolist()) <= set(config)
    with pytest.raises(ValueError, match="RandAugment"):
        layers.RandAugment(factor=2.0)


def test_in_a_model_fit_and_reload(tmp_path):
    check_fit_and_reload(layers.RandAugment(seed=1), IMAGES, np.ones((3, 1), "float32"), tmp_path,
                         head=[layers.Rescaling(1 / 255), layers.Flatten(), layers.Dense(1)])
