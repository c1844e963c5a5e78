"""``BatchNormalization``: normalize with batch statistics while training, moving averages otherwise."""

from __future__ import annotations

from brickwork import backend, constraints, initializers, ops, regularizers
from brickwork.backend.common import dtypes
from brickwork.layers.input_spec import InputSpec
from brickwork.layers.layer import Layer


class BatchNormalization(Layer):
    """``gamma * (x - mean) / sqrt(variance + epsilon) + beta`` per feature along ``axis``.

    While training (``training=True`` and the layer trainable) ``mean``/``variance`` are the batch's,
    and the moving statistics are updated:
    ``moving = moving * momentum + batch * (1 - momentum)``. Otherwise the moving statistics are
    used. Setting ``trainable = False`` freezes the layer into inference mode, as in Keras.

    Args:
        axis: the feature axis (``-1``; ``1`` after a channels-first convolution).
        momentum: the moving averages' momentum.
        epsilon: added to the variance.
        center, scale: whether to learn ``beta`` and ``gamma``.
        beta_initializer, gamma_initializer: initializers of ``beta`` and ``gamma``.
        moving_mean_initializer, moving_variance_initializer: initializers of the moving statistics.
        beta_regularizer, gamma_regularizer, beta_constraint, gamma_constraint: for ``beta`` and ``gamma``.
        renorm: batch renormalization (Ioffe, 2017): training also corrects the batch statistics
            towards moving ones by ``r``/``d`` factors clipped by ``renorm_clipping``
            (``{"rmax", "rmin", "dmax"}``), with moving averages of momentum ``renorm_momentum``.
        synchronized: accepted for compatibility; statistics are those of the local batch.

    Call arguments:
        mask: optional boolean tensor of the input's shape without ``axis``: masked entries do not
            count in the batch statistics.

    Example:
    >>> layer = BatchNormalization()
    >>> y = layer(np.random.randn(8, 3), training=True)   # weights: gamma, beta, moving_mean, moving_variance
    """

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True, beta_initializer="zeros",
                 gamma_initializer="ones", moving_mean_initializer="zeros", moving_variance_initializer="ones",
                 beta_regularizer=None, gamma_regularizer=None, beta_constraint=None, gamma_constraint=None,
                 renorm=False, renorm_clipping=None, renorm_momentum=0.99, synchronized=False, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)):
            if len(axis) != 1:
                raise ValueError(f"BatchNormalization: `axis` must be one integer, received {axis!r}.")
            axis = axis[0]
        self.axis = int(axis)
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.center = center
        self.scale = scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.synchronized = synchronized
        self.renorm = renorm
        if renorm:
            renorm_clipping = _check_renorm_clipping(renorm_clipping or {})
        self.renorm_clipping = renorm_clipping
        self.renorm_momentum = renorm_momentum
        self.supports_masking = True
        self.gamma = self.beta = self.moving_mean = self.moving_variance = None

    def build(self, input_shape):
        ndim = len(input_shape)
        if not -ndim <= self.axis < ndim:
            raise ValueError(f"BatchNormalization {self.name!r}: axis {self.axis} is out of range for inputs of "
                             f"shape {tuple(input_shape)}.")
        dim = input_shape[self.axis]
        if dim is None:
            raise ValueError(f"BatchNormalization {self.name!r}: axis {self.axis} of the input must be known, "
                             f"received shape {tuple(input_shape)}.")
        shape = (dim,)
        if self.scale:
            self.gamma = self.add_weight(shape=shape, name="gamma", initializer=self.gamma_initializer,
                                         regularizer=self.gamma_regularizer, constraint=self.gamma_constraint,
                                         autocast=False)
        if self.center:
            self.beta = self.add_weight(shape=shape, name="beta", initializer=self.beta_initializer,
                                        regularizer=self.beta_regularizer, constraint=self.beta_constraint,
                                        autocast=False)
        self.moving_mean = self.add_weight(shape=shape, name="moving_mean", initializer=self.moving_mean_initializer,
                                           trainable=False, autocast=False)
        self.moving_variance = self.add_weight(shape=shape, name="moving_variance",
                                               initializer=self.moving_variance_initializer, trainable=False,
                                               autocast=False)
        if self.renorm:
            # Renorm tracks the moving standard deviation, initialized as sqrt of the variance initializer.
            def stddev_initializer(shape, dtype=None):
                return ops.sqrt(self.moving_variance_initializer(shape, dtype=dtype))

            self.moving_stddev = self.add_weight(shape=shape, name="moving_stddev", initializer=stddev_initializer,
                                                 trainable=False, autocast=False)
            self.renorm_mean = self.add_weight(shape=shape, name="renorm_mean",
                                               initializer=self.moving_mean_initializer, trainable=False,
                                               autocast=False)
            self.renorm_stddev = self.add_weight(shape=shape, name="renorm_stddev", initializer=stddev_initializer,
                                                 trainable=False, autocast=False)
        self.input_spec = InputSpec(ndim=ndim, axes={self.axis: dim})
        self._reduction_axes = [i for i in range(ndim) if i != self.axis % ndim]
        self.built = True

    def call(self, inputs, training=None, mask=None):
        if mask is not None and len(mask.shape) != len(inputs.shape) - 1:
            raise ValueError(f"BatchNormalization {self.name!r}: the mask must have one dimension less than the "
                             f"inputs, received mask.shape={tuple(mask.shape)}, inputs.shape={tuple(inputs.shape)}.")
        # Statistics in at least float32: half precision overflows in the variance.
        input_dtype = backend.standardize_dtype(inputs.dtype)
        dtype = input_dtype if input_dtype in ("float32", "float64") else dtypes.promote_types(input_dtype, "float32")
        if dtype != input_dtype:
            inputs = ops.cast(inputs, dtype)
        gamma = _read(self.gamma, dtype) if self.scale else None
        beta = _read(self.beta, dtype) if self.center else None
        if training and self.trainable:
            mean, variance = self._moments(inputs, mask)
            if self.renorm:
                gamma, beta = self._renorm_transform(mean, variance, gamma, beta, dtype)
                self._update_renorm_statistics(mean, variance, dtype)
            else:
                self._update_moving(self.moving_mean, mean, self.momentum, dtype)
                self._update_moving(self.moving_variance, variance, self.momentum, dtype)
        else:
            mean = _read(self.moving_mean, dtype)
            variance = _read(self.moving_variance, dtype)
        outputs = ops.batch_normalization(inputs, mean, variance, axis=self.axis, offset=beta, scale=gamma,
                                          epsilon=self.epsilon)
        return outputs if dtype == self.compute_dtype else ops.cast(outputs, self.compute_dtype)

    @staticmethod
    def _update_moving(variable, batch_value, momentum: float, dtype):
        """``variable = variable * momentum + batch_value * (1 - momentum)``, by ``assign`` (stateless-scope safe)."""
        new_value = _read(variable, dtype) * momentum + batch_value * (1.0 - momentum)
        variable.assign(new_value)
        return new_value

    def _moments(self, inputs, mask):
        if mask is None:
            return ops.moments(inputs, axes=self._reduction_axes, synchronized=self.synchronized)
        weights = ops.broadcast_to(ops.expand_dims(ops.cast(mask, inputs.dtype), -1), ops.shape(inputs))
        total = ops.sum(weights, self._reduction_axes, keepdims=True) + backend.epsilon()
        mean = ops.sum(weights * inputs, self._reduction_axes, keepdims=True) / total
        # Keras's formula: deviations of the masked inputs (masked entries count as 0, then weigh 0).
        variance = ops.sum(weights * ops.square(weights * inputs - mean), self._reduction_axes, keepdims=True) / total
        return ops.reshape(mean, (-1,)), ops.reshape(variance, (-1,))

    def _renorm_transform(self, mean, variance, gamma, beta, dtype):
        """``(x * r + d) * gamma + beta`` folded into a new scale and offset (r, d carry no gradient)."""
        stddev = ops.sqrt(variance + self.epsilon)
        renorm_stddev = ops.maximum(_read(self.renorm_stddev, dtype), self.epsilon ** 0.5)
        r = stddev / renorm_stddev
        d = (mean - _read(self.renorm_mean, dtype)) / renorm_stddev
        clipping = self.renorm_clipping
        if clipping.get("rmin") is not None:
            r = ops.maximum(r, clipping["rmin"])
        if clipping.get("rmax") is not None:
            r = ops.minimum(r, clipping["rmax"])
        if clipping.get("dmax") is not None:
            d = ops.clip(d, -clipping["dmax"], clipping["dmax"])
        r, d = ops.stop_gradient(r), ops.stop_gradient(d)
        if gamma is not None:
            r, d = r * gamma, d * gamma
        return r, (d if beta is None else d + beta)

    def _update_renorm_statistics(self, mean, variance, dtype):
        stddev = ops.sqrt(variance + self.epsilon)
        self._update_moving(self.renorm_mean, mean, self.renorm_momentum, dtype)
        self._update_moving(self.renorm_stddev, stddev, self.renorm_momentum, dtype)
        self._update_moving(self.moving_mean, mean, self.momentum, dtype)
        moving_stddev = self._update_moving(self.moving_stddev, stddev, self.momentum, dtype)
        # The variance follows from the stddev; relu guards against rounding below zero.
        self.moving_variance.assign(ops.relu(moving_stddev * moving_stddev - self.epsilon))

    def compute_output_shape(self, input_shape):
        if not -len(input_shape) <= self.axis < len(input_shape):
            raise ValueError(f"BatchNormalization {self.name!r}: axis {self.axis} is out of range for inputs of "
                             f"shape {tuple(input_shape)}.")
        return input_shape

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "axis": self.axis,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "moving_mean_initializer": initializers.serialize(self.moving_mean_initializer),
            "moving_variance_initializer": initializers.serialize(self.moving_variance_initializer),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": constraints.serialize(self.beta_constraint),
            "gamma_constraint": constraints.serialize(self.gamma_constraint),
            "synchronized": self.synchronized,
            "renorm": self.renorm,
            "renorm_clipping": self.renorm_clipping,
            "renorm_momentum": self.renorm_momentum,
        }


def _check_renorm_clipping(clipping: dict) -> dict:
    unknown = set(clipping) - {"rmax", "rmin", "dmax"}
    if unknown:
        raise ValueError(f"BatchNormalization: Received invalid keys {sorted(unknown)} in `renorm_clipping`; "
                         "supported keys are 'rmax', 'rmin', 'dmax'.")
    rmax, rmin, dmax = clipping.get("rmax"), clipping.get("rmin"), clipping.get("dmax")
    if rmax is not None and rmin is not None and rmax < rmin:
        raise ValueError(f"BatchNormalization: in `renorm_clipping`, rmax should be greater than or equal to rmin. "
                         f"Received: rmax={rmax}, rmin={rmin}")
    if dmax is not None and dmax < 0:
        raise ValueError(f"BatchNormalization: in `renorm_clipping`, dmax should be non-negative. Received: dmax={dmax}")
    return clipping


def _read(variable, dtype: str):
    """The variable's value in ``dtype``; no cast (and no op dispatch) when it already is."""
    return variable.value if variable.dtype == dtype else ops.cast(variable.value, dtype)
