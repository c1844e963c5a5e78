"""``LearningRateScheduler``: set the learning rate at the start of each epoch from a function."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from brickwork import backend
from brickwork.callbacks.callback import Callback
from brickwork.utils import io_utils


def current_learning_rate(optimizer) -> float:
    """The optimizer's learning rate now, as a Python float (a schedule is evaluated at this step)."""
    if not hasattr(optimizer, "learning_rate"):
        raise ValueError(f'Optimizer must have a "learning_rate" attribute; received {type(optimizer).__name__}.')
    return float(backend.convert_to_numpy(optimizer.learning_rate))


def learning_rate_logs(optimizer) -> dict[str, float]:
    """The learning rates a callback logs: ``{"learning_rate": rate}``, or for a ``MultiOptimizer`` (also
    inside a ``LossScaleOptimizer``) ``{"learning_rate_<name>": rate}`` for each inner optimizer, as Keras names
    them.

    Example:
        >>> learning_rate_logs(keras.optimizers.SGD(learning_rate=0.5))
        {'learning_rate': 0.5}
    """
    optimizer = getattr(optimizer, "inner_optimizer", optimizer)
    inner = getattr(optimizer, "optimizers", None)
    if inner:
        return {f"learning_rate_{each.name}": current_learning_rate(each) for each in inner}
    return {"learning_rate": current_learning_rate(optimizer)}


def _as_float(value) -> float | None:
    """A float for a float-valued scalar (Python, NumPy or a backend tensor, as ``lr * ops.exp(-0.1)``)."""
    if isinstance(value, (float, np.floating)):
        return float(value)
    if isinstance(value, (bool, int, str)) or value is None:
        return None
    try:
        array = backend.convert_to_numpy(value)
    except (TypeError, ValueError):
        return None
    return float(array) if np.ndim(array) == 0 and array.dtype.kind == "f" else None


class LearningRateScheduler(Callback):
    """At the start of every epoch, set the rate to ``schedule(epoch, current_rate)``.

    The epoch logs get a ``"learning_rate"`` entry.

    Args:
        schedule: a function of the epoch index (from 0) and the current rate (a float) that
            returns the new rate (a float). A function of the epoch alone is accepted too.
        verbose: 1 prints the rate set at each epoch.

    Example:
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
        model.compile(optimizer="sgd", loss="mse")
        x, y = np.random.rand(32, 4), np.random.rand(32, 1)
        def scheduler(epoch, lr):
            return lr if epoch < 10 else lr * float(np.exp(-0.1))

        model.fit(x, y, epochs=15, callbacks=[keras.callbacks.LearningRateScheduler(scheduler)])
    """

    def __init__(self, schedule: Callable, verbose: int = 0):
        super().__init__()
        self.schedule = schedule
        self.verbose = verbose

    def _update_optimizer_lr(self, optimizer, epoch: int) -> float:
        rate = current_learning_rate(optimizer)
        try:
            learning_rate = self.schedule(epoch, rate)
        except TypeError:  # the older form: schedule(epoch)
            learning_rate = self.schedule(epoch)
        value = _as_float(learning_rate)
        if value is None:
            raise ValueError(
                f"The output of the `schedule` function should be a float. Got: {learning_rate!r} "
                f"(type {type(learning_rate).__name__})."
            )
        optimizer.learning_rate = value
        return value

    def on_epoch_begin(self, epoch, logs=None) -> None:
        optimizers = getattr(self.model.optimizer, "optimizers", None)
        for index, optimizer in enumerate(optimizers or [self.model.optimizer]):
            rate = self._update_optimizer_lr(optimizer, epoch)
            if self.verbose > 0:
                which = f"{optimizer.name}_{index} " if optimizers else ""
                io_utils.print_msg(f"\nEpoch {epoch + 1}: LearningRateScheduler setting {which}learning rate to {rate}.")

    def on_epoch_end(self, epoch, logs=None) -> None:
        if logs is None:
            return
        optimizers = getattr(self.model.optimizer, "optimizers", None)
        if optimizers:
            for index, optimizer in enumerate(optimizers):
                logs[f"learning_rate_{optimizer.name}_{index}"] = current_learning_rate(optimizer)
        else:
            logs["learning_rate"] = current_learning_rate(self.model.optimizer)
