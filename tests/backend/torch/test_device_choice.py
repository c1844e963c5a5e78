"""The torch device new tensors go to: ``$BRICKWORK_TORCH_DEVICE``, else Keras's ``$KERAS_TORCH_DEVICE``, else
CUDA, Apple MPS, CPU. Each case runs in a fresh interpreter, as the choice is made once, at import."""

import os
import subprocess
import sys

import pytest

from brickwork import backend

pytestmark = pytest.mark.skipif(backend.backend() != "torch", reason="the torch device choice")

PROBE = "from brickwork import ops; print(ops.ones((2,)).device.type)"


def _device_type(**variables) -> subprocess.CompletedProcess:
    chosen = ("BRICKWORK_TORCH_DEVICE", "KERAS_TORCH_DEVICE")
    env = {key: value for key, value in os.environ.items() if key not in chosen}
    env.update(variables, BRICKWORK_BACKEND="torch")
    return subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, timeout=300)


def test_keras_variable_chooses_the_device():
    # "meta" exists on every machine and differs from the default, so the variable is seen to act.
    assert _device_type(KERAS_TORCH_DEVICE="meta").stdout.strip() == "meta"


def test_brickwork_variable_wins_over_keras_variable():
    assert _device_type(BRICKWORK_TORCH_DEVICE="meta", KERAS_TORCH_DEVICE="cpu").stdout.strip() == "meta"


def test_default_is_cuda_then_mps_then_cpu():
    import torch

    expected = "cuda" if torch.cuda.is_available() else "mps" if torch.backends.mps.is_available() else "cpu"
    assert _device_type().stdout.strip() == expected


def test_an_unknown_device_is_a_clear_error():
    result = _device_type(KERAS_TORCH_DEVICE="nonsense")
    assert result.returncode != 0
    assert "KERAS_TORCH_DEVICE names no torch device" in result.stderr and "'nonsense'" in result.stderr
