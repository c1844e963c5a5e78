"""RandomElasticTransform: seeded, identity at inference, distorts within the value range while training."""

import numpy as np
import pytest

from brickwork import backend, layers

IMAGES = (np.random.default_rng(0).random((4, 24, 24, 3)) * 255).astype("float32")


def to_np(x):
    return backend.convert_to_numpy(x)


def test_identity_at_inference_and_seeded_in_training():
    layer = layers.RandomElasticTransform(factor=1.0, scale=(0.5, 0.5), seed=7)
    np.testing.assert_array_equal(to_np(layer(IMAGES, training=False)), IMAGES)
    first = to_np(layer(IMAGES, training=True))
    again = to_np(layers.RandomElasticTransform(factor=1.0, scale=(0.5, 0.5), seed=7)(IMAGES, training=True))
    np.testing.assert_array_equal(first, again)
    assert first.shape == IMAGES.shape
    assert np.abs(first - IMAGES).mean() > 1.0  # every image distorted
    assert first.min() >= 0 and first.max() <= 255
    # The displacement is smooth, so a distorted image keeps its overall statistics.
    assert abs(first.mean() - IMAGES.mean()) < 10


def test_factor_zero_and_channels_first():
    untouched = layers.RandomElasticTransform(factor=0.0, seed=1)(IMAGES, training=True)
    np.testing.assert_array_equal(to_np(untouched), IMAGES)
    first = np.transpose(IMAGES, (0, 3, 1, 2))
    out = layers.RandomElasticTransform(scale=0.3, seed=1, data_format="channels_first")(first, training=True)
    assert to_np(out).shape == first.shape


def test_config_round_trip_and_errors():
    layer = layers.RandomElasticTransform(factor=(0.2, 0.8), scale=0.4, fill_mode="constant", fill_value=3.0, seed=2)
    clone = layers.RandomElasticTransform.from_config(layer.get_config())
    assert clone.get_config() == layer.get_config()
    with pytest.raises(NotImplementedError, match="interpolation"):
        layers.RandomElasticTransform(interpolation="bicubic")
    with pytest.raises(ValueError):
        layers.RandomElasticTransform(factor=2.0)
