"""``brickwork.random``: seeded random sampling, as ``keras.random``."""

from brickwork.random.random import (  # noqa: F401
    beta,
    binomial,
    categorical,
    dropout,
    gamma,
    normal,
    randint,
    shuffle,
    truncated_normal,
    uniform,
)
from brickwork.random.seed_generator import SeedGenerator, draw_seed  # noqa: F401
