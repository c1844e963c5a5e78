"""``LayerNormalization``: normalize each sample over its feature axes."""

from __future__ import annotations

from brickwork import constraints, initializers, ops, regularizers
from brickwork.layers.layer import Layer


class LayerNormalization(Layer):
    """``gamma * (x - mean) / sqrt(variance + epsilon) + beta``, statistics over ``axis`` of each sample.

    Args:
        axis: the axis or list of axes to normalize over (``-1``: the features).
        epsilon: added to the variance (default 1e-3, as Keras).
        center, scale: whether to learn ``beta`` and ``gamma`` (shaped like the normalized axes).
        rms_scaling: Keras 3's flag: ignore ``center``/``scale`` and return
            ``x * rsqrt(variance + epsilon) * gamma`` (no centering of the output; Keras scales by
            the variance here, which this follows).
        beta_initializer, gamma_initializer, beta_regularizer, gamma_regularizer: for the weights.
        beta_constraint, gamma_constraint: for the weights.

    Example:
    >>> LayerNormalization()(np.array([[1.0, 2.0, 3.0]]))   # ≈ [[-1.22, 0., 1.22]]
    """

    def __init__(self, axis=-1, epsilon=1e-3, center=True, scale=True, rms_scaling=False, beta_initializer="zeros",
                 gamma_initializer="ones", beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)):
            self.axis = list(axis)
        elif isinstance(axis, int):
            self.axis = axis
        else:
            raise TypeError(f"LayerNormalization: Expected an int or a list/tuple of ints for the argument 'axis'. "
                            f"Received: axis={axis!r}")
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        self.rms_scaling = rms_scaling
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.supports_masking = True
        self.autocast = False

    def build(self, input_shape):
        if isinstance(self.axis, int):
            self.axis = [self.axis]
        for axis in self.axis:
            if not -len(input_shape) <= axis < len(input_shape):
                raise ValueError(f"LayerNormalization {self.name!r}: axis {axis} is out of range for inputs of "
                                 f"shape {tuple(input_shape)}.")
        shape = tuple(input_shape[axis] for axis in self.axis)
        self.gamma = self.beta = None
        if self.scale or self.rms_scaling:
            self.gamma = self.add_weight(name="gamma", shape=shape, initializer=self.gamma_initializer,
                                         regularizer=self.gamma_regularizer, constraint=self.gamma_constraint,
                                         autocast=False)
        if self.center and not self.rms_scaling:
            self.beta = self.add_weight(name="beta", shape=shape, initializer=self.beta_initializer,
                                        regularizer=self.beta_regularizer, constraint=self.beta_constraint,
                                        autocast=False)
        self.built = True

    def call(self, inputs):
        inputs = ops.cast(inputs, self.compute_dtype)
        if self.rms_scaling:
            outputs = self._rms_scaled(inputs)
        else:
            outputs = ops.layer_normalization(inputs, self.gamma, self.beta, axis=self.axis, epsilon=self.epsilon)
        return ops.cast(outputs, self.compute_dtype)

    def _rms_scaled(self, inputs):
        x = ops.cast(inputs, "float32") if self.compute_dtype in ("float16", "bfloat16") else inputs
        inv = ops.rsqrt(ops.var(x, axis=tuple(self.axis), keepdims=True) + self.epsilon)
        gamma = ops.cast(self.gamma, x.dtype)
        ndim = len(x.shape)
        if sorted(a % ndim for a in self.axis) != [ndim - 1]:
            broadcast = [1] * ndim
            for axis in self.axis:
                broadcast[axis] = x.shape[axis]
            gamma = ops.reshape(gamma, broadcast)
        return x * inv * gamma

    def compute_output_shape(self, input_shape):
        for axis in [self.axis] if isinstance(self.axis, int) else self.axis:
            if not -len(input_shape) <= axis < len(input_shape):
                raise ValueError(f"LayerNormalization {self.name!r}: axis {axis} is out of range for inputs of "
                                 f"shape {tuple(input_shape)}.")
        return input_shape

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "axis": self.axis,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "rms_scaling": self.rms_scaling,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": constraints.serialize(self.beta_constraint),
            "gamma_constraint": constraints.serialize(self.gamma_constraint),
        }
