"""``brickwork.optimizers.legacy``: Keras 2's optimizer names, kept only to explain that they are gone.

As in Keras 3, creating any of them raises an ``ImportError`` pointing to the Keras 3 optimizers.
"""

from __future__ import annotations


class Optimizer:
    """A Keras 2 (``tf.keras.optimizers.legacy``) optimizer: not supported; use ``keras.optimizers``.

    Example:
        keras.optimizers.legacy.Adam()  # ImportError: use keras.optimizers.Adam instead
    """

    def __init__(self, *args, **kwargs):
        raise ImportError(
            f"`keras.optimizers.legacy.{type(self).__name__}` is not supported in Keras 3 (nor in brickwork). Use "
            f"`keras.optimizers.{type(self).__name__}` instead, or install `tf_keras` (Keras 2) and set "
            "TF_USE_LEGACY_KERAS=True to keep using tf.keras's legacy optimizers."
        )


class Adagrad(Optimizer):
    """Keras 2's legacy Adagrad: not supported; use ``keras.optimizers.Adagrad``."""


class Adam(Optimizer):
    """Keras 2's legacy Adam: not supported; use ``keras.optimizers.Adam``."""


class Ftrl(Optimizer):
    """Keras 2's legacy Ftrl: not supported; use ``keras.optimizers.Ftrl``."""


class RMSprop(Optimizer):
    """Keras 2's legacy RMSprop: not supported; use ``keras.optimizers.RMSprop``."""


class SGD(Optimizer):
    """Keras 2's legacy SGD: not supported; use ``keras.optimizers.SGD``."""
