"""``Normalization``: shift and scale features to zero mean and unit variance (or back, ``invert``)."""

from __future__ import annotations

import numpy as np

from brickwork import backend, ops
from brickwork.layers.layer import Layer
from brickwork.layers.preprocessing.index_lookup import iterate_batches


class Normalization(Layer):
    """Compute ``(x - mean) / sqrt(var)`` per feature along ``axis``; ``adapt`` learns mean and variance.

    Args:
        axis: the axis or axes that keep separate statistics (default -1; ``None``: one for all).
        mean, variance: fixed statistics, broadcast over the kept axes (otherwise call ``adapt``).
        invert: compute ``mean + x * sqrt(var)`` instead, undoing the normalization.

    Example:
    >>> layer = Normalization(); layer.adapt(np.array([[1.0], [2.0], [3.0]]))
    >>> layer(np.array([[2.0]]))   # [[0.]]
    """

    def __init__(self, axis=-1, mean=None, variance=None, invert=False, **kwargs):
        super().__init__(**kwargs)
        if axis is None:
            axis = ()
        elif isinstance(axis, (int, np.integer)):
            axis = (int(axis),)
        self.axis = tuple(axis)
        if (mean is None) != (variance is None):
            raise ValueError(f"Normalization: set both `mean` and `variance` or neither, received "
                             f"mean={mean!r}, variance={variance!r}.")
        self.input_mean = mean
        self.input_variance = variance
        self.invert = invert
        self.supports_masking = True

    def build(self, input_shape):
        ndim = len(input_shape)
        if any(a < -ndim or a >= ndim for a in self.axis):
            raise ValueError(f"Normalization: `axis` {self.axis} is out of range for inputs of rank {ndim}.")
        keep = tuple(sorted(a % ndim for a in self.axis))
        if any(input_shape[a] is None for a in keep):
            raise ValueError(f"Normalization: the kept axes {keep} of input shape {tuple(input_shape)} "
                             "must be known.")
        self._keep_axis = keep
        self._reduce_axis = tuple(d for d in range(ndim) if d not in keep)
        self._broadcast_shape = tuple(input_shape[d] if d in keep else 1 for d in range(ndim))
        shape = tuple(input_shape[d] for d in keep)
        if self.input_mean is None:
            self.adapt_mean = self.add_weight(name="mean", shape=shape, initializer="zeros", trainable=False)
            self.adapt_variance = self.add_weight(name="variance", shape=shape, initializer="ones",
                                                  trainable=False)
            # Keras keeps this third variable (unused) so that its weight files keep their layout
            self.count = self.add_weight(name="count", shape=(), dtype="int", initializer="zeros", trainable=False)
        else:
            self._fixed = tuple(backend.convert_to_tensor(self._broadcast_statistic(v), dtype=self.compute_dtype)
                                for v in (self.input_mean, self.input_variance))
        self.built = True

    def _broadcast_statistic(self, value) -> np.ndarray:
        """A given mean or variance at the broadcast shape: one value per kept position (``[m0, m1, m2]`` for
        ``axis=1`` of NCHW images lands on axis 1), or anything NumPy broadcasts there."""
        value = np.asarray(value, "float64")
        kept = tuple(self._broadcast_shape[d] for d in self._keep_axis)
        if value.ndim == 1 and value.size == int(np.prod(kept)) and value.size > 1:
            value = value.reshape(self._broadcast_shape)
        return np.array(np.broadcast_to(value, self._broadcast_shape))

    def adapt(self, data, steps=None) -> None:
        """Learn the mean and variance of ``data`` (an array, or an iterable of batches) per kept feature."""
        if self.input_mean is not None:
            raise ValueError("Normalization: `adapt` cannot change a layer built with fixed `mean`/`variance`.")
        count, total, total_sq = 0, 0.0, 0.0
        for step, batch in enumerate(iterate_batches(data)):
            if steps is not None and step >= steps:
                break
            batch = np.asarray(backend.convert_to_numpy(batch) if backend.is_tensor(batch) else batch, "float64")
            if not self.built:
                self._build_shapes = tuple(batch.shape)
                self.build(batch.shape)
            count += int(np.prod([batch.shape[d] for d in self._reduce_axis]))
            total = total + batch.sum(axis=self._reduce_axis)
            total_sq = total_sq + np.square(batch).sum(axis=self._reduce_axis)
        if count == 0:
            raise ValueError("Normalization: `adapt` received no data.")
        mean = total / count
        variance = np.maximum(total_sq / count - np.square(mean), 0.0)
        self.adapt_mean.assign(mean.astype(self.adapt_mean.dtype))
        self.adapt_variance.assign(variance.astype(self.adapt_variance.dtype))

    def _statistics(self):
        if self.input_mean is not None:
            return self._fixed
        mean = ops.reshape(ops.cast(self.adapt_mean, self.compute_dtype), self._broadcast_shape)
        variance = ops.reshape(ops.cast(self.adapt_variance, self.compute_dtype), self._broadcast_shape)
        return mean, variance

    def call(self, inputs):
        inputs = ops.cast(inputs, self.compute_dtype)
        mean, variance = self._statistics()
        scale = ops.maximum(ops.sqrt(variance), backend.epsilon())
        if self.invert:
            return ops.add(mean, ops.multiply(inputs, scale))
        return ops.divide(ops.subtract(inputs, mean), scale)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        as_list = lambda v: v if v is None else np.asarray(v).tolist()  # noqa: E731
        return {**super().get_config(), "axis": self.axis, "invert": self.invert,
                "mean": as_list(self.input_mean), "variance": as_list(self.input_variance)}
