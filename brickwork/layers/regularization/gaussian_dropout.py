"""``GaussianDropout``: multiply by 1-centered Gaussian noise while training."""

from __future__ import annotations

import math

from brickwork import ops, random
from brickwork.layers.layer import Layer


class GaussianDropout(Layer):
    """Multiply the inputs by noise drawn from ``N(1, rate / (1 - rate))`` during training.

    Args:
        rate: the equivalent drop probability, in ``[0, 1]``.
        seed: an integer seed for repeatable noise.

    Example:
    >>> GaussianDropout(0.2)(np.ones((2, 3)), training=True)
    """

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not 0 <= rate <= 1:
            raise ValueError(f"GaussianDropout: Invalid value received for argument `rate`. Expected a float value "
                             f"between 0 and 1. Received: rate={rate!r}")
        self.rate = rate
        self.seed = seed
        self.seed_generator = random.SeedGenerator(seed) if rate > 0 else None
        self.supports_masking = True
        self._build_at_init()

    def call(self, inputs, training=False):
        if not training or self.rate <= 0:
            return inputs
        stddev = math.sqrt(self.rate / (1.0 - self.rate))
        noise = random.normal(tuple(inputs.shape), mean=1.0, stddev=stddev, dtype=inputs.dtype,
                              seed=self.seed_generator)
        return ops.multiply(inputs, noise)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}
