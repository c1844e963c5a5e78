"""``ProgbarLogger``: prints the progress bar and metrics of ``fit``, ``evaluate`` and ``predict``."""

from __future__ import annotations

from brickwork.callbacks.callback import Callback
from brickwork.utils.progbar import Progbar, write_message


class ProgbarLogger(Callback):
    """Prints ``Epoch i/n`` headers and a progress bar per epoch (verbose 1) or one line per epoch
    (verbose 2), with the epoch's metrics, validation ones included, at its end.

    Batch logs are handed to the bar as they come (possibly backend tensors); the bar turns them
    into floats only when it draws a line, so training does not wait on the device every step.

    Example:
        model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
        model.compile(optimizer="sgd", loss="mse")
        model.fit(np.zeros((8, 2)), np.zeros((8, 1)), verbose=0, callbacks=[ProgbarLogger()])
    """

    def __init__(self):
        super().__init__()
        self.seen = 0
        self.progbar = None
        self.target = None
        self.verbose = 1
        self.epochs = 1
        self._called_in_fit = False

    def set_params(self, params: dict) -> None:
        super().set_params(params)
        verbose = params.get("verbose", 1)
        self.verbose = 1 if verbose == "auto" else verbose
        self.epochs = params.get("epochs", 1)
        self.target = params.get("steps")

    def on_train_begin(self, logs=None) -> None:
        # Inside fit, validation runs silently: its metrics appear on the epoch line.
        self._called_in_fit = True

    def on_test_begin(self, logs=None) -> None:
        if not self._called_in_fit:
            self._reset_progbar()
            self._maybe_init_progbar()

    def on_predict_begin(self, logs=None) -> None:
        self._reset_progbar()
        self._maybe_init_progbar()

    def on_epoch_begin(self, epoch, logs=None) -> None:
        self._reset_progbar()
        self._maybe_init_progbar()
        if self.verbose and self.epochs > 1:
            write_message(f"Epoch {epoch + 1}/{self.epochs}\n")

    def on_train_batch_end(self, batch, logs=None) -> None:
        self._update_progbar(batch, logs)

    def on_test_batch_end(self, batch, logs=None) -> None:
        if not self._called_in_fit:
            self._update_progbar(batch, logs)

    def on_predict_batch_end(self, batch, logs=None) -> None:
        self._update_progbar(batch, None)  # the outputs are not metrics

    def on_epoch_end(self, epoch, logs=None) -> None:
        self._finalize_progbar(logs)

    def on_test_end(self, logs=None) -> None:
        if not self._called_in_fit:
            self._finalize_progbar(logs)

    def on_predict_end(self, logs=None) -> None:
        self._finalize_progbar(logs)

    def _reset_progbar(self) -> None:
        self.seen = 0
        self.progbar = None

    def _maybe_init_progbar(self) -> None:
        if self.progbar is None:
            # stateless_metrics=(): show each logged value as given (Keras's metrics are already
            # running means), which lets the bar defer the conversion to float.
            self.progbar = Progbar(target=self.target, verbose=self.verbose, stateless_metrics=(),
                                   unit_name="step")

    def _update_progbar(self, batch, logs) -> None:
        self._maybe_init_progbar()
        self.seen = batch + 1
        if self.verbose == 1:
            self.progbar.update(self.seen, sorted((logs or {}).items()), finalize=False)

    def _finalize_progbar(self, logs) -> None:
        self._maybe_init_progbar()
        if self.target is None:
            self.target = self.seen
            self.progbar.target = self.target
        self.progbar.update(self.target, sorted((logs or {}).items()), finalize=True)
