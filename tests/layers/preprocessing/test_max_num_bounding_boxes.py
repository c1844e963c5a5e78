"""MaxNumBoundingBoxes: boxes and labels padded or truncated to a fixed count, as Keras 3 does."""

import numpy as np
import pytest

from brickwork import backend, layers
from tests.layers.keras_reference import run_keras

rng = np.random.default_rng(0)
IMAGES = rng.uniform(0, 1, size=(2, 6, 6, 3)).astype("float32")
BOXES = rng.uniform(0, 6, size=(2, 4, 4)).astype("float32")
LABELS = np.array([[1, 2, 3, 4], [5, 6, 7, 8]], "float32")


def to_np(x):
    return backend.convert_to_numpy(x)


def data():
    return {"images": IMAGES, "bounding_boxes": {"boxes": BOXES, "labels": LABELS}}


@pytest.mark.parametrize("max_number", [2, 4, 6])
def test_pads_or_truncates(max_number):
    out = layers.MaxNumBoundingBoxes(max_number=max_number, fill_value=-2)(data())
    boxes, labels = to_np(out["bounding_boxes"]["boxes"]), to_np(out["bounding_boxes"]["labels"])
    keep = min(max_number, 4)
    assert boxes.shape == (2, max_number, 4) and labels.shape == (2, max_number)
    np.testing.assert_array_equal(boxes[:, :keep], BOXES[:, :keep])
    np.testing.assert_array_equal(labels[:, :keep], LABELS[:, :keep])
    assert np.all(boxes[:, keep:] == -2) and np.all(labels[:, keep:] == -2)
    np.testing.assert_array_equal(to_np(out["images"]), IMAGES)


def test_single_image_bare_images_shapes_and_config():
    single = layers.MaxNumBoundingBoxes(3)({"images": IMAGES[0], "bounding_boxes": {"boxes": BOXES[0],
                                                                                  "labels": LABELS[0]}})
    assert tuple(single["bounding_boxes"]["boxes"].shape) == (3, 4)
    np.testing.assert_array_equal(to_np(layers.MaxNumBoundingBoxes(3)(IMAGES)), IMAGES)
    shapes = layers.MaxNumBoundingBoxes(5).compute_output_shape(
        {"images": (None, 6, 6, 3), "bounding_boxes": {"boxes": (None, 2, 4), "labels": (None, 2)}})
    assert shapes["bounding_boxes"] == {"boxes": (None, 5, 4), "labels": (None, 5)}
    config = layers.MaxNumBoundingBoxes(5, fill_value=0, bounding_box_format="yxyx").get_config()
    assert config["max_number"] == 5 and config["fill_value"] == 0 and config["bounding_box_format"] == "yxyx"
    assert layers.MaxNumBoundingBoxes.from_config(config).get_config() == config
    with pytest.raises(ValueError, match="MaxNumBoundingBoxes"):
        layers.MaxNumBoundingBoxes(0)
    with pytest.raises(KeyError, match="MaxNumBoundingBoxes"):
        layers.MaxNumBoundingBoxes(2)({"images": IMAGES, "bounding_boxes": {"boxes": BOXES, "labels": LABELS,
                                                                            "scores": LABELS}})


def test_matches_keras():
    expected = run_keras("""
        data_in = {"images": data["images"], "bounding_boxes": {"boxes": data["boxes"], "labels": data["labels"]}}
        for n in (2, 6):
            result = keras.layers.MaxNumBoundingBoxes(max_number=n, bounding_box_format="xyxy")(data_in)
            out[f"boxes_{n}"] = keras.ops.convert_to_numpy(result["bounding_boxes"]["boxes"])
            out[f"labels_{n}"] = keras.ops.convert_to_numpy(result["bounding_boxes"]["labels"])
    """, images=IMAGES, boxes=BOXES, labels=LABELS)
    for n in (2, 6):
        out = layers.MaxNumBoundingBoxes(max_number=n, bounding_box_format="xyxy")(data())
        np.testing.assert_allclose(to_np(out["bounding_boxes"]["boxes"]), expected[f"boxes_{n}"])
        np.testing.assert_allclose(to_np(out["bounding_boxes"]["labels"]), expected[f"labels_{n}"])
