"""CallbackList: hook order, History, ProgbarLogger output, and when logs become floats."""

import numpy as np
import pytest

from brickwork import backend
from brickwork.callbacks import Callback, CallbackList, History, ProgbarLogger
from brickwork.utils import progbar as progbar_module

HOOKS = [
    "on_train_begin", "on_train_end", "on_epoch_begin", "on_epoch_end", "on_train_batch_begin",
    "on_train_batch_end", "on_test_begin", "on_test_end", "on_test_batch_begin", "on_test_batch_end",
    "on_predict_begin", "on_predict_end", "on_predict_batch_begin", "on_predict_batch_end",
]


class _Model:
    pass


class Recorder(Callback):
    """Appends (name, hook, args) to a shared journal for every hook."""

    def __init__(self, name, journal):
        super().__init__()
        self.name, self.journal = name, journal

    def __getattribute__(self, attr):
        if attr in HOOKS:
            return lambda *args, **kwargs: self.journal.append((self.name, attr) + args)
        return super().__getattribute__(attr)


def _run_fit(callbacks):
    callbacks.on_train_begin()
    for epoch in range(2):
        callbacks.on_epoch_begin(epoch)
        for step in range(2):
            callbacks.on_train_batch_begin(step)
            callbacks.on_train_batch_end(step, {"loss": backend.convert_to_tensor(1.0 + step)})
        callbacks.on_test_begin()
        callbacks.on_test_batch_begin(0)
        callbacks.on_test_batch_end(0, {"loss": 3.0})
        callbacks.on_test_end({"loss": 3.0})
        callbacks.on_epoch_end(epoch, {"loss": backend.convert_to_tensor(1.5 - epoch), "val_loss": np.float32(3.0)})
    callbacks.on_train_end({"loss": 0.5})


def test_every_hook_reaches_every_callback_in_order():
    journal = []
    callbacks = CallbackList([Recorder("a", journal), Recorder("b", journal)])
    for hook in HOOKS:
        args = (0,) if "batch" in hook or "epoch" in hook else ()
        getattr(callbacks, hook)(*args, {"loss": 1.0})
    assert [(name, hook) for name, hook, *_ in journal] == [(n, h) for h in HOOKS for n in ("a", "b")]


def test_history_and_progbar_come_after_user_callbacks():
    user = Callback()
    callbacks = CallbackList([user], add_history=True, add_progbar=True, verbose=0, epochs=1, steps=1)
    assert callbacks.callbacks[0] is user
    assert isinstance(callbacks.callbacks[1], History) and isinstance(callbacks.callbacks[2], ProgbarLogger)
    given = History()
    callbacks = CallbackList([given], add_history=True)
    assert callbacks.callbacks == [given]


def test_model_and_params_reach_every_callback():
    model, user = _Model(), Callback()
    callbacks = CallbackList([[user]], add_history=True, model=model, verbose=2, epochs=3, steps=5)
    for callback in callbacks.callbacks:
        assert callback.model is model
        assert callback.params == {"verbose": 2, "epochs": 3, "steps": 5}
    assert model.history is callbacks.callbacks[-1]


def test_history_stores_python_floats():
    model = _Model()
    callbacks = CallbackList(add_history=True, model=model, verbose=0, epochs=2, steps=2)
    _run_fit(callbacks)
    history = model.history
    assert history.history == {"loss": [1.5, 0.5], "val_loss": [3.0, 3.0]}
    assert all(type(v) is float for values in history.history.values() for v in values)
    assert history.epoch == [0, 1] and history.model is model


