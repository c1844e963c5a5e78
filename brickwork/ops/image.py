"""Image ops (``ops.image.resize``, …), as in ``keras.ops.image``.

``resize``, ``affine_transform`` and ``map_coordinates`` are engine kernels; the rest is written once on
the other ops (colour conversions, cropping and padding, filters, patches, SSIM, scale-and-translate).

Images are ``(batch, height, width, channels)`` or unbatched ``(height, width, channels)`` with
``data_format="channels_last"`` (the default from ``backend.image_data_format()``), or channels
before the spatial axes with ``"channels_first"``.
"""

from __future__ import annotations

import math as _pymath

import numpy as _np

from brickwork.backend import KerasTensor as _KerasTensor
from brickwork.backend import config as _config
from brickwork.backend import is_float as _is_float
from brickwork.backend.common.dtypes import promote_types as _result_type
from brickwork.ops import core as _core
from brickwork.ops import linalg as _linalg
from brickwork.ops import nn as _nn
from brickwork.ops import numpy_arrays as _arrays
from brickwork.ops import numpy_math as _math
from brickwork.ops._dispatch import backend_op, with_spec


@backend_op("image")
def resize(images, size: tuple[int, int], interpolation: str = "bilinear", antialias: bool = False,
           crop_to_aspect_ratio: bool = False, data_format: str | None = None):
    """Resize images to ``size`` with half-pixel centres, as ``tf.image.resize`` does.

    Args:
        images: a 3D (unbatched) or 4D (batched) image tensor.
        size: ``(height, width)`` of the output.
        interpolation: ``"bilinear"`` or ``"nearest"``.
        antialias: widen the filter when downscaling, so that no input pixel is skipped (bilinear).
        crop_to_aspect_ratio: first crop the largest centred window of ``size``'s aspect ratio,
            so that the content is not distorted.
        data_format: ``"channels_last"`` or ``"channels_first"``; default ``image_data_format()``.

    Returns:
        The resized images, of the input's dtype (integer images are rounded).

    Example:
    >>> ops.image.resize(np.ones((2, 4, 4, 3)), (2, 2)).shape   # (2, 2, 2, 3)
    """


@backend_op("image")
def affine_transform(images, transform, interpolation: str = "bilinear", fill_mode: str = "constant",
                     fill_value: float = 0, data_format: str | None = None):
    """Apply projective transforms to images, as ``keras.ops.image.affine_transform``.

    Each transform ``[a0, a1, a2, b0, b1, b2, c0, c1]`` maps an output pixel ``(x, y)`` (column, row)
    to the input point ``((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)``, ``k = c0 x + c1 y + 1``.

    Args:
        images: a 3D (unbatched) or 4D (batched) image tensor.
        transform: shape ``(8,)`` or ``(batch, 8)``.
        interpolation: ``"bilinear"`` or ``"nearest"``.
        fill_mode: how points outside the input are read: ``"constant"`` (``fill_value``),
            ``"nearest"`` (the edge pixel), ``"wrap"``, ``"reflect"`` (``dcba|abcd|dcba``) or
            ``"mirror"`` (``dcb|abcd|cba``).
        fill_value: the value outside the input when ``fill_mode="constant"``.
        data_format: ``"channels_last"`` or ``"channels_first"``; default ``image_data_format()``.

    Returns:
        The transformed images, of the input's shape and dtype.

    Example:
    >>> shift_right = [1, 0, -1, 0, 1, 0, 0, 0]   # output column x reads input column x - 1
    >>> ops.image.affine_transform(np.ones((2, 4, 4, 3)), shift_right).shape   # (2, 4, 4, 3)
    """


@backend_op("image")
def map_coordinates(inputs, coordinates, order: int, fill_mode: str = "constant", fill_value: float = 0):
    """Sample ``inputs`` at fractional ``coordinates`` by nearest (``order=0``) or linear (``order=1``)
    interpolation, as ``jax.scipy.ndimage.map_coordinates`` (``scipy.ndimage``'s, without its edge bug).

    Args:
        inputs: an array of any rank ``n``.
        coordinates: ``(n, ...)``: row ``i`` holds the (fractional) index along axis ``i`` of each sample.
        order: ``0`` or ``1``.
        fill_mode: how points outside ``inputs`` are read: ``"constant"`` (``fill_value``),
            ``"nearest"``, ``"wrap"``, ``"mirror"`` (``dcb|abcd|cba``) or ``"reflect"`` (``dcba|abcd|dcba``).
        fill_value: the value outside with ``fill_mode="constant"``.

    Returns:
        ``coordinates.shape[1:]`` samples, of ``inputs``' dtype (integers rounded).

    Example:
    >>> ops.image.map_coordinates(np.arange(4.0), [[0.5, 2.25]], order=1)   # [0.5, 2.25]
    """


# ---- shared checks ----


