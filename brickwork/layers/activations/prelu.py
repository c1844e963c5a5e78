"""``PReLU``: a leaky ReLU whose negative slope is learned, per element or shared along axes."""

from __future__ import annotations

from brickwork import constraints, initializers, ops, regularizers
from brickwork.layers.input_spec import InputSpec
from brickwork.layers.layer import Layer


class PReLU(Layer):
    """``x`` for ``x >= 0``, ``alpha * x`` below, with ``alpha`` a trainable weight.

    Args:
        alpha_initializer, alpha_regularizer, alpha_constraint: for the weight ``alpha``
            (initialized to zeros by default).
        shared_axes: axes (counting the batch axis as 0) along which one slope is shared, e.g.
            ``[1, 2]`` for one slope per channel of ``(batch, height, width, channels)`` inputs.

    Example:
    >>> layer = PReLU(shared_axes=[1, 2])
    >>> layer(np.zeros((2, 8, 8, 3))).shape   # alpha has shape (1, 1, 3)
    """

    def __init__(self, alpha_initializer="Zeros", alpha_regularizer=None, alpha_constraint=None, shared_axes=None,
                 **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = regularizers.get(alpha_regularizer)
        self.alpha_constraint = constraints.get(alpha_constraint)
        if shared_axes is None:
            self.shared_axes = None
        elif isinstance(shared_axes, (list, tuple)):
            self.shared_axes = list(shared_axes)
        else:
            self.shared_axes = [shared_axes]

    def build(self, input_shape):
        param_shape = list(input_shape[1:])
        for axis in self.shared_axes or ():
            if not 1 <= axis < len(input_shape):
                raise ValueError(f"PReLU {self.name!r}: shared axis {axis} is out of range for inputs of shape "
                                 f"{tuple(input_shape)} (axis 0, the batch, cannot be shared).")
            param_shape[axis - 1] = 1
        if None in param_shape:
            raise ValueError(f"PReLU {self.name!r}: the non-shared axes must be known, received input shape "
                             f"{tuple(input_shape)}; share the unknown axes with `shared_axes`.")
        self.alpha = self.add_weight(shape=param_shape, name="alpha", initializer=self.alpha_initializer,
                                     regularizer=self.alpha_regularizer, constraint=self.alpha_constraint)
        axes = {i: input_shape[i] for i in range(1, len(input_shape)) if i not in (self.shared_axes or ())}
        self.input_spec = InputSpec(ndim=len(input_shape), axes=axes)
        self.built = True

    def call(self, inputs):
        positive = ops.relu(inputs)
        negative = ops.multiply(self.alpha, ops.minimum(inputs, 0))
        return ops.add(positive, negative)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "alpha_initializer": initializers.serialize(self.alpha_initializer),
            "alpha_regularizer": regularizers.serialize(self.alpha_regularizer),
            "alpha_constraint": constraints.serialize(self.alpha_constraint),
            "shared_axes": self.shared_axes,
        }
