"""Backend selection and global settings."""

import json
import os
import subprocess
import sys

import pytest

from brickwork import backend, config
from tests.conftest import BACKEND

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _backend_in_subprocess(env_updates, home):
    env = {k: v for k, v in os.environ.items() if k not in ("BRICKWORK_BACKEND", "KERAS_BACKEND")}
    env.update(env_updates)
    env["BRICKWORK_HOME"] = str(home)
    return subprocess.run([sys.executable, "-c", "import brickwork; print(brickwork.backend.backend())"],
                          env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(BACKEND != "numpy", reason="subprocess checks run once, in the quickest session")
def test_selection_order(tmp_path):
    (tmp_path / "brickwork.json").write_text(json.dumps({"backend": "numpy"}))
    assert _backend_in_subprocess({"BRICKWORK_BACKEND": "numpy", "KERAS_BACKEND": "jax"}, tmp_path).stdout.strip() == "numpy"
    assert _backend_in_subprocess({"KERAS_BACKEND": "numpy"}, tmp_path / "nothing").stdout.strip() == "numpy"
    assert _backend_in_subprocess({}, tmp_path).stdout.strip() == "numpy"  # the config file
    result = _backend_in_subprocess({"BRICKWORK_BACKEND": "mxnet"}, tmp_path)
    assert result.returncode != 0
    assert "Unknown backend 'mxnet'" in result.stderr and "torch, jax, numpy, tensorflow" in result.stderr


def test_active_backend_and_defaults():
    assert backend.backend() == BACKEND == config.backend()
    assert backend.floatx() == "float32" and backend.epsilon() == 1e-7
    assert backend.image_data_format() == "channels_last"


def test_setters_validate_and_restore():
    try:
        backend.set_floatx("float64")
        assert backend.floatx() == "float64"
        backend.set_epsilon(1e-5)
        assert backend.epsilon() == 1e-5
        backend.set_image_data_format("channels_first")
        assert backend.image_data_format() == "channels_first"
    finally:
        backend.set_floatx("float32")
        backend.set_epsilon(1e-7)
        backend.set_image_data_format("channels_last")
    with pytest.raises(ValueError, match="floatx"):
        backend.set_floatx("float128")
    with pytest.raises(ValueError, match="channels_last"):
        backend.set_image_data_format("nhwc")


def test_set_random_seed_repeats_initial_weights():
    from brickwork import layers, utils

    utils.set_random_seed(3)
    first = layers.Dense(4)
    first.build((None, 3))
    utils.set_random_seed(3)
    second = layers.Dense(4)
    second.build((None, 3))
    assert (first.get_weights()[0] == second.get_weights()[0]).all()


def test_training_caps_are_reachable_from_backend_config():
    """Keras's own code reads the caps from backend.config; they are the public config's."""
    import brickwork
    from brickwork.backend import config as backend_config

    backend_config.set_max_steps_per_epoch(3)
    try:
        assert brickwork.config.max_steps_per_epoch() == 3
    finally:
        backend_config.set_max_steps_per_epoch(None)
    assert backend_config.max_epochs is brickwork.config.max_epochs


def test_nnx_switch_is_reachable_from_backend_config():
    """Keras's jax tests import ``is_nnx_enabled`` from backend.config; brickwork has no Flax NNX mode."""
    import brickwork
    from brickwork.backend.config import is_nnx_enabled

    assert is_nnx_enabled is brickwork.config.is_nnx_enabled and is_nnx_enabled() is False
