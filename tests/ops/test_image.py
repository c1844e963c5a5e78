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


# ---- colour, cropping and padding, filters, patches (Keras's ops.image), against NumPy/SciPy/colorsys ----

import colorsys  # noqa: E402

import scipy.ndimage  # noqa: E402

PHOTOS = rng.random((2, 7, 9, 3)).astype("float32")


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_rgb_to_grayscale(data_format):
    images = PHOTOS if data_format == "channels_last" else np.transpose(PHOTOS, (0, 3, 1, 2))
    out = to_np(ops.image.rgb_to_grayscale(images, data_format=data_format))
    expected = PHOTOS @ np.array([0.2989, 0.5870, 0.1140], "float32")
    expected = expected[..., None] if data_format == "channels_last" else expected[:, None]
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-6)
    assert ops.image.rgb_to_grayscale(KerasTensor((None, 7, 9, 3))).shape == (None, 7, 9, 1)
    gray = to_np(ops.image.rgb_to_grayscale((PHOTOS * 255).astype("uint8")))
    assert gray.dtype == np.uint8 and gray.shape == (2, 7, 9, 1)


def test_hsv_round_trip_against_colorsys():
    hsv = to_np(ops.image.rgb_to_hsv(PHOTOS))
    expected = np.array([colorsys.rgb_to_hsv(*pixel) for pixel in PHOTOS.reshape(-1, 3)]).reshape(PHOTOS.shape)
    np.testing.assert_allclose(hsv, expected, atol=1e-5)
    rgb = to_np(ops.image.hsv_to_rgb(expected.astype("float32")))
    np.testing.assert_allclose(rgb, PHOTOS, atol=1e-5)
    channels_first = to_np(ops.image.rgb_to_hsv(np.transpose(PHOTOS, (0, 3, 1, 2)), data_format="channels_first"))
    np.testing.assert_allclose(np.transpose(channels_first, (0, 2, 3, 1)), hsv, atol=1e-6)
    with pytest.raises(ValueError, match="float"):
        ops.image.rgb_to_hsv(np.ones((2, 2, 3), "int32"))


def test_pad_and_crop_images():
    image = rng.random((15, 25, 3)).astype("float32")
    padded = to_np(ops.image.pad_images(image, 2, 3, target_height=20, target_width=30))
    np.testing.assert_array_equal(padded, np.pad(image, ((2, 3), (3, 2), (0, 0))))
    cropped = to_np(ops.image.crop_images(image, 2, 3, target_height=10, target_width=20))
    np.testing.assert_array_equal(cropped, image[2:12, 3:23])
    both = to_np(ops.image.crop_images(PHOTOS, top_cropping=1, bottom_cropping=2, left_cropping=0,
                                       right_cropping=4))
    np.testing.assert_array_equal(both, PHOTOS[:, 1:5, 0:5])
    cf = to_np(ops.image.pad_images(np.transpose(PHOTOS, (0, 3, 1, 2)), 1, 1, 1, 1, data_format="channels_first"))
    np.testing.assert_array_equal(cf, np.pad(np.transpose(PHOTOS, (0, 3, 1, 2)), ((0, 0), (0, 0), (1, 1), (1, 1))))
    assert ops.image.pad_images(KerasTensor((None, 15, 25, 3)), 2, 3, 3, 2).shape == (None, 20, 30, 3)
    with pytest.raises(ValueError, match="exactly two"):
        ops.image.pad_images(image, 0, 0, 0, target_height=16, target_width=16)
    with pytest.raises(ValueError, match="must be >= 0"):
        ops.image.crop_images(image, -1, 0, target_height=4, target_width=4)


def _gaussian(size, sigma):
    x = np.arange(size) - (size - 1) / 2
    kernel = np.exp(-0.5 * (x / sigma) ** 2)
    return kernel / kernel.sum()


def _filter_each_channel(images, kernel):
    """Cross-correlate each channel with zeros outside: scipy's reference for a 'same' depthwise conv."""
    out = np.zeros(images.shape, "float64")
    for b in range(images.shape[0]):
        for c in range(images.shape[-1]):
            # scipy centres the kernel at size // 2; "same" padding puts the extra pixel after, i.e. (size - 1) // 2.
            origin = [-(1 - s % 2) for s in kernel.shape]
            out[b, ..., c] = scipy.ndimage.correlate(images[b, ..., c].astype("float64"), kernel, mode="constant",
                                                     origin=origin)
    return out


