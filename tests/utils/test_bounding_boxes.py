"""keras.utils.bounding_boxes: format conversion, IoU / CIoU, clipping, crop / pad, affine maps, anchor deltas.

Checked against NumPy references written here and against Keras 3's own outputs on the same inputs.
"""

import itertools

import numpy as np
import pytest

from brickwork import backend
from brickwork.utils import bounding_boxes as bb
from tests.layers.keras_reference import run_keras

rng = np.random.default_rng(0)
CORNERS = np.concatenate([rng.uniform(0, 40, (2, 3, 2)), rng.uniform(50, 90, (2, 3, 2))], axis=-1)  # xyxy
CORNERS = CORNERS.astype("float32")
HEIGHT, WIDTH = 100, 120


def to_np(x):
    return backend.convert_to_numpy(x)


def reference_format(xyxy, target):
    """NumPy: xyxy pixel boxes written in ``target``."""
    x1, y1, x2, y2 = np.moveaxis(xyxy, -1, 0)
    scale = target.startswith("rel_")
    if scale:
        x1, x2, y1, y2 = x1 / WIDTH, x2 / WIDTH, y1 / HEIGHT, y2 / HEIGHT
    w, h = x2 - x1, y2 - y1
    columns = {
        "xyxy": [x1, y1, x2, y2], "yxyx": [y1, x1, y2, x2], "xywh": [x1, y1, w, h],
        "center_xywh": [x1 + w / 2, y1 + h / 2, w, h], "center_yxhw": [y1 + h / 2, x1 + w / 2, h, w],
    }[target.removeprefix("rel_")]
    return np.stack(columns, axis=-1)


FORMATS = list(bb.converters.SUPPORTED_FORMATS)


@pytest.mark.parametrize("source,target", list(itertools.permutations(FORMATS, 2))[::3] + [("xyxy", "xyxy")])
def test_convert_format_matches_numpy(source, target):
    boxes = reference_format(CORNERS, source)
    out = bb.convert_format(boxes, source=source.upper(), target=target, height=HEIGHT, width=WIDTH)
    np.testing.assert_allclose(to_np(out), reference_format(CORNERS, target), rtol=1e-5, atol=1e-4)
    assert str(to_np(out).dtype) == "float32"


def test_every_format_round_trips_and_dicts_keep_labels():
    for name in FORMATS:
        there = bb.convert_format(CORNERS, "xyxy", name, height=HEIGHT, width=WIDTH)
        back = bb.convert_format(there, name, "xyxy", height=HEIGHT, width=WIDTH)
        np.testing.assert_allclose(to_np(back), CORNERS, rtol=1e-5, atol=1e-4)
    data = {"boxes": CORNERS, "labels": np.ones((2, 3))}
    out = bb.convert_format(data, "xyxy", "xywh", dtype="float64")
    assert set(out) == {"boxes", "labels"} and str(to_np(out["boxes"]).dtype) == "float64"
    assert data["boxes"] is CORNERS  # the caller's dict is left alone


def test_bad_arguments_are_clear_errors():
    with pytest.raises(ValueError, match="`source` must be one of"):
        bb.convert_format(CORNERS, "invalid", "xyxy")
    with pytest.raises(ValueError, match="must receive `height` and `width`"):
        bb.convert_format(CORNERS, "xyxy", "rel_xyxy")
    with pytest.raises(ValueError, match="last dimension of 4"):
        bb.convert_format(np.zeros((2, 3)), "xyxy", "yxyx")
    with pytest.raises(ValueError, match="`height` and `width` must be given"):
        bb.clip_to_image_size({"boxes": CORNERS}, bounding_box_format="xyxy")
    with pytest.raises(ValueError, match="absolute format"):
        bb.crop(CORNERS, 0, 0, 10, 10, bounding_box_format="rel_xyxy")
    with pytest.raises(ValueError, match="length 4"):
        bb.encode_box_to_deltas(CORNERS[0], CORNERS, "xyxy", "xyxy", variance=[1.0, 2.0])
    with pytest.raises(ValueError, match="'center_xywh' or 'center_yxhw'"):
        bb.decode_deltas_to_boxes(CORNERS[0], CORNERS, "xyxy", "xyxy", encoded_format="xyxy")
    with pytest.raises(ValueError, match="image_shape"):
        bb.compute_iou(CORNERS, CORNERS, "rel_xyxy")
    with pytest.raises(ValueError, match=r"\(N, 4\) or \(batch, N, 4\)"):
        bb.compute_iou(np.zeros((1, 1, 2, 4)), CORNERS, "xyxy")


def numpy_iou(a, b):
    """Pairwise IoU of xyxy boxes (M, 4) x (N, 4), one pair at a time."""
    table = np.zeros((len(a), len(b)))
    for i, j in np.ndindex(table.shape):
        w = max(0.0, min(a[i, 2], b[j, 2]) - max(a[i, 0], b[j, 0]))
        h = max(0.0, min(a[i, 3], b[j, 3]) - max(a[i, 1], b[j, 1]))
        area = lambda box: (box[2] - box[0]) * (box[3] - box[1])  # noqa: E731
        table[i, j] = w * h / (area(a[i]) + area(b[j]) - w * h)
    return table


