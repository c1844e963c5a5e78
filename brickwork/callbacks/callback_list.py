"""``CallbackList``: calls every callback's hook, in order, from one place."""

from __future__ import annotations

import optree

from brickwork.callbacks.callback import Callback
from brickwork.callbacks.history import History
from brickwork.callbacks.logs import flatten_logs, pythonify_logs, to_python
from brickwork.callbacks.progbar_logger import ProgbarLogger

# Callbacks that accept logs holding backend tensors in batch hooks (they convert lazily).
_TENSOR_LOG_CALLBACKS = (History, ProgbarLogger)


class CallbackList(Callback):
    """The user's callbacks, then ``History`` and ``ProgbarLogger`` when asked for (Keras's order).

    Args:
        callbacks: a list of ``Callback`` instances (nested lists are flattened).
        add_history: append a ``History`` unless one is given.
        add_progbar: append a ``ProgbarLogger`` unless one is given.
        model: the model, passed to every callback (``model.history`` is set to the History).
        **params: passed to every callback's ``set_params`` (``verbose``, ``epochs``, ``steps``).

    Example:
        model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
        callbacks = CallbackList([History()], model=model)
        callbacks.on_train_begin()
        callbacks.on_epoch_end(0, {"loss": 0.5})
    """

    def __init__(self, callbacks=None, add_history: bool = False, add_progbar: bool = False, model=None,
                 **params):
        super().__init__()
        self.callbacks = list(optree.tree_leaves(callbacks)) if callbacks else []
        for callback in self.callbacks:
            if not isinstance(callback, Callback):
                raise TypeError(
                    "callbacks must be instances of keras.callbacks.Callback; "
                    f"received {type(callback).__name__}."
                )
        self._add_default_callbacks(add_history, add_progbar)
        # Batch logs become floats (a device sync) only when some callback's batch hook needs them.
        self._float_train_batch_logs = self._overridden("on_train_batch_end", "on_batch_end")
        self._float_test_batch_logs = self._overridden("on_test_batch_end")
        self.set_model(model)
        self.set_params(params)

    def _add_default_callbacks(self, add_history: bool, add_progbar: bool) -> None:
        self._history = next((c for c in self.callbacks if isinstance(c, History)), None)
        self._progbar = next((c for c in self.callbacks if isinstance(c, ProgbarLogger)), None)
        if self._history is None and add_history:
            self._history = History()
            self.callbacks.append(self._history)
        if self._progbar is None and add_progbar:
            self._progbar = ProgbarLogger()
            self.callbacks.append(self._progbar)

    def _overridden(self, *hooks: str) -> bool:
        # A hook counts as implemented when the class overrides it or the instance sets it
        # (LambdaCallback); callbacks marked `_handles_tensor_logs` convert what they need themselves.
        return any(
            getattr(type(callback), hook) is not getattr(Callback, hook) or hook in vars(callback)
            for callback in self.callbacks
            if not isinstance(callback, (_TENSOR_LOG_CALLBACKS + (CallbackList,)))
            and not getattr(callback, "_handles_tensor_logs", False)
            for hook in hooks
        )

    def append(self, callback: Callback) -> None:
        self.callbacks.append(callback)

    def set_params(self, params: dict) -> None:
        self.params = params
        if params:
            for callback in self.callbacks:
                callback.set_params(params)

    def set_model(self, model) -> None:
        if model is None:
            return
        super().set_model(model)
        if self._history is not None:
            model.history = self._history
        for callback in self.callbacks:
            callback.set_model(model)

    def _call(self, hook: str, *args) -> None:
        for callback in self.callbacks:
            getattr(callback, hook)(*args)

    # ------------------------------------------------------------------ fit
    def on_train_begin(self, logs=None) -> None:
        self._call("on_train_begin", logs or {})

    def on_train_end(self, logs=None) -> None:
        self._call("on_train_end", _floats(logs))

    def on_epoch_begin(self, epoch, logs=None) -> None:
        self._call("on_epoch_begin", epoch, logs or {})

    def on_epoch_end(self, epoch, logs=None) -> None:
        self._call("on_epoch_end", epoch, _floats(logs))

    def on_batch_begin(self, batch, logs=None) -> None:
        self._call("on_batch_begin", batch, logs or {})

    def on_batch_end(self, batch, logs=None) -> None:
        self._call("on_batch_end", batch, pythonify_logs(logs))

    def on_train_batch_begin(self, batch, logs=None) -> None:
        if not self.callbacks:  # evaluate/predict with verbose=0 and no callbacks: nothing to prepare
            return
        self._call("on_train_batch_begin", batch, logs or {})

    def on_train_batch_end(self, batch, logs=None) -> None:
        if not self.callbacks:  # evaluate/predict with verbose=0 and no callbacks: nothing to prepare
            return
        logs = pythonify_logs(logs) if self._float_train_batch_logs else flatten_logs(logs)
        self._call("on_train_batch_end", batch, logs)

    # ------------------------------------------------------------------ evaluate
    def on_test_begin(self, logs=None) -> None:
        self._call("on_test_begin", logs or {})

    def on_test_end(self, logs=None) -> None:
        self._call("on_test_end", _floats(logs))

    def on_test_batch_begin(self, batch, logs=None) -> None:
        if not self.callbacks:  # evaluate/predict with verbose=0 and no callbacks: nothing to prepare
            return
        self._call("on_test_batch_begin", batch, logs or {})

    def on_test_batch_end(self, batch, logs=None) -> None:
        if not self.callbacks:  # evaluate/predict with verbose=0 and no callbacks: nothing to prepare
            return
        logs = pythonify_logs(logs) if self._float_test_batch_logs else flatten_logs(logs)
        self._call("on_test_batch_end", batch, logs)

    # ------------------------------------------------------------------ predict
    def on_predict_begin(self, logs=None) -> None:
        self._call("on_predict_begin", logs or {})

    def on_predict_end(self, logs=None) -> None:
        self._call("on_predict_end", logs or {})

    def on_predict_batch_begin(self, batch, logs=None) -> None:
        if not self.callbacks:  # evaluate/predict with verbose=0 and no callbacks: nothing to prepare
            return
        self._call("on_predict_batch_begin", batch, logs or {})

    def on_predict_batch_end(self, batch, logs=None) -> None:
        if not self.callbacks:  # evaluate/predict with verbose=0 and no callbacks: nothing to prepare
            return
        self._call("on_predict_batch_end", batch, logs or {})


def _floats(logs) -> dict:
    """Epoch/evaluation logs with Python floats, keeping the order they were given in."""
    return {name: to_python(value) for name, value in (logs or {}).items()}
