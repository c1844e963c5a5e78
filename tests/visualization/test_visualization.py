"""keras.visualization: boxes and masks painted into images, galleries saved as PNG files.

The drawn arrays are checked pixel by pixel against what they must be (box outlines in the colour, the inside
untouched; masks blended as a NumPy formula says, and as Keras 3 paints them); the galleries are read back from
the PNG files they write.
"""

import numpy as np
import pytest

from brickwork import ops
from brickwork.visualization import (
    draw_bounding_boxes,
    draw_segmentation_masks,
    plot_bounding_box_gallery,
    plot_image_gallery,
    plot_segmentation_mask_gallery,
)
from tests.layers.keras_reference import run_keras

pytest.importorskip("matplotlib")
PIL = pytest.importorskip("PIL.Image")

rng = np.random.default_rng(0)
IMAGES = rng.integers(0, 200, (2, 40, 48, 3)).astype("uint8")
BOXES = {"boxes": np.array([[[4, 6, 30, 34], [10, 10, 20, 20]], [[20, 5, 44, 30], [0, 0, 0, 0]]], "float32"),
         "labels": np.array([[1, 0], [0, -1]])}
RED = (255, 0, 0)


def test_boxes_are_outlined_in_the_colour_and_the_rest_is_untouched():
    drawn = draw_bounding_boxes(IMAGES, BOXES, "xyxy", color=RED, line_thickness=2, data_format="channels_last")
    assert drawn.shape == IMAGES.shape and drawn.dtype == np.uint8
    # the left edge of the first box (x = 4, rows 10..30) is solid red; the middle of the box and far pixels are not
    np.testing.assert_array_equal(drawn[0, 12:28, 4], np.tile([255, 0, 0], (16, 1)))
    np.testing.assert_array_equal(drawn[0, 24:30, 8:28], IMAGES[0, 24:30, 8:28])
    np.testing.assert_array_equal(drawn[0, 36:, :], IMAGES[0, 36:, :])
    changed = np.any(drawn != IMAGES, axis=-1)
    assert changed[0].sum() > 100 and changed[1, :, :18].sum() == 0  # the label -1 box is not drawn
    np.testing.assert_array_equal(drawn[1, 8:28, 44], np.tile([255, 0, 0], (20, 1)))


def test_formats_channels_first_and_float_images_give_the_same_picture():
    reference = draw_bounding_boxes(IMAGES, BOXES, "xyxy", color=RED, data_format="channels_last")
    as_xywh = dict(BOXES, boxes=ops.convert_to_numpy(ops.concatenate(
        [BOXES["boxes"][..., :2], BOXES["boxes"][..., 2:] - BOXES["boxes"][..., :2]], axis=-1)))
    np.testing.assert_array_equal(draw_bounding_boxes(IMAGES, as_xywh, "xywh", color=RED,
                                                      data_format="channels_last"), reference)
    first = draw_bounding_boxes(IMAGES.transpose(0, 3, 1, 2), BOXES, "xyxy", color=RED, data_format="channels_first")
    np.testing.assert_array_equal(first.transpose(0, 2, 3, 1), reference)
    unit = draw_bounding_boxes(IMAGES / 255.0, BOXES, "xyxy", color=RED, data_format="channels_last")
    assert np.abs(unit.astype(int) - reference).max() <= 1
    gray = draw_bounding_boxes(IMAGES[..., :1], BOXES, "xyxy", color=RED, data_format="channels_last")
    assert gray.shape == (2, 40, 48, 1) and gray[0, 20, 4, 0] == 76  # red's luma


def test_class_names_are_written_only_for_mapped_labels():
    plain = draw_bounding_boxes(IMAGES, BOXES, "xyxy", color=RED, data_format="channels_last")
    named = draw_bounding_boxes(IMAGES, dict(BOXES, confidences=np.full((2, 2), 0.5)), "xyxy", color=RED,
                                class_mapping={1: "cup"}, data_format="channels_last")
    differs = np.any(named != plain, axis=-1)
    assert differs[0].sum() > 20  # the "cup | 0.50" tag of box 1
    assert not differs[1].any()  # class 0 has no name


