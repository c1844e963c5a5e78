"""Image utilities against Pillow and NumPy references, on files written in a tmp dir."""

import io

import numpy as np
import pytest
import torch

from brickwork import ops
from brickwork.utils import array_to_img, img_to_array, load_img, save_img
from brickwork.utils.image_utils import resize_image, smart_resize

Image = pytest.importorskip("PIL.Image")


def _write(path, shape, mode="RGB", seed=0):
    """A random image of ``shape`` (H, W[, C]) saved to ``path``; returns the pixels as stored."""
    pixels = np.random.default_rng(seed).integers(0, 256, shape, dtype=np.uint8)
    Image.fromarray(pixels, mode).save(path)
    return np.asarray(Image.open(path).convert(mode))


@pytest.mark.parametrize("extension", ["png", "bmp", "gif", "jpg"])
@pytest.mark.parametrize("shape", [(5, 7), (8, 8), (3, 11)])
def test_load_img_reads_pixels_as_pillow(tmp_path, extension, shape):
    path = tmp_path / f"image.{extension}"
    _write(path, shape + (3,))
    expected = np.asarray(Image.open(path).convert("RGB"), dtype="float32")
    got = img_to_array(load_img(path))
    assert got.shape == shape + (3,) and got.dtype == np.float32
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("color_mode, channels", [("grayscale", 1), ("rgb", 3), ("rgba", 4)])
def test_load_img_color_modes(tmp_path, color_mode, channels):
    path = tmp_path / "image.png"
    _write(path, (4, 6, 3))
    array = img_to_array(load_img(str(path), color_mode=color_mode))
    assert array.shape == (4, 6, channels)
    pil_mode = {"grayscale": "L", "rgb": "RGB", "rgba": "RGBA"}[color_mode]
    np.testing.assert_array_equal(array.reshape(4, 6, -1), np.asarray(Image.open(path).convert(pil_mode),
                                                                       dtype="float32").reshape(4, 6, -1))


def test_load_img_from_bytes_io_and_target_size(tmp_path):
    path = tmp_path / "image.png"
    _write(path, (6, 10, 3))
    buffer = io.BytesIO(path.read_bytes())
    img = load_img(buffer, target_size=(3, 5), interpolation="bilinear")
    expected = Image.open(path).convert("RGB").resize((5, 3), Image.Resampling.BILINEAR)
    np.testing.assert_array_equal(np.asarray(img), np.asarray(expected))


def test_load_img_keep_aspect_ratio_crops_the_centre(tmp_path):
    path = tmp_path / "image.png"
    pixels = _write(path, (4, 8, 3))
    img = load_img(path, target_size=(4, 4), keep_aspect_ratio=True)
    np.testing.assert_array_equal(np.asarray(img), pixels[:, 2:6])


def test_load_img_bad_arguments(tmp_path):
    path = tmp_path / "image.png"
    _write(path, (4, 4, 3))
    with pytest.raises(ValueError, match="color_mode.*'cmyk'"):
        load_img(path, color_mode="cmyk")
    with pytest.raises(ValueError, match="interpolation.*'cubic'"):
        load_img(path, target_size=(2, 2), interpolation="cubic")
    with pytest.raises(TypeError, match="path"):
        load_img(123)


def test_img_to_array_data_formats():
    pixels = np.arange(24, dtype=np.uint8).reshape(2, 4, 3)
    img = Image.fromarray(pixels)
    np.testing.assert_array_equal(img_to_array(img, data_format="channels_first"), pixels.transpose(2, 0, 1))
    gray = Image.fromarray(pixels[..., 0])
    assert img_to_array(gray).shape == (2, 4, 1)
    assert img_to_array(gray, data_format="channels_first").shape == (1, 2, 4)
    assert img_to_array(img, dtype="uint8").dtype == np.uint8


@pytest.mark.parametrize("channels, mode", [(1, "L"), (3, "RGB"), (4, "RGBA")])
def test_array_to_img_scales_to_0_255(channels, mode):
    x = np.random.default_rng(1).random((3, 5, channels)) * 4 - 2
    img = array_to_img(x)
    assert img.mode == mode and img.size == (5, 3)
    scaled = (x - x.min()) / (x.max() - x.min()) * 255
    np.testing.assert_array_equal(np.asarray(img).reshape(3, 5, channels), scaled.astype("float32").astype("uint8"))


