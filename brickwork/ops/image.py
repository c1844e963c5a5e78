"""Image ops (``ops.image.resize``, …), as in ``keras.ops.image``.

Images are ``(batch, height, width, channels)`` or unbatched ``(height, width, channels)`` with
``data_format="channels_last"`` (the default from ``backend.image_data_format()``), or channels
before the spatial axes with ``"channels_first"``.
"""

from __future__ import annotations

from brickwork.ops._dispatch import backend_op


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
