"""Keras 3.15.1's own test suite, run against brickwork (see README.md beside this file)."""
