"""jax backend: linalg ops."""
