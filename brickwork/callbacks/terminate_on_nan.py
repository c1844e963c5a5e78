"""``TerminateOnNaN``: stop training at the first NaN or infinite loss."""

from __future__ import annotations

import math

from brickwork.callbacks.callback import Callback
from brickwork.utils import io_utils


class TerminateOnNaN(Callback):
    """Stop training when a batch's loss is NaN or infinite.

    By default training stops gracefully (``model.stop_training = True``, so every callback's
    ``on_train_end`` still runs); ``raise_error=True`` raises a ``RuntimeError`` at once instead.

    Args:
        raise_error: raise instead of stopping gracefully.

    Example:
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
        model.compile(optimizer="sgd", loss="mse")
        x, y = np.random.rand(32, 4), np.random.rand(32, 1)
        model.fit(x, y, callbacks=[keras.callbacks.TerminateOnNaN()])
    """

    def __init__(self, raise_error: bool = False):
        super().__init__()
        self.raise_error = raise_error

    def on_batch_end(self, batch, logs=None) -> None:
        loss = (logs or {}).get("loss")
        if loss is None or math.isfinite(float(loss)):
            return
        if self.raise_error:
            raise RuntimeError(
                f"NaN or Inf loss encountered at batch {batch}. Loss value: {loss}. Terminating training immediately."
            )
        io_utils.print_msg(f"Batch {batch}: Invalid loss, terminating training")
        self.model.stop_training = True
