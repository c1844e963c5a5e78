"""``SpatialDropout1D/2D/3D``: dropout of whole feature maps (channels) rather than single entries."""

from __future__ import annotations

from brickwork import backend, random
from brickwork.layers.input_spec import InputSpec
from brickwork.layers.regularization.dropout import Dropout


class _BaseSpatialDropout(Dropout):
    """Drop whole channels: the keep mask is 1 along the spatial axes."""

    _ndim = None

    def __init__(self, rate, data_format=None, seed=None, name=None, dtype=None, **kwargs):
        super().__init__(rate, seed=seed, name=name, dtype=dtype, **kwargs)
        self.data_format = backend.standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=self._ndim)

    def call(self, inputs, training=False):
        if not training or self.rate == 0:
            return inputs
        return random.dropout(inputs, self.rate, noise_shape=self._noise_shape(tuple(inputs.shape)),
                              seed=self.seed_generator)

    def _noise_shape(self, shape: tuple) -> tuple:
        spatial = (1,) * (len(shape) - 2)
        if self.data_format == "channels_first":
            return (shape[0], shape[1]) + spatial
        return (shape[0],) + spatial + (shape[-1],)

    def get_config(self) -> dict:
        # Keras writes exactly these keys (and the dtype as a plain name).
        return {"rate": self.rate, "seed": self.seed, "name": self.name, "dtype": self.dtype,
                "data_format": self.data_format}


class SpatialDropout1D(_BaseSpatialDropout):
    """Dropout of whole 1D feature maps: inputs ``(batch, timesteps, channels)``.

    Args:
        rate: the fraction of channels to drop, in ``[0, 1)``.
        seed: an integer seed for repeatable masks.

    Example:
    >>> SpatialDropout1D(0.5)(np.ones((2, 5, 4)), training=True)   # each (sample, channel) column is 0 or 2
    """

    _ndim = 3

    def __init__(self, rate, seed=None, name=None, dtype=None, **kwargs):
        super().__init__(rate, data_format="channels_last", seed=seed, name=name, dtype=dtype, **kwargs)

    def get_config(self) -> dict:
        config = super().get_config()
        del config["data_format"]
        return config


class SpatialDropout2D(_BaseSpatialDropout):
    """Dropout of whole 2D feature maps: inputs ``(batch, rows, cols, channels)`` (or channels first).

    Args:
        rate: the fraction of channels to drop, in ``[0, 1)``.
        data_format: ``"channels_last"`` or ``"channels_first"`` (default: the global image data format).
        seed: an integer seed for repeatable masks.

    Example:
        layer = SpatialDropout2D(0.5, seed=1)
        y = layer(np.ones((1, 4, 4, 6)), training=True)   # each of the 6 channels is all 0 or all 2
    """

    _ndim = 4


class SpatialDropout3D(_BaseSpatialDropout):
    """Dropout of whole 3D feature maps: inputs ``(batch, d1, d2, d3, channels)`` (or channels first).

    Args:
        rate: the fraction of channels to drop, in ``[0, 1)``.
        data_format: ``"channels_last"`` or ``"channels_first"`` (default: the global image data format).
        seed: an integer seed for repeatable masks.

    Example:
        layer = SpatialDropout3D(0.5, seed=1)
        y = layer(np.ones((1, 2, 2, 2, 6)), training=True)   # each channel is all 0 or all 2
    """

    _ndim = 5