@pytest.mark.parametrize("kernel_size, sigma", [((3, 3), (1.0, 1.0)), ((5, 3), (1.5, 0.8)), ((4, 4), (2.0, 2.0))])
def test_gaussian_blur(kernel_size, sigma):
    kernel = np.outer(_gaussian(kernel_size[1], sigma[1]), _gaussian(kernel_size[0], sigma[0]))
    out = to_np(ops.image.gaussian_blur(PHOTOS, kernel_size, sigma))
    np.testing.assert_allclose(out, _filter_each_channel(PHOTOS, kernel), rtol=1e-5, atol=1e-6)
    cf = to_np(ops.image.gaussian_blur(np.transpose(PHOTOS, (0, 3, 1, 2)), kernel_size, sigma,
                                       data_format="channels_first"))
    np.testing.assert_allclose(np.transpose(cf, (0, 2, 3, 1)), out, rtol=1e-5, atol=1e-6)
    assert to_np(ops.image.gaussian_blur(PHOTOS[0])).shape == (7, 9, 3)


def test_sobel_edges():
    rows = np.array([[-1.0, -2.0, -1.0], [0.0, 0.0, 0.0], [1.0, 2.0, 1.0]])
    out = to_np(ops.image.sobel_edges(PHOTOS))
    assert out.shape == PHOTOS.shape + (2,)
    np.testing.assert_allclose(out[..., 0], _filter_each_channel(PHOTOS, rows), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(out[..., 1], _filter_each_channel(PHOTOS, rows.T), rtol=1e-5, atol=1e-5)
    assert ops.image.sobel_edges(KerasTensor((None, 8, 8, 3))).shape == (None, 8, 8, 3, 2)


def _ssim_reference(x, y, size=11, sigma=1.5, max_val=1.0, k1=0.01, k2=0.03):
    window = np.outer(_gaussian(size, sigma), _gaussian(size, sigma))
    results = []
    for a, b in zip(x.astype("float64"), y.astype("float64")):
        per_channel = []
        for c in range(a.shape[-1]):
            def mean(z):
                return scipy.signal.correlate2d(z, window, mode="valid")

            ma, mb = mean(a[..., c]), mean(b[..., c])
            va, vb = mean(a[..., c] ** 2) - ma ** 2, mean(b[..., c] ** 2) - mb ** 2
            cov = mean(a[..., c] * b[..., c]) - ma * mb
            c1, c2 = (k1 * max_val) ** 2, (k2 * max_val) ** 2
            numerator = (2 * ma * mb + c1) * (2 * cov + c2)
            per_channel.append(np.mean(numerator / ((ma ** 2 + mb ** 2 + c1) * (va + vb + c2))))
        results.append(np.mean(per_channel))
    return np.array(results)


def test_ssim():
    import scipy.signal  # noqa: F401

    other = np.clip(PHOTOS + rng.normal(0, 0.1, PHOTOS.shape), 0, 1).astype("float32")
    out = to_np(ops.image.ssim(PHOTOS, other, filter_size=5))
    np.testing.assert_allclose(out, _ssim_reference(PHOTOS, other, size=5), rtol=1e-4)
    assert float(to_np(ops.image.ssim(PHOTOS[0], PHOTOS[0], filter_size=5))) == pytest.approx(1.0, abs=1e-5)
    assert ops.image.ssim(KerasTensor((None, 16, 16, 3)), KerasTensor((None, 16, 16, 3))).shape == (None,)


@pytest.mark.parametrize("size, strides, padding", [((3, 2), (2, 3), "valid"), (3, 1, "same"), (2, None, "valid")])
def test_extract_patches(size, strides, padding):
    ph, pw = (size, size) if isinstance(size, int) else size
    sh, sw = (ph, pw) if strides is None else ((strides, strides) if isinstance(strides, int) else strides)
    out = to_np(ops.image.extract_patches(PHOTOS, size, strides=strides, padding=padding))
    x = PHOTOS
    if padding == "same":
        x = np.pad(PHOTOS, ((0, 0), ((ph - 1) // 2, ph - 1 - (ph - 1) // 2), ((pw - 1) // 2, pw - 1 - (pw - 1) // 2),
                            (0, 0)))
    rows, cols = (x.shape[1] - ph) // sh + 1, (x.shape[2] - pw) // sw + 1
    expected = np.stack([np.stack([x[:, i * sh:i * sh + ph, j * sw:j * sw + pw].reshape(2, -1)
                                   for j in range(cols)], 1) for i in range(rows)], 1)
    np.testing.assert_allclose(out, expected, rtol=1e-6)
    assert to_np(ops.image.extract_patches(PHOTOS[0], size, strides=strides, padding=padding)).shape == out.shape[1:]


def test_extract_patches_3d():
    volumes = rng.random((2, 6, 5, 4, 2)).astype("float32")
    out = to_np(ops.image.extract_patches_3d(volumes, (2, 2, 2)))
    expected = volumes[:, :6, :4, :4].reshape(2, 3, 2, 2, 2, 2, 2, 2).transpose(0, 1, 3, 5, 2, 4, 6, 7)
    np.testing.assert_allclose(out, expected.reshape(2, 3, 2, 2, 16), rtol=1e-6)
    assert ops.image.extract_patches(KerasTensor((None, 20, 20, 3)), 5).shape == (None, 4, 4, 75)


_SCIPY_MODES = {"constant": "grid-constant", "nearest": "nearest", "wrap": "grid-wrap", "mirror": "mirror",
                "reflect": "reflect"}


@pytest.mark.parametrize("fill_mode", sorted(_SCIPY_MODES))
@pytest.mark.parametrize("order", [0, 1])
def test_map_coordinates_against_scipy(fill_mode, order):
    x = rng.random((5, 6, 3)).astype("float32")
    coordinates = rng.uniform(-2, 7, (3, 4, 5)).astype("float32")
    out = to_np(ops.image.map_coordinates(x, coordinates, order, fill_mode=fill_mode, fill_value=0.5))
    expected = scipy.ndimage.map_coordinates(x.astype("float64"), coordinates.astype("float64"), order=order,
                                             mode=_SCIPY_MODES[fill_mode], cval=0.5)
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-6)
    assert out.dtype == np.float32
    assert ops.image.map_coordinates(KerasTensor((5, 6, 3)), KerasTensor((3, 4, 5)), order).shape == (4, 5)


def test_map_coordinates_integers_round():
    x = np.arange(12, dtype="uint8").reshape(3, 4)
    out = to_np(ops.image.map_coordinates(x, [[0.5, 1.25], [0.5, 2.0]], 1))
    np.testing.assert_array_equal(out, np.array([3, 7], "uint8"))  # 2.5 rounds away from zero; 7.0
    with pytest.raises(ValueError, match="order"):
        ops.image.map_coordinates(x, [[0.0], [0.0]], 3)


def _homography(start, end):
    rows, rhs = [], []
    for (sx, sy), (ex, ey) in zip(start, end):
        rows += [[ex, ey, 1, 0, 0, 0, -sx * ex, -sx * ey], [0, 0, 0, ex, ey, 1, -sy * ex, -sy * ey]]
        rhs += [sx, sy]
    return np.linalg.solve(np.array(rows, "float64"), np.array(rhs, "float64"))


def test_perspective_transform():
    start = np.array([[0, 0], [0, 6], [8, 0], [8, 6]], "float32")
    end = np.array([[1, 1], [0, 5], [7, 0], [8, 6]], "float32")
    out = to_np(ops.image.perspective_transform(PHOTOS, start, end))
    a = _homography(start, end)
    y, x = np.mgrid[0:7, 0:9].astype("float64")
    k = a[6] * x + a[7] * y + 1
    coords = [(a[3] * x + a[4] * y + a[5]) / k, (a[0] * x + a[1] * y + a[2]) / k]
    expected = np.stack([np.stack([scipy.ndimage.map_coordinates(image[..., c].astype("float64"), coords, order=1,
                                                                   mode="grid-constant") for c in range(3)], -1)
                         for image in PHOTOS])
    np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-5)
    same = to_np(ops.image.perspective_transform(PHOTOS[0], start, start))
    np.testing.assert_allclose(same, PHOTOS[0], atol=1e-4)


