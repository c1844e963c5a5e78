"""``RandomFlip``: flip each image horizontally and/or vertically with probability 1/2 while training."""

from __future__ import annotations

from brickwork import backend, ops, random
from brickwork.layers.layer import Layer

_MODES = ("horizontal", "vertical", "horizontal_and_vertical")


class RandomFlip(Layer):
    """Flip each image of a batch at random, independently, while training (identity otherwise).

    Args:
        mode: ``"horizontal"`` (left-right), ``"vertical"`` (up-down) or ``"horizontal_and_vertical"``.
        seed: an integer seed for repeatable flips.
        data_format: ``"channels_last"`` or ``"channels_first"``; default ``image_data_format()``.

    Example:
    >>> RandomFlip("horizontal", seed=1)(np.ones((2, 4, 4, 3))).shape   # (2, 4, 4, 3)
    """

    def __init__(self, mode: str = "horizontal_and_vertical", seed: int | None = None,
                 data_format: str | None = None, **kwargs):
        super().__init__(**kwargs)
        if mode not in _MODES:
            raise ValueError(f"RandomFlip: mode must be one of {_MODES}, received {mode!r}")
        self.mode = mode
        self.seed = seed
        self.seed_generator = random.SeedGenerator(seed)
        self.data_format = backend.standardize_data_format(data_format)
        self.supports_masking = False  # as Keras's image layers: a mask is not carried through

    def _flip(self, images, axis: int):
        """Flip along ``axis`` the images for which a fair coin comes up heads."""
        batch_shape = (images.shape[0],) if len(images.shape) == 4 else ()
        coin = random.uniform(batch_shape + (1, 1, 1), seed=self.seed_generator)
        return ops.where(coin < 0.5, ops.flip(images, axis=axis), images)

    def call(self, inputs, training=None):
        images = ops.cast(inputs, self.compute_dtype)
        if training is False:
            return images
        height_axis = len(images.shape) - (3 if self.data_format == "channels_last" else 2)
        if self.mode != "vertical":
            images = self._flip(images, height_axis + 1)
        if self.mode != "horizontal":
            images = self._flip(images, height_axis)
        return images

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "mode": self.mode, "seed": self.seed, "data_format": self.data_format}