def _tensor(x):
    return x if hasattr(x, "shape") and hasattr(x, "dtype") else _core.convert_to_tensor(x)


def _channels_last(data_format) -> bool:
    return _config.standardize_data_format(data_format) == "channels_last"


def _check_rank(op: str, images, name: str = "images") -> None:
    if len(images.shape) not in (3, 4):
        raise ValueError(f"{op}: expected {name} of rank 3 (one image) or 4 (a batch), received shape "
                         f"{tuple(images.shape)}")


def _float_dtype(x) -> str:
    return _result_type(_core.dtype(x), float)


# ---- colour ----

_GRAY_WEIGHTS = (0.2989, 0.5870, 0.1140)  # ITU-R BT.601 luma, as tf.image.rgb_to_grayscale


def rgb_to_grayscale(images, data_format: str | None = None):
    """RGB images to one-channel grayscale, ``0.2989 R + 0.5870 G + 0.1140 B``; one-channel input is returned as is.

    Args:
        images: ``(H, W, 3)`` or ``(N, H, W, 3)`` (channels first with ``data_format="channels_first"``).
        data_format: ``"channels_last"`` or ``"channels_first"``; default ``image_data_format()``.

    Returns:
        The images with one channel, of the input's dtype.

    Example:
    >>> ops.image.rgb_to_grayscale(np.ones((2, 4, 4, 3))).shape   # (2, 4, 4, 1)
    """
    images = _tensor(images)
    _check_rank("rgb_to_grayscale", images)
    axis = -1 if _channels_last(data_format) else -3
    channels = images.shape[axis]
    if channels not in (1, 3, None):
        raise ValueError(f"rgb_to_grayscale: expected 3 (RGB) or 1 (grayscale) channels, received images of "
                         f"shape {tuple(images.shape)}")
    if channels == 1:
        return _arrays.copy(images)
    dtype = _core.dtype(images)
    compute = _float_dtype(images)
    weights = _core.convert_to_tensor(_np.array(_GRAY_WEIGHTS), dtype=compute)
    gray = _arrays.tensordot(_core.cast(images, compute), weights, axes=([len(images.shape) + axis], [0]))
    return _core.cast(_arrays.expand_dims(gray, axis), dtype)


def _planes(op: str, images, data_format):
    """The three colour planes of float images, and the channel axis."""
    images = _tensor(images)
    _check_rank(op, images)
    if not _is_float(_core.dtype(images)):
        raise ValueError(f"{op}: expected images of a float dtype, received dtype {_core.dtype(images)}")
    axis = -1 if _channels_last(data_format) else -3
    if images.shape[axis] not in (3, None):
        raise ValueError(f"{op}: expected 3 channels, received images of shape {tuple(images.shape)}")
    return [_arrays.squeeze(plane, axis) for plane in _arrays.split(images, 3, axis=axis)], axis


def rgb_to_hsv(images, data_format: str | None = None):
    """RGB images (floats in ``[0, 1]``) to HSV, each channel in ``[0, 1]``; hue 0 is red, 1/3 green, 2/3 blue.

    Args:
        images: float RGB images ``(H, W, 3)`` or ``(N, H, W, 3)`` (channels first under ``"channels_first"``),
            values in ``[0, 1]``.
        data_format: ``"channels_last"`` (images ``(..., H, W, C)``) or ``"channels_first"`` (``(..., C, H, W)``);
            ``None`` (default) uses ``keras.config.image_data_format()``.

    Returns:
        HSV images of the shape and dtype of ``images``, each channel in ``[0, 1]``.

    Example:
    >>> ops.image.rgb_to_hsv(np.array([[[0.0, 1.0, 0.0]]]))   # [[[1/3, 1., 1.]]]
    """
    (red, green, blue), axis = _planes("rgb_to_hsv", images, data_format)
    value = _math.maximum(_math.maximum(red, green), blue)
    spread = value - _math.minimum(_math.minimum(red, green), blue)
    has_value, has_spread = _math.greater(value, 0), _math.greater(spread, 0)
    saturation = _arrays.where(has_value, spread / _arrays.where(has_value, value, 1.0), 0.0)
    step = 1.0 / (6.0 * _arrays.where(has_spread, spread, 1.0))  # hue per unit of channel difference
    hue = _arrays.where(_math.equal(value, green), step * (blue - red) + 2.0 / 6.0, step * (red - green) + 4.0 / 6.0)
    hue = _arrays.where(_math.equal(value, red), step * (green - blue), hue)
    hue = _arrays.where(has_spread, hue, 0.0)
    hue = _arrays.where(_math.less(hue, 0.0), hue + 1.0, hue)
    return _core.cast(_arrays.stack([hue, saturation, value], axis=axis), _core.dtype(red))


