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