def test_batch_logs_become_floats_only_for_user_batch_hooks():
    seen = []

    class BatchWatcher(Callback):
        def on_train_batch_end(self, batch, logs=None):
            seen.append(logs)

    class EpochWatcher(Callback):
        def on_epoch_end(self, epoch, logs=None):
            seen.append(logs)

    tensor = backend.convert_to_tensor(2.0)
    CallbackList([BatchWatcher()]).on_train_batch_end(0, {"b": tensor, "a": {"c": tensor}})
    assert seen[-1] == {"c": 2.0, "b": 2.0} and type(seen[-1]["b"]) is float

    lazy = CallbackList([EpochWatcher()], add_progbar=True, verbose=1, epochs=1, steps=None)
    assert not lazy._float_train_batch_logs
    lazy.on_epoch_end(0, {"loss": tensor})
    assert seen[-1] == {"loss": 2.0} and type(seen[-1]["loss"]) is float


def test_legacy_batch_hooks_are_called():
    calls = []

    class Legacy(Callback):
        def on_batch_begin(self, batch, logs=None):
            calls.append(("begin", batch))

        def on_batch_end(self, batch, logs=None):
            calls.append(("end", batch, logs))

    callbacks = CallbackList([Legacy()])
    callbacks.on_train_batch_begin(0)
    callbacks.on_train_batch_end(0, {"loss": backend.convert_to_tensor(1.0)})
    assert calls == [("begin", 0), ("end", 0, {"loss": 1.0})]


def test_non_callback_is_rejected():
    with pytest.raises(TypeError, match="Callback.*received str"):
        CallbackList(["early_stopping"])


@pytest.fixture
def clock(monkeypatch):
    class Clock:
        now = 100.0

    monkeypatch.setattr(progbar_module, "_clock", lambda: Clock.now)
    return Clock


def test_progbar_logger_verbose_2_epoch_lines(clock, capsys):
    callbacks = CallbackList(add_history=True, add_progbar=True, model=_Model(), verbose=2, epochs=2, steps=2)
    _run_fit(callbacks)
    assert capsys.readouterr().out == (
        "Epoch 1/2\n"
        "2/2 - 0s - 0s/step - loss: 1.5000 - val_loss: 3.0000\n"
        "Epoch 2/2\n"
        "2/2 - 0s - 0s/step - loss: 0.5000 - val_loss: 3.0000\n"
    )


def test_progbar_logger_verbose_1_not_a_tty(clock, capsys, monkeypatch):
    monkeypatch.delenv("PYCHARM_HOSTED", raising=False)
    callbacks = CallbackList(add_progbar=True, verbose=1, epochs=1, steps=2)
    callbacks.on_train_begin()
    callbacks.on_epoch_begin(0)
    clock.now = 100.5
    callbacks.on_train_batch_end(0, {"loss": backend.convert_to_tensor(0.25), "accuracy": 0.5})
    clock.now = 101.0
    callbacks.on_train_batch_end(1, {"loss": 0.125, "accuracy": 0.75})
    callbacks.on_epoch_end(0, {"loss": 0.125, "accuracy": 0.75, "val_loss": 0.5, "val_accuracy": 0.25})
    bar = "━" * 20
    assert capsys.readouterr().out == (
        f"1/2 {bar} 0s 500ms/step - accuracy: 0.5000 - loss: 0.2500\n"
        f"2/2 {bar} 0s 500ms/step - accuracy: 0.7500 - loss: 0.1250\n"
        f"2/2 {bar} 1s 500ms/step - accuracy: 0.7500 - loss: 0.1250 - val_accuracy: 0.2500 - val_loss: 0.5000\n"
    )


def test_evaluate_and_predict_show_their_own_bar(clock, capsys):
    callbacks = CallbackList(add_progbar=True, verbose=2, epochs=1, steps=None)
    callbacks.on_test_begin()
    for step in range(3):
        callbacks.on_test_batch_end(step, {"loss": 1.0})
    callbacks.on_test_end({"loss": 1.0})
    callbacks = CallbackList(add_progbar=True, verbose=2, epochs=1, steps=1)
    callbacks.on_predict_begin()
    callbacks.on_predict_batch_end(0, {"outputs": np.zeros(2)})
    callbacks.on_predict_end()
    assert capsys.readouterr().out == "3/3 - 0s - 0s/step - loss: 1.0000\n1/1 - 0s - 0s/step\n"