def hsv_to_rgb(images, data_format: str | None = None):
    """HSV images (floats in ``[0, 1]``) to RGB, the inverse of ``rgb_to_hsv``.

    Args:
        images: float HSV images ``(H, W, 3)`` or ``(N, H, W, 3)`` (channels first under ``"channels_first"``), each
            channel in ``[0, 1]``.
        data_format: ``"channels_last"`` (images ``(..., H, W, C)``) or ``"channels_first"`` (``(..., C, H, W)``);
            ``None`` (default) uses ``keras.config.image_data_format()``.

    Returns:
        RGB images of the shape and dtype of ``images``.

    Example:
    >>> ops.image.hsv_to_rgb(np.array([[[1 / 3, 1.0, 1.0]]]))   # [[[0., 1., 0.]]]
    """
    (hue, saturation, value), axis = _planes("hsv_to_rgb", images, data_format)
    sector = _math.mod(hue, 1.0) * 6.0

    def channel(weight):
        return value * (1.0 - saturation + saturation * _math.clip(weight, 0.0, 1.0))

    red = channel(_math.abs(sector - 3.0) - 1.0)
    green = channel(2.0 - _math.abs(sector - 2.0))
    blue = channel(2.0 - _math.abs(sector - 4.0))
    return _core.cast(_arrays.stack([red, green, blue], axis=axis), _core.dtype(hue))


# ---- cropping and padding ----


def _resolve_sides(op: str, before, after, target, names):
    """Two of (before, after, target) given: the third, checked to be non-negative."""
    if [before, after, target].count(None) != 1:
        raise ValueError(f"{op}: give exactly two of {', '.join(names)}; received {names[0]}={before}, "
                         f"{names[1]}={after}, {names[2]}={target}")
    for name, value in zip(names, (before, after, target)):
        if value is not None and value < 0:
            raise ValueError(f"{op}: {name} must be >= 0, received {name}={value}")
    return before, after, target


def pad_images(images, top_padding: int | None = None, left_padding: int | None = None,
               bottom_padding: int | None = None, right_padding: int | None = None,
               target_height: int | None = None, target_width: int | None = None, data_format: str | None = None):
    """Pad images with zeros to a size: of each axis, give two of (padding before, padding after, target size).

    Args:
        images: a tensor of one image ``(H, W, C)`` or a batch ``(N, H, W, C)`` (channels first under
            ``"channels_first"``).
        top_padding: rows of zeros added at the top.
        left_padding: columns of zeros added on the left.
        bottom_padding: rows of zeros added at the bottom.
        right_padding: columns of zeros added on the right.
        target_height: the height of the result.
        target_width: the width of the result.
        data_format: ``"channels_last"`` (images ``(..., H, W, C)``) or ``"channels_first"`` (``(..., C, H, W)``);
            ``None`` (default) uses ``keras.config.image_data_format()``.

    Returns:
        The padded images, of the rank and dtype of ``images``, of height ``target_height`` and width
            ``target_width``.

    Example:
    >>> ops.image.pad_images(np.ones((15, 25, 3)), 2, 3, target_height=20, target_width=30).shape   # (20, 30, 3)
    """
    images = _tensor(images)
    _check_rank("pad_images", images)
    channels_last = _channels_last(data_format)
    h_axis = len(images.shape) - (3 if channels_last else 2)
    pads = [(0, 0)] * len(images.shape)
    sides = (("top_padding", "bottom_padding", "target_height", top_padding, bottom_padding, target_height),
             ("left_padding", "right_padding", "target_width", left_padding, right_padding, target_width))
    for offset, (*names, before, after, target) in enumerate(sides):
        before, after, target = _resolve_sides("pad_images", before, after, target, names)
        size = images.shape[h_axis + offset]
        if target is not None:
            if size is None:
                raise ValueError(f"pad_images: {names[2]} needs the image size, which is unknown (shape "
                                 f"{tuple(images.shape)})")
            before = target - after - size if before is None else before
            after = target - before - size if after is None else after
        if before < 0 or after < 0:
            raise ValueError(f"pad_images: {names[2]}={target} is smaller than the image ({size}) and its padding; "
                             f"the padding would be {names[0]}={before}, {names[1]}={after}")
        pads[h_axis + offset] = (before, after)
    return _arrays.pad(images, pads)