def test_draw_bounding_boxes_errors():
    with pytest.raises(ValueError, match="batch of images"):
        draw_bounding_boxes(IMAGES[0], BOXES, "xyxy")
    with pytest.raises(TypeError, match="must be a dict"):
        draw_bounding_boxes(IMAGES, BOXES["boxes"], "xyxy")
    with pytest.raises(ValueError, match="'boxes' and 'labels'"):
        draw_bounding_boxes(IMAGES, {"boxes": BOXES["boxes"]}, "xyxy")
    with pytest.raises(ValueError, match="must be one of"):
        draw_bounding_boxes(IMAGES, BOXES, "corners")


MASKS = rng.integers(-1, 4, (2, 40, 48)).astype("int32")
COLOURS = {0: (10, 20, 30), 1: (255, 0, 0), 2: (0, 255, 0), 3: (0, 0, 255)}


def test_masks_blend_as_the_formula_says():
    drawn = draw_segmentation_masks(IMAGES, MASKS, num_classes=4, color_mapping=COLOURS, alpha=0.6,
                                    ignore_index=3, data_format="channels_last")
    palette = np.array([COLOURS[k] for k in range(4)], "float32")
    blended = (IMAGES * 0.4 + palette[np.clip(MASKS, 0, 3)] * 0.6).astype("uint8")
    keep = (MASKS < 0) | (MASKS == 3)
    np.testing.assert_array_equal(drawn, np.where(keep[..., None], IMAGES, blended))
    solid = draw_segmentation_masks(IMAGES, MASKS[..., None], num_classes=3, color_mapping=COLOURS, blend=False,
                                    data_format="channels_last")
    np.testing.assert_array_equal(solid[MASKS == 1], np.tile([255, 0, 0], ((MASKS == 1).sum(), 1)))
    np.testing.assert_array_equal(solid[MASKS == 3], IMAGES[MASKS == 3])  # outside num_classes
    first = draw_segmentation_masks(IMAGES.transpose(0, 3, 1, 2), MASKS[:, None], num_classes=4,
                                    color_mapping=COLOURS, alpha=0.6, ignore_index=3, data_format="channels_first")
    np.testing.assert_array_equal(first.transpose(0, 2, 3, 1), drawn)
    default = draw_segmentation_masks(IMAGES, MASKS, data_format="channels_last")  # 4 classes, tab20 colours
    assert len({tuple(c) for c in default[MASKS == 2][:1]} | {tuple(c) for c in default[MASKS == 1][:1]}) == 2


def test_masks_match_keras():
    keras = run_keras("""
        colours = {0: (10, 20, 30), 1: (255, 0, 0), 2: (0, 255, 0), 3: (0, 0, 255)}
        out["y"] = keras.visualization.draw_segmentation_masks(data["images"], data["masks"][..., None],
                                                               num_classes=4, color_mapping=colours, alpha=0.6,
                                                               ignore_index=3)
    """, images=IMAGES, masks=np.clip(MASKS, 0, 3))
    ours = draw_segmentation_masks(IMAGES, np.clip(MASKS, 0, 3), num_classes=4, color_mapping=COLOURS, alpha=0.6,
                                   ignore_index=3, data_format="channels_last")
    np.testing.assert_array_equal(ours, keras["y"])


def test_draw_segmentation_masks_errors():
    with pytest.raises(TypeError, match="integer class ids"):
        draw_segmentation_masks(IMAGES, MASKS.astype("float32"))
    with pytest.raises(ValueError, match="do not match"):
        draw_segmentation_masks(IMAGES, MASKS[:, :10], data_format="channels_last")
    with pytest.raises(ValueError, match="alpha"):
        draw_segmentation_masks(IMAGES, MASKS, alpha=2.0)


