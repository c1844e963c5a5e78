"""``Rescaling``: multiply inputs by ``scale`` and add ``offset`` (e.g. pixels to ``[0, 1]``)."""

from __future__ import annotations

import numpy as np

from brickwork import backend, ops
from brickwork.layers.layer import Layer


class Rescaling(Layer):
    """Compute ``inputs * scale + offset`` in the layer's compute dtype.

    Args:
        scale: a float, or a per-channel list broadcast against the last axis (channels_last).
        offset: a float or per-channel list added after scaling.

    Example:
    >>> Rescaling(1 / 255)(np.array([[0, 255]]))   # [[0., 1.]]
    """

    def __init__(self, scale, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale
        self.offset = offset
        self.supports_masking = True

    def _channel_constant(self, value, ndim):
        array = np.asarray(value, dtype="float64")
        if array.ndim > 0 and backend.image_data_format() == "channels_first" and ndim > 2:
            array = array.reshape(array.shape + (1,) * (ndim - array.ndim - 1))
        return backend.convert_to_tensor(array, dtype=self.compute_dtype) if array.ndim else float(array)

    def call(self, inputs):
        inputs = ops.cast(inputs, self.compute_dtype)
        ndim = len(inputs.shape)
        scale = self._channel_constant(self.scale, ndim)
        offset = self._channel_constant(self.offset, ndim)
        return ops.add(ops.multiply(inputs, scale), offset)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        as_plain = lambda v: np.asarray(v).tolist() if isinstance(v, np.ndarray) else v  # noqa: E731
        return {**super().get_config(), "scale": as_plain(self.scale), "offset": as_plain(self.offset)}