def crop_images(images, top_cropping: int | None = None, left_cropping: int | None = None,
                bottom_cropping: int | None = None, right_cropping: int | None = None,
                target_height: int | None = None, target_width: int | None = None, data_format: str | None = None):
    """Crop images to a size: of each axis, give two of (cropping before, cropping after, target size).

    Args:
        images: a tensor of one image ``(H, W, C)`` or a batch ``(N, H, W, C)`` (channels first under
            ``"channels_first"``).
        top_cropping: rows removed at the top.
        left_cropping: columns removed on the left.
        bottom_cropping: rows removed at the bottom.
        right_cropping: columns removed on the right.
        target_height: the height of the result.
        target_width: the width of the result.
        data_format: ``"channels_last"`` (images ``(..., H, W, C)``) or ``"channels_first"`` (``(..., C, H, W)``);
            ``None`` (default) uses ``keras.config.image_data_format()``.

    Returns:
        The cropped images, of the rank and dtype of ``images``, of height ``target_height`` and width
            ``target_width``.

    Example:
    >>> ops.image.crop_images(np.ones((15, 25, 3)), 2, 3, target_height=10, target_width=20).shape   # (10, 20, 3)
    """
    images = _tensor(images)
    _check_rank("crop_images", images)
    channels_last = _channels_last(data_format)
    h_axis = len(images.shape) - (3 if channels_last else 2)
    index = [slice(None)] * len(images.shape)
    sides = (("top_cropping", "bottom_cropping", "target_height", top_cropping, bottom_cropping, target_height),
             ("left_cropping", "right_cropping", "target_width", left_cropping, right_cropping, target_width))
    for offset, (*names, before, after, target) in enumerate(sides):
        before, after, target = _resolve_sides("crop_images", before, after, target, names)
        size = images.shape[h_axis + offset]
        if size is None and (before is None or target is None):
            raise ValueError(f"crop_images: the image size is unknown (shape {tuple(images.shape)}); give "
                             f"{names[0]} and {names[2]}")
        if before is None:
            before = size - target - after
        if target is None:
            target = size - before - after
        if before < 0 or target < 0 or (size is not None and before + target > size):
            raise ValueError(f"crop_images: cannot crop {names[2]}={target} from {names[0]}={before} out of a size "
                             f"of {size}")
        index[h_axis + offset] = slice(before, before + target)
    return images[tuple(index)]


# ---- filters ----


def _gaussian_1d(size: int, sigma, dtype: str):
    x = _arrays.arange(size, dtype=dtype) - (size - 1) / 2.0
    kernel = _math.exp(-0.5 * _math.square(x / _core.cast(sigma, dtype)))
    return kernel / _math.sum(kernel)


def _depthwise(images, kernel, channels_last: bool, padding: str = "same"):
    """Each channel of 3D/4D ``images`` filtered with the 2D ``kernel`` (cross-correlation, zero padding)."""
    unbatched = len(images.shape) == 3
    x = _arrays.expand_dims(images, 0) if unbatched else images
    channels = x.shape[-1 if channels_last else 1]
    kernel = _arrays.tile(_arrays.reshape(kernel, tuple(kernel.shape) + (1, 1)), (1, 1, channels, 1))
    x = _nn.depthwise_conv(x, kernel, padding=padding, data_format="channels_last" if channels_last
                           else "channels_first")
    return x[0] if unbatched else x


def gaussian_blur(images, kernel_size: tuple[int, int] = (3, 3), sigma: tuple[float, float] = (1.0, 1.0),
                  data_format: str | None = None):
    """Blur images with a Gaussian kernel, zeros outside the image.

    As Keras reads them, ``kernel_size[0]`` and ``sigma[0]`` shape the kernel along the width and
    ``kernel_size[1]``, ``sigma[1]`` along the height (the two agree for the usual square kernel).

    Args:
        images: ``(H, W, C)`` or ``(N, H, W, C)`` (channels first with ``data_format="channels_first"``).
        kernel_size: two ints, the kernel's extent.
        sigma: two floats, the Gaussian's standard deviations.
        data_format: ``"channels_last"`` or ``"channels_first"``; default ``image_data_format()``.

    Returns:
        The blurred images, of the input's shape and dtype.

    Example:
    >>> ops.image.gaussian_blur(np.random.rand(2, 8, 8, 3), (5, 5), (1.5, 1.5)).shape   # (2, 8, 8, 3)
    """
    images = _tensor(images)
    _check_rank("gaussian_blur", images)
    dtype = _core.dtype(images)
    compute = _float_dtype(images)
    size_x, size_y = (int(s) for s in kernel_size)
    sigma_x, sigma_y = (sigma, sigma) if not isinstance(sigma, (tuple, list)) else sigma
    kernel = _arrays.outer(_gaussian_1d(size_y, sigma_y, compute), _gaussian_1d(size_x, sigma_x, compute))
    out = _depthwise(_core.cast(images, compute), kernel, _channels_last(data_format))
    return _core.cast(out, dtype)


_SOBEL_ROWS = _np.array([[-1.0, -2.0, -1.0], [0.0, 0.0, 0.0], [1.0, 2.0, 1.0]])  # d/dy; its transpose is d/dx


