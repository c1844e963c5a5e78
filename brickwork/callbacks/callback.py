"""``Callback``: the base class of objects that hook into ``fit``, ``evaluate`` and ``predict``."""

from __future__ import annotations


class Callback:
    """Base class for callbacks; override the hooks you need.

    ``self.model`` is the model being trained and ``self.params`` the loop's parameters
    (``verbose``, ``epochs``, ``steps``). ``logs`` holds the current metric values: Python
    floats at the end of an epoch; in batch hooks they are floats as well whenever a user
    callback implements that hook.

    Example:
        class PrintLoss(keras.callbacks.Callback):
            def on_epoch_end(self, epoch, logs=None):
                print(epoch, logs["loss"])
    """

    def __init__(self):
        self.validation_data = None
        self._model = None
        self.params = None

    def set_params(self, params: dict) -> None:
        self.params = params

    def set_model(self, model) -> None:
        self._model = model

    @property
    def model(self):
        return self._model

    @model.setter
    def model(self, value) -> None:
        self._model = value

    # Legacy aliases of the training batch hooks, kept because Keras calls them.
    def on_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        """Called before each training batch (alias of ``on_train_batch_begin``)."""

    def on_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """Called after each training batch (alias of ``on_train_batch_end``)."""

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        """Called at the start of an epoch (training only)."""

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        """Called at the end of an epoch with the epoch's metrics (``val_`` ones included)."""

    def on_train_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        self.on_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        self.on_batch_end(batch, logs=logs)

    def on_test_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        """Called before each batch of ``evaluate`` (and of validation in ``fit``)."""

    def on_test_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """Called after each batch of ``evaluate`` with the running metrics."""

    def on_predict_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        """Called before each batch of ``predict``."""

    def on_predict_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """Called after each batch of ``predict``; ``logs["outputs"]`` holds the batch's outputs."""

    def on_train_begin(self, logs: dict | None = None) -> None:
        """Called at the start of ``fit``."""

    def on_train_end(self, logs: dict | None = None) -> None:
        """Called at the end of ``fit`` with the last epoch's logs."""

    def on_test_begin(self, logs: dict | None = None) -> None:
        """Called at the start of ``evaluate`` (and of each validation run)."""

    def on_test_end(self, logs: dict | None = None) -> None:
        """Called at the end of ``evaluate`` with its metrics."""

    def on_predict_begin(self, logs: dict | None = None) -> None:
        """Called at the start of ``predict``."""

    def on_predict_end(self, logs: dict | None = None) -> None:
        """Called at the end of ``predict``."""
