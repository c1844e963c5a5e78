"""``brickwork.config``: every switch of ``keras.config``, and the caps on ``fit`` wired into training."""

import logging
import os
import subprocess
import sys

import numpy as np
import pytest

import brickwork as keras
from brickwork import config
from tests.conftest import requires_training

KERAS_CONFIG_NAMES = [
    "backend", "disable_flash_attention", "disable_interactive_logging", "disable_traceback_filtering",
    "dtype_policy", "enable_flash_attention", "enable_interactive_logging", "enable_traceback_filtering",
    "enable_unsafe_deserialization", "epsilon", "floatx", "image_data_format", "is_flash_attention_enabled",
    "is_interactive_logging_enabled", "is_nnx_enabled", "is_traceback_filtering_enabled", "max_epochs",
    "max_steps_per_epoch", "set_backend", "set_dtype_policy", "set_epsilon", "set_floatx",
    "set_image_data_format", "set_max_epochs", "set_max_steps_per_epoch",
]


def test_every_keras_config_name_is_public():
    assert [name for name in KERAS_CONFIG_NAMES if not callable(getattr(keras.config, name, None))] == []


@pytest.mark.parametrize("enable, disable, is_enabled", [
    ("enable_interactive_logging", "disable_interactive_logging", "is_interactive_logging_enabled"),
    ("enable_traceback_filtering", "disable_traceback_filtering", "is_traceback_filtering_enabled"),
])
def test_switches_default_on_and_toggle(enable, disable, is_enabled):
    assert getattr(config, is_enabled)() is True
    try:
        getattr(config, disable)()
        assert getattr(config, is_enabled)() is False
    finally:
        getattr(config, enable)()
    assert getattr(config, is_enabled)() is True


def test_flash_attention_is_none_until_disabled_as_in_keras():
    assert config.is_flash_attention_enabled() is None
    config.disable_flash_attention()
    assert config.is_flash_attention_enabled() is False
    config.enable_flash_attention()
    assert config.is_flash_attention_enabled() is None


def test_nnx_is_off():
    assert config.is_nnx_enabled() is False


class _Counter(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.epochs = self.batches = 0

    def on_epoch_begin(self, epoch, logs=None):
        self.epochs += 1

    def on_train_batch_begin(self, batch, logs=None):
        self.batches += 1


@requires_training
def test_max_epochs_and_steps_cap_fit():
    x, y = np.ones((80, 4), "float32"), np.ones((80, 1), "float32")
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    model.compile(loss="mse", optimizer="sgd")
    counter = _Counter()
    model.fit(x, y, batch_size=8, epochs=4, callbacks=[counter], verbose=0)
    assert (counter.epochs, counter.batches) == (4, 40)
    try:
        config.set_max_epochs(2)
        config.set_max_steps_per_epoch(3)
        assert (config.max_epochs(), config.max_steps_per_epoch()) == (2, 3)
        counter = _Counter()
        with pytest.warns(UserWarning, match="Limiting"):
            model.fit(x, y, batch_size=8, epochs=4, callbacks=[counter], verbose=0)
        assert (counter.epochs, counter.batches) == (2, 6)
        assert model.predict(x, batch_size=8, verbose=0).shape == (24, 1)
    finally:
        config.set_max_epochs(None)
        config.set_max_steps_per_epoch(None)
    assert config.max_epochs() is None


def test_env_vars_set_the_caps_at_import():
    env = dict(os.environ, KERAS_MAX_EPOCHS="3", KERAS_MAX_STEPS_PER_EPOCH="5")
    out = subprocess.run(
        [sys.executable, "-c", "import brickwork as k; print(k.config.max_epochs(), k.config.max_steps_per_epoch())"],
        env=env, capture_output=True, text=True, check=True).stdout
    assert out.split() == ["3", "5"]


@requires_training
def test_disabled_interactive_logging_sends_progress_to_logging(capsys, caplog):
    x, y = np.ones((16, 4), "float32"), np.ones((16, 1), "float32")
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    model.compile(loss="mse", optimizer="sgd")
    config.disable_interactive_logging()
    try:
        with caplog.at_level(logging.INFO, logger="absl"), caplog.at_level(logging.INFO, logger="brickwork"):
            model.fit(x, y, batch_size=8, epochs=2, verbose=2)
    finally:
        config.enable_interactive_logging()
    assert capsys.readouterr().out == ""
    messages = [record.getMessage() for record in caplog.records if record.name in ("absl", "brickwork")]
    assert messages[0] == "Epoch 1/2" and any("loss" in message for message in messages)


def test_set_backend_reimports_brickwork_on_the_new_engine():
    code = ("import brickwork as k; k.config.set_backend('numpy'); import brickwork as k2; "
            "print(k2.config.backend(), type(k2.ops.ones(())).__module__)")
    env = {name: value for name, value in os.environ.items() if name not in ("BRICKWORK_BACKEND", "KERAS_BACKEND")}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.split() == ["numpy", "numpy"]
    with pytest.raises(ValueError, match="set_backend"):
        config.set_backend("tensorflow2")