def test_compute_iou_every_rank_pairing_and_masking():
    shifted = CORNERS + np.float32(15.0)
    expected = np.stack([numpy_iou(CORNERS[k], shifted[k]) for k in range(2)])
    np.testing.assert_allclose(to_np(bb.compute_iou(CORNERS[0], shifted[0], "xyxy")), expected[0], atol=1e-5)
    np.testing.assert_allclose(to_np(bb.compute_iou(CORNERS, shifted, "xyxy")), expected, atol=1e-5)
    shared = np.stack([numpy_iou(CORNERS[k], shifted[0]) for k in range(2)])
    np.testing.assert_allclose(to_np(bb.compute_iou(CORNERS, shifted[0], "xyxy")), shared, atol=1e-5)
    np.testing.assert_allclose(to_np(bb.compute_iou(shifted[0], CORNERS, "xyxy")), shared.transpose(0, 2, 1),
                               atol=1e-5)
    yxyx = reference_format(CORNERS, "yxyx")
    np.testing.assert_allclose(to_np(bb.compute_iou(yxyx, yxyx, "yxyx")), to_np(bb.compute_iou(CORNERS, CORNERS,
                                                                                              "xyxy")), atol=1e-6)
    padded = np.concatenate([CORNERS[0], -np.ones((1, 4), "float32")])
    masked = to_np(bb.compute_iou(padded, CORNERS[0], "xyxy", use_masking=True, mask_val=-7))
    assert masked.shape == (4, 3) and np.all(masked[3] == -7) and np.all(masked[:3] != -7)


def numpy_ciou(a, b):
    iou = np.diag(numpy_iou(a, b))
    centre = ((a[:, 0] + a[:, 2] - b[:, 0] - b[:, 2]) / 2) ** 2 + ((a[:, 1] + a[:, 3] - b[:, 1] - b[:, 3]) / 2) ** 2
    diagonal = ((np.maximum(a[:, 2], b[:, 2]) - np.minimum(a[:, 0], b[:, 0])) ** 2
                + (np.maximum(a[:, 3], b[:, 3]) - np.minimum(a[:, 1], b[:, 1])) ** 2)
    v = 4 / np.pi ** 2 * (np.arctan((b[:, 2] - b[:, 0]) / (b[:, 3] - b[:, 1]))
                          - np.arctan((a[:, 2] - a[:, 0]) / (a[:, 3] - a[:, 1]))) ** 2
    return iou - centre / diagonal - v * v / (1 - iou + v)


def test_compute_ciou_matches_the_definition_and_broadcasts():
    other = CORNERS[0] + np.array([5, -3, 25, 10], "float32")
    expected = numpy_ciou(CORNERS[0].astype("float64"), other.astype("float64"))
    np.testing.assert_allclose(to_np(bb.compute_ciou(CORNERS[0], other, "xyxy")), expected, atol=1e-5)
    both = to_np(bb.compute_ciou(CORNERS[:1].repeat(2, 0), other, "xyxy"))
    assert both.shape == (2, 3)
    np.testing.assert_allclose(both[1], expected, atol=1e-5)
    np.testing.assert_allclose(to_np(bb.compute_ciou(CORNERS, CORNERS, "xyxy")), np.ones((2, 3)), atol=1e-5)


def test_clip_crop_pad_against_numpy():
    boxes = np.array([[-10.0, -20.0, 150.0, 160.0], [50, 40, 70, 80], [130, 10, 140, 20]], "float32")
    out = bb.clip_to_image_size({"boxes": boxes, "labels": np.array([3, 4, 5])}, height=HEIGHT, width=WIDTH)
    np.testing.assert_allclose(to_np(out["boxes"]), [[0, 0, 120, 100], [50, 40, 70, 80], [120, 10, 120, 20]])
    np.testing.assert_array_equal(to_np(out["labels"]), [3, 4, -1])
    in_xywh = bb.clip_to_image_size({"boxes": reference_format(boxes, "xywh")}, HEIGHT, WIDTH, "xywh")
    np.testing.assert_allclose(to_np(in_xywh["boxes"]), reference_format(to_np(out["boxes"]), "xywh"), atol=1e-5)
    relative = bb.clip_to_image_size({"boxes": np.array([[0.0, 0.0, 1.5, 1.6], [0.5, 0.4, 0.7, 0.8]])},
                                     bounding_box_format="rel_xyxy")
    np.testing.assert_allclose(to_np(relative["boxes"]), [[0, 0, 1, 1], [0.5, 0.4, 0.7, 0.8]])
    cropped = to_np(bb.crop(boxes, top=10, left=20, height=40, width=30))
    np.testing.assert_allclose(cropped, np.clip(boxes - [20, 10, 20, 10], 0, [30, 40, 30, 40]))
    np.testing.assert_allclose(to_np(bb.pad(boxes, top=5, left=2)), boxes + [2, 5, 2, 5])
    yxyx = reference_format(boxes, "yxyx")
    np.testing.assert_allclose(to_np(bb.pad(yxyx, 5, 2, bounding_box_format="yxyx")), yxyx + [5, 2, 5, 2])


