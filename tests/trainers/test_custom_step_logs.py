"""A custom step returning ``{m.name: m.result() for m in self.metrics}`` (the torch "customizing fit" guide):
the compiled metrics' result is a dict, which Keras flattens before any callback — the progress bar
included — sees the batch logs."""

import os
import subprocess
import sys

import pytest

from brickwork import backend
from brickwork.callbacks import CallbackList, History, ProgbarLogger
from brickwork.utils import progbar as progbar_module
from tests.conftest import BACKEND, requires_training
from tests.layers.keras_reference import run_keras_script

_PROGRAM = """
import sys
import numpy as np
import keras
import torch


class CustomModel(keras.Model):
    def train_step(self, data):
        x, y = data
        self.zero_grad()
        y_pred = self(x, training=True)
        loss = self.compute_loss(y=y, y_pred=y_pred)
        loss.backward()
        trainable_weights = [v for v in self.trainable_weights]
        gradients = [v.value.grad for v in trainable_weights]
        with torch.no_grad():
            self.optimizer.apply(gradients, trainable_weights)
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}


class BatchKeys(keras.callbacks.Callback):
    def on_train_batch_end(self, batch, logs=None):
        self.keys = sorted(logs)


rng = np.random.default_rng(0)
x = rng.random((64, 8)).astype("float32")
y = rng.random((64, 1)).astype("float32")
inputs = keras.Input(shape=(8,))
model = CustomModel(inputs, keras.layers.Dense(1)(inputs))
model.compile(optimizer="adam", loss="mse", metrics=["mae"])
watcher = BatchKeys()
history = model.fit(x, y, epochs=2, batch_size=16, verbose=1)  # the progress bar alone sees the batch logs
model.fit(x, y, epochs=1, batch_size=16, verbose=0, callbacks=[watcher])
print("history", sorted(history.history), "batch", watcher.keys)
"""


def _last_line(text):
    return [line for line in text.splitlines() if line.startswith("history")][-1]


@pytest.mark.skipif(BACKEND != "torch", reason="the guide's step calls loss.backward(): torch only")
@requires_training
def test_torch_guide_step_returning_compiled_metrics_dict_trains_with_the_progress_bar(tmp_path):
    script = tmp_path / "program.py"
    script.write_text(_PROGRAM)
    result = subprocess.run([sys.executable, "-m", "brickwork", "run", str(script)], capture_output=True,
                            text=True, timeout=300, env={**os.environ, "BRICKWORK_BACKEND": "torch"})
    assert result.returncode == 0, result.stderr[-3000:]
    assert "mae: " in result.stdout  # the progress bar shows the flattened compiled metric
    expected = _last_line(run_keras_script(_PROGRAM, keras_backend="torch"))
    assert _last_line(result.stdout) == expected == "history ['loss', 'mae'] batch ['loss', 'mae']"


def test_lazy_batch_logs_are_flattened_for_history_and_progbar():
    """No user batch hook: the logs stay tensors (no device sync) but a nested dict is merged in."""
    seen = []

    class Spy(ProgbarLogger):
        def on_train_batch_end(self, batch, logs=None):
            seen.append(logs)

        def on_test_batch_end(self, batch, logs=None):
            seen.append(logs)

    tensor = backend.convert_to_tensor(0.5)
    callbacks = CallbackList([Spy(), History()], verbose=1, epochs=1, steps=1)
    assert not callbacks._float_train_batch_logs and not callbacks._float_test_batch_logs
    callbacks.on_train_batch_end(0, {"loss": tensor, "compile_metrics": {"mae": tensor, "mse": tensor}})
    callbacks.on_test_batch_end(0, {"loss": tensor, "compile_metrics": {"mae": tensor}})
    assert [sorted(logs) for logs in seen] == [["loss", "mae", "mse"], ["loss", "mae"]]
    assert seen[0]["mae"] is tensor  # not converted: the bar converts once, when it draws
    flat = {"loss": tensor}
    callbacks.on_train_batch_end(0, flat)
    assert seen[-1] is flat  # nothing nested: the same dict, no copy on the hot path


def test_flattened_logs_give_the_same_progress_bar_as_flat_ones(capsys, monkeypatch):
    monkeypatch.setattr(progbar_module, "_clock", lambda: 100.0)
    monkeypatch.delenv("PYCHARM_HOSTED", raising=False)

    def bar(logs):
        callbacks = CallbackList(add_progbar=True, verbose=1, epochs=1, steps=2)
        callbacks.on_train_begin()
        callbacks.on_epoch_begin(0)
        callbacks.on_train_batch_end(0, logs)
        callbacks.on_epoch_end(0, {"loss": 0.25, "mae": 0.5})
        return capsys.readouterr().out

    nested = bar({"loss": backend.convert_to_tensor(0.25), "compile_metrics": {"mae": backend.convert_to_tensor(0.5)}})
    assert nested == bar({"loss": 0.25, "mae": 0.5})
