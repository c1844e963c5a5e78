"""``CenterCrop``: crop the central ``(height, width)`` window of images."""

from __future__ import annotations

from brickwork import backend, ops
from brickwork.layers.layer import Layer


class CenterCrop(Layer):
    """Crop the centre of 4D (batched) or 3D (unbatched) images to ``(height, width)``.

    An image smaller than the target in either dimension is instead resized to it, after cropping
    the largest centred window of the target's aspect ratio (as Keras does).

    Args:
        height, width: the output's spatial size.
        data_format: ``"channels_last"`` or ``"channels_first"``; default ``image_data_format()``.

    Example:
    >>> CenterCrop(2, 2)(np.ones((1, 4, 6, 3))).shape   # (1, 2, 2, 3)
    """

    def __init__(self, height: int, width: int, data_format: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.height = int(height)
        self.width = int(width)
        self.data_format = backend.standardize_data_format(data_format)

    def _spatial_axis(self, ndim: int) -> int:
        return ndim - 3 if self.data_format == "channels_last" else ndim - 2

    def call(self, inputs):
        images = ops.cast(inputs, self.compute_dtype)
        axis = self._spatial_axis(len(images.shape))
        height, width = images.shape[axis], images.shape[axis + 1]
        if height < self.height or width < self.width:
            return ops.image.resize(images, (self.height, self.width), crop_to_aspect_ratio=True,
                                    data_format=self.data_format)
        top, left = (height - self.height) // 2, (width - self.width) // 2
        index = [slice(None)] * len(images.shape)
        index[axis] = slice(top, top + self.height)
        index[axis + 1] = slice(left, left + self.width)
        return images[tuple(index)]

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        axis = self._spatial_axis(len(shape))
        shape[axis:axis + 2] = [self.height, self.width]
        return tuple(shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "height": self.height, "width": self.width, "data_format": self.data_format}