def sobel_edges(images, data_format: str | None = None):
    """Sobel gradients of a batch of images, zeros outside the image.

    Args:
        images: ``(N, H, W, C)``, or ``(N, C, H, W)`` with ``data_format="channels_first"``.
        data_format: ``"channels_last"`` or ``"channels_first"``; default ``image_data_format()``.

    Returns:
        ``images.shape + (2,)``: the vertical (``dy``) then horizontal (``dx``) gradient of each channel.

    Example:
    >>> image = np.zeros((1, 8, 8, 1)); image[0, :, 4:] = 1.0
    >>> ops.image.sobel_edges(image)[0, 4, 3:5, 0, 1]   # dx across the edge: [4., 4.]
    """
    images = _tensor(images)
    if len(images.shape) != 4:
        raise ValueError(f"sobel_edges: expected images of rank 4 (a batch), received shape {tuple(images.shape)}")
    dtype = _float_dtype(images)
    channels_last = _channels_last(data_format)
    x = _core.cast(images, dtype)
    dy = _depthwise(x, _core.convert_to_tensor(_SOBEL_ROWS, dtype=dtype), channels_last)
    dx = _depthwise(x, _core.convert_to_tensor(_SOBEL_ROWS.T, dtype=dtype), channels_last)
    return _arrays.stack([dy, dx], axis=-1)


def ssim(image1, image2, max_val: float = 1.0, filter_size: int = 11, filter_sigma: float = 1.5, k1: float = 0.01,
         k2: float = 0.03, data_format: str | None = None):
    """Structural similarity (Wang et al., 2004) of two images, with Gaussian-weighted local statistics.

    Local means, variances and covariance come from an ``filter_size`` Gaussian window (valid
    positions only); the SSIM map is averaged over positions and then over channels.

    Args:
        image1, image2: ``(H, W, C)`` or ``(N, H, W, C)`` of the same shape (channels first with
            ``data_format="channels_first"``).
        max_val: the dynamic range of the pixel values (1.0 for ``[0, 1]``, 255.0 for bytes).
        filter_size: the window's side, odd, at most the image size.
        filter_sigma: the window's standard deviation.
        k1, k2: the stabilizing constants, ``c1 = (k1 max_val)**2`` and ``c2 = (k2 max_val)**2``.
        data_format: ``"channels_last"`` or ``"channels_first"``; default ``image_data_format()``.

    Returns:
        One SSIM per image (a scalar for unbatched input), in ``[-1, 1]``; 1 for identical images.

    Example:
    >>> image = np.random.rand(32, 32, 3)
    >>> float(ops.image.ssim(image, image))   # 1.0
    """
    image1, image2 = _tensor(image1), _tensor(image2)
    _check_rank("ssim", image1, "image1")
    _check_rank("ssim", image2, "image2")
    dtype = _core.dtype(image1)
    compute = _float_dtype(image1)
    x, y = _core.cast(image1, compute), _core.cast(image2, compute)
    unbatched = len(x.shape) == 3
    if unbatched:
        x, y = _arrays.expand_dims(x, 0), _arrays.expand_dims(y, 0)
    if not _channels_last(data_format):
        x, y = _arrays.moveaxis(x, 1, -1), _arrays.moveaxis(y, 1, -1)
    window = _gaussian_1d(filter_size, filter_sigma, compute)
    window = _arrays.outer(window, window)

    def local_mean(z):
        return _depthwise(z, window, channels_last=True, padding="valid")

    mean_x, mean_y = local_mean(x), local_mean(y)
    var_x = local_mean(x * x) - mean_x * mean_x
    var_y = local_mean(y * y) - mean_y * mean_y
    cov = local_mean(x * y) - mean_x * mean_y
    c1, c2 = (k1 * max_val) ** 2, (k2 * max_val) ** 2
    ssim_map = ((2.0 * mean_x * mean_y + c1) * (2.0 * cov + c2)
                / ((mean_x * mean_x + mean_y * mean_y + c1) * (var_x + var_y + c2)))
    result = _math.mean(_math.mean(ssim_map, axis=(1, 2)), axis=-1)
    return _core.cast(result[0] if unbatched else result, dtype)


# ---- patches ----


