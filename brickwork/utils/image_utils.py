"""Images on Pillow and NumPy: ``load_img``, ``img_to_array``, ``array_to_img``, ``save_img``,
``smart_resize``, and the NumPy resizer the image datasets decode with (no engine involved,
so it runs in worker threads)."""

from __future__ import annotations

import functools
import io
import pathlib
import warnings

import numpy as np

from brickwork import backend

try:
    from PIL import Image as _pil_image
except ImportError:  # Pillow is the optional ``image`` extra
    _pil_image = None

# Pillow filters ``load_img`` resizes with (Keras's names).
_PIL_FILTERS = ("nearest", "bilinear", "bicubic", "hamming", "box", "lanczos")

# Interpolations of the NumPy resizer, as ``tf.image.resize`` names them.
RESIZE_INTERPOLATIONS = ("bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5", "gaussian",
                         "mitchellcubic")

_COLOR_MODES = {"grayscale": 1, "rgb": 3, "rgba": 4}


def _require_pillow(what: str):
    if _pil_image is None:
        raise ImportError(f"`{what}` requires Pillow: `pip install Pillow` (or `pip install brickwork[image]`).")
    return _pil_image


def _channels_for(color_mode: str) -> int:
    if color_mode not in _COLOR_MODES:
        raise ValueError(
            f'`color_mode` must be one of "grayscale", "rgb", "rgba". Received: color_mode={color_mode!r}'
        )
    return _COLOR_MODES[color_mode]


def convert_color_mode(img, color_mode: str):
    """``img`` (a PIL image) with 1 (``"grayscale"``), 3 (``"rgb"``) or 4 (``"rgba"``) channels.

    Grayscale keeps 16- and 32-bit integer modes, as Keras does.
    """
    channels = _channels_for(color_mode)
    if channels == 1:
        return img if img.mode in ("L", "I;16", "I") else img.convert("L")
    wanted = "RGB" if channels == 3 else "RGBA"
    return img if img.mode == wanted else img.convert(wanted)


