"""``GroupNormalization``: normalize each sample over groups of channels."""

from __future__ import annotations

from brickwork import constraints, initializers, ops, regularizers
from brickwork.backend.common import dtypes
from brickwork.layers.input_spec import InputSpec
from brickwork.layers.layer import Layer


class GroupNormalization(Layer):
    """Split the channels along ``axis`` into ``groups`` and normalize each group of each sample
    (over the group's channels and every other non-batch axis), then ``* gamma + beta`` per channel.

    ``groups=1`` is layer normalization over all non-batch axes; ``groups=-1`` (one channel per
    group) is instance normalization.

    Args:
        groups: the number of groups; must divide the number of channels.
        axis: the channel axis (default ``-1``).
        epsilon: added to the variance.
        center, scale: whether to learn ``beta`` and ``gamma`` (one value per channel).
        beta_initializer, gamma_initializer, beta_regularizer, gamma_regularizer: for the weights.
        beta_constraint, gamma_constraint: for the weights.

    Example:
    >>> GroupNormalization(groups=2)(np.random.randn(2, 5, 4)).shape   # (2, 5, 4)
    """

    def __init__(self, groups=32, axis=-1, epsilon=1e-3, center=True, scale=True, beta_initializer="zeros",
                 gamma_initializer="ones", beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(groups, bool) or not isinstance(groups, int) or not (groups > 0 or groups == -1):
            raise ValueError(f"GroupNormalization: Invalid value for argument `groups`: expected a positive integer, "
                             f"or -1 for one group per channel. Received: groups={groups!r}")
        self.supports_masking = True
        # Inputs come in uncast and the statistics are taken in float32 at least: float16 overflows on them.
        self.autocast = False
        self.groups = groups
        self.axis = axis
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)

    def build(self, input_shape):
        if not -len(input_shape) <= self.axis < len(input_shape):
            raise ValueError(f"GroupNormalization {self.name!r}: axis {self.axis} is out of range for inputs of "
                             f"shape {tuple(input_shape)}.")
        dim = input_shape[self.axis]
        if dim is None:
            raise ValueError(f"GroupNormalization {self.name!r}: axis {self.axis} of the input tensor should have a "
                             f"defined dimension but the layer received an input with shape {tuple(input_shape)}: its "
                             f"size must be known to build the layer.")
        if self.groups == -1:
            self.groups = dim
        if dim < self.groups:
            raise ValueError(f"GroupNormalization {self.name!r}: the number of groups ({self.groups}) cannot be "
                             f"more than the number of channels ({dim}).")
        if dim % self.groups != 0:
            raise ValueError(f"GroupNormalization {self.name!r}: {dim} channels cannot be split into {self.groups} "
                             f"groups of equal size: the groups' total size must be a multiple of the number of "
                             f"channels ({dim}) with none left over; use a `groups` that divides {dim}.")
        self.input_spec = InputSpec(ndim=len(input_shape), axes={self.axis: dim})
        self.gamma = self.beta = None
        if self.scale:
            self.gamma = self.add_weight(shape=(dim,), name="gamma", initializer=self.gamma_initializer,
                                         regularizer=self.gamma_regularizer, constraint=self.gamma_constraint,
                                         autocast=False)
        if self.center:
            self.beta = self.add_weight(shape=(dim,), name="beta", initializer=self.beta_initializer,
                                        regularizer=self.beta_regularizer, constraint=self.beta_constraint,
                                        autocast=False)
        self.built = True

    def call(self, inputs):
        shape = tuple(inputs.shape)
        ndim = len(shape)
        axis = self.axis % ndim
        channels = shape[axis]
        # (..., C, ...) -> (..., groups, C // groups, ...): the groups axis takes the channel axis' place.
        grouped_shape = (-1,) + shape[1:axis] + (self.groups, channels // self.groups) + shape[axis + 1:]
        grouped = ops.reshape(ops.cast(inputs, dtypes.promote_types(inputs.dtype, "float32")), grouped_shape)
        reduction_axes = tuple(i for i in range(1, ndim + 1) if i != axis)
        mean, variance = ops.moments(grouped, axes=reduction_axes, keepdims=True)
        inv = ops.rsqrt(variance + self.epsilon)
        param_shape = [1] * (ndim + 1)
        param_shape[axis], param_shape[axis + 1] = self.groups, channels // self.groups
        if self.gamma is not None:
            inv = inv * ops.reshape(ops.cast(self.gamma, grouped.dtype), param_shape)
        offset = -mean * inv
        if self.beta is not None:
            offset = offset + ops.reshape(ops.cast(self.beta, grouped.dtype), param_shape)
        return ops.cast(ops.reshape(grouped * inv + offset, (-1,) + shape[1:]), self.compute_dtype)

    def compute_output_shape(self, input_shape):
        if not -len(input_shape) <= self.axis < len(input_shape):
            raise ValueError(f"GroupNormalization {self.name!r}: axis {self.axis} is out of range for inputs of "
                             f"shape {tuple(input_shape)}.")
        return input_shape

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "groups": self.groups,
            "axis": self.axis,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": constraints.serialize(self.beta_constraint),
            "gamma_constraint": constraints.serialize(self.gamma_constraint),
        }