def test_elastic_transform():
    images = rng.random((2, 16, 16, 3)).astype("float32")
    first = to_np(ops.image.elastic_transform(images, alpha=5.0, sigma=2.0, seed=3))
    again = to_np(ops.image.elastic_transform(images, alpha=5.0, sigma=2.0, seed=3))
    assert first.shape == images.shape and first.dtype == np.float32
    np.testing.assert_array_equal(first, again)
    assert np.abs(first - images).mean() > 1e-3
    still = to_np(ops.image.elastic_transform(images, alpha=0.0, sigma=2.0, seed=3))
    np.testing.assert_allclose(still, images, atol=1e-6)
    assert ops.image.elastic_transform(KerasTensor((None, 16, 16, 3))).shape == (None, 16, 16, 3)


@pytest.mark.parametrize("method", ["linear", "cubic", "lanczos3", "lanczos5"])
@pytest.mark.parametrize("antialias", [True, False])
def test_scale_and_translate_against_jax(method, antialias):
    import jax

    scale, translation = np.array([0.5, 1.5], "float32"), np.array([0.3, -1.0], "float32")
    out = to_np(ops.image.scale_and_translate(PHOTOS, (2, 4, 13, 3), scale, translation, (1, 2), method,
                                              antialias=antialias))
    expected = jax.image.scale_and_translate(PHOTOS, (2, 4, 13, 3), (1, 2), scale, translation, method,
                                             antialias=antialias)
    np.testing.assert_allclose(out, np.asarray(expected), rtol=1e-4, atol=1e-5)