def load_img(path, color_mode: str = "rgb", target_size: tuple[int, int] | None = None,
             interpolation: str = "nearest", keep_aspect_ratio: bool = False):
    """Load an image file into a PIL image.

    Args:
        path: a path (``str`` / ``pathlib.Path`` / ``bytes``) or an ``io.BytesIO``.
        color_mode: ``"grayscale"``, ``"rgb"`` or ``"rgba"``: the channels of the result.
        target_size: ``(height, width)`` to resize to, or None for the file's size.
        interpolation: Pillow's filter for the resize: ``"nearest"``, ``"bilinear"``, ``"bicubic"``,
            ``"hamming"``, ``"box"`` or ``"lanczos"``.
        keep_aspect_ratio: first crop the largest centred window of ``target_size``'s aspect ratio.

    Returns:
        A ``PIL.Image.Image``.

    Example:
        image = keras.utils.load_img("cat.jpg", target_size=(224, 224))
        batch = keras.utils.img_to_array(image)[None]   # (1, 224, 224, 3) float32
    """
    pil_image = _require_pillow("load_img")
    if isinstance(path, io.BytesIO):
        img = pil_image.open(path)
    elif isinstance(path, (str, bytes, pathlib.Path)):
        with open(path, "rb") as file:  # read fully so the file is closed at once
            img = pil_image.open(io.BytesIO(file.read()))
    else:
        raise TypeError(f"`path` should be a path or an io.BytesIO; received {type(path).__name__}.")
    img = convert_color_mode(img, color_mode)
    if target_size is None:
        return img
    width_height = (int(target_size[1]), int(target_size[0]))
    if img.size == width_height:
        return img
    if interpolation not in _PIL_FILTERS:
        raise ValueError(
            f"Invalid `interpolation` {interpolation!r}; supported: {', '.join(_PIL_FILTERS)}."
        )
    resample = getattr(pil_image.Resampling, interpolation.upper())
    box = None
    if keep_aspect_ratio:
        width, height = img.size
        crop_height = min(height, width * width_height[1] // width_height[0])
        crop_width = min(width, height * width_height[0] // width_height[1])
        top, left = (height - crop_height) // 2, (width - crop_width) // 2
        box = (left, top, left + crop_width, top + crop_height)
    return img.resize(width_height, resample, box=box)


def img_to_array(img, data_format: str | None = None, dtype: str | None = None) -> np.ndarray:
    """A PIL image as a 3D NumPy array (a grayscale image gets a channel axis of 1).

    Args:
        img: a PIL image (or anything ``np.asarray`` takes, of rank 2 or 3).
        data_format: ``"channels_last"`` (H, W, C) or ``"channels_first"`` (C, H, W);
            default ``keras.config.image_data_format()``.
        dtype: default ``keras.config.floatx()``.

    Returns:
        A NumPy array of rank 3, ``(height, width, channels)`` (``(channels, height, width)`` under
            ``"channels_first"``), of dtype ``dtype``.

    Example:
        import PIL.Image
        array = keras.utils.img_to_array(PIL.Image.new("RGB", (4, 2)))   # shape (2, 4, 3)
    """
    data_format = backend.standardize_data_format(data_format)
    x = np.asarray(img, dtype=dtype or backend.floatx())
    if x.ndim == 2:
        x = x[None] if data_format == "channels_first" else x[..., None]
    elif x.ndim == 3:
        if data_format == "channels_first":
            x = x.transpose(2, 0, 1)
    else:
        raise ValueError(f"Unsupported image shape: {x.shape}; expected (height, width[, channels]).")
    return x


def array_to_img(x, data_format: str | None = None, scale: bool = True, dtype: str | None = None):
    """A 3D array as a PIL image (1, 3 or 4 channels: L/I, RGB, RGBA).

    Args:
        x: an image array of rank 3.
        data_format: ``"channels_last"`` or ``"channels_first"``; default ``image_data_format()``.
        scale: stretch the values so that the minimum becomes 0 and the maximum 255.
        dtype: the dtype ``x`` is read as; default ``keras.config.floatx()``.

    Returns:
        A ``PIL.Image.Image``: mode ``"RGB"`` for three channels, ``"RGBA"`` for four, ``"L"`` for one
            (``"I"``, 32-bit, when its values exceed 255).

    Example:
        pil_image = keras.utils.array_to_img(np.random.random((8, 8, 3)))
    """
    pil_image = _require_pillow("array_to_img")
    data_format = backend.standardize_data_format(data_format)
    x = np.array(x, dtype=dtype or backend.floatx())
    if x.ndim != 3:
        raise ValueError(f"Expected an image array of rank 3 (one image); received shape {x.shape}.")
    if data_format == "channels_first":
        x = x.transpose(1, 2, 0)
    if scale:
        x = x - np.min(x)
        peak = np.max(x)
        if peak != 0:
            x = x / peak
        x = x * 255
    channels = x.shape[2]
    if channels in (3, 4):
        return pil_image.fromarray(x.astype("uint8"), "RGB" if channels == 3 else "RGBA")
    if channels == 1:
        if np.max(x) > 255:  # keep the range of a 16/32-bit grayscale image
            return pil_image.fromarray(x[:, :, 0].astype("int32"), "I")
        return pil_image.fromarray(x[:, :, 0].astype("uint8"), "L")
    raise ValueError(f"Unsupported number of channels: {channels}; expected 1, 3 or 4.")


def save_img(path, x, data_format: str | None = None, file_format: str | None = None, scale: bool = True,
             **kwargs) -> None:
    """Save an image array to a path or file object.

    Args:
        path: a path or a file object (then give ``file_format``).
        x: the image array (rank 3).
        data_format: ``"channels_last"`` or ``"channels_first"``.
        file_format: ``"png"``, ``"jpeg"``, ... (default: from the path's extension).
        scale: stretch the values to ``[0, 255]`` first.
        **kwargs: passed to ``PIL.Image.Image.save``.

    Returns:
        ``None``; the image is written to ``path``.

    Example:
        keras.utils.save_img("noise.png", np.random.random((8, 8, 3)))
    """
    if file_format is None and isinstance(path, (str, pathlib.Path)):
        file_format = pathlib.Path(path).suffix[1:].lower() or None
    if file_format and file_format.lower() == "jpg":
        file_format = "jpeg"
    img = array_to_img(x, data_format=data_format, scale=scale)
    if img.mode == "RGBA" and file_format == "jpeg":
        warnings.warn("JPEG has no alpha channel: the RGBA image is saved as RGB.", stacklevel=2)
        img = img.convert("RGB")
    img.save(path, format=file_format, **kwargs)


# ------------------------------------------------------------------ the NumPy resizer
def _cubic(x: np.ndarray, b: float, c: float) -> np.ndarray:
    """The Mitchell–Netravali family: (b, c) = (0, 0.5) is Keys' bicubic, (1/3, 1/3) Mitchell's."""
    x = np.abs(x)
    near = ((12 - 9 * b - 6 * c) * x**3 + (-18 + 12 * b + 6 * c) * x**2 + (6 - 2 * b)) / 6
    far = ((-b - 6 * c) * x**3 + (6 * b + 30 * c) * x**2 + (-12 * b - 48 * c) * x + (8 * b + 24 * c)) / 6
    return np.where(x < 1, near, np.where(x < 2, far, 0.0))


def _lanczos(x: np.ndarray, lobes: int) -> np.ndarray:
    return np.where(np.abs(x) < lobes, np.sinc(x) * np.sinc(x / lobes), 0.0)


_KERNELS = {
    "bilinear": lambda x: np.maximum(0.0, 1.0 - np.abs(x)),
    "bicubic": lambda x: _cubic(x, 0.0, 0.5),
    "mitchellcubic": lambda x: _cubic(x, 1 / 3, 1 / 3),
    "lanczos3": lambda x: _lanczos(x, 3),
    "lanczos5": lambda x: _lanczos(x, 5),
    "gaussian": lambda x: np.where(np.abs(x) < 1.5, np.exp(-2.0 * x**2), 0.0),  # sigma 0.5, radius 1.5
}


def _resample_matrix(in_size: int, out_size: int, interpolation: str) -> np.ndarray:
    """The (out_size, in_size) matrix that resamples one axis, with half-pixel centres."""
    scale = in_size / out_size
    if interpolation == "nearest":
        source = np.minimum(np.floor((np.arange(out_size) + 0.5) * scale).astype(int), in_size - 1)
        matrix = np.zeros((out_size, in_size))
        matrix[np.arange(out_size), source] = 1.0
        return matrix
    if interpolation == "area":  # each output pixel averages the input it covers
        low = np.arange(out_size)[:, None] * scale
        overlap = np.minimum(np.arange(1, in_size + 1)[None], low + scale) - np.maximum(
            np.arange(in_size)[None], low)
        matrix = np.maximum(overlap, 0.0)
    else:
        centres = (np.arange(out_size) + 0.5) * scale - 0.5
        matrix = _KERNELS[interpolation](np.arange(in_size)[None] - centres[:, None])
    # Renormalising over the pixels inside the image is the same as clamping at the border for
    # bilinear, and keeps the other kernels' weights summing to one.
    return matrix / matrix.sum(axis=1, keepdims=True)


@functools.lru_cache(maxsize=1024)  # one entry per (input size, output size): a folder's photos vary in size
def _resample_taps(in_size: int, out_size: int, interpolation: str) -> tuple[np.ndarray, np.ndarray]:
    """The non-zero part of ``_resample_matrix``: for each output pixel, the input pixels it reads
    (``(out_size, taps)`` indices) and their weights. A few taps a pixel, so resizing costs
    ``O(pixels * taps)`` instead of a dense product."""
    matrix = _resample_matrix(in_size, out_size, interpolation)
    taps = max(int((matrix != 0).sum(axis=1).max()), 1)
    order = np.argsort(matrix == 0, axis=1, kind="stable")[:, :taps]  # the non-zero columns first
    weights = np.take_along_axis(matrix, order, axis=1).astype("float32")
    return order, weights


def resize_image(image: np.ndarray, size: tuple[int, int], interpolation: str = "bilinear") -> np.ndarray:
    """Resize one ``(height, width, channels)`` image to ``size`` as ``tf.image.resize`` does
    (half-pixel centres, no antialiasing), in float32."""
    if interpolation not in RESIZE_INTERPOLATIONS:
        raise ValueError(
            f"`interpolation` should be one of {RESIZE_INTERPOLATIONS}. Received: interpolation={interpolation!r}"
        )
    height, width = image.shape[:2]
    image = image.astype("float32", copy=False)
    if (height, width) == tuple(size):
        return image
    rows, row_weights = _resample_taps(height, int(size[0]), interpolation)
    image = np.einsum("pthc,pt->phc", image[rows], row_weights)  # (out_height, width, channels)
    cols, col_weights = _resample_taps(width, int(size[1]), interpolation)
    return np.einsum("pqtc,qt->pqc", image[:, cols], col_weights)


def crop_to_aspect_ratio(image: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """The largest centred window of ``image`` (H, W, C) with the aspect ratio of ``size``."""
    height, width = image.shape[:2]
    crop_height = max(min(height, int(width * size[0] / size[1])), 1)
    crop_width = max(min(width, int(height * size[1] / size[0])), 1)
    top, left = int((height - crop_height) / 2), int((width - crop_width) / 2)
    return image[top:top + crop_height, left:left + crop_width]


def pad_to_aspect_ratio(image: np.ndarray, size: tuple[int, int], fill_value: float = 0.0) -> np.ndarray:
    """``image`` (H, W, C) padded evenly with ``fill_value`` to the aspect ratio of ``size``."""
    height, width = image.shape[:2]
    pad_rows = int((max(height, int(width * size[0] / size[1])) - height) / 2)
    pad_cols = int((max(width, int(height * size[1] / size[0])) - width) / 2)
    return np.pad(image, ((pad_rows, pad_rows), (pad_cols, pad_cols), (0, 0)), constant_values=fill_value)


def smart_resize(x, size: tuple[int, int], interpolation: str = "bilinear",
                 data_format: str = "channels_last"):
    """Resize an image (or a batch) to ``size`` without distorting it: crop the largest centred
    window of ``size``'s aspect ratio, then resize that window.

    Args:
        x: an image ``(height, width, channels)`` or a batch ``(batch, height, width, channels)``
            (channels first with ``data_format="channels_first"``), a NumPy array or a tensor.
        size: ``(height, width)`` of the result.
        interpolation: one of ``"bilinear"``, ``"nearest"``, ``"bicubic"``, ``"area"``,
            ``"lanczos3"``, ``"lanczos5"``, ``"gaussian"``, ``"mitchellcubic"``.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Returns:
        The resized image(s): a NumPy array for a NumPy input, else a tensor of the backend.

    Example:
        keras.preprocessing.image.smart_resize(np.ones((340, 500, 3)), (200, 200)).shape  # (200, 200, 3)
    """
    if len(size) != 2:
        raise ValueError(f"Expected `size` to be a tuple of 2 integers; received size={size}.")
    from brickwork import (
        ops,  # the engine is only needed to turn a tensor into NumPy and back
    )

    is_numpy = isinstance(x, np.ndarray)
    images = x if is_numpy else ops.convert_to_numpy(x)
    if images.ndim not in (3, 4):
        raise ValueError(
            "Expected an image (height, width, channels) or a batch (batch, height, width, channels); "
            f"received an input of shape {images.shape}."
        )
    batch = images if images.ndim == 4 else images[None]
    if data_format == "channels_first":
        batch = batch.transpose(0, 2, 3, 1)
    out = np.stack([resize_image(crop_to_aspect_ratio(image, size), size, interpolation) for image in batch])
    if np.issubdtype(images.dtype, np.integer):
        limits = np.iinfo(images.dtype)
        out = np.clip(np.round(out), limits.min, limits.max)
    out = out.astype(images.dtype)
    if data_format == "channels_first":
        out = out.transpose(0, 3, 1, 2)
    if images.ndim == 3:
        out = out[0]
    return out if is_numpy else ops.convert_to_tensor(out)
