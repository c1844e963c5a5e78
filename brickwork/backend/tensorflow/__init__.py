"""The TensorFlow backend: one module per concern, the same file names as the other backends."""

from brickwork.backend.tensorflow._loading import import_tensorflow

import_tensorflow()  # first, so that TensorFlow does not import the `keras` package (see _loading.py)

from brickwork.backend.tensorflow import arrays, core, data, determinism, gradients, image, linalg, math, nn, numerics, numpy, random, rnn, sparse  # noqa: F401
