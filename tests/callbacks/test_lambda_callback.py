"""LambdaCallback: the given functions become hooks; batch logs reach them as floats."""

import pytest

from brickwork import backend
from brickwork.callbacks import CallbackList, LambdaCallback
from tests.callbacks.callback_models import dense_model, regression_data
from tests.conftest import requires_training


def test_functions_become_hooks_and_others_stay_empty():
    calls = []
    callback = LambdaCallback(on_epoch_begin=lambda epoch, logs: calls.append(("epoch", epoch)),
                              on_train_end=lambda logs: calls.append(("end", logs)),
                              on_test_batch_end=lambda batch, logs: calls.append(("test", batch)))
    callbacks = CallbackList([callback])
    callbacks.on_epoch_begin(3)
    callbacks.on_epoch_end(3, {"loss": 1.0})  # not given: the base class's no-op
    callbacks.on_test_batch_end(1, {"loss": 1.0})
    callbacks.on_train_end({"loss": 0.5})
    assert calls == [("epoch", 3), ("test", 1), ("end", {"loss": 0.5})]


def test_batch_logs_are_python_floats():
    seen = []
    callbacks = CallbackList([LambdaCallback(on_train_batch_end=lambda batch, logs: seen.append(logs))])
    callbacks.on_train_batch_end(0, {"loss": backend.convert_to_tensor(2.5)})
    assert seen == [{"loss": 2.5}] and type(seen[0]["loss"]) is float


def test_unknown_hook_is_refused():
    with pytest.raises(ValueError, match="on_epoch_finish"):
        LambdaCallback(on_epoch_finish=print)


@requires_training
def test_in_fit():
    x, y = regression_data(n=16)
    losses, batches = [], []
    callback = LambdaCallback(on_epoch_end=lambda epoch, logs: losses.append(logs["loss"]),
                              on_train_batch_begin=lambda batch, logs: batches.append(batch))
    history = dense_model().fit(x, y, batch_size=8, epochs=2, callbacks=[callback], verbose=0)
    assert losses == history.history["loss"]
    assert batches == [0, 1, 0, 1]