def read_png(path):
    with PIL.open(path) as picture:
        return np.asarray(picture.convert("RGB"))


def test_image_gallery_grid_titles_and_file(tmp_path):
    images = np.stack([np.full((16, 16, 3), v, "float32") for v in (0.0, 0.5, 1.0, 0.25, 0.75)])
    figure = plot_image_gallery(images, y_true=[0, 1, 0, 1, 1], y_pred=np.array([0, 0, 0, 1, 1]),
                                label_map={0: "cat", 1: "dog"}, value_range=(0, 1), path=tmp_path / "g.png",
                                transparent=False, data_format="channels_last")
    axes = figure.axes
    assert len(axes) == 6  # 3 x 2, the last panel empty
    assert axes[1].get_title() == "Label: dog  Pred: cat" and not axes[5].images
    np.testing.assert_array_equal(axes[1].images[0].get_array()[0, 0], [127, 127, 127])
    picture = read_png(tmp_path / "g.png")
    assert picture.shape[0] > picture.shape[1] > 50 and picture.std() > 10
    one_row = plot_image_gallery(images[:, :, :, :1], rows=1, value_range=(0, 1), show=False,
                                 data_format="channels_last")
    assert len(one_row.axes) == 5


def test_image_gallery_errors(tmp_path):
    with pytest.raises(ValueError, match="not both"):
        plot_image_gallery(IMAGES, path=tmp_path / "x.png", show=True)
    with pytest.raises(ValueError, match="label_map"):
        plot_image_gallery(IMAGES, y_true=[0, 1], show=False)
    with pytest.raises(ValueError, match="batch of images"):
        plot_image_gallery(IMAGES[0], show=False)


def test_bounding_box_gallery_draws_both_sets_and_a_legend(tmp_path):
    prediction = dict(BOXES, boxes=BOXES["boxes"] + 2, confidences=np.full((2, 2), 0.9))
    figure = plot_bounding_box_gallery(IMAGES, "xyxy", y_true=BOXES, y_pred=prediction, class_mapping={1: "cup"},
                                       legend=True, path=tmp_path / "b.png", data_format="channels_last")
    shown = figure.axes[0].images[0].get_array()
    np.testing.assert_array_equal(shown[30, 4], [0, 188, 212])  # the true box's edge, below the name tags
    np.testing.assert_array_equal(shown[30, 6], [255, 235, 59])  # the predicted one, 2 px right
    assert [t.get_text() for t in figure.legends[0].get_texts()] == ["Ground Truth", "Prediction"]
    assert read_png(tmp_path / "b.png").size > 0
    with pytest.raises(ValueError, match="not both"):
        plot_bounding_box_gallery(IMAGES, "xyxy", y_true=BOXES, legend=True, legend_handles=["x"], show=False)


def test_segmentation_gallery_rows_of_image_truth_prediction(tmp_path):
    masks = np.clip(MASKS, 0, 3)
    figure = plot_segmentation_mask_gallery(IMAGES.transpose(0, 3, 1, 2), num_classes=4, y_true=masks[:, None],
                                            y_pred=masks[:, None] % 2, color_mapping=COLOURS, ignore_index=0,
                                            data_format="channels_first", path=tmp_path / "s.png")
    assert len(figure.axes) == 6
    assert [a.get_title() for a in figure.axes[:3]] == ["Image", "Ground truth", "Prediction"]
    np.testing.assert_array_equal(figure.axes[3].images[0].get_array(), IMAGES[1])
    expected = draw_segmentation_masks(IMAGES, masks, num_classes=4, color_mapping=COLOURS, ignore_index=0,
                                       data_format="channels_last")
    np.testing.assert_array_equal(figure.axes[1].images[0].get_array(), expected[0])
    assert read_png(tmp_path / "s.png").size > 0