def extract_patches(images, size: int | tuple, strides: int | tuple | None = None, dilation_rate: int | tuple = 1,
                    padding: str = "valid", data_format: str | None = None):
    """The patches of images (``size`` of 2 ints) or volumes (``size`` of 3 ints), each flattened into channels.

    A patch of ``(ph, pw)`` pixels of ``C`` channels becomes ``ph * pw * C`` channels, ordered
    (row, column, channel), as ``tf.image.extract_patches``.

    Args:
        images: ``(H, W, C)`` / ``(N, H, W, C)`` for 2D patches, ``(D, H, W, C)`` / ``(N, D, H, W, C)``
            for 3D (channels first with ``data_format="channels_first"``).
        size: an int (2D) or a tuple of 2 or 3 ints.
        strides: the step between patches; default ``size`` (non-overlapping).
        dilation_rate: the step between the pixels of a patch.
        padding: ``"valid"`` or ``"same"``.
        data_format: ``"channels_last"`` or ``"channels_first"``; default ``image_data_format()``.

    Returns:
        ``(..., patches along each axis, prod(size) * C)`` (channels first: the patch axis first).

    Example:
    >>> ops.image.extract_patches(np.ones((2, 20, 20, 3)), (5, 5)).shape   # (2, 4, 4, 75)
    """
    if isinstance(size, int):
        size = (size, size)
    if not isinstance(size, (tuple, list)) or len(size) not in (2, 3):
        raise ValueError(f"extract_patches: size must be an int or a tuple of 2 or 3 ints, received size={size!r}")
    images = _tensor(images)
    rank = len(size)
    unbatched = len(images.shape) == rank + 1
    if len(images.shape) not in (rank + 1, rank + 2):
        raise ValueError(f"extract_patches: {rank}D patches need inputs of rank {rank + 1} or {rank + 2}, received "
                         f"shape {tuple(images.shape)}")
    channels_last = _channels_last(data_format)
    x = _arrays.expand_dims(images, 0) if unbatched else images
    channels = x.shape[-1 if channels_last else 1]
    patch = _pymath.prod(size) * channels
    # A convolution with a one-hot kernel copies each patch element into its own output channel.
    kernel = _arrays.reshape(_arrays.eye(patch, dtype=_core.dtype(x)), tuple(size) + (channels, patch))
    out = _nn.conv(x, kernel, strides=size if strides is None else strides, padding=padding,
                   data_format="channels_last" if channels_last else "channels_first", dilation_rate=dilation_rate)
    return out[0] if unbatched else out


def extract_patches_3d(volumes, size: int | tuple, strides: int | tuple | None = None,
                       dilation_rate: int | tuple = 1, padding: str = "valid", data_format: str | None = None):
    """The 3D patches of volumes ``(D, H, W, C)`` / ``(N, D, H, W, C)``; ``extract_patches`` with a 3D ``size``.

    Args:
        volumes: a tensor ``(D, H, W, C)`` or a batch ``(N, D, H, W, C)`` (channels first under
            ``"channels_first"``).
        size: the patch size, an int or a tuple ``(d, h, w)``.
        strides: the step between patches, an int or a 3-tuple; ``None`` (default) for ``size``.
        dilation_rate: the spacing between the voxels of a patch (default 1).
        padding: ``"valid"`` (default): only patches inside the volume; ``"same"``: zero-pad so every stride
            position gives one.
        data_format: ``"channels_last"`` (images ``(..., H, W, C)``) or ``"channels_first"`` (``(..., C, H, W)``);
            ``None`` (default) uses ``keras.config.image_data_format()``.

    Returns:
        A tensor of the patches: the patch grid as three spatial axes and each patch flattened to ``d * h * w * C``
            values on the channel axis.

    Example:
    >>> ops.image.extract_patches_3d(np.ones((2, 10, 10, 10, 3)), 3).shape   # (2, 3, 3, 3, 81)
    """
    if isinstance(size, int):
        size = (size, size, size)
    if len(size) != 3:
        raise ValueError(f"extract_patches_3d: size must be an int or a tuple of 3 ints, received size={size!r}")
    return extract_patches(volumes, size, strides, dilation_rate, padding, data_format)


# ---- geometric ----


def _homography(start_points, end_points):
    """The 8 projective coefficients (``affine_transform``'s) mapping ``end_points`` to ``start_points``, ``(N, 8)``."""
    dtype = _result_type(_core.dtype(start_points), _core.dtype(end_points), "float32")
    start, end = _core.cast(start_points, dtype), _core.cast(end_points, dtype)
    sx, sy, ex, ey = start[..., 0], start[..., 1], end[..., 0], end[..., 1]
    one, zero = _arrays.ones_like(ex), _arrays.zeros_like(ex)
    # Per point: a0 ex + a1 ey + a2 - sx (a6 ex + a7 ey) = sx, and likewise b0..b2 for sy.
    rows_x = _arrays.stack([ex, ey, one, zero, zero, zero, -sx * ex, -sx * ey], axis=-1)
    rows_y = _arrays.stack([zero, zero, zero, ex, ey, one, -sy * ex, -sy * ey], axis=-1)
    system = _arrays.reshape(_arrays.stack([rows_x, rows_y], axis=-2), (-1, 8, 8))
    return _arrays.reshape(_linalg.solve(system, _arrays.reshape(start, (-1, 8, 1))), (-1, 8))


