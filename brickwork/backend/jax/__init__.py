"""The jax backend: one module per concern, the same file names as the other backends."""

from brickwork.backend.jax import arrays, core, determinism, gradients, image, linalg, math, nn, numerics, numpy, random, rnn, sparse  # noqa: F401
