"""``RandomCrop``: crop a random ``(height, width)`` window while training."""

from __future__ import annotations

from brickwork import backend, ops, random
from brickwork.layers.layer import Layer


class RandomCrop(Layer):
    """Crop one random ``(height, width)`` window from the batch while training.

    Otherwise (or when an image is smaller than the target), resize to ``(height, width)`` after
    cropping the largest centred window of that aspect ratio, as Keras does.

    Args:
        height, width: the output's spatial size.
        seed: an integer seed for repeatable windows.
        data_format: ``"channels_last"`` or ``"channels_first"``; default ``image_data_format()``.

    Example:
    >>> RandomCrop(2, 3, seed=1)(np.ones((2, 4, 4, 3))).shape   # (2, 2, 3, 3)
    """

    def __init__(self, height: int, width: int, seed: int | None = None, data_format: str | None = None,
                 **kwargs):
        super().__init__(**kwargs)
        self.height = int(height)
        self.width = int(width)
        self.seed = seed
        self.seed_generator = random.SeedGenerator(seed)
        self.data_format = backend.standardize_data_format(data_format)

    def _spatial_axis(self, ndim: int) -> int:
        return ndim - 3 if self.data_format == "channels_last" else ndim - 2

    def _offset(self, room: int):
        """A random start in ``[0, room]``, as a scalar int tensor (traceable under jit)."""
        draw = random.uniform((), 0.0, float(room + 1), seed=self.seed_generator)
        return ops.minimum(ops.cast(ops.floor(draw), "int32"), room)

    def call(self, inputs, training=None):
        images = ops.cast(inputs, self.compute_dtype)
        axis = self._spatial_axis(len(images.shape))
        height, width = images.shape[axis], images.shape[axis + 1]
        if training is False or height < self.height or width < self.width:
            return ops.image.resize(images, (self.height, self.width), crop_to_aspect_ratio=True,
                                    data_format=self.data_format)
        # All starts as int32 tensors: jax's dynamic_slice wants one index dtype.
        zero = ops.zeros((), dtype="int32")
        starts = [zero] * len(images.shape)
        starts[axis] = self._offset(height - self.height)
        starts[axis + 1] = self._offset(width - self.width)
        shape = list(images.shape)
        shape[axis:axis + 2] = [self.height, self.width]
        return ops.slice(images, starts, shape)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        axis = self._spatial_axis(len(shape))
        shape[axis:axis + 2] = [self.height, self.width]
        return tuple(shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "height": self.height, "width": self.width, "seed": self.seed,
                "data_format": self.data_format}
