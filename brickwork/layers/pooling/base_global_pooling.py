"""``BaseGlobalPooling``: pooling over every spatial axis, behind the ``Global*Pooling*`` layers."""

from __future__ import annotations

from brickwork import backend
from brickwork.layers.input_spec import InputSpec
from brickwork.layers.layer import Layer


class BaseGlobalPooling(Layer):
    """Reduce the spatial axes of ``(batch, *spatial, channels)`` inputs to ``(batch, channels)``.

    Args:
        pool_dimensions: the number of spatial dims (1, 2 or 3).
        data_format: ``"channels_last"`` (default) or ``"channels_first"``.
        keepdims: keep the spatial axes with size 1.
    """

    def __init__(self, pool_dimensions, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        self.data_format = backend.standardize_data_format(data_format)
        self.keepdims = bool(keepdims)
        self.input_spec = InputSpec(ndim=pool_dimensions + 2)
        first = 1 if self.data_format == "channels_last" else 2
        self._spatial_axes = tuple(range(first, first + pool_dimensions))
        self._build_at_init()

    def compute_output_shape(self, input_shape):
        rank = len(input_shape) - 2
        if self.data_format == "channels_last":
            middle = (1,) * rank if self.keepdims else ()
            return (input_shape[0],) + middle + (input_shape[-1],)
        return (input_shape[0], input_shape[1]) + ((1,) * rank if self.keepdims else ())

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"data_format": self.data_format, "keepdims": self.keepdims})
        return config
