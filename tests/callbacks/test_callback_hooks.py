"""The hooks a real fit/evaluate/predict calls, in exactly Keras's order; self.model and self.params."""

import numpy as np

from brickwork.callbacks import Callback
from tests.callbacks.callback_models import dense_model, regression_data
from tests.conftest import requires_training

HOOKS = [name for name in dir(Callback) if name.startswith("on_")]


class Journal(Callback):
    """Records (hook, index) for every hook, and what the model and params were on train begin."""

    def __init__(self):
        super().__init__()
        self.calls = []
        for hook in HOOKS:
            setattr(self, hook, self._recorder(hook))

    def _recorder(self, hook):
        def record(*args, **kwargs):
            index = args[0] if args and isinstance(args[0], int) else None
            self.calls.append(hook if index is None else (hook, index))
            if hook == "on_train_begin":
                self.seen = (self.model, dict(self.params))
        return record


def _epoch(epoch, steps, val_steps):
    calls = [("on_epoch_begin", epoch)]
    for step in range(steps):
        calls += [("on_train_batch_begin", step), ("on_train_batch_end", step)]
    calls.append("on_test_begin")
    for step in range(val_steps):
        calls += [("on_test_batch_begin", step), ("on_test_batch_end", step)]
    calls += ["on_test_end", ("on_epoch_end", epoch)]
    return calls


@requires_training
def test_fit_with_validation_calls_hooks_in_keras_order():
    x, y = regression_data(n=16)
    model, journal = dense_model(), Journal()
    model.fit(x[:8], y[:8], batch_size=4, epochs=2, validation_data=(x[8:], y[8:]), validation_batch_size=8,
              callbacks=[journal], verbose=0)
    expected = ["on_train_begin"] + _epoch(0, 2, 1) + _epoch(1, 2, 1) + ["on_train_end"]
    assert journal.calls == expected
    seen_model, params = journal.seen
    assert seen_model is model
    assert params == {"verbose": 0, "epochs": 2, "steps": 2}


@requires_training
def test_validation_freq_skips_the_test_hooks():
    x, y = regression_data(n=8)
    journal = Journal()
    dense_model().fit(x, y, batch_size=8, epochs=2, validation_data=(x, y), validation_freq=2,
                      callbacks=[journal], verbose=0)
    assert journal.calls.count("on_test_begin") == 1
    assert journal.calls.index("on_test_begin") > journal.calls.index(("on_epoch_begin", 1))


def test_evaluate_and_predict_hook_order():
    x, y = regression_data(n=8)
    model = dense_model()
    journal = Journal()
    model.evaluate(x, y, batch_size=4, callbacks=[journal], verbose=0)
    assert journal.calls == ["on_test_begin", ("on_test_batch_begin", 0), ("on_test_batch_end", 0),
                             ("on_test_batch_begin", 1), ("on_test_batch_end", 1), "on_test_end"]
    journal = Journal()
    model.predict(x, batch_size=8, callbacks=[journal], verbose=0)
    assert journal.calls == ["on_predict_begin", ("on_predict_batch_begin", 0), ("on_predict_batch_end", 0),
                             "on_predict_end"]


def test_predict_batch_end_receives_the_outputs():
    x, _ = regression_data(n=4)
    model = dense_model()
    outputs = []

    class Collect(Callback):
        def on_predict_batch_end(self, batch, logs=None):
            outputs.append(np.asarray(logs["outputs"]))

    predictions = model.predict(x, batch_size=4, callbacks=[Collect()], verbose=0)
    np.testing.assert_allclose(outputs[0], predictions, rtol=1e-6)


@requires_training
def test_stop_training_set_in_a_batch_hook_ends_fit_after_that_batch():
    x, y = regression_data(n=16)
    batches = []

    class StopAtThirdBatch(Callback):
        def on_train_batch_end(self, batch, logs=None):
            batches.append(batch)
            if len(batches) == 3:
                self.model.stop_training = True

    history = dense_model().fit(x, y, batch_size=4, epochs=5, callbacks=[StopAtThirdBatch()], verbose=0)
    assert batches == [0, 1, 2]
    assert history.epoch == [0]