def perspective_transform(images, start_points, end_points, interpolation: str = "bilinear", fill_value: float = 0,
                          data_format: str | None = None):
    """Warp images so that the four ``start_points`` land on the four ``end_points``.

    Args:
        images: ``(H, W, C)`` or ``(N, H, W, C)`` (channels first with ``data_format="channels_first"``).
        start_points, end_points: ``(4, 2)`` or ``(N, 4, 2)`` pixel coordinates ``(x, y)``.
        interpolation: ``"bilinear"`` or ``"nearest"``.
        fill_value: the value where the output reads outside the input.
        data_format: ``"channels_last"`` or ``"channels_first"``; default ``image_data_format()``.

    Returns:
        The warped images, of the input's shape and dtype.

    Example:
    >>> corners = np.array([[0, 0], [0, 31], [31, 0], [31, 31]])
    >>> ops.image.perspective_transform(np.ones((32, 32, 3)), corners, corners + 2).shape   # (32, 32, 3)
    """
    images, start_points, end_points = _tensor(images), _tensor(start_points), _tensor(end_points)
    _check_rank("perspective_transform", images)
    for name, points in (("start_points", start_points), ("end_points", end_points)):
        if len(points.shape) not in (2, 3) or tuple(points.shape[-2:]) != (4, 2):
            raise ValueError(f"perspective_transform: expected {name} of shape (4, 2) or (N, 4, 2), received "
                             f"shape {tuple(points.shape)}")
    if tuple(start_points.shape) != tuple(end_points.shape):
        raise ValueError(f"perspective_transform: start_points and end_points must have the same shape, received "
                         f"{tuple(start_points.shape)} and {tuple(end_points.shape)}")
    transform = _homography(start_points, end_points)
    if len(images.shape) == 3:
        transform = transform[0]
    return affine_transform(images, transform, interpolation=interpolation, fill_mode="constant",
                            fill_value=fill_value, data_format=data_format)


def _same_as_images(images, *args, **kwargs):
    return _KerasTensor(images.shape, dtype=images.dtype)


@with_spec(_same_as_images)
def elastic_transform(images, alpha: float = 20.0, sigma: float = 5.0, interpolation: str = "bilinear",
                      fill_mode: str = "reflect", fill_value: float = 0.0, seed=None, data_format: str | None = None):
    """Distort images with a random smooth displacement field (Simard et al., 2003).

    Two fields of standard normal values times ``sigma`` (one per axis) are blurred by a Gaussian of
    standard deviation ``sigma`` (kernel ``int(6 sigma) | 1``), scaled by ``alpha``, and each output
    pixel reads the input at its displaced position.

    Args:
        images: ``(H, W, C)`` or ``(N, H, W, C)`` (channels first with ``data_format="channels_first"``).
        alpha: the strength of the displacement.
        sigma: its smoothness.
        interpolation: ``"bilinear"`` or ``"nearest"``.
        fill_mode: how points outside the image are read (see ``map_coordinates``).
        fill_value: the value outside with ``fill_mode="constant"``.
        seed: an int or a ``SeedGenerator`` for the displacement fields.
        data_format: ``"channels_last"`` or ``"channels_first"``; default ``image_data_format()``.

    Returns:
        The distorted images, of the input's shape and dtype.

    Example:
    >>> ops.image.elastic_transform(np.random.rand(2, 32, 32, 3), seed=1).shape   # (2, 32, 32, 3)
    """
    from brickwork import random as _random

    images = _tensor(images)
    _check_rank("elastic_transform", images)
    if interpolation not in ("bilinear", "nearest"):
        raise ValueError(f"elastic_transform: interpolation must be 'bilinear' or 'nearest', received "
                         f"{interpolation!r}")
    unbatched = len(images.shape) == 3
    x = _arrays.expand_dims(images, 0) if unbatched else images
    channels_last = _channels_last(data_format)
    if not channels_last:
        x = _arrays.moveaxis(x, 1, -1)
    batch, height, width, channels = x.shape
    compute = _float_dtype(images)
    sigma, alpha = float(sigma), float(alpha)
    fields = _random.normal((batch, height, width, 2), dtype=compute, seed=seed) * sigma
    size = int(6 * sigma) | 1
    if sigma > 0:  # sigma 0 leaves no displacement to smooth
        fields = gaussian_blur(fields, (size, size), (sigma, sigma), data_format="channels_last")
    fields = fields * alpha
    rows = _arrays.arange(height, dtype=compute)[None, :, None, None] + fields[..., 0:1]
    cols = _arrays.arange(width, dtype=compute)[None, None, :, None] + fields[..., 1:2]
    shape = (batch, height, width, channels)
    coordinates = _arrays.stack([
        _arrays.broadcast_to(_arrays.arange(batch, dtype=compute)[:, None, None, None], shape),
        _arrays.broadcast_to(rows, shape), _arrays.broadcast_to(cols, shape),
        _arrays.broadcast_to(_arrays.arange(channels, dtype=compute), shape)])
    out = map_coordinates(x, coordinates, order=1 if interpolation == "bilinear" else 0, fill_mode=fill_mode,
                          fill_value=fill_value)
    if not channels_last:
        out = _arrays.moveaxis(out, -1, 1)
    return out[0] if unbatched else out