def test_array_to_img_unscaled_channels_first_and_errors():
    x = np.random.default_rng(2).integers(0, 256, (3, 4, 5)).astype("float32")
    img = array_to_img(x, data_format="channels_first", scale=False)
    np.testing.assert_array_equal(np.asarray(img), x.transpose(1, 2, 0).astype("uint8"))
    assert array_to_img(np.full((2, 2, 1), 1000.0), scale=False).mode == "I"
    with pytest.raises(ValueError, match="rank 3"):
        array_to_img(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="channels"):
        array_to_img(np.zeros((2, 2, 2)))


@pytest.mark.parametrize("extension", ["png", "bmp", "jpg"])
def test_save_img_round_trip(tmp_path, extension):
    x = np.random.default_rng(3).integers(0, 256, (6, 5, 3)).astype("float32")
    path = tmp_path / f"saved.{extension}"
    save_img(path, x, scale=False)
    back = img_to_array(load_img(path))
    if extension == "jpg":  # lossy: compare with what Pillow itself writes
        Image.fromarray(x.astype("uint8")).save(tmp_path / "reference.jpg")
        x = np.asarray(Image.open(tmp_path / "reference.jpg"), dtype="float32")
    np.testing.assert_array_equal(back, x)


def test_save_img_rgba_as_jpeg_warns(tmp_path):
    with pytest.warns(UserWarning, match="RGB"):
        save_img(tmp_path / "a.jpeg", np.random.default_rng(4).random((4, 4, 4)))
    buffer = io.BytesIO()
    save_img(buffer, np.random.default_rng(4).random((4, 4, 3)), file_format="png")
    assert Image.open(io.BytesIO(buffer.getvalue())).size == (4, 4)


def _torch_resize(image, size, mode):
    tensor = torch.tensor(image).permute(2, 0, 1)[None]
    kwargs = {"align_corners": False} if mode == "bilinear" else {}
    return torch.nn.functional.interpolate(tensor, size=size, mode=mode, **kwargs)[0].permute(1, 2, 0).numpy()


@pytest.mark.parametrize("size", [(3, 4), (10, 14), (5, 3), (7, 7)])
@pytest.mark.parametrize("interpolation, torch_mode", [("bilinear", "bilinear"), ("nearest", "nearest-exact")])
def test_resize_matches_half_pixel_reference(size, interpolation, torch_mode):
    image = np.random.default_rng(5).random((5, 7, 3)).astype("float32")
    np.testing.assert_allclose(resize_image(image, size, interpolation), _torch_resize(image, size, torch_mode),
                               atol=1e-5)


@pytest.mark.parametrize("interpolation, method", [("bicubic", "cubic"), ("lanczos3", "lanczos3"),
                                                   ("lanczos5", "lanczos5")])
def test_resize_kernels_match_jax_image_resize(interpolation, method):
    jax_image = pytest.importorskip("jax.image")
    image = np.random.default_rng(6).random((6, 9, 2)).astype("float32")
    for size in [(4, 5), (11, 13)]:
        expected = np.asarray(jax_image.resize(image, size + (2,), method, antialias=False))
        np.testing.assert_allclose(resize_image(image, size, interpolation), expected, atol=1e-5)


def test_resize_area_averages_blocks():
    image = np.random.default_rng(7).random((4, 6, 1)).astype("float32")
    expected = image.reshape(2, 2, 3, 2, 1).mean(axis=(1, 3))
    np.testing.assert_allclose(resize_image(image, (2, 3), "area"), expected, atol=1e-6)


def test_smart_resize_crops_centre_then_resizes():
    image = np.random.default_rng(8).random((6, 12, 3)).astype("float32")
    got = smart_resize(image, (3, 3))
    np.testing.assert_allclose(got, _torch_resize(image[:, 3:9], (3, 3), "bilinear"), atol=1e-5)
    batch = np.stack([image, image[::-1]])
    assert smart_resize(batch, (4, 2)).shape == (2, 4, 2, 3)
    first = smart_resize(image.transpose(2, 0, 1), (3, 3), data_format="channels_first")
    np.testing.assert_allclose(first.transpose(1, 2, 0), got, atol=1e-6)


def test_smart_resize_keeps_tensors_and_integer_dtype():
    image = np.random.default_rng(9).integers(0, 256, (8, 4, 3)).astype("uint8")
    resized = smart_resize(image, (2, 2))
    assert resized.dtype == np.uint8 and resized.shape == (2, 2, 3)
    tensor = smart_resize(ops.convert_to_tensor(image.astype("float32")), (2, 2))
    assert type(tensor) is type(ops.convert_to_tensor(np.zeros(1)))  # a tensor of the backend
    np.testing.assert_allclose(ops.convert_to_numpy(tensor), smart_resize(image.astype("float32"), (2, 2)))
    with pytest.raises(ValueError, match="shape"):
        smart_resize(np.zeros((4, 4)), (2, 2))
