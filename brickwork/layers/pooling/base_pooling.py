"""``BasePooling``: the windowed max/average pooling behind ``MaxPooling1D`` … ``AveragePooling3D``."""

from __future__ import annotations

from brickwork import backend, ops
from brickwork.layers.convolutional.conv_utils import (
    conv_output_length,
    spatial_output_shape,
    standardize_padding,
    standardize_tuple,
)
from brickwork.layers.input_spec import InputSpec
from brickwork.layers.layer import Layer


class BasePooling(Layer):
    """Pool windows of ``pool_size`` moved by ``strides`` (default ``pool_size``) over each channel.

    Args:
        pool_size: an int or ``pool_dimensions`` ints.
        strides: an int, ``pool_dimensions`` ints, or ``None`` for ``pool_size``.
        pool_dimensions: the number of spatial dims (1, 2 or 3).
        pool_mode: ``"max"`` or ``"average"``.
        padding: ``"valid"`` or ``"same"`` (``"same"`` averages only real, unpadded elements).
        data_format: ``"channels_last"`` (default) or ``"channels_first"``.
    """

    def __init__(self, pool_size, strides, pool_dimensions, pool_mode="max", padding="valid", data_format=None,
                 **kwargs):
        super().__init__(**kwargs)
        if pool_mode not in ("max", "average"):
            raise ValueError(f"{type(self).__name__}: `pool_mode` must be 'max' or 'average', received {pool_mode!r}.")
        self.rank = pool_dimensions
        self.pool_size = standardize_tuple(pool_size, pool_dimensions, "pool_size")
        self.strides = standardize_tuple(pool_size if strides is None else strides, pool_dimensions, "strides")
        self.pool_mode = pool_mode
        self.padding = standardize_padding(padding)
        self.data_format = backend.standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=pool_dimensions + 2)
        self._pool = ops.max_pool if pool_mode == "max" else ops.average_pool
        self._build_at_init()

    def _check_input_spec(self, args, kwargs) -> None:
        super()._check_input_spec(args, kwargs)
        first = args[0] if args else kwargs.get("inputs")
        if hasattr(first, "shape"):
            self.compute_output_shape(tuple(first.shape))  # a window larger than the input: an error naming the layer

    def call(self, inputs):
        return self._pool(inputs, self.pool_size, strides=self.strides, padding=self.padding,
                          data_format=self.data_format)

    def compute_output_shape(self, input_shape):
        channels_last = self.data_format == "channels_last"
        spatial = input_shape[1:-1] if channels_last else input_shape[2:]
        lengths = [conv_output_length(size, p, s, self.padding) for size, p, s in
                   zip(spatial, self.pool_size, self.strides)]
        return spatial_output_shape(self, input_shape, input_shape[-1] if channels_last else input_shape[1], lengths)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({
            "pool_size": self.pool_size,
            "padding": self.padding,
            "strides": self.strides,
            "data_format": self.data_format,
        })
        return config
