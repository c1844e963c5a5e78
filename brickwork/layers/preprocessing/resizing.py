"""``Resizing``: resize images to a fixed height and width."""

from __future__ import annotations

from brickwork import backend, ops
from brickwork.layers.layer import Layer


class Resizing(Layer):
    """Resize 4D (batched) or 3D (unbatched) images to ``(height, width)``, as ``ops.image.resize``.

    Args:
        height, width: the output's spatial size.
        interpolation: ``"bilinear"`` or ``"nearest"``.
        crop_to_aspect_ratio: first crop the largest centred window of the target aspect ratio.
        pad_to_aspect_ratio: first pad (centred, with ``fill_value``) to the target aspect ratio.
        fill_mode: how padding is filled; only ``"constant"``.
        fill_value: the padding value.
        antialias: widen the filter when downscaling.
        data_format: ``"channels_last"`` or ``"channels_first"``; default ``image_data_format()``.

    Example:
    >>> Resizing(2, 3)(np.ones((1, 4, 6, 3))).shape   # (1, 2, 3, 3)
    """

    def __init__(self, height: int, width: int, interpolation: str = "bilinear", crop_to_aspect_ratio: bool = False,
                 pad_to_aspect_ratio: bool = False, fill_mode: str = "constant", fill_value: float = 0.0,
                 antialias: bool = False, data_format: str | None = None, **kwargs):
        super().__init__(**kwargs)
        if crop_to_aspect_ratio and pad_to_aspect_ratio:
            raise ValueError("Resizing: crop_to_aspect_ratio and pad_to_aspect_ratio cannot both be True")
        if fill_mode != "constant":
            raise ValueError(f"Resizing: fill_mode must be 'constant', received {fill_mode!r}")
        self.height = int(height)
        self.width = int(width)
        self.interpolation = interpolation
        self.crop_to_aspect_ratio = crop_to_aspect_ratio
        self.pad_to_aspect_ratio = pad_to_aspect_ratio
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.antialias = antialias
        self.data_format = backend.standardize_data_format(data_format)

    def _spatial_axis(self, ndim: int) -> int:
        return ndim - 3 if self.data_format == "channels_last" else ndim - 2

    def _pad(self, images):
        """Pad to the target aspect ratio, centred, as Keras does before resizing."""
        axis = self._spatial_axis(len(images.shape))
        height, width = images.shape[axis], images.shape[axis + 1]
        pad_height = max(height, int(width * self.height / self.width))
        pad_width = max(width, int(height * self.width / self.height))
        top, left = (pad_height - height) // 2, (pad_width - width) // 2
        pads = [(0, 0)] * len(images.shape)
        pads[axis] = (top, pad_height - height - top)
        pads[axis + 1] = (left, pad_width - width - left)
        return ops.pad(images, pads, constant_values=self.fill_value)

    def call(self, inputs):
        images = ops.cast(inputs, self.compute_dtype)
        if self.pad_to_aspect_ratio:
            images = self._pad(images)
        return ops.image.resize(images, (self.height, self.width), interpolation=self.interpolation,
                                antialias=self.antialias, crop_to_aspect_ratio=self.crop_to_aspect_ratio,
                                data_format=self.data_format)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        axis = self._spatial_axis(len(shape))
        shape[axis:axis + 2] = [self.height, self.width]
        return tuple(shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "height": self.height, "width": self.width,
                "interpolation": self.interpolation, "crop_to_aspect_ratio": self.crop_to_aspect_ratio,
                "pad_to_aspect_ratio": self.pad_to_aspect_ratio, "fill_mode": self.fill_mode,
                "fill_value": self.fill_value, "antialias": self.antialias, "data_format": self.data_format}
