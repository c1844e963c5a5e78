"""``BaseAdaptivePooling``: pooling to a fixed output size, behind the ``Adaptive*Pooling*`` layers."""

from __future__ import annotations

from brickwork import backend, ops
from brickwork.layers.input_spec import InputSpec
from brickwork.layers.layer import Layer

_AXES = {1: "(length,)", 2: "(height, width)", 3: "(depth, height, width)"}


class BaseAdaptivePooling(Layer):
    """Pool ``(batch, *spatial, channels)`` inputs to ``(batch, *output_size, channels)``, whatever the input size.

    Output bin ``i`` of a spatial axis of length ``n`` pools inputs ``floor(i * n / out)`` to
    ``ceil((i + 1) * n / out) - 1``, as torch's adaptive pooling does.

    Args:
        output_size: an int (the same for every spatial axis) or one int per spatial axis.
        data_format: ``"channels_last"`` or ``"channels_first"``; default ``image_data_format()``.
    """

    pool_dimensions: int = 0

    def __init__(self, output_size: int | tuple, data_format: str | None = None, **kwargs):
        super().__init__(**kwargs)
        rank = self.pool_dimensions
        if isinstance(output_size, int):
            output_size = (output_size,) * rank
        if not isinstance(output_size, (tuple, list)) or len(output_size) != rank:
            raise TypeError(f"{type(self).__name__}: output_size must be an int or a tuple {_AXES[rank]}, received "
                            f"output_size={output_size!r} of type {type(output_size).__name__}")
        self.output_size = tuple(int(size) for size in output_size)
        self.data_format = backend.standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=rank + 2)

    def compute_output_shape(self, input_shape):
        if self.data_format == "channels_last":
            return (input_shape[0], *self.output_size, input_shape[-1])
        return (input_shape[0], input_shape[1], *self.output_size)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"output_size": self.output_size, "data_format": self.data_format})
        return config


class BaseAdaptiveAveragePooling(BaseAdaptivePooling):
    """Adaptive pooling by the mean of each bin (``ops.adaptive_average_pool``)."""

    def call(self, inputs):
        return ops.adaptive_average_pool(inputs, self.output_size, data_format=self.data_format)


class BaseAdaptiveMaxPooling(BaseAdaptivePooling):
    """Adaptive pooling by the maximum of each bin (``ops.adaptive_max_pool``)."""

    def call(self, inputs):
        return ops.adaptive_max_pool(inputs, self.output_size, data_format=self.data_format)