# ---- scale and translate (jax.image.scale_and_translate) ----


def _triangle(x):
    return _math.maximum(0.0, 1.0 - x)


def _keys_cubic(x):  # Keys (1981) with a = -0.5, for x = |distance|
    near = ((1.5 * x - 2.5) * x) * x + 1.0
    far = ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0
    return _arrays.where(_math.less(x, 1.0), near, _arrays.where(_math.less(x, 2.0), far, 0.0))


def _lanczos(radius: float):
    def kernel(x):
        safe = _arrays.where(_math.greater(x, 1e-3), x, 1.0)
        value = radius * _math.sin(_np.pi * safe) * _math.sin(_np.pi * safe / radius) / (_np.pi ** 2 * safe * safe)
        return _arrays.where(_math.greater(x, radius), 0.0, _arrays.where(_math.greater(x, 1e-3), value, 1.0))

    return kernel


_KERNELS = {"linear": _triangle, "bilinear": _triangle, "trilinear": _triangle, "triangle": _triangle,
            "cubic": _keys_cubic, "bicubic": _keys_cubic, "tricubic": _keys_cubic,
            "lanczos3": _lanczos(3.0), "lanczos5": _lanczos(5.0)}


def _resample_weights(in_size: int, out_size: int, scale, translation, kernel, antialias: bool, dtype: str):
    """``(in_size, out_size)`` weights: output ``j`` reads the input at ``(j + 0.5 - translation) / scale - 0.5``."""
    inverse = 1.0 / scale
    # In jax's order of operations, so that a sample on the input's edge falls on the same side.
    samples = (_arrays.arange(out_size, dtype=dtype) + 0.5) * inverse - translation * inverse - 0.5
    widen = _math.maximum(inverse, 1.0) if antialias else 1.0  # an antialiasing downscale widens the kernel
    distance = _math.abs(samples[None, :] - _arrays.arange(in_size, dtype=dtype)[:, None]) / widen
    weights = kernel(distance)
    total = _math.sum(weights, axis=0, keepdims=True)
    usable = _math.greater(_math.abs(total), 1000.0 * float(_np.finfo(_np.float32).eps))
    weights = _arrays.where(usable, weights / _arrays.where(usable, total, 1.0), 0.0)
    inside = _math.logical_and(_math.greater_equal(samples, -0.5), _math.less_equal(samples, in_size - 0.5))
    return _arrays.where(inside[None, :], weights, 0.0)


def scale_and_translate(images, output_shape: tuple, scale, translation, spatial_dims: tuple, method: str,
                        antialias: bool = True):
    """Resample ``images`` on a scaled and shifted grid, as ``jax.image.scale_and_translate``.

    Along each axis in ``spatial_dims``, an input point ``x`` (pixel centres at ``i + 0.5``) lands at
    ``x * scale + translation`` in the output; output points that read outside the input are zero.

    Args:
        images: an array of any rank.
        output_shape: the full output shape (axes not in ``spatial_dims`` keep their size).
        scale, translation: one value per entry of ``spatial_dims``.
        spatial_dims: the axes to resample.
        method: ``"linear"`` (or ``"bilinear"``, ``"trilinear"``, ``"triangle"``), ``"cubic"`` (or
            ``"bicubic"``, ``"tricubic"``: Keys' kernel), ``"lanczos3"`` or ``"lanczos5"``.
        antialias: widen the kernel when downsampling.

    Returns:
        ``output_shape``, of the input's dtype (integers rounded).

    Example:
    >>> images = np.arange(9.0).reshape(3, 3)
    >>> ops.image.scale_and_translate(images, (5, 5), [2.0, 2.0], [-0.5, -0.5], (0, 1), "linear")[0]
    >>> # [0., 0.5, 1., 1.5, 2.]
    """
    if method not in _KERNELS:
        raise ValueError(f"scale_and_translate: method must be one of {sorted(_KERNELS)}, received {method!r}")
    images = _tensor(images)
    dtype = _core.dtype(images)
    compute = _result_type(dtype, _core.dtype(_tensor(scale)), _core.dtype(_tensor(translation)), "float32")
    scale, translation = _core.cast(scale, compute), _core.cast(translation, compute)
    x = _core.cast(images, compute)
    rank = len(images.shape)
    for i, axis in enumerate(spatial_dims):
        axis = axis % rank
        weights = _resample_weights(images.shape[axis], int(output_shape[axis]), scale[i], translation[i],
                                    _KERNELS[method], antialias, compute)
        x = _arrays.moveaxis(_arrays.tensordot(x, weights, axes=([axis], [0])), -1, axis)
    if _is_float(dtype):
        return _core.cast(x, dtype)
    return _core.cast(_math.clip(_math.round(x), _math.min(images), _math.max(images)), dtype)
