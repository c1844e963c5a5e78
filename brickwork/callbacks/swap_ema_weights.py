"""``SwapEMAWeights``: evaluate (and optionally checkpoint) with the optimizer's EMA weights."""

from __future__ import annotations

import numpy as np

from brickwork import backend
from brickwork.callbacks.callback import Callback


class SwapEMAWeights(Callback):
    """Swap the model's weights with the optimizer's exponential moving averages around evaluation.

    Before ``evaluate``/``predict`` (and the validation inside ``fit``) the model's trainable
    weights are exchanged in place with the optimizer's averages, and exchanged back after it. Use
    it with an optimizer created with ``use_ema=True``.

    Args:
        swap_on_epoch: also swap at the end of each epoch (and back at the start of the next), so
            that callbacks placed after this one (``ModelCheckpoint``) see the EMA weights.

    Example:
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
        x, y = np.random.rand(32, 4), np.random.rand(32, 1)
        model.compile(optimizer=keras.optimizers.SGD(use_ema=True), loss="mse")
        model.fit(x, y, validation_split=0.2, callbacks=[keras.callbacks.SwapEMAWeights()])
    """

    def __init__(self, swap_on_epoch: bool = False):
        super().__init__()
        self.swap_on_epoch = swap_on_epoch
        self._ema_weights_in_model = False

    def _optimizers(self) -> list:
        optimizer = self.model.optimizer
        optimizer = getattr(optimizer, "inner_optimizer", optimizer)  # LossScaleOptimizer
        inner = getattr(optimizer, "optimizers", None)
        if inner is not None:
            with_ema = [opt for opt in inner if getattr(opt, "use_ema", False)]
            if not with_ema:
                raise ValueError("SwapEMAWeights needs at least one inner optimizer with `use_ema=True`; none has it.")
            inner = with_ema
        for opt in inner or [optimizer]:
            if not hasattr(opt, "_model_variables_moving_average"):
                raise ValueError(
                    "SwapEMAWeights must be used when `use_ema=True` is set on the optimizer (and it is built). "
                    f"Received: use_ema={getattr(opt, 'use_ema', None)}"
                )
        return inner or [optimizer]

    def _swap_variables(self) -> None:
        for optimizer in self._optimizers():
            for variable, average in zip(optimizer._trainable_variables, optimizer._model_variables_moving_average):
                # A copy: on torch's CPU convert_to_numpy is a view the next assign would overwrite.
                current = np.array(backend.convert_to_numpy(variable.value), copy=True)
                variable.assign(average.value)
                average.assign(current)

    def _finalize_ema_values(self) -> None:
        # fit ends with finalize_variable_values (averages -> variables); with the EMA weights already
        # in the model, put them back into the averages so that step leaves them in place.
        for optimizer in self._optimizers():
            for variable, average in zip(optimizer._trainable_variables, optimizer._model_variables_moving_average):
                average.assign(variable.value)

    def _to_ema(self) -> None:
        if not self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = True

    def _to_trained(self) -> None:
        if self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = False

    def on_epoch_begin(self, epoch, logs=None) -> None:
        if self.swap_on_epoch:
            self._to_trained()

    def on_epoch_end(self, epoch, logs=None) -> None:
        if self.swap_on_epoch and not self._ema_weights_in_model:
            self._to_ema()
            if self.params and epoch == self.params.get("epochs", 0) - 1:
                self._finalize_ema_values()

    def on_test_begin(self, logs=None) -> None:
        self._to_ema()

    def on_test_end(self, logs=None) -> None:
        self._to_trained()

    def on_predict_begin(self, logs=None) -> None:
        self._to_ema()

    def on_predict_end(self, logs=None) -> None:
        self._to_trained()
