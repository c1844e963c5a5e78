"""``GaussianNoise``: add zero-centered Gaussian noise while training."""

from __future__ import annotations

from brickwork import ops, random
from brickwork.layers.layer import Layer


class GaussianNoise(Layer):
    """Add noise drawn from ``N(0, stddev**2)`` to the inputs during training.

    Args:
        stddev: the noise's standard deviation, in ``[0, 1]``.
        seed: an integer seed for repeatable noise.

    Example:
    >>> GaussianNoise(0.1)(np.zeros((2, 3)), training=True)
    """

    def __init__(self, stddev, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not 0 <= stddev <= 1:
            raise ValueError(f"GaussianNoise: `stddev` must be in [0, 1], received {stddev!r}.")
        self.stddev = stddev
        self.seed = seed
        self.seed_generator = random.SeedGenerator(seed) if stddev > 0 else None
        self.supports_masking = True
        self._build_at_init()

    def call(self, inputs, training=False):
        if not training or self.stddev <= 0:
            return inputs
        noise = random.normal(tuple(inputs.shape), mean=0.0, stddev=self.stddev, dtype=inputs.dtype,
                              seed=self.seed_generator)
        return ops.add(inputs, noise)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "stddev": self.stddev, "seed": self.seed}
