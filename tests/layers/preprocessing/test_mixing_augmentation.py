"""CutMix and MixUp: images and labels mixed with the same draw, checked against NumPy and Keras 3."""

import numpy as np
import pytest

from brickwork import backend, layers
from tests.layers.harness import run_layer_test
from tests.layers.keras_reference import run_keras
from tests.layers.model_round_trip import check_fit_and_reload

rng = np.random.default_rng(0)
IMAGES = rng.uniform(0, 255, size=(6, 8, 10, 3)).astype("float32")
LABELS = np.eye(6, 4, dtype="float32")[[0, 1, 2, 3, 0, 1]]
MANY = rng.uniform(0, 1, size=(400, 4, 4, 1)).astype("float32")


def to_np(x):
    return backend.convert_to_numpy(x)


@pytest.mark.parametrize("layer_cls, kwargs", [(layers.CutMix, {"factor": 0.8}), (layers.MixUp, {"alpha": 0.4})])
def test_identity_at_inference_config_and_seeding(layer_cls, kwargs):
    run_layer_test(layer_cls, {**kwargs, "seed": 1}, input_data=IMAGES, expected_output_shape=IMAGES.shape,
                   call_kwargs={"training": False}, reference=lambda x, w: x)
    data = {"images": IMAGES, "labels": LABELS}
    first = layer_cls(**kwargs, seed=3)(data)
    again = layer_cls(**kwargs, seed=3)(data)
    np.testing.assert_array_equal(to_np(first["images"]), to_np(again["images"]))
    np.testing.assert_allclose(to_np(first["labels"]).sum(axis=1), 1.0, rtol=1e-5)
    assert not np.allclose(to_np(first["images"]), IMAGES)
    inference = layer_cls(**kwargs)(data, training=False)
    np.testing.assert_array_equal(to_np(inference["labels"]), LABELS)
    config = layer_cls(**kwargs).get_config()
    assert all(config[k] == v for k, v in kwargs.items())


def test_cut_mix_pastes_a_box_and_weights_labels_by_area():
    layer = layers.CutMix(factor=1.0, seed=2)
    draw = layer.get_random_transformation(IMAGES)
    out = to_np(layer.transform_images(IMAGES, draw))
    labels = to_np(layer.transform_labels(LABELS, draw))
    order, mask = to_np(draw["permutation_order"]), to_np(draw["batch_masks"])[..., 0]
    assert sorted(order) == list(range(6))
    for b in range(6):
        np.testing.assert_array_equal(out[b][mask[b]], IMAGES[order[b]][mask[b]])
        np.testing.assert_array_equal(out[b][~mask[b]], IMAGES[b][~mask[b]])
        rows, columns = np.nonzero(mask[b])
        if len(rows):
            assert len(rows) == (np.ptp(rows) + 1) * (np.ptp(columns) + 1), "the pasted region is a box"
    kept = to_np(draw["mix_weight"])[:, None]
    np.testing.assert_allclose(labels, kept * LABELS + (1 - kept) * LABELS[order], rtol=1e-5, atol=1e-6)
    # The label weight follows the box's area (up to the pixel grid).
    np.testing.assert_allclose(kept[:, 0], 1 - mask.mean(axis=(1, 2)), atol=0.25)
    single = to_np(layers.CutMix(seed=1)(IMAGES[0]))
    np.testing.assert_array_equal(single, IMAGES[0])


def test_mix_up_blends_with_beta_weights():
    layer = layers.MixUp(alpha=0.5, seed=4)
    draw = layer.get_random_transformation(MANY)
    weight, order = to_np(draw["mix_weight"]), to_np(draw["permutation_order"])
    out = to_np(layer.transform_images(MANY, draw))
    np.testing.assert_allclose(out, weight[:, None, None, None] * MANY + (1 - weight[:, None, None, None]) * MANY[order],
                               rtol=1e-5, atol=1e-6)
    # Beta(0.5, 0.5): mean 1/2, variance 1/8, U-shaped.
    assert abs(weight.mean() - 0.5) < 0.05 and abs(weight.var() - 0.125) < 0.02
    assert np.mean((weight < 0.1) | (weight > 0.9)) > np.mean((weight > 0.4) & (weight < 0.6))
    small = to_np(layers.MixUp(alpha=0.05, seed=4).get_random_transformation(MANY)["mix_weight"])
    assert np.mean((small < 0.05) | (small > 0.95)) > 0.6


@pytest.fixture(scope="module")
def keras_draws():
    arrays, ours = {"images": IMAGES, "labels": LABELS}, {}
    for name, layer in (("CutMix", layers.CutMix(factor=0.8, seed=5)), ("MixUp", layers.MixUp(alpha=0.4, seed=5))):
        draw = layer.get_random_transformation(IMAGES)
        ours[name] = to_np(layer.transform_images(IMAGES, draw))
        ours[name + "_labels"] = to_np(layer.transform_labels(LABELS, draw))
        arrays.update({f"{name}:{key}": to_np(value) for key, value in draw.items()})
    expected = run_keras("""
        images, labels = (keras.ops.convert_to_tensor(data[k]) for k in ("images", "labels"))
        for name, layer in (("CutMix", keras.layers.CutMix(factor=0.8)), ("MixUp", keras.layers.MixUp(alpha=0.4))):
            draw = {k.split(":")[1]: keras.ops.convert_to_tensor(v) for k, v in data.items() if k.startswith(name)}
            out[name] = keras.ops.convert_to_numpy(layer.transform_images(images, draw))
            out[name + "_labels"] = keras.ops.convert_to_numpy(layer.transform_labels(labels, draw))
    """, **arrays)
    return ours, expected


@pytest.mark.parametrize("key", ["CutMix", "CutMix_labels", "MixUp", "MixUp_labels"])
def test_matches_keras_on_the_same_draw(key, keras_draws):
    ours, expected = keras_draws
    np.testing.assert_allclose(ours[key], expected[key], rtol=1e-5, atol=1e-4)


def test_channels_first_cut_mix():
    layer = layers.CutMix(seed=6, data_format="channels_first")
    out = to_np(layer(IMAGES.transpose(0, 3, 1, 2)))
    assert out.shape == (6, 3, 8, 10)
    # Every pixel (all channels together) comes from one image of the batch.
    pixels = out.transpose(0, 2, 3, 1)
    from_some_image = np.any(np.all(np.isclose(pixels[:, None], IMAGES[None]), axis=-1), axis=1)
    assert from_some_image.all()


def test_in_a_model_fit_and_reload(tmp_path):
    head = [layers.MixUp(seed=2), layers.Rescaling(1 / 255), layers.Flatten(), layers.Dense(4)]
    check_fit_and_reload(layers.CutMix(seed=1), IMAGES, LABELS, tmp_path, head=head)
