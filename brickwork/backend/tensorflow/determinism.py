"""TensorFlow backend: deterministic mode (``brickwork.config.enable_determinism``), through
``tf.config.experimental.enable_op_determinism``."""

from __future__ import annotations

import tensorflow as tf


def enable(warn_only: bool = False) -> None:
    """Make TensorFlow's ops deterministic (TensorFlow raises on an op that has no deterministic kernel)."""
    tf.config.experimental.enable_op_determinism()


def disable() -> None:
    """Let TensorFlow choose its fastest kernels again."""
    tf.config.experimental.disable_op_determinism() if hasattr(tf.config.experimental, "disable_op_determinism") \
        else None