def test_affine_identity_and_translation():
    zeros, ones = np.zeros(2, "float32"), np.ones(2, "float32")
    kwargs = dict(angle=zeros, translate_y=zeros, scale=ones, shear_x=zeros, shear_y=zeros, height=HEIGHT,
                  width=WIDTH)
    np.testing.assert_allclose(to_np(bb.affine_transform(CORNERS, translate_x=zeros, **kwargs)), CORNERS, atol=1e-4)
    shifted = to_np(bb.affine_transform(CORNERS, translate_x=np.array([0.1, 0.0], "float32"), **kwargs))
    np.testing.assert_allclose(shifted[0], CORNERS[0] + [0.1 * (WIDTH - 1), 0, 0.1 * (WIDTH - 1), 0], atol=1e-4)
    np.testing.assert_allclose(shifted[1], CORNERS[1], atol=1e-4)


def test_deltas_round_trip_with_variance_and_levels():
    anchors = CORNERS[0]
    boxes = CORNERS[1]
    variance = [0.1, 0.1, 0.2, 0.2]
    deltas = bb.encode_box_to_deltas(anchors, boxes, "xyxy", "xyxy", variance=variance)
    a, b = reference_format(anchors, "center_yxhw"), reference_format(boxes, "center_yxhw")
    expected = np.concatenate([(b[:, :2] - a[:, :2]) / a[:, 2:], np.log(b[:, 2:] / a[:, 2:])], -1) / variance
    np.testing.assert_allclose(to_np(deltas), expected, rtol=1e-5, atol=1e-5)
    back = bb.decode_deltas_to_boxes({"p3": anchors}, {"p3": deltas}, "xyxy", "xywh", variance=variance)
    np.testing.assert_allclose(to_np(back["p3"]), reference_format(boxes, "xywh"), rtol=1e-5, atol=1e-3)


def test_matches_keras():
    zeros = np.zeros(2, "float32")
    angle, shear = np.array([30.0, -15.0], "float32"), np.array([5.0, 0.0], "float32")
    translate, scale = np.array([0.1, -0.2], "float32"), np.array([1.0, 1.3], "float32")
    anchors, boxes = CORNERS[0], CORNERS[1]
    keras = run_keras("""
        bb = keras.utils.bounding_boxes
        c = data["corners"]
        out["convert"] = bb.convert_format(c, "xyxy", "rel_center_xywh", height=100, width=120).numpy()
        out["iou"] = bb.compute_iou(c, c - 45, "xyxy", use_masking=True).numpy()
        out["ciou"] = bb.compute_ciou(c, c[0] + 15, "yxyx").numpy()
        out["affine"] = bb.affine_transform(c, data["angle"], data["translate"], data["zeros"], data["scale"],
                                            data["shear"], data["zeros"], 100, 120).numpy()
        out["deltas"] = bb.encode_box_to_deltas(c[0], c[1], "xyxy", "xywh", variance=[.1, .1, .2, .2]).numpy()
        deltas = keras.ops.convert_to_tensor(c[1] / 100)
        out["decoded"] = bb.decode_deltas_to_boxes(c[0], deltas, "xyxy", "yxyx", "center_xywh").numpy()
    """, corners=CORNERS, angle=angle, shear=shear, translate=translate, scale=scale, zeros=zeros)
    np.testing.assert_allclose(to_np(bb.convert_format(CORNERS, "xyxy", "rel_center_xywh", height=100, width=120)),
                               keras["convert"], rtol=1e-6)
    np.testing.assert_allclose(to_np(bb.compute_iou(CORNERS, CORNERS - 45, "xyxy", use_masking=True)),
                               keras["iou"], atol=1e-6)
    np.testing.assert_allclose(to_np(bb.compute_ciou(CORNERS, CORNERS[0] + 15, "yxyx")), keras["ciou"], atol=1e-6)
    affine = bb.affine_transform(CORNERS, angle, translate, zeros, scale, shear, zeros, 100, 120)
    np.testing.assert_allclose(to_np(affine), keras["affine"], rtol=1e-5, atol=1e-4)
    deltas = bb.encode_box_to_deltas(anchors, boxes, "xyxy", "xywh", variance=[.1, .1, .2, .2])
    np.testing.assert_allclose(to_np(deltas), keras["deltas"], rtol=1e-5, atol=1e-5)
    decoded = bb.decode_deltas_to_boxes(anchors, boxes / 100, "xyxy", "yxyx", "center_xywh")
    np.testing.assert_allclose(to_np(decoded), keras["decoded"], rtol=1e-5, atol=1e-4)