def _kernel(interpolation, distance):
    """Keys' cubic (a = -0.5) and Lanczos kernels, by their textbook formulas."""
    d = abs(distance)
    if interpolation == "bicubic":
        if d < 1:
            return 1.5 * d ** 3 - 2.5 * d ** 2 + 1
        return -0.5 * d ** 3 + 2.5 * d ** 2 - 4 * d + 2 if d < 2 else 0.0
    radius = 3.0 if interpolation == "lanczos3" else 5.0
    if d == 0:
        return 1.0
    return radius * np.sin(np.pi * d) * np.sin(np.pi * d / radius) / (np.pi * d) ** 2 if d < radius else 0.0


def kernel_resize_reference(images, size, interpolation):
    """Separable resampling with explicit loops: each output pixel a kernel-weighted sum of the input pixels
    inside the image, the weights renormalised to sum to 1 (as jax.image.resize does at the edges)."""
    def matrix(out_size, in_size):
        weights = np.array([[_kernel(interpolation, i - s) for i in range(in_size)]
                            for s in _source(out_size, in_size)])
        return weights / weights.sum(axis=1, keepdims=True)

    rows, cols = matrix(size[0], images.shape[1]), matrix(size[1], images.shape[2])
    return np.einsum("oh,nhwc,pw->nopc", rows, images.astype("float64"), cols)


@pytest.mark.parametrize("interpolation", ["bicubic", "lanczos3", "lanczos5"])
@pytest.mark.parametrize("size", SIZES)
def test_resize_kernel_methods(interpolation, size):
    if backend.backend() == "torch":
        if interpolation != "bicubic":
            with pytest.raises(ValueError, match="Lanczos"):
                ops.image.resize(IMAGES, size, interpolation=interpolation)
            return
        # PyTorch's bicubic (a = -0.75), as Keras uses on torch
        expected = F.interpolate(torch.from_numpy(IMAGES).permute(0, 3, 1, 2), size=size, mode="bicubic",
                                 align_corners=False).permute(0, 2, 3, 1).numpy()
    else:
        expected = kernel_resize_reference(IMAGES, size, interpolation)
    result = ops.image.resize(IMAGES, size, interpolation=interpolation)
    np.testing.assert_allclose(to_np(result), expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("interpolation", ["bicubic", "lanczos3"])
def test_resize_kernel_methods_antialias_match_jax(interpolation):
    """A downscale with antialias widens the kernel; the reference is jax.image.resize itself."""
    jax = pytest.importorskip("jax")
    if backend.backend() == "torch":
        pytest.skip("torch resizes with PyTorch's own kernels")
    expected = np.asarray(jax.image.resize(IMAGES, (2, 3, 2, 3), method=interpolation, antialias=True))
    result = ops.image.resize(IMAGES, (3, 2), interpolation=interpolation, antialias=True)
    np.testing.assert_allclose(to_np(result), expected, rtol=1e-5, atol=1e-5)
