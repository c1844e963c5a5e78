"""brickwork: the Keras API, written anew, on PyTorch, JAX and NumPy."""

__version__ = "0.1.0"

from brickwork import backend, ops  # noqa: E402,F401
