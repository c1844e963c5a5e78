"""ops.image against NumPy loop references and torch: values, shapes, dtypes, symbolic shapes, gradients."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from brickwork import backend, ops
from brickwork.backend import KerasTensor
from tests.gradient_check import check_gradients

rng = np.random.default_rng(0)
IMAGES = rng.standard_normal((2, 6, 5, 3)).astype("float32")
SIZES = [(3, 2), (9, 7), (4, 10), (6, 5)]


def to_np(x):
    return backend.convert_to_numpy(x)


def _source(out_size: int, in_size: int):
    """Half-pixel source coordinates of each output pixel (tf.image.resize, half_pixel_centers)."""
    return [(o + 0.5) * in_size / out_size - 0.5 for o in range(out_size)]


def resize_reference(images, size, interpolation):
    """Resize one channels-last batch with explicit loops: the textbook half-pixel formulas."""
    n, height, width, channels = images.shape
    out = np.zeros((n, size[0], size[1], channels), dtype="float64")
    for i, y in enumerate(_source(size[0], height)):
        for j, x in enumerate(_source(size[1], width)):
            if interpolation == "nearest":
                out[:, i, j] = images[:, min(int(np.floor(y + 0.5)), height - 1), min(int(np.floor(x + 0.5)), width - 1)]
                continue
            y, x = min(max(y, 0.0), height - 1), min(max(x, 0.0), width - 1)
            y0, x0 = int(np.floor(y)), int(np.floor(x))
            y1, x1 = min(y0 + 1, height - 1), min(x0 + 1, width - 1)
            dy, dx = y - y0, x - x0
            top = images[:, y0, x0] * (1 - dx) + images[:, y0, x1] * dx
            bottom = images[:, y1, x0] * (1 - dx) + images[:, y1, x1] * dx
            out[:, i, j] = top * (1 - dy) + bottom * dy
    return out


@pytest.mark.parametrize("interpolation", ["bilinear", "nearest"])
@pytest.mark.parametrize("size", SIZES)
def test_resize_matches_reference(interpolation, size):
    result = ops.image.resize(IMAGES, size, interpolation=interpolation)
    assert tuple(result.shape) == (2, *size, 3)
    assert backend.standardize_dtype(result.dtype) == "float32"
    np.testing.assert_allclose(to_np(result), resize_reference(IMAGES, size, interpolation), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("interpolation", ["bilinear", "nearest"])
def test_resize_unbatched_and_channels_first(interpolation):
    expected = resize_reference(IMAGES, (4, 3), interpolation)
    unbatched = ops.image.resize(IMAGES[0], (4, 3), interpolation=interpolation)
    np.testing.assert_allclose(to_np(unbatched), expected[0], rtol=1e-5, atol=1e-5)
    first = ops.image.resize(IMAGES.transpose(0, 3, 1, 2), (4, 3), interpolation=interpolation,
                             data_format="channels_first")
    np.testing.assert_allclose(to_np(first), expected.transpose(0, 3, 1, 2), rtol=1e-5, atol=1e-5)
    first_unbatched = ops.image.resize(IMAGES[0].transpose(2, 0, 1), (4, 3), interpolation=interpolation,
                                       data_format="channels_first")
    np.testing.assert_allclose(to_np(first_unbatched), expected[0].transpose(2, 0, 1), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("size", SIZES)
def test_resize_antialias_matches_torch(size):
    result = ops.image.resize(IMAGES, size, antialias=True)
    expected = F.interpolate(torch.from_numpy(IMAGES).permute(0, 3, 1, 2), size=size, mode="bilinear",
                             align_corners=False, antialias=True).permute(0, 2, 3, 1).numpy()
    np.testing.assert_allclose(to_np(result), expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("size, box", [((3, 3), (0, 5, 0, 5)), ((2, 4), (2, 4, 0, 5)), ((4, 2), (0, 6, 1, 4))])
def test_resize_crop_to_aspect_ratio(size, box):
    # Keras: the largest centred window of the target's aspect ratio, then a plain resize.
    top, bottom, left, right = box
    result = ops.image.resize(IMAGES, size, crop_to_aspect_ratio=True)
    expected = resize_reference(IMAGES[:, top:bottom, left:right], size, "bilinear")
    np.testing.assert_allclose(to_np(result), expected, rtol=1e-5, atol=1e-5)


def test_resize_integer_images_keep_dtype():
    images = rng.integers(0, 256, size=(1, 4, 4, 2)).astype("uint8")
    result = ops.image.resize(images, (3, 5))
    assert backend.standardize_dtype(result.dtype) == "uint8"
    expected = np.round(resize_reference(images.astype("float64"), (3, 5), "bilinear"))
    np.testing.assert_allclose(to_np(result).astype("float64"), expected, atol=1.0)


@pytest.mark.parametrize("shape, data_format, expected", [
    ((None, 6, 5, 3), "channels_last", (None, 4, 2, 3)),
    ((6, 5, 3), "channels_last", (4, 2, 3)),
    ((None, 3, 6, 5), "channels_first", (None, 3, 4, 2)),
])
def test_resize_symbolic(shape, data_format, expected):
    result = ops.image.resize(KerasTensor(shape, dtype="float32"), (4, 2), data_format=data_format)
    assert result.shape == expected
    assert result.dtype == "float32"


@pytest.mark.parametrize("images, kwargs", [
    (np.zeros((4, 4), "float32"), {}),
    (IMAGES, {"interpolation": "cubic-ish"}),
    (IMAGES, {"size": (3,)}),
])
def test_resize_bad_input_names_the_op(images, kwargs):
    kwargs = {"size": (2, 2), **kwargs}
    with pytest.raises(ValueError, match="resize"):
        ops.image.resize(images, **kwargs)


@pytest.mark.parametrize("antialias", [False, True])
def test_resize_gradients(antialias):
    if backend.backend() == "numpy":
        pytest.skip("the numpy backend computes no gradients")
    check_gradients(lambda x: ops.image.resize(x, (3, 4), antialias=antialias), [IMAGES[:1, :, :, :1]])


# ---- affine_transform ----

TRANSFORMS = {
    "identity": [1, 0, 0, 0, 1, 0, 0, 0],
    "shift": [1, 0, -1.5, 0, 1, 0.75, 0, 0],
    "rotate": [np.cos(0.4), -np.sin(0.4), 1.0, np.sin(0.4), np.cos(0.4), -0.5, 0, 0],
    "zoom": [1.7, 0, -1.2, 0, 0.6, 1.1, 0, 0],
    "projective": [1.1, 0.2, -0.3, -0.1, 0.9, 0.4, 0.05, -0.03],
}


def _fill(index: int, size: int, fill_mode: str):
    """One integer coordinate mapped into ``[0, size)`` by the fill mode, or None (constant, outside)."""
    if 0 <= index < size:
        return index
    if fill_mode == "constant":
        return None
    if fill_mode == "nearest":
        return min(max(index, 0), size - 1)
    if fill_mode == "wrap":
        return index % size
    if fill_mode == "reflect":
        index %= 2 * size
        return index if index < size else 2 * size - 1 - index
    index %= 2 * size - 2  # mirror
    return index if index < size else 2 * size - 2 - index


def affine_reference(images, transform, interpolation, fill_mode, fill_value=0.0):
    """Loop over output pixels of one channels-last batch: the documented projective map."""
    n, height, width, _ = images.shape
    out = np.zeros(images.shape, dtype="float64")

    def read(b, r, c):
        r, c = _fill(r, height, fill_mode), _fill(c, width, fill_mode)
        return fill_value if r is None or c is None else images[b, r, c]

    for b in range(n):
        a0, a1, a2, b0, b1, b2, c0, c1 = transform[b] if np.ndim(transform) == 2 else transform
        for y in range(height):
            for x in range(width):
                k = c0 * x + c1 * y + 1
                sx, sy = (a0 * x + a1 * y + a2) / k, (b0 * x + b1 * y + b2) / k
                if interpolation == "nearest":
                    out[b, y, x] = read(b, int(np.floor(sy + 0.5)), int(np.floor(sx + 0.5)))
                    continue
                y0, x0 = int(np.floor(sy)), int(np.floor(sx))
                dy, dx = sy - y0, sx - x0
                out[b, y, x] = ((1 - dy) * ((1 - dx) * read(b, y0, x0) + dx * read(b, y0, x0 + 1))
                                + dy * ((1 - dx) * read(b, y0 + 1, x0) + dx * read(b, y0 + 1, x0 + 1)))
    return out


@pytest.mark.parametrize("fill_mode", ["constant", "nearest", "wrap", "reflect", "mirror"])
@pytest.mark.parametrize("interpolation", ["bilinear", "nearest"])
@pytest.mark.parametrize("name", sorted(TRANSFORMS))
def test_affine_transform_matches_reference(name, interpolation, fill_mode):
    transform = np.array(TRANSFORMS[name], dtype="float32")
    result = ops.image.affine_transform(IMAGES, transform, interpolation=interpolation, fill_mode=fill_mode,
                                        fill_value=0.5)
    assert tuple(result.shape) == IMAGES.shape
    assert backend.standardize_dtype(result.dtype) == "float32"
    expected = affine_reference(IMAGES, transform.astype("float64"), interpolation, fill_mode, 0.5)
    np.testing.assert_allclose(to_np(result), expected, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("fill_mode", ["constant", "nearest", "wrap", "reflect", "mirror"])
def test_affine_transform_matches_jax_map_coordinates(fill_mode):
    # An independent engine: jax.scipy.ndimage.map_coordinates with the same source coordinates.
    from jax.scipy.ndimage import map_coordinates

    a0, a1, a2, b0, b1, b2 = TRANSFORMS["rotate"][:6]  # no projective part
    rows, cols = np.meshgrid(np.arange(6.0), np.arange(5.0), indexing="ij")
    src = [(b0 * cols + b1 * rows + b2), (a0 * cols + a1 * rows + a2)]
    expected = np.stack([np.asarray(map_coordinates(IMAGES[0, :, :, c].astype("float64"), src, order=1,
                                                    mode=fill_mode, cval=0.5)) for c in range(3)], axis=-1)
    result = ops.image.affine_transform(IMAGES[0], np.array(TRANSFORMS["rotate"], "float32"), fill_mode=fill_mode,
                                        fill_value=0.5)
    np.testing.assert_allclose(to_np(result), expected, rtol=1e-4, atol=1e-4)


def test_affine_transform_batched_transforms_channels_first_and_integers():
    transforms = np.array([TRANSFORMS["shift"], TRANSFORMS["zoom"]], dtype="float32")
    expected = affine_reference(IMAGES, transforms.astype("float64"), "bilinear", "constant")
    result = ops.image.affine_transform(IMAGES.transpose(0, 3, 1, 2), transforms, data_format="channels_first")
    np.testing.assert_allclose(to_np(result), expected.transpose(0, 3, 1, 2), rtol=1e-4, atol=1e-4)
    pixels = rng.integers(0, 256, size=(1, 4, 4, 2)).astype("uint8")
    out = ops.image.affine_transform(pixels, np.array(TRANSFORMS["shift"], "float32"))
    assert backend.standardize_dtype(out.dtype) == "uint8"
    expected = np.round(affine_reference(pixels.astype("float64"), TRANSFORMS["shift"], "bilinear", "constant"))
    np.testing.assert_allclose(to_np(out).astype("float64"), expected, atol=1.0)


def test_affine_transform_symbolic_and_errors():
    result = ops.image.affine_transform(KerasTensor((None, 6, 5, 3), dtype="float32"),
                                        KerasTensor((None, 8), dtype="float32"))
    assert result.shape == (None, 6, 5, 3) and result.dtype == "float32"
    with pytest.raises(ValueError, match="affine_transform"):
        ops.image.affine_transform(IMAGES, np.zeros((6,), "float32"))
    with pytest.raises(ValueError, match="affine_transform"):
        ops.image.affine_transform(IMAGES, np.zeros((8,), "float32"), fill_mode="smear")


def test_affine_transform_gradients():
    if backend.backend() == "numpy":
        pytest.skip("the numpy backend computes no gradients")
    transform = np.array(TRANSFORMS["rotate"], "float64")
    check_gradients(lambda x: ops.image.affine_transform(x, transform, fill_mode="reflect"), [IMAGES[:1, :4, :3, :1]])
