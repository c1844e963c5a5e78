"""``Dropout``: zero a random fraction of the inputs while training, scaling the rest."""

from __future__ import annotations

from brickwork import random
from brickwork.layers.layer import Layer


class Dropout(Layer):
    """Randomly set inputs to 0 with frequency ``rate`` during training; scale the rest by ``1/(1-rate)``.

    Args:
        rate: the fraction of inputs to drop, in ``[0, 1)``.
        noise_shape: the shape of the binary mask, to drop whole features (``None`` dims follow the input).
        seed: an integer seed for repeatable masks.

    Example:
        layer = Dropout(0.5, seed=1)
        x = np.ones((2, 4))
        layer(x, training=True)    # about half the entries 0., the others 2.
        layer(x)                   # the input unchanged: dropout is active only in training
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not 0 <= rate < 1:
            raise ValueError(f"Dropout: Invalid value received for argument `rate`. Expected a float value between "
                             f"0 and 1 (1 excluded). Received: rate={rate!r}")
        self.rate = float(rate)
        self.noise_shape = _validated_noise_shape("Dropout", noise_shape)
        self.seed = seed
        self.seed_generator = random.SeedGenerator(seed) if rate > 0 else None
        self.supports_masking = True
        self._build_at_init()

    def call(self, inputs, training=False):
        if not training or self.rate == 0:
            return inputs
        noise_shape = None
        if self.noise_shape is not None:
            shape = tuple(inputs.shape)
            noise_shape = tuple(shape[i] if d is None else d for i, d in enumerate(self.noise_shape))
        return random.dropout(inputs, self.rate, noise_shape=noise_shape, seed=self.seed_generator)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"rate": self.rate, "noise_shape": self.noise_shape, "seed": self.seed})
        return config


def _validated_noise_shape(layer_name: str, noise_shape) -> tuple | None:
    """``noise_shape`` as a tuple of positive ints or ``None``s, or ``None``; a ValueError naming the layer else."""
    if noise_shape is None:
        return None
    if not isinstance(noise_shape, (tuple, list)):
        raise ValueError(f"{layer_name}: Invalid value received for argument `noise_shape`. Expected a tuple or "
                         f"list of integers. Received: noise_shape={noise_shape!r}")
    for dim in noise_shape:
        if dim is not None and (isinstance(dim, bool) or not isinstance(dim, int)):
            raise ValueError(f"{layer_name}: Invalid value received for argument `noise_shape`. Expected all "
                             f"elements to be integers or None. Received: noise_shape={noise_shape!r}")
        if dim is not None and dim <= 0:
            raise ValueError(f"{layer_name}: Invalid value received for argument `noise_shape`. Expected all "
                             f"dimensions to be positive integers or None. Received: noise_shape={noise_shape!r}")
    return tuple(noise_shape)
