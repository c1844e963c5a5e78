"""Data-parallel training equals one process on the same global batch.

torch: two CPU processes with gloo, started with torchrun's environment variables (no distribution
code in the program). jax: one process, a 2-device mesh from
``XLA_FLAGS=--xla_force_host_platform_device_count=2``. Each run is compared with a plain one:
weights after N steps, the metrics in the history (the global ones), evaluate/predict, and which
processes printed and wrote the checkpoint.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import BACKEND

WORKER = Path(__file__).with_name("training_worker.py")
ROOT = Path(__file__).resolve().parents[2]


def _environment(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("RANK", "WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT",
                                                            "LOCAL_RANK", "XLA_FLAGS")}
    env.update(BRICKWORK_BACKEND=BACKEND, PYTHONPATH=str(ROOT), OMP_NUM_THREADS="1", **extra)
    return env


def _start(out_dir: Path, mode: str, **env) -> subprocess.Popen:
    out_dir.mkdir(exist_ok=True)
    return subprocess.Popen([sys.executable, str(WORKER), str(out_dir), mode], env=_environment(**env),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=str(ROOT))


def _finish(process: subprocess.Popen) -> str:
    output, _ = process.communicate(timeout=120)
    assert process.returncode == 0, output
    return output


def _result(out_dir: Path, rank: int = 0):
    result = json.loads((out_dir / f"result_{rank}.json").read_text())
    with np.load(out_dir / f"weights_{rank}.npz") as weights:
        return result, [weights[key] for key in sorted(weights.files, key=lambda k: int(k.split("_")[1]))]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _assert_same_training(result, weights, reference, reference_weights) -> None:
    for got, expected in zip(weights, reference_weights):
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)
    assert result["history"].keys() == reference["history"].keys()
    for name, values in reference["history"].items():
        np.testing.assert_allclose(result["history"][name], values, rtol=1e-5, atol=1e-6, err_msg=name)
    for name, value in reference["evaluation"].items():
        np.testing.assert_allclose(result["evaluation"][name], value, rtol=1e-5, atol=1e-6, err_msg=name)
    np.testing.assert_allclose(result["predictions"], reference["predictions"], rtol=1e-5, atol=1e-6)


@pytest.fixture(scope="module")
def torchrun_runs(tmp_path_factory):
    """Two torchrun-style processes and one plain process, run once for the module's tests."""
    if BACKEND != "torch":
        pytest.skip("torch.distributed with DDP is the torch backend's")
    tmp_path = tmp_path_factory.mktemp("torchrun")
    port = str(_free_port())
    workers = [_start(tmp_path / "ddp", "torchrun", RANK=str(rank), LOCAL_RANK=str(rank), WORLD_SIZE="2",
                      MASTER_ADDR="127.0.0.1", MASTER_PORT=port) for rank in range(2)]
    plain = _start(tmp_path / "plain", "plain")
    outputs = [_finish(worker) for worker in workers]
    _finish(plain)
    return tmp_path, outputs


def test_two_torchrun_processes_train_like_one_process_on_the_global_batch(torchrun_runs):
    tmp_path, outputs = torchrun_runs
    reference, reference_weights = _result(tmp_path / "plain")
    assert reference["processes"] == 1 and reference["writes"] == ["checkpoint.keras"] * 3
    for rank in range(2):
        result, weights = _result(tmp_path / "ddp", rank)
        assert result["processes"] == 2 and "DataParallel" in result["distribution"]
        _assert_same_training(result, weights, reference, reference_weights)
    # Only process 0 prints progress.
    assert "Epoch 3/3" in outputs[0] and "val_loss" in outputs[0]
    assert "Epoch" not in outputs[1] and "loss" not in outputs[1]
    assert (tmp_path / "ddp" / "checkpoint.keras").exists()


def test_only_process_zero_writes_the_checkpoint(torchrun_runs):
    tmp_path, _ = torchrun_runs
    assert _result(tmp_path / "ddp", 0)[0]["writes"] == ["checkpoint.keras"] * 3
    assert _result(tmp_path / "ddp", 1)[0]["writes"] == []


@pytest.fixture(scope="module")
def jax_runs(tmp_path_factory):
    """A plain run, DataParallel over a 2-device mesh and ModelParallel on a (1, 2) mesh."""
    if BACKEND != "jax":
        pytest.skip("jax.sharding over a device mesh is the jax backend's")
    tmp_path = tmp_path_factory.mktemp("jax")
    two_devices = {"XLA_FLAGS": "--xla_force_host_platform_device_count=2"}
    runs = [_start(tmp_path / "plain", "plain"), _start(tmp_path / "mesh", "mesh", **two_devices),
            _start(tmp_path / "layout", "layout", **two_devices)]
    for run in runs:
        _finish(run)
    return tmp_path


def test_a_two_device_jax_mesh_trains_like_one_device(jax_runs):
    reference, reference_weights = _result(jax_runs / "plain")
    result, weights = _result(jax_runs / "mesh")
    assert "DataParallel" in result["distribution"] and "shape=(2,)" in result["distribution"]
    _assert_same_training(result, weights, reference, reference_weights)
    assert result["writes"] == ["checkpoint.keras"] * 3
    assert result["kernel_shards"] == [[5, 8]]  # replicated: each device holds the whole kernel


def test_a_layout_map_splits_a_kernel_and_trains_like_one_device(jax_runs):
    reference, reference_weights = _result(jax_runs / "plain")
    result, weights = _result(jax_runs / "layout")
    assert "ModelParallel" in result["distribution"]
    assert result["kernel_shards"] == [[5, 4]]  # (5, 8) split by columns over two devices
    _assert_same_training(result, weights, reference, reference_weights)
