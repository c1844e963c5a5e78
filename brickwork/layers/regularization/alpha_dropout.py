"""``AlphaDropout``: dropout that keeps the mean and variance of self-normalizing (SELU) activations."""

from __future__ import annotations

from brickwork import ops, random
from brickwork.layers.layer import Layer
from brickwork.layers.regularization.dropout import _validated_noise_shape

# SELU's constants: dropped units are set to SELU's negative saturation value, -alpha * scale.
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


class AlphaDropout(Layer):
    """Set a fraction ``rate`` of the inputs to ``-alpha * scale`` and apply the affine map that
    restores the inputs' mean and variance (Klambauer et al., 2017), during training only.

    Args:
        rate: the fraction to drop, in ``[0, 1]``.
        noise_shape: the shape of the keep mask, broadcast to the inputs (``None`` dims follow the input).
        seed: an integer seed for repeatable masks.

    Example:
    >>> AlphaDropout(0.1)(np.random.randn(4, 8), training=True)
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not 0 <= rate <= 1:
            raise ValueError(f"AlphaDropout: Invalid value received for argument `rate`. Expected a float value "
                             f"between 0 and 1. Received: rate={rate!r}")
        self.rate = rate
        self.noise_shape = _validated_noise_shape("AlphaDropout", noise_shape)
        self.seed = seed
        self.seed_generator = random.SeedGenerator(seed) if rate > 0 else None
        self.supports_masking = True
        self._build_at_init()

    def call(self, inputs, training=False):
        if not training or self.rate <= 0:
            return inputs
        shape = tuple(inputs.shape)
        noise_shape = shape if self.noise_shape is None else tuple(
            shape[i] if d is None else d for i, d in enumerate(self.noise_shape))
        alpha_p = -_SELU_ALPHA * _SELU_SCALE
        kept = ops.cast(ops.greater_equal(random.uniform(noise_shape, seed=self.seed_generator), self.rate),
                        inputs.dtype)
        a = ((1 - self.rate) * (1 + self.rate * alpha_p**2)) ** -0.5
        b = -a * alpha_p * self.rate
        x = ops.add(ops.multiply(inputs, kept), ops.multiply(alpha_p, ops.subtract(1.0, kept)))
        return ops.add(ops.multiply(a, x), b)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "rate": self.rate, "seed": self.seed, "noise_shape": self.noise_shape}
