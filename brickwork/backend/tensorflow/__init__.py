"""The TensorFlow backend: one module per concern, the same file names as the other backends."""

from brickwork.backend.tensorflow import arrays, core, data, determinism, gradients, image, linalg, math, nn, numerics, numpy, random, rnn  # noqa: F401
