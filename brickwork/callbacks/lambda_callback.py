"""``LambdaCallback``: a callback built from plain functions."""

from __future__ import annotations

from collections.abc import Callable

from brickwork.callbacks.callback import Callback


class LambdaCallback(Callback):
    """A callback whose hooks are the functions given.

    The functions take the hook's arguments positionally: ``on_epoch_begin(epoch, logs)``,
    ``on_train_begin(logs)``, ``on_train_batch_end(batch, logs)`` and so on. Any other hook
    of ``Callback`` can be given by name as a keyword argument.

    Args:
        on_epoch_begin: called as ``f(epoch, logs)`` when an epoch starts.
        on_epoch_end: called as ``f(epoch, logs)`` when an epoch ends; ``logs`` holds the epoch's metrics.
        on_train_begin: called as ``f(logs)`` when ``fit`` starts.
        on_train_end: called as ``f(logs)`` when ``fit`` ends.
        on_train_batch_begin: called as ``f(batch, logs)`` before each training batch.
        on_train_batch_end: called as ``f(batch, logs)`` after each training batch; ``logs`` holds the
            running metrics.
        **kwargs: any other ``Callback`` hook by name (``on_test_begin``, ``on_predict_batch_end``, …), with that
            hook's arguments.

    Example:
        print_batch = keras.callbacks.LambdaCallback(on_train_batch_begin=lambda batch, logs: print(batch))
        log_loss = keras.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: losses.append(logs["loss"]))
    """

    def __init__(self, on_epoch_begin: Callable | None = None, on_epoch_end: Callable | None = None,
                 on_train_begin: Callable | None = None, on_train_end: Callable | None = None,
                 on_train_batch_begin: Callable | None = None, on_train_batch_end: Callable | None = None,
                 **kwargs):
        super().__init__()
        hooks = dict(on_epoch_begin=on_epoch_begin, on_epoch_end=on_epoch_end, on_train_begin=on_train_begin,
                     on_train_end=on_train_end, on_train_batch_begin=on_train_batch_begin,
                     on_train_batch_end=on_train_batch_end, **kwargs)
        for name, function in hooks.items():
            if function is None:
                continue
            # Other names become methods too (Keras allows custom ones); a misspelt `on_*` hook is an error.
            if name.startswith("on_") and not callable(getattr(Callback, name, None)):
                raise ValueError(f"LambdaCallback: unknown hook `{name}`; expected one of Callback's `on_*` methods.")
            setattr(self, name, function)
